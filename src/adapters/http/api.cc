#include "adapters/http/api.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "adapters/http/api_support.h"
#include "adapters/http/core_api.h"
#include "adapters/http/events_api.h"
#include "adapters/http/http_server.h"
#include "adapters/http/openapi.h"
#include "adapters/http/public_api.h"
#include "adapters/http/static_files.h"
#include "adapters/security/password.h"
#include "domain/fields.h"

namespace hotline::adapters::http {

using nlohmann::json;

namespace {

constexpr char kSessionCookie[] = "hotline_session";
constexpr char kApiKeyPrefix[] = "hk_";

// The session token a request carries: "Authorization: Bearer T" or the session cookie.
std::string SessionToken(const HttpRequest& req, bool* via_bearer) {
  std::string bearer = req.Header("authorization");
  if (bearer.rfind("Bearer ", 0) == 0) {
    *via_bearer = true;
    return bearer.substr(7);
  }
  *via_bearer = false;
  return CookieValue(req.Header("cookie"), kSessionCookie);
}

// The API key a request carries: "X-API-Key: K" or "Authorization: ApiKey K".
std::string ApiKeyOf(const HttpRequest& req) {
  std::string key = req.Header("x-api-key");
  std::string auth = req.Header("authorization");
  if (key.empty() && auth.rfind("ApiKey ", 0) == 0) {
    key = auth.substr(7);
  }
  return key;
}

bool IsAdmin(const domain::Actor& a) { return a.role == domain::Role::kAdmin; }

}  // namespace

bool RequestContext::Is(const char* method, std::initializer_list<const char*> want) const {
  if (req.method != method || parts.size() != want.size()) {
    return false;
  }
  size_t i = 0;
  for (const char* w : want) {
    if (std::string_view(w) != "*" && parts[i] != w) {
      return false;
    }
    ++i;
  }
  return true;
}

Api::Api(ApiDeps deps, ApiOptions options) : deps_(deps), options_(std::move(options)) {
  modules_.push_back(std::make_shared<CoreApi>(deps_.service, deps_.tickets, deps_.directory));
  modules_.push_back(std::make_shared<EventsApi>(deps_.service, options_.max_streams));
  modules_.push_back(std::make_shared<PublicApi>(deps_.service, options_.portal_login));
}

Api::~Api() = default;

void Api::AddModule(std::shared_ptr<ApiModule> module) { modules_.push_back(std::move(module)); }

std::vector<RouteDoc> Api::AllRoutes() const {
  std::vector<RouteDoc> all = Routes();
  for (const auto& m : modules_) {
    auto r = m->Routes();
    all.insert(all.end(), r.begin(), r.end());
  }
  return all;
}

void Api::Audit(const HttpRequest& req, const std::string& login, std::string action,
                std::string target, std::string detail) {
  if (deps_.audit == nullptr) {
    return;
  }
  auto st = deps_.audit->Append({deps_.clock.Now(), login, std::move(action), std::move(target),
                                 std::move(detail), req.remote});
  if (!st.has_value()) {
    std::fprintf(stderr, "hotline serve: audit append failed: %s\n", st.error().ToString().c_str());
  }
}

HttpResponse Api::Handle(const HttpRequest& req) {
  ++requests_;
  auto start = std::chrono::steady_clock::now();
  HttpResponse res = Route(req);
  if (res.status >= 400) {
    ++errors_;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  size_t b = 0;
  while (b < std::size(kLatencyBounds) && seconds > kLatencyBounds[b]) {
    ++b;
  }
  ++latency_counts_[b];
  latency_micros_total_ += static_cast<int64_t>(seconds * 1e6);
  return res;
}

bool Api::Allow(const std::string& remote) {
  const double capacity = std::max(1, options_.public_requests_per_minute);
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  if (buckets_.size() > 100000) {
    buckets_.clear();  // bounded memory under a flood of addresses
  }
  auto [it, inserted] = buckets_.try_emplace(remote, Bucket{capacity, now});
  Bucket& b = it->second;
  double elapsed = std::chrono::duration<double>(now - b.last).count();
  b.tokens = std::min(capacity, b.tokens + elapsed * capacity / 60.0);
  b.last = now;
  if (b.tokens < 1) {
    ++rate_limited_;
    return false;
  }
  b.tokens -= 1;
  return true;
}

Result<domain::Actor> Api::Authenticate(const HttpRequest& req, bool unsafe_method,
                                        std::string* login) {
  auto config = deps_.service.config();
  if (std::string key = ApiKeyOf(req); !key.empty()) {
    if (deps_.credentials == nullptr) {
      return Error{ErrorCode::kUnauthenticated, "本服务未启用 API 密钥"};
    }
    auto found = deps_.credentials->FindApiKey(security::Sha256Hex(key));
    if (!found.has_value()) {
      return found.error();
    }
    if (!found->has_value() || (*found)->revoked.has_value()) {
      return Error{ErrorCode::kUnauthenticated, "API 密钥无效或已吊销"};
    }
    *login = (*found)->login;
    return config->org.ActorFor(*login);
  }
  bool via_bearer = false;
  std::string token = SessionToken(req, &via_bearer);
  if (token.empty()) {
    return Error{ErrorCode::kUnauthenticated, "请先登录"};
  }
  const std::string hash = security::Sha256Hex(token);
  const Instant now = deps_.clock.Now();
  std::optional<Session> session;
  {
    std::lock_guard lock(mu_);
    if (auto it = sessions_.find(hash); it != sessions_.end()) {
      session = it->second;
    }
  }
  if (!session && deps_.credentials != nullptr) {
    // Not in memory: a session from before a restart.
    auto stored = deps_.credentials->FindSession(hash);
    if (!stored.has_value()) {
      return stored.error();
    }
    if (stored->has_value()) {
      session = Session{(*stored)->login, (*stored)->csrf, (*stored)->expires};
      std::lock_guard lock(mu_);
      sessions_[hash] = *session;
    }
  }
  if (!session || session->expires <= now) {
    if (session) {
      std::lock_guard lock(mu_);
      sessions_.erase(hash);
    }
    return Error{ErrorCode::kUnauthenticated, "登录已失效，请重新登录"};
  }
  // Browsers send the cookie by themselves; a state change must also carry the CSRF token
  // that only our own pages can read. Bearer tokens are not sent by browsers on their own.
  if (unsafe_method && !via_bearer &&
      !security::SafeEqual(req.Header("x-csrf-token"), session->csrf)) {
    return PermissionDenied("缺少或错误的 X-CSRF-Token");
  }
  *login = session->login;
  return config->org.ActorFor(*login);
}

HttpResponse Api::Login(const HttpRequest& req) {
  auto body = ParseBody(req);
  if (!body.has_value()) {
    return FromError(body.error());
  }
  if (!body->contains("login") || !(*body)["login"].is_string() || !body->contains("password") ||
      !(*body)["password"].is_string()) {
    return BadRequest("需要字符串字段 login 和 password");
  }
  std::string login = (*body)["login"];
  std::string password = (*body)["password"];
  auto steady = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    Failures& f = failures_[login];
    if (steady - f.first > options_.login_failure_window) {
      f = Failures{0, steady};
    }
    if (f.count >= options_.max_login_failures) {
      return ErrorResponse(429, "resource_exhausted", "登录失败次数过多，请稍后再试");
    }
  }
  auto hash = deps_.directory.GetPasswordHash(login);
  auto actor = deps_.service.config()->org.ActorFor(login);
  if (!hash.has_value() || !actor.has_value() || !security::VerifyPassword(*hash, password)) {
    {
      std::lock_guard lock(mu_);
      ++failures_[login].count;
    }
    Audit(req, login, "auth.login_failed", "", "");
    return ErrorResponse(401, "unauthenticated", "用户名或密码错误");
  }
  std::string token = security::RandomToken();
  Session session{login, security::RandomToken(16), deps_.clock.Now() + options_.session_ttl};
  const std::string token_hash = security::Sha256Hex(token);
  if (deps_.credentials != nullptr) {
    auto st = deps_.credentials->PutSession({token_hash, login, session.csrf, session.expires});
    if (!st.has_value()) {
      return FromError(st.error());
    }
  }
  {
    std::lock_guard lock(mu_);
    failures_.erase(login);
    sessions_[token_hash] = session;
  }
  Audit(req, login, "auth.login", "", "");
  auto cfg = deps_.service.config();
  const domain::Unit* unit = cfg->org.FindUnit(actor->unit);
  HttpResponse res = Json(200, {{"login", login},
                                {"name", actor->name},
                                {"role", domain::Code(actor->role)},
                                {"role_name", domain::ChineseName(actor->role)},
                                {"unit", actor->unit.value()},
                                {"unit_name", unit != nullptr ? unit->name : ""},
                                {"csrf_token", session.csrf},
                                {"token", token}});
  res.headers.emplace_back("Set-Cookie",
                           fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
                                       kSessionCookie, token, options_.session_ttl.count()));
  return res;
}

HttpResponse Api::Logout(const HttpRequest& req) {
  bool via_bearer = false;
  std::string token = SessionToken(req, &via_bearer);
  if (!token.empty()) {
    const std::string hash = security::Sha256Hex(token);
    {
      std::lock_guard lock(mu_);
      sessions_.erase(hash);
    }
    if (deps_.credentials != nullptr) {
      (void)deps_.credentials->DeleteSession(hash);
    }
  }
  HttpResponse res = Json(200, {{"ok", true}});
  res.headers.emplace_back(
      "Set-Cookie",
      fmt::format("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", kSessionCookie));
  return res;
}

Result<std::string> Api::CreateApiKey(const std::string& name, const std::string& login) {
  if (deps_.credentials == nullptr) {
    return FailedPrecondition("本服务未启用 API 密钥");
  }
  if (name.empty()) {
    return InvalidArgument("API 密钥需要名称（用途）");
  }
  if (auto actor = deps_.service.config()->org.ActorFor(login); !actor.has_value()) {
    return actor.error();
  }
  std::string key = kApiKeyPrefix + security::RandomToken(24);
  ports::ApiKeyRecord rec;
  rec.name = name;
  rec.login = login;
  rec.key_hash = security::Sha256Hex(key);
  rec.prefix = key.substr(0, 10);
  rec.created = deps_.clock.Now();
  HOTLINE_RETURN_IF_ERROR(deps_.credentials->CreateApiKey(rec));
  return key;
}

HttpResponse Api::ApiKeys(RequestContext& ctx) {
  if (!IsAdmin(ctx.actor)) {
    return Forbidden("只有系统管理员可以管理 API 密钥");
  }
  if (deps_.credentials == nullptr) {
    return ErrorResponse(409, "failed_precondition", "本服务未启用 API 密钥");
  }
  if (ctx.Is("GET", {"admin", "api-keys"})) {
    auto keys = deps_.credentials->ListApiKeys();
    if (!keys.has_value()) {
      return FromError(keys.error());
    }
    json arr = json::array();
    for (const auto& k : *keys) {
      arr.push_back({{"id", k.id},
                     {"name", k.name},
                     {"login", k.login},
                     {"prefix", k.prefix},
                     {"created", FormatLocal(k.created)},
                     {"revoked", k.revoked ? json(FormatLocal(*k.revoked)) : json(nullptr)}});
    }
    return Json(200, {{"api_keys", arr}});
  }
  if (ctx.Is("POST", {"admin", "api-keys"})) {
    auto body = ParseBody(ctx.req);
    if (!body.has_value()) {
      return FromError(body.error());
    }
    if (!(*body)["name"].is_string() || !(*body)["login"].is_string()) {
      return BadRequest("需要字符串字段 name（用途）和 login（以哪个用户的身份）");
    }
    auto key = CreateApiKey((*body)["name"], (*body)["login"]);
    if (!key.has_value()) {
      return FromError(key.error());
    }
    ctx.audit("apikey.create", (*body)["login"], (*body)["name"]);
    return Json(201, {{"key", *key}, {"note", "密钥只显示这一次，请妥善保存"}});
  }
  if (ctx.Is("DELETE", {"admin", "api-keys", "*"})) {
    auto id = domain::ParseInt64(ctx.parts[2]);
    if (!id.has_value()) {
      return BadRequest("密钥编号应为整数");
    }
    auto st = deps_.credentials->RevokeApiKey(*id, ctx.now);
    if (!st.has_value()) {
      return FromError(st.error());
    }
    ctx.audit("apikey.revoke", ctx.parts[2], "");
    return Json(200, {{"ok", true}});
  }
  return ErrorResponse(405, "method_not_allowed", "不支持的方法: " + ctx.method());
}

HttpResponse Api::Metrics() {
  std::string out;
  out += "# HELP hotline_http_requests_total HTTP requests handled.\n";
  out += "# TYPE hotline_http_requests_total counter\n";
  out += fmt::format("hotline_http_requests_total {}\n", requests_.load());
  out += "# HELP hotline_http_errors_total HTTP responses with status >= 400.\n";
  out += "# TYPE hotline_http_errors_total counter\n";
  out += fmt::format("hotline_http_errors_total {}\n", errors_.load());
  out += "# HELP hotline_http_rate_limited_total Requests refused by the public rate limit.\n";
  out += "# TYPE hotline_http_rate_limited_total counter\n";
  out += fmt::format("hotline_http_rate_limited_total {}\n", rate_limited_.load());
  out += "# HELP hotline_http_request_duration_seconds Time to handle a request.\n";
  out += "# TYPE hotline_http_request_duration_seconds histogram\n";
  int64_t cumulative = 0;
  for (size_t i = 0; i <= std::size(kLatencyBounds); ++i) {
    cumulative += latency_counts_[i].load();
    std::string le = i < std::size(kLatencyBounds) ? fmt::format("{}", kLatencyBounds[i]) : "+Inf";
    out += fmt::format("hotline_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n", le,
                       cumulative);
  }
  out += fmt::format("hotline_http_request_duration_seconds_sum {}\n",
                     static_cast<double>(latency_micros_total_.load()) / 1e6);
  out += fmt::format("hotline_http_request_duration_seconds_count {}\n", cumulative);
  {
    std::lock_guard lock(mu_);
    out += "# HELP hotline_sessions Signed-in sessions held in memory.\n";
    out += "# TYPE hotline_sessions gauge\n";
    out += fmt::format("hotline_sessions {}\n", sessions_.size());
  }
  for (const auto& m : modules_) {
    out += m->MetricsText();
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
  const std::string& m = req.method;
  const bool unsafe = m != "GET" && m != "HEAD";

  if (path == "/healthz") {
    return Json(200, {{"status", "ok"}});
  }
  if (path == "/readyz") {
    auto setting = deps_.directory.GetSetting("ticket_prefix");
    if (!setting.has_value()) {
      return ErrorResponse(503, "unavailable", "存储不可用: " + setting.error().message);
    }
    return Json(200, {{"status", "ready"}});
  }
  if (path == "/metrics") {
    return Metrics();
  }
  if (path == "/api/openapi.json") {
    HttpResponse doc;
    doc.body = OpenApiDocument(AllRoutes());
    return doc;
  }
  if (path != "/api" && path.rfind("/api/", 0) != 0) {
    if (!options_.web_root.empty() && (m == "GET" || m == "HEAD")) {
      return ServeStatic(options_.web_root, path);
    }
    return NotFoundResponse("没有这个接口: " + path);
  }
  auto parts = SplitPath(path);
  if (parts.size() < 2 || parts[0] != "api" || parts[1] != "v1") {
    return NotFoundResponse("没有这个接口: " + path);
  }
  parts.erase(parts.begin(), parts.begin() + 2);

  RequestContext ctx{req,
                     path,
                     parts,
                     ParseQuery(query),
                     domain::Actor{},
                     "",
                     deps_.service.config(),
                     deps_.clock.Now(),
                     nullptr};
  ctx.audit = [this, &ctx](std::string action, std::string target, std::string detail) {
    Audit(ctx.req, ctx.login, std::move(action), std::move(target), std::move(detail));
  };

  const bool is_public = !parts.empty() && parts[0] == "public";
  const bool is_login = parts.size() == 2 && parts[0] == "auth" && parts[1] == "login";
  if ((is_public || is_login) && !Allow(req.remote)) {
    HttpResponse r = ErrorResponse(429, "resource_exhausted", "请求过于频繁，请稍后再试");
    r.headers.emplace_back("Retry-After", "60");
    return r;
  }
  if (is_login) {
    return m == "POST" ? Login(req) : ErrorResponse(405, "method_not_allowed", "请使用 POST");
  }
  if (parts.size() == 2 && parts[0] == "auth" && parts[1] == "logout") {
    return m == "POST" ? Logout(req) : ErrorResponse(405, "method_not_allowed", "请使用 POST");
  }
  if (is_public) {
    for (const auto& module : modules_) {
      if (auto r = module->HandlePublic(ctx)) {
        return std::move(*r);
      }
    }
    return NotFoundResponse("没有这个接口: " + path);
  }

  auto actor = Authenticate(req, unsafe, &ctx.login);
  if (!actor.has_value()) {
    return FromError(actor.error());
  }
  ctx.actor = *actor;

  if (parts.size() >= 2 && parts[0] == "admin" && parts[1] == "api-keys") {
    return ApiKeys(ctx);
  }
  for (const auto& module : modules_) {
    if (auto r = module->Handle(ctx)) {
      return std::move(*r);
    }
  }
  return NotFoundResponse("没有这个接口: " + path);
}

}  // namespace hotline::adapters::http
