#include "adapters/http/openapi.h"

#include <nlohmann/json.hpp>

namespace hotline::adapters::http {

const std::vector<RouteDoc>& Routes() {
  static const std::vector<RouteDoc> routes = {
      {"get", "/healthz", "存活检查", false},
      {"get", "/readyz", "就绪检查（存储可用）", false},
      {"get", "/metrics", "Prometheus 指标", false},
      {"get", "/api/openapi.json", "本接口文档", false},
      {"post", "/api/v1/auth/login", "登录（返回会话 Cookie、CSRF 令牌与 Bearer 令牌）", false},
      {"post", "/api/v1/auth/logout", "退出登录", false},
      {"get", "/api/v1/me", "当前用户", true},
      {"post", "/api/v1/tickets", "登记工单", true},
      {"get", "/api/v1/tickets", "工单列表（过滤、游标分页，按数据范围）", true},
      {"get", "/api/v1/tickets/{number}", "工单详情及全部历史", true},
      {"post", "/api/v1/tickets/{number}/actions/{action}", "对工单执行办理操作", true},
      {"get", "/api/v1/queues/{queue}",
       "本单位工作队列：to_sign / in_progress / due_soon / overdue", true},
      {"get", "/api/v1/org/units", "组织机构（单位）", true},
      {"get", "/api/v1/categories", "诉求分类", true},
      {"get", "/api/v1/routing/suggest", "派单目录建议的承办单位", true},
  };
  return routes;
}

std::string OpenApiDocument() {
  using nlohmann::json;
  json paths = json::object();
  for (const auto& r : Routes()) {
    json op = {
        {"summary", r.summary},
        {"responses",
         {{"200", {{"description", "成功"}}},
          {"4XX",
           {{"description", "错误：{\"error\":{\"code\":...,\"message\":...}}"},
            {"content",
             {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}}}};
    if (r.authenticated) {
      op["security"] = json::array({{{"session", json::array()}}, {{"bearer", json::array()}}});
    }
    json params = json::array();
    std::string path = r.path;
    for (size_t pos = path.find('{'); pos != std::string::npos; pos = path.find('{', pos + 1)) {
      size_t end = path.find('}', pos);
      params.push_back({{"name", path.substr(pos + 1, end - pos - 1)},
                        {"in", "path"},
                        {"required", true},
                        {"schema", {{"type", "string"}}}});
    }
    if (!params.empty()) {
      op["parameters"] = params;
    }
    paths[r.path][r.method] = op;
  }
  json doc = {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "hotline 12345 政务服务便民热线 API"},
        {"version", "0.1.0"},
        {"description",
         "工单全生命周期、登录与数据范围。错误统一为 {\"error\":{\"code\",\"message\"}}。"}}},
      {"paths", paths},
      {"components",
       {{"securitySchemes",
         {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "hotline_session"}}},
          {"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
        {"schemas",
         {{"Error",
           {{"type", "object"},
            {"required", {"error"}},
            {"properties",
             {{"error",
               {{"type", "object"},
                {"required", {"code", "message"}},
                {"properties",
                 {{"code", {{"type", "string"}}}, {"message", {{"type", "string"}}}}}}}}}}}}}}}};
  return doc.dump(2);
}

}  // namespace hotline::adapters::http
