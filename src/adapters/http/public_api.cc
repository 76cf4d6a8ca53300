#include "adapters/http/public_api.h"

#include <nlohmann/json.hpp>

#include "adapters/http/api_support.h"
#include "adapters/http/http_server.h"
#include "adapters/json/ticket_json.h"
#include "adapters/security/password.h"
#include "common/utf8.h"
#include "domain/lifecycle.h"

namespace hotline::adapters::http {

using nlohmann::json;

namespace {

constexpr size_t kMaxContentChars = 2000;

// Mainland mobile or landline digits, possibly with a dash: 7 to 15 characters.
bool LooksLikePhone(const std::string& p) {
  if (p.size() < 7 || p.size() > 15) {
    return false;
  }
  return std::all_of(p.begin(), p.end(), [](char c) { return std::isdigit(c) || c == '-'; });
}

std::string StringField(const json& body, const char* key) {
  auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

const std::vector<PublicApi::Route>& PublicApi::Table() {
  static const std::vector<Route> table = {
      {{"post", "/api/v1/public/requests",
        "市民提交诉求（无需登录，按来源地址限流）：phone, content 必填；name, type, region, "
        "address 可选",
        false},
       &PublicApi::Submit},
      {{"get", "/api/v1/public/requests/{number}",
        "市民凭编号和手机号（?phone=）查询办理进度与答复", false},
       &PublicApi::Track},
      {{"post", "/api/v1/public/requests/{number}/rating",
        "市民评价答复：phone, satisfaction（满意/基本满意/不满意）, resolved, comment", false},
       &PublicApi::Rate},
  };
  return table;
}

std::vector<RouteDoc> PublicApi::Routes() const { return RouteDocs(Table()); }

std::optional<HttpResponse> PublicApi::HandlePublic(RequestContext& ctx) {
  if (ctx.parts.size() < 2 || ctx.parts[1] != "requests") {
    return std::nullopt;
  }
  if (auto response = ServeRoute(*this, Table(), ctx)) {
    return response;
  }
  return ErrorResponse(405, "method_not_allowed", "不支持的方法: " + ctx.method() + " " + ctx.path);
}

HttpResponse PublicApi::Submit(RequestContext& ctx) {
  auto body = ParseBody(ctx.req);
  if (!body.has_value()) {
    return FromError(body.error());
  }
  for (const char* key : {"name", "phone", "content", "type", "address"}) {
    if (body->contains(key) && !(*body)[key].is_string()) {
      return BadRequest(std::string("字段 ") + key + " 应为字符串");
    }
  }
  const std::string phone = StringField(*body, "phone");
  const std::string content = StringField(*body, "content");
  if (!LooksLikePhone(phone)) {
    return BadRequest("请填写正确的联系电话（7-15 位数字），用于查询进度和回访");
  }
  if (content.empty()) {
    return BadRequest("请填写诉求内容");
  }
  if (Utf8Length(content) > kMaxContentChars) {
    return BadRequest("诉求内容不能超过 2000 字");
  }
  auto actor = ctx.config->org.ActorFor(portal_login_);
  if (!actor.has_value()) {
    return ErrorResponse(503, "unavailable", "网上诉求暂不可用（未配置门户系统用户）");
  }
  domain::Fields fields{
      {"channel", "web"},
      {"type", StringField(*body, "type").empty() ? "咨询" : StringField(*body, "type")},
      {"content", content},
      {"citizen_phone", phone}};
  for (auto [from, to] : {std::pair{"name", "citizen_name"}, std::pair{"address", "address"}}) {
    if (std::string v = StringField(*body, from); !v.empty()) {
      fields[to] = v;
    }
  }
  if (auto it = body->find("region"); it != body->end() && !it->is_null()) {
    if (!it->is_number_integer()) {
      return BadRequest("字段 region 应为区域编号");
    }
    fields["region"] = std::to_string(it->get<int64_t>());
  }
  auto t = service_.Register(*actor, fields);
  if (!t.has_value()) {
    return FromError(t.error());
  }
  ctx.login = portal_login_;
  ctx.audit("ticket.register", t->number, R"({"channel":"web","via":"portal"})");
  return Json(201, {{"number", t->number},
                    {"state", domain::Code(t->state)},
                    {"state_name", domain::ChineseName(t->state)},
                    {"message", "诉求已提交，请记下编号，凭编号和手机号查询办理进度"}});
}

HttpResponse PublicApi::Track(RequestContext& ctx) {
  const std::string& phone = ctx.query["phone"];
  const std::string& number = ctx.parts[2];
  auto view = service_.Show(number);
  if (!view.has_value() || phone.empty() || view->ticket.citizen_phone.empty() ||
      !security::SafeEqual(view->ticket.citizen_phone, phone)) {
    return NotFoundResponse("未找到该编号与手机号对应的诉求");
  }
  const domain::Ticket& t = view->ticket;
  json j = {{"number", t.number},
            {"state", domain::Code(t.state)},
            {"state_name", domain::ChineseName(t.state)},
            {"type", domain::Code(t.type)},
            {"type_name", domain::ChineseName(t.type)},
            {"content", t.content},
            {"created_at", FormatLocal(t.created_at)},
            {"can_rate", t.state == domain::TicketState::kReviewed}};
  // The reply is the citizen's once the centre has reviewed it (or answered directly).
  bool reply_public =
      t.state == domain::TicketState::kReviewed || t.state == domain::TicketState::kCallbackDone ||
      t.state == domain::TicketState::kClosed || t.state == domain::TicketState::kArchived;
  if (reply_public && !t.reply.empty()) {
    j["reply"] = t.reply;
  }
  if (t.satisfaction.has_value()) {
    j["satisfaction"] = domain::ChineseName(*t.satisfaction);
  }
  json steps = json::array();
  for (const auto& e : view->history) {
    auto action = domain::ParseAction(e.type);
    if (!action || *action == domain::Action::kNote || *action == domain::Action::kAttach) {
      continue;  // internal notes are not the citizen's
    }
    steps.push_back({{"at", FormatLocal(e.at)}, {"action", domain::ChineseName(*action)}});
  }
  j["steps"] = steps;
  return Json(200, j);
}

HttpResponse PublicApi::Rate(RequestContext& ctx) {
  auto body = ParseBody(ctx.req);
  if (!body.has_value()) {
    return FromError(body.error());
  }
  const std::string number = ctx.parts[2];
  auto view = service_.Show(number);
  const std::string phone = StringField(*body, "phone");
  if (!view.has_value() || phone.empty() || view->ticket.citizen_phone.empty() ||
      !security::SafeEqual(view->ticket.citizen_phone, phone)) {
    return NotFoundResponse("未找到该编号与手机号对应的诉求");
  }
  if (view->ticket.state != domain::TicketState::kReviewed) {
    return ErrorResponse(409, "failed_precondition", "该诉求当前不能评价（尚未答复或已评价）");
  }
  if (!body->contains("resolved") || !(*body)["resolved"].is_boolean()) {
    return BadRequest("需要布尔字段 resolved（问题是否解决）");
  }
  auto actor = ctx.config->org.ActorFor(portal_login_);
  if (!actor.has_value()) {
    return ErrorResponse(503, "unavailable", "网上评价暂不可用（未配置门户系统用户）");
  }
  domain::Fields fields{{"reached", "1"},
                        {"resolved", (*body)["resolved"].get<bool>() ? "1" : "0"},
                        {"satisfaction", StringField(*body, "satisfaction")},
                        {"comment", StringField(*body, "comment")},
                        {"method", "portal"}};
  auto t = service_.Act(*actor, number, domain::Command{domain::Action::kCallback, fields},
                        view->ticket.version);
  if (!t.has_value()) {
    return FromError(t.error());
  }
  ctx.login = portal_login_;
  ctx.audit("ticket.callback", number, R"({"method":"portal"})");
  return Json(200, {{"number", number},
                    {"state", domain::Code(t->state)},
                    {"state_name", domain::ChineseName(t->state)},
                    {"message", "感谢您的评价"}});
}

}  // namespace hotline::adapters::http
