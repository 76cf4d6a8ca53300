#include "fuzz_world.h"

#include <sodium.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "adapters/security/password.h"
#include "common/time.h"

namespace hotline::fuzz {

namespace fs = std::filesystem;
using nlohmann::json;

void Fail(const std::string& what, const http::HttpRequest& request,
          const http::HttpResponse* response) {
  std::fprintf(stderr, "\n==== fuzz invariant broken: %s\n  request: %s %s\n", what.c_str(),
               request.method.c_str(), request.target.c_str());
  for (const auto& [k, v] : request.headers) {
    std::fprintf(stderr, "  %s: %s\n", k.c_str(), v.c_str());
  }
  std::fprintf(stderr, "  body (%zu bytes): %.300s\n", request.body.size(), request.body.c_str());
  if (response != nullptr) {
    std::fprintf(stderr, "  response %d %s: %.500s\n", response->status,
                 response->content_type.c_str(), response->body.c_str());
  }
  std::abort();
}

World& World::Get() {
  static World* world = new World();  // never destroyed: libFuzzer exits without unwinding
  return *world;
}

World::World() : city_(hotline::testing::MakeSmallCity()) {
  clock_ = std::make_unique<ports::FakeClock>(*ParseInstant("2024-03-04 09:00"));
  dir_ = (fs::temp_directory_path() / ("hotline-fuzz-" + std::to_string(getpid()))).string();
  fs::remove_all(dir_);
  fs::create_directories(dir_);
  adapters::sqlite::SqliteOptions options;
  options.path = dir_ + "/fuzz.db";
  options.durable = false;
  auto store = adapters::sqlite::SqliteStore::Open(options);
  if (!store.has_value()) {
    std::fprintf(stderr, "fuzz: cannot open the store: %s\n", store.error().ToString().c_str());
    std::abort();
  }
  store_ = std::move(*store);
  if (!store_->SaveOrg(city_->org).has_value() ||
      !store_->SaveCategories(city_->categories).has_value() ||
      !store_->SaveRouting(city_->routing).has_value()) {
    std::fprintf(stderr, "fuzz: cannot save the small city\n");
    std::abort();
  }
  if (!adapters::security::InitSecurity().has_value()) {
    std::abort();
  }
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(hash, kPassword, sizeof kPassword - 1, crypto_pwhash_OPSLIMIT_MIN,
                            crypto_pwhash_MEMLIMIT_MIN, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    std::abort();
  }
  for (const auto& u : city_->org.users()) {
    if (!store_->SetPasswordHash(u.id, hash).has_value()) {
      std::abort();
    }
    logins_.push_back(u.login);
  }
  auto config = std::make_shared<app::HotlineConfig>();
  config->org = city_->org;
  config->categories = city_->categories;
  config->routing = city_->routing;
  service_ = std::make_unique<app::TicketService>(*store_, *clock_, config);
  http::ApiOptions api_options;
  // Fuzzed logins and public requests all come from one address: no rate limit, so that
  // they keep reaching the code behind it.
  api_options.public_requests_per_minute = 1 << 30;
  api_ = std::make_unique<http::Api>(
      http::ApiDeps{*service_, *store_, *store_, *clock_, store_.get(), store_.get()}, api_options);

  for (const auto& login : logins_) {
    http::HttpRequest req;
    req.method = "POST";
    req.target = "/api/v1/auth/login";
    req.body = json{{"login", login}, {"password", kPassword}}.dump();
    auto res = api_->Handle(req);
    auto j = json::parse(res.body, nullptr, false);
    if (res.status != 200 || !j.is_object() || !j.contains("token")) {
      std::fprintf(stderr, "fuzz: login %s failed: %s\n", login.c_str(), res.body.c_str());
      std::abort();
    }
    tokens_[login] = j["token"].get<std::string>();
  }

  // Tickets in a few states for the action paths to work on.
  tickets_.push_back(NewTicket({}));
  tickets_.push_back(NewTicket({{"disp", "dispatch"}}));
  tickets_.push_back(NewTicket({{"disp", "dispatch"}, {"housing", "sign"}}));
  tickets_.push_back(NewTicket({{"disp", "dispatch"}, {"housing", "sign"}, {"housing", "reply"}}));
}

World::~World() {
  api_.reset();
  service_.reset();
  store_.reset();
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string World::NewTicket(const std::vector<std::pair<std::string, std::string>>& steps) {
  http::HttpRequest req;
  req.method = "POST";
  req.target = "/api/v1/tickets";
  req.headers["authorization"] = "Bearer " + tokens_.at("op");
  req.body = json{{"type", "投诉"},
                  {"content", "小区夜间施工噪音"},
                  {"citizen_name", "张三"},
                  {"citizen_phone", "13812345678"}}
                 .dump();
  auto res = api_->Handle(req);
  auto j = json::parse(res.body, nullptr, false);
  if (res.status != 201 || !j.is_object()) {
    Fail("seed ticket not created", req, &res);
  }
  std::string number = j.value("number", "");
  for (const auto& [login, action] : steps) {
    http::HttpRequest act;
    act.method = "POST";
    act.target = "/api/v1/tickets/" + number + "/actions/" + action;
    act.headers["authorization"] = "Bearer " + tokens_.at(login);
    act.body = action == "dispatch" ? R"({"lead_unit":2})"
               : action == "reply"  ? R"({"reply":"已处理"})"
                                    : "";
    auto r = api_->Handle(act);
    if (r.status != 200) {
      Fail("seed action failed", act, &r);
    }
  }
  return number;
}

void World::SubstituteToken(http::HttpRequest& request) const {
  // Logging the shared sessions out would leave later inputs unauthenticated.
  if (request.target.find("/auth/logout") != std::string::npos) {
    return;
  }
  auto it = request.headers.find("authorization");
  if (it == request.headers.end() || it->second.rfind("Bearer ", 0) != 0) {
    return;
  }
  auto token = tokens_.find(it->second.substr(7));
  if (token != tokens_.end()) {
    it->second = "Bearer " + token->second;
  }
}

http::HttpResponse World::Handle(const http::HttpRequest& request) {
  http::HttpResponse res;
  try {
    res = api_->Handle(request);
  } catch (const std::exception& e) {
    Fail(std::string("exception escaped Api::Handle: ") + e.what(), request, nullptr);
  } catch (...) {
    Fail("unknown exception escaped Api::Handle", request, nullptr);
  }
  if (res.stream != nullptr) {
    // A live-update stream (GET /api/v1/events): what the server does with it, minus the
    // waiting: start, take what is ready, close.
    res.stream->Start([] {});
    bool done = false;
    res.body = res.stream->Pull(&done);
    res.stream->Close();
    res.stream.reset();
    return res;
  }
  if (res.status < 100 || res.status > 599) {
    Fail("status out of range", request, &res);
  }
  if (res.status >= 500) {
    Fail("5xx on client input", request, &res);
  }
  for (const auto& [name, value] : res.headers) {
    if (name.find_first_of("\r\n:") != std::string::npos ||
        value.find_first_of("\r\n") != std::string::npos) {
      Fail("CR/LF in a response header (response splitting)", request, &res);
    }
  }
  if (res.content_type.rfind("application/json", 0) == 0) {
    auto j = json::parse(res.body, nullptr, false);
    if (j.is_discarded()) {
      Fail("a JSON response that is not JSON", request, &res);
    }
    if (res.status >= 400) {
      if (!j.is_object() || !j.contains("error") || !j["error"].is_object() ||
          !j["error"].contains("code") || !j["error"]["code"].is_string() ||
          !j["error"].contains("message") || !j["error"]["message"].is_string() ||
          j["error"]["message"].get<std::string>().empty()) {
        Fail("an error without the error shape", request, &res);
      }
    }
  }
  return res;
}

}  // namespace hotline::fuzz
