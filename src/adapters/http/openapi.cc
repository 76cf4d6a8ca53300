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
      {"get", "/api/v1/admin/api-keys", "API 密钥列表（管理员）", true},
      {"post", "/api/v1/admin/api-keys", "创建 API 密钥（管理员；密钥只返回一次）", true},
      {"delete", "/api/v1/admin/api-keys/{id}", "吊销 API 密钥（管理员）", true},
  };
  return routes;
}

std::string OpenApiDocument(const std::vector<RouteDoc>& routes) {
  using nlohmann::json;
  json paths = json::object();
  for (const auto& r : routes) {
    json op = {
        {"summary", r.summary},
        {"responses",
         {{"200", {{"description", "成功"}}},
          {"4XX",
           {{"description", "错误：{\"error\":{\"code\":...,\"message\":...}}"},
            {"content",
             {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}}}};
    if (r.authenticated) {
      op["security"] = json::array(
          {{{"session", json::array()}}, {{"bearer", json::array()}}, {{"apikey", json::array()}}});
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
          {"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
          {"apikey", {{"type", "apiKey"}, {"in", "header"}, {"name", "X-API-Key"}}}}},
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
