#include "adapters/http/api.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "adapters/http/error_mapping.h"
#include "adapters/http/http_server.h"
#include "adapters/http/openapi.h"
#include "adapters/json/ticket_json.h"
#include "adapters/security/password.h"
#include "common/utf8.h"
#include "domain/fields.h"
#include "domain/lifecycle.h"
#include "domain/privacy.h"

namespace hotline::adapters::http {

using nlohmann::json;
namespace codec = hotline::adapters::json;

namespace {

constexpr char kSessionCookie[] = "hotline_session";

HttpResponse Json(int status, const json& body) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump();
  return r;
}

HttpResponse FromError(const Error& e) {
  return ErrorResponse(HttpStatusFor(e.code), std::string(ErrorCodeName(e.code)), e.message);
}

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> parts;
  size_t pos = 1;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string::npos) {
      end = path.size();
    }
    if (end > pos) {
      parts.push_back(path.substr(pos, end - pos));
    }
    pos = end + 1;
  }
  return parts;
}

std::string UrlDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else if (s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

std::map<std::string, std::string> ParseQuery(const std::string& q) {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos < q.size()) {
    size_t end = q.find('&', pos);
    if (end == std::string::npos) {
      end = q.size();
    }
    std::string kv = q.substr(pos, end - pos);
    size_t eq = kv.find('=');
    if (eq != std::string::npos) {
      out[UrlDecode(kv.substr(0, eq))] = UrlDecode(kv.substr(eq + 1));
    } else if (!kv.empty()) {
      out[UrlDecode(kv)] = "";
    }
    pos = end + 1;
  }
  return out;
}

std::string CookieValue(const std::string& header, const std::string& name) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) {
      end = header.size();
    }
    std::string part = header.substr(pos, end - pos);
    while (!part.empty() && part.front() == ' ') {
      part.erase(0, 1);
    }
    if (part.rfind(name + "=", 0) == 0) {
      return part.substr(name.size() + 1);
    }
    pos = end + 1;
  }
  return "";
}

Result<json> ParseBody(const HttpRequest& req) {
  if (req.body.empty()) {
    return json::object();
  }
  if (!IsValidUtf8(req.body)) {
    return InvalidArgument("请求体不是有效的 UTF-8 文本");
  }
  auto j = json::parse(req.body, nullptr, false);
  if (j.is_discarded()) {
    return InvalidArgument("请求体不是有效的 JSON");
  }
  if (!j.is_object()) {
    return InvalidArgument("请求体应为 JSON 对象");
  }
  return j;
}

// Whether showing `t` to `actor` reveals a citizen's unmasked name or phone.
bool ReadsPersonalData(const domain::Actor& actor, const domain::Ticket& t) {
  return domain::SeesPersonalData(actor, t) &&
         (!t.citizen_phone.empty() || !t.citizen_name.empty());
}

std::string LoginOf(const domain::Actor& actor, const domain::OrgTree& org) {
  const domain::User* u = org.FindUser(actor.user);
  return u != nullptr ? u->login : std::string();
}

json TicketJson(const domain::Ticket& t, const domain::Actor& actor,
                const app::HotlineConfig& config, Instant now) {
  return codec::TicketForDisplay(domain::ForViewer(actor, t), config.org, config.categories, now);
}

}  // namespace

Api::Api(app::TicketService& service, ports::DirectoryStore& directory, const ports::Clock& clock,
         ports::AuditLog* audit, ApiOptions options)
    : service_(service), directory_(directory), clock_(clock), audit_(audit), options_(options) {}

void Api::Audit(const HttpRequest& req, const std::string& login, std::string action,
                std::string target, std::string detail) {
  if (audit_ == nullptr) {
    return;
  }
  auto st = audit_->Append(
      {clock_.Now(), login, std::move(action), std::move(target), std::move(detail), req.remote});
  if (!st.has_value()) {
    std::fprintf(stderr, "hotline serve: audit append failed: %s\n", st.error().ToString().c_str());
  }
}

HttpResponse Api::Handle(const HttpRequest& req) {
  ++requests_;
  HttpResponse res = Route(req);
  if (res.status >= 400) {
    ++errors_;
  }
  return res;
}

Result<domain::Actor> Api::Authenticate(const HttpRequest& req, bool unsafe_method) {
  std::string token = CookieValue(req.Header("cookie"), kSessionCookie);
  std::string bearer = req.Header("authorization");
  bool via_bearer = false;
  if (bearer.rfind("Bearer ", 0) == 0) {
    token = bearer.substr(7);
    via_bearer = true;
  }
  if (token.empty()) {
    return Error{ErrorCode::kUnauthenticated, "请先登录"};
  }
  std::string login;
  {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(token);
    if (it == sessions_.end() || it->second.expires < std::chrono::steady_clock::now()) {
      if (it != sessions_.end()) {
        sessions_.erase(it);
      }
      return Error{ErrorCode::kUnauthenticated, "登录已失效，请重新登录"};
    }
    // Browsers send the cookie by themselves; a state change must also carry the CSRF token
    // that only our own pages can read. Bearer tokens are not sent by browsers on their own.
    if (unsafe_method && !via_bearer &&
        !security::SafeEqual(req.Header("x-csrf-token"), it->second.csrf)) {
      return PermissionDenied("缺少或错误的 X-CSRF-Token");
    }
    login = it->second.login;
  }
  return service_.config()->org.ActorFor(login);
}

HttpResponse Api::Login(const HttpRequest& req) {
  auto body = ParseBody(req);
  if (!body.has_value()) {
    return FromError(body.error());
  }
  if (!body->contains("login") || !(*body)["login"].is_string() || !body->contains("password") ||
      !(*body)["password"].is_string()) {
    return ErrorResponse(400, "invalid_argument", "需要字符串字段 login 和 password");
  }
  std::string login = (*body)["login"];
  std::string password = (*body)["password"];
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    Failures& f = failures_[login];
    if (now - f.first > options_.login_failure_window) {
      f = Failures{0, now};
    }
    if (f.count >= options_.max_login_failures) {
      return ErrorResponse(429, "resource_exhausted", "登录失败次数过多，请稍后再试");
    }
  }
  auto hash = directory_.GetPasswordHash(login);
  auto actor = service_.config()->org.ActorFor(login);
  if (!hash.has_value() || !actor.has_value() || !security::VerifyPassword(*hash, password)) {
    {
      std::lock_guard lock(mu_);
      ++failures_[login].count;
    }
    Audit(req, login, "auth.login_failed", "", "");
    return ErrorResponse(401, "unauthenticated", "用户名或密码错误");
  }
  std::string token = security::RandomToken();
  std::string csrf = security::RandomToken(16);
  {
    std::lock_guard lock(mu_);
    failures_.erase(login);
    sessions_[token] = Session{login, csrf, now + options_.session_ttl};
  }
  Audit(req, login, "auth.login", "", "");
  auto cfg = service_.config();
  const domain::Unit* unit = cfg->org.FindUnit(actor->unit);
  HttpResponse res = Json(200, {{"login", login},
                                {"name", actor->name},
                                {"role", domain::Code(actor->role)},
                                {"role_name", domain::ChineseName(actor->role)},
                                {"unit", actor->unit.value()},
                                {"unit_name", unit != nullptr ? unit->name : ""},
                                {"csrf_token", csrf},
                                {"token", token}});
  res.headers.emplace_back("Set-Cookie",
                           fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict; "
                                       "Max-Age={}",
                                       kSessionCookie, token, options_.session_ttl.count()));
  return res;
}

HttpResponse Api::Logout(const HttpRequest& req) {
  std::string token = CookieValue(req.Header("cookie"), kSessionCookie);
  std::string bearer = req.Header("authorization");
  if (bearer.rfind("Bearer ", 0) == 0) {
    token = bearer.substr(7);
  }
  {
    std::lock_guard lock(mu_);
    sessions_.erase(token);
  }
  HttpResponse res = Json(200, {{"ok", true}});
  res.headers.emplace_back(
      "Set-Cookie",
      fmt::format("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", kSessionCookie));
  return res;
}

HttpResponse Api::Metrics() {
  std::string out;
  out += "# HELP hotline_http_requests_total HTTP requests handled.\n";
  out += "# TYPE hotline_http_requests_total counter\n";
  out += fmt::format("hotline_http_requests_total {}\n", requests_.load());
  out += "# HELP hotline_http_errors_total HTTP responses with status >= 400.\n";
  out += "# TYPE hotline_http_errors_total counter\n";
  out += fmt::format("hotline_http_errors_total {}\n", errors_.load());
  {
    std::lock_guard lock(mu_);
    out += "# TYPE hotline_sessions gauge\n";
    out += fmt::format("hotline_sessions {}\n", sessions_.size());
  }
  HttpResponse r;
  r.content_type = "text/plain; version=0.0.4";
  r.body = std::move(out);
  return r;
}

HttpResponse Api::Route(const HttpRequest& req) {
  std::string path = req.target;
  std::string query;
  if (auto q = path.find('?'); q != std::string::npos) {
    query = path.substr(q + 1);
    path = path.substr(0, q);
  }
  auto parts = SplitPath(path);
  const std::string& m = req.method;
  const bool unsafe = m != "GET" && m != "HEAD";

  if (path == "/healthz") {
    return Json(200, {{"status", "ok"}});
  }
  if (path == "/readyz") {
    auto summary = directory_.GetSetting("ticket_prefix");
    if (!summary.has_value()) {
      return ErrorResponse(503, "unavailable", "存储不可用: " + summary.error().message);
    }
    return Json(200, {{"status", "ready"}});
  }
  if (path == "/metrics") {
    return Metrics();
  }
  if (path == "/api/openapi.json") {
    HttpResponse doc;
    doc.body = OpenApiDocument();
    return doc;
  }
  if (parts.size() < 2 || parts[0] != "api" || parts[1] != "v1") {
    return ErrorResponse(404, "not_found", "没有这个接口: " + path);
  }
  parts.erase(parts.begin(), parts.begin() + 2);
  if (parts.size() == 2 && parts[0] == "auth" && parts[1] == "login") {
    return m == "POST" ? Login(req) : ErrorResponse(405, "method_not_allowed", "请使用 POST");
  }
  if (parts.size() == 2 && parts[0] == "auth" && parts[1] == "logout") {
    return m == "POST" ? Logout(req) : ErrorResponse(405, "method_not_allowed", "请使用 POST");
  }

  auto actor = Authenticate(req, unsafe);
  if (!actor.has_value()) {
    return FromError(actor.error());
  }
  auto config = service_.config();
  const Instant now = clock_.Now();

  if (parts.size() == 1 && parts[0] == "me" && m == "GET") {
    const domain::Unit* unit = config->org.FindUnit(actor->unit);
    return Json(200, {{"name", actor->name},
                      {"role", domain::Code(actor->role)},
                      {"role_name", domain::ChineseName(actor->role)},
                      {"unit", actor->unit.value()},
                      {"unit_name", unit != nullptr ? unit->name : ""}});
  }

  if (!parts.empty() && parts[0] == "tickets") {
    if (parts.size() == 1 && m == "POST") {
      auto body = ParseBody(req);
      if (!body.has_value()) {
        return FromError(body.error());
      }
      auto fields = codec::FieldsFromJson(*body);
      if (!fields.has_value()) {
        return FromError(fields.error());
      }
      auto t = service_.Register(*actor, *fields);
      if (!t.has_value()) {
        return FromError(t.error());
      }
      Audit(req, LoginOf(*actor, config->org), "ticket.register", t->number, "");
      return Json(201, TicketJson(*t, *actor, *config, now));
    }
    if (parts.size() == 1 && m == "GET") {
      auto q = ParseQuery(query);
      ports::TicketFilter f;
      if (auto it = q.find("state"); it != q.end() && !it->second.empty()) {
        auto st = domain::ParseTicketState(it->second);
        if (!st) {
          return ErrorResponse(400, "invalid_argument", "未知状态: " + it->second);
        }
        f.states.push_back(*st);
      }
      for (const char* key : {"after", "limit", "unit"}) {
        if (auto it = q.find(key); it != q.end() && !it->second.empty()) {
          auto v = domain::ParseInt64(it->second);
          if (!v.has_value() || *v < 0) {
            return ErrorResponse(400, "invalid_argument", fmt::format("参数 {} 应为非负整数", key));
          }
          if (std::string(key) == "after") {
            f.after_id = *v;
          } else if (std::string(key) == "limit") {
            f.limit = static_cast<int>(std::min<int64_t>(*v, 500));
          } else {
            f.unit = domain::UnitId{*v};
          }
        }
      }
      if (q.contains("text")) {
        f.text = q["text"];
      }
      if (q.contains("phone")) {
        f.citizen_phone = q["phone"];
      }
      if (q.contains("overdue")) {
        f.reply_deadline_before = now;
        f.states = {domain::TicketState::kDispatched, domain::TicketState::kSigned,
                    domain::TicketState::kReturnRequested};
      }
      // Units only ever list within their own scope.
      if (actor->role == domain::Role::kUnitHandler || actor->role == domain::Role::kUnitAdmin) {
        if (f.unit && *f.unit != actor->unit) {
          return ErrorResponse(403, "permission_denied", "只能查看本单位的工单");
        }
        f.unit = actor->unit;
      }
      auto list = service_.List(f);
      if (!list.has_value()) {
        return FromError(list.error());
      }
      nlohmann::json arr = nlohmann::json::array();
      std::string personal;
      for (const auto& t : *list) {
        if (domain::MayView(*actor, t, config->org)) {
          arr.push_back(TicketJson(t, *actor, *config, now));
          if (ReadsPersonalData(*actor, t)) {
            personal += (personal.empty() ? "" : ",") + t.number;
          }
        }
      }
      if (!personal.empty()) {
        Audit(req, LoginOf(*actor, config->org), "personal_data.read", "list", personal);
      }
      return Json(200, {{"tickets", arr},
                        {"next_after", list->empty() ? nlohmann::json(nullptr)
                                                     : nlohmann::json(list->back().id.value())}});
    }
    if (parts.size() >= 2) {
      auto view = service_.Show(parts[1]);
      if (!view.has_value()) {
        return FromError(view.error());
      }
      // Another unit's ticket is answered as if it did not exist.
      if (!domain::MayView(*actor, view->ticket, config->org)) {
        return ErrorResponse(404, "not_found", "工单不存在: " + parts[1]);
      }
      if (parts.size() == 2 && m == "GET") {
        nlohmann::json j = TicketJson(view->ticket, *actor, *config, now);
        if (ReadsPersonalData(*actor, view->ticket)) {
          Audit(req, LoginOf(*actor, config->org), "personal_data.read", view->ticket.number,
                "ticket");
        }
        nlohmann::json h = nlohmann::json::array();
        // The registration event carries the citizen's data: mask it as the ticket is.
        domain::Ticket shown = domain::ForViewer(*actor, view->ticket);
        for (auto e : view->history) {
          for (auto [key, value] : {std::pair{"citizen_phone", &shown.citizen_phone},
                                    std::pair{"citizen_name", &shown.citizen_name}}) {
            if (e.fields.contains(key)) {
              e.fields[key] = *value;
            }
          }
          h.push_back(codec::EventToJson(e));
        }
        j["history"] = h;
        return Json(200, j);
      }
      if (parts.size() == 4 && parts[2] == "actions" && m == "POST") {
        auto action = domain::ParseAction(parts[3]);
        if (!action || *action == domain::Action::kRegister ||
            *action == domain::Action::kMergedIn) {
          return ErrorResponse(404, "not_found", "未知操作: " + parts[3]);
        }
        auto body = ParseBody(req);
        if (!body.has_value()) {
          return FromError(body.error());
        }
        std::optional<int64_t> expected;
        if (body->contains("version")) {
          if (!(*body)["version"].is_number_integer()) {
            return ErrorResponse(400, "invalid_argument", "version 应为整数");
          }
          expected = (*body)["version"].get<int64_t>();
          body->erase("version");
        }
        auto fields = codec::FieldsFromJson(*body);
        if (!fields.has_value()) {
          return FromError(fields.error());
        }
        auto t = service_.Act(*actor, parts[1], domain::Command{*action, *fields}, expected);
        if (!t.has_value()) {
          return FromError(t.error());
        }
        Audit(req, LoginOf(*actor, config->org), "ticket." + std::string(domain::Code(*action)),
              t->number, codec::FieldsToJson(*fields).dump());
        return Json(200, TicketJson(*t, *actor, *config, now));
      }
    }
    return ErrorResponse(405, "method_not_allowed", "不支持的方法: " + m + " " + path);
  }

  if (parts.size() == 2 && parts[0] == "queues" && m == "GET") {
    // A unit's work queues; centre roles may name the unit with ?unit=ID.
    auto q = ParseQuery(query);
    domain::UnitId unit = actor->unit;
    bool unit_role =
        actor->role == domain::Role::kUnitHandler || actor->role == domain::Role::kUnitAdmin;
    if (q.contains("unit") && !q["unit"].empty()) {
      auto v = domain::ParseInt64(q["unit"]);
      if (!v.has_value() || *v <= 0) {
        return ErrorResponse(400, "invalid_argument", "参数 unit 应为单位编号");
      }
      if (unit_role && domain::UnitId{*v} != actor->unit) {
        return ErrorResponse(403, "permission_denied", "只能查看本单位的工作队列");
      }
      unit = domain::UnitId{*v};
    }
    ports::TicketFilter f;
    f.lead_unit = unit;
    f.limit = 500;
    const std::string& queue = parts[1];
    // "Due soon": the reply deadline falls within the next working day.
    Instant soon = config->calendar.Deadline(now, {domain::LimitUnit::kWorkingDays, 1});
    if (queue == "to_sign") {
      f.states = {domain::TicketState::kDispatched};
    } else if (queue == "in_progress") {
      f.states = {domain::TicketState::kSigned, domain::TicketState::kReturnRequested,
                  domain::TicketState::kSuspended};
    } else if (queue == "due_soon" || queue == "overdue") {
      f.states = {domain::TicketState::kDispatched, domain::TicketState::kSigned,
                  domain::TicketState::kReturnRequested};
      f.reply_deadline_before = queue == "overdue" ? now : soon;
    } else {
      return ErrorResponse(404, "not_found",
                           "没有这个队列: " + queue + "（to_sign/in_progress/due_soon/overdue）");
    }
    auto list = service_.List(f);
    if (!list.has_value()) {
      return FromError(list.error());
    }
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& t : *list) {
      if (queue == "due_soon" && t.IsOverdue(now)) {
        continue;  // already overdue: it belongs to the overdue queue
      }
      if (domain::MayView(*actor, t, config->org)) {
        arr.push_back(TicketJson(t, *actor, *config, now));
      }
    }
    return Json(200, {{"queue", queue}, {"unit", unit.value()}, {"tickets", arr}});
  }
  if (parts.size() == 2 && parts[0] == "org" && parts[1] == "units" && m == "GET") {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& u : config->org.units()) {
      arr.push_back({{"id", u.id.value()},
                     {"code", u.code},
                     {"name", u.name},
                     {"level", domain::Code(u.level)},
                     {"kind", domain::Code(u.kind)},
                     {"parent", u.parent.value()},
                     {"region", u.region.value()}});
    }
    return Json(200, {{"units", arr}});
  }
  if (parts.size() == 1 && parts[0] == "categories" && m == "GET") {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& c : config->categories.all()) {
      arr.push_back({{"id", c.id.value()},
                     {"name", c.name},
                     {"parent", c.parent.value()},
                     {"level", c.level},
                     {"path", config->categories.PathOf(c.id)}});
    }
    return Json(200, {{"categories", arr}});
  }
  if (parts.size() == 2 && parts[0] == "routing" && parts[1] == "suggest" && m == "GET") {
    auto q = ParseQuery(query);
    auto cat = domain::ParseInt64(q["category"]);
    auto region = domain::ParseInt64(q["region"]);
    auto s = service_.SuggestUnit(domain::CategoryId{cat.value_or(0)},
                                  domain::RegionId{region.value_or(0)});
    if (!s.has_value()) {
      return FromError(s.error());
    }
    const domain::Unit* u = config->org.FindUnit(s->lead_unit);
    return Json(200, {{"lead_unit", s->lead_unit.value()},
                      {"lead_unit_name", u != nullptr ? u->name : ""},
                      {"fallback", s->fallback},
                      {"explanation", s->explanation}});
  }
  return ErrorResponse(404, "not_found", "没有这个接口: " + path);
}

}  // namespace hotline::adapters::http
