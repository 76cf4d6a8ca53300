#include "testing/api_fixture.h"

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <nlohmann/json.hpp>

#include "adapters/security/password.h"
#include "testing/matchers.h"

namespace hotline::testing {

namespace fs = std::filesystem;
using adapters::http::Api;
using adapters::http::HttpRequest;
using adapters::http::HttpServer;
using nlohmann::json;

void SetTestPasswords(adapters::sqlite::SqliteStore& store, const domain::OrgTree& org) {
  // Hashing is slow on purpose: once per test binary.
  static const std::string hash = *adapters::security::HashPassword(kPassword);
  for (const auto& u : org.users()) {
    ASSERT_OK(store.SetPasswordHash(u.id, hash));
  }
}

void ExpectError(const Reply& r, int status, const std::string& code) {
  EXPECT_EQ(r.status, status) << r.body;
  auto j = r.Json();
  ASSERT_TRUE(j.is_object()) << r.body;
  ASSERT_TRUE(j.contains("error")) << r.body;
  EXPECT_EQ(j["error"]["code"], code) << r.body;
  ASSERT_TRUE(j["error"]["message"].is_string()) << r.body;
  EXPECT_FALSE(j["error"]["message"].get<std::string>().empty()) << r.body;
}

ApiFixture::ApiFixture() : city_(MakeSmallCity()), clock_(*ParseInstant("2024-03-04 09:00")) {}

ApiFixture::~ApiFixture() = default;

void ApiFixture::SetUp() {
  static std::atomic<int> counter{0};
  dir_ = fs::temp_directory_path() /
         ("hotline-api-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(dir_);
  fs::create_directories(dir_);
  db_ = (dir_ / "h.db").string();
  ASSERT_NO_FATAL_FAILURE(OpenStore());
  ASSERT_NO_FATAL_FAILURE(OpenServices());
  ASSERT_NO_FATAL_FAILURE(RestartApi());
}

void ApiFixture::TearDown() {
  server_.reset();
  api_.reset();
  CloseServices();
  service_.reset();
  store_.reset();
  if (!dir_.empty()) {
    fs::remove_all(dir_);
  }
}

void ApiFixture::OpenStore() {
  auto store = adapters::sqlite::SqliteStore::Open({.path = db_});
  ASSERT_OK(store);
  store_ = std::move(*store);
  ASSERT_OK(store_->SaveOrg(city_->org));
  ASSERT_OK(store_->SaveCategories(city_->categories));
  if (save_routing_) {
    ASSERT_OK(store_->SaveRouting(city_->routing));
  }
  ASSERT_NO_FATAL_FAILURE(SetTestPasswords(*store_, city_->org));
  auto config = std::make_shared<app::HotlineConfig>();
  config->org = city_->org;
  config->categories = city_->categories;
  if (save_routing_) {
    config->routing = city_->routing;
  }
  service_ = std::make_unique<app::TicketService>(*store_, clock_, config);
}

adapters::http::ApiDeps ApiFixture::Deps() {
  return {*service_, *store_, *store_, clock_, store_.get(), store_.get()};
}

void ApiFixture::RestartApi() {
  server_.reset();
  api_ = std::make_unique<Api>(Deps(), api_options_);
  ASSERT_NO_FATAL_FAILURE(AddModules(*api_));
  ASSERT_NO_FATAL_FAILURE(RestartServer());
}

void ApiFixture::RestartServer() {
  server_.reset();
  sessions_.clear();
  auto options = server_options_;
  options.port = 0;
  server_ = std::make_unique<HttpServer>(options,
                                         [this](const HttpRequest& r) { return api_->Handle(r); });
  auto port = server_->Start();
  ASSERT_OK(port);
  port_ = *port;
}

Reply ApiFixture::Login(const std::string& login) {
  auto pw = passwords_.find(login);
  return Login(login, pw != passwords_.end() ? pw->second : std::string(kPassword));
}

Reply ApiFixture::Login(const std::string& login, const std::string& password) {
  return Call(port_, "POST", "/api/v1/auth/login",
              json{{"login", login}, {"password", password}}.dump());
}

std::vector<std::string> ApiFixture::As(const std::string& login) {
  if (reuse_sessions_) {
    if (auto it = sessions_.find(login); it != sessions_.end()) {
      return it->second;
    }
  }
  Reply r = Login(login);
  EXPECT_EQ(r.status, 200) << r.body;
  const json j = r.Json();
  std::vector<std::string> headers;
  if (bearer_) {
    headers = {"Authorization: Bearer " + j.value("token", "")};
  } else {
    headers = {"Cookie: hotline_session=" + j.value("token", ""),
               "X-CSRF-Token: " + j.value("csrf_token", "")};
  }
  if (reuse_sessions_) {
    sessions_[login] = headers;
  }
  return headers;
}

bool ApiFixture::Audited(const std::string& action, const std::string& target,
                         const std::string& login) {
  auto entries = store_->Entries(0, 100000);
  EXPECT_OK(entries);
  if (!entries.has_value()) {
    return false;
  }
  for (const auto& e : *entries) {
    if (e.record.action == action && e.record.target == target && e.record.login == login) {
      return true;
    }
  }
  return false;
}

json ApiFixture::Kpi(const json& list, const std::string& id) {
  for (const auto& k : list) {
    if (k["id"] == id) {
      return k;
    }
  }
  return json();
}

Reply ApiFixture::Req(const std::string& login, const std::string& method, const std::string& path,
                      const std::string& body) {
  return Call(port_, method, path, body, As(login));
}

void ApiFixture::ExpectRoutesServed(const std::vector<adapters::http::RouteDoc>& routes,
                                    const std::string& login,
                                    const std::map<std::string, std::string>& args) {
  ASSERT_FALSE(routes.empty());
  Reply doc = Call(port_, "GET", "/api/openapi.json");
  ASSERT_EQ(doc.status, 200);
  const json paths = doc.Json()["paths"];
  for (const auto& route : routes) {
    SCOPED_TRACE(std::string(route.method) + " " + route.path);
    EXPECT_TRUE(paths.contains(route.path) && paths[route.path].contains(route.method));
    std::string path = route.path;
    for (size_t open = path.find('{'); open != std::string::npos; open = path.find('{', open)) {
      const size_t close = path.find('}', open);
      auto it = args.find(path.substr(open + 1, close - open - 1));
      const std::string value = it != args.end() ? it->second : "1";
      path.replace(open, close - open + 1, value);
      open += value.size();
    }
    std::string verb = route.method;
    for (auto& c : verb) {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    Reply r = Req(login, verb, path, "{}");
    EXPECT_EQ(r.body.find("没有这个接口"), std::string::npos) << r.body;
    EXPECT_NE(r.status, 405) << r.body;
    EXPECT_NE(r.status, 500) << r.body;
  }
}

}  // namespace hotline::testing
