// ApiFixture: the set-up every HTTP API test shares. A real SQLite store of the small city in
// a temporary folder (every user's password is kPassword), the ticket service on a fake
// clock, the Api with the modules a test adds, and an HttpServer on an ephemeral port; plus
// logging in over real HTTP (tests/testing/http_client.h). A test derives from it, sets the
// knobs below in its constructor and overrides the hooks for what it needs besides. Not
// thread-safe (one test at a time, as GoogleTest runs them).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/http/api.h"
#include "adapters/http/http_server.h"
#include "adapters/sqlite/sqlite_store.h"
#include "app/ticket_service.h"
#include "domain/org.h"
#include "ports/clock.h"
#include "testing/http_client.h"
#include "testing/small_city.h"

namespace hotline::testing {

// Every test user's password.
inline constexpr char kPassword[] = "secret-pass";

// Gives every user of `org` the password kPassword in `store`.
void SetTestPasswords(adapters::sqlite::SqliteStore& store, const domain::OrgTree& org);

// Expects `r` to be the API's error shape with `status`, `code` and a message.
void ExpectError(const Reply& r, int status, const std::string& code);

class ApiFixture : public ::testing::Test {
 protected:
  ApiFixture();
  ~ApiFixture() override;

  // Opens the store (OpenStore), then OpenServices, then starts the Api and the server.
  void SetUp() override;
  // Stops the server, drops the Api, CloseServices, drops the service and the store, removes
  // dir_.
  void TearDown() override;

  // Hooks.
  // The store and the ticket service: by default the small city (with its routing unless
  // save_routing_ is false) in dir_/h.db, passwords set. A test that brings its own store
  // overrides this and Deps().
  virtual void OpenStore();
  // Whatever else the test's modules need (a tokenizer, a knowledge base...), after the
  // store and before the Api.
  virtual void OpenServices() {}
  // Adds the test's modules; called again by RestartApi.
  virtual void AddModules(adapters::http::Api& /*api*/) {}
  // Closes what OpenServices opened, after the Api and before the store.
  virtual void CloseServices() {}
  // What the Api serves: by default service_, store_ and clock_.
  virtual adapters::http::ApiDeps Deps();

  // A new Api (api_options_, modules again) and a new server (server_options_) on a new
  // port_. Fails the test (fatally) if the server cannot start.
  void RestartApi();
  // A new server (server_options_) over the same Api on a new port_; forgets the kept
  // sessions.
  void RestartServer();

  // POST /api/v1/auth/login with `password` (default: passwords_ or kPassword).
  Reply Login(const std::string& login);
  Reply Login(const std::string& login, const std::string& password);
  // The headers that authenticate `login`: cookie and CSRF token, or a bearer token with
  // bearer_. A new login each call, or one per login with reuse_sessions_.
  std::vector<std::string> As(const std::string& login);
  // Forgets the sessions kept by reuse_sessions_ (after moving the clock past their life).
  void ForgetSessions() { sessions_.clear(); }
  // A call as `login`.
  Reply Req(const std::string& login, const std::string& method, const std::string& path,
            const std::string& body = "");
  Reply Get(const std::string& login, const std::string& path) { return Req(login, "GET", path); }
  // Whether the audit trail holds `action` on `target` by `login`.
  bool Audited(const std::string& action, const std::string& target,
               const std::string& login = "admin");
  // Expects each of `routes` (a module's Routes()) in the served OpenAPI document and
  // answered when `login` calls it with the body {}: any status but 405, 500 and 404 "no such
  // route". Each "{name}" of a path becomes args[name], or "1" when args has none.
  void ExpectRoutesServed(const std::vector<adapters::http::RouteDoc>& routes,
                          const std::string& login,
                          const std::map<std::string, std::string>& args = {});
  // The entry with "id" `id` of a dashboard's "kpis" list (null if none).
  static nlohmann::json Kpi(const nlohmann::json& list, const std::string& id);

  // Knobs, set in the test's constructor.
  bool save_routing_ = true;
  bool bearer_ = false;
  bool reuse_sessions_ = false;
  adapters::http::ApiOptions api_options_;
  adapters::http::ServerOptions server_options_;  // the port is always an ephemeral one
  std::map<std::string, std::string> passwords_;  // logins whose password is not kPassword

  std::unique_ptr<SmallCity> city_;
  ports::FakeClock clock_;  // starts at 2024-03-04 09:00; a test may Set it in its constructor
  std::filesystem::path dir_;
  std::string db_;  // dir_/h.db
  std::unique_ptr<adapters::sqlite::SqliteStore> store_;
  std::unique_ptr<app::TicketService> service_;
  std::unique_ptr<adapters::http::Api> api_;
  std::unique_ptr<adapters::http::HttpServer> server_;
  uint16_t port_ = 0;

 private:
  std::map<std::string, std::vector<std::string>> sessions_;
};

}  // namespace hotline::testing
