// Api: the JSON API under /api/v1 plus /healthz, /readyz, /metrics, the OpenAPI document and
// the web console's files. Api itself does what every route shares: rate limits, logins
// (sessions in cookies with CSRF, bearer tokens, API keys for systems), the audit trail and
// the metrics; the routes live in modules (core_api.cc for tickets and queues, events_api.cc
// for live updates, admin, knowledge base...). Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/http/api_module.h"
#include "adapters/http/http_types.h"
#include "app/ticket_service.h"
#include "ports/audit_log.h"
#include "ports/clock.h"
#include "ports/credential_store.h"
#include "ports/directory_store.h"
#include "ports/ticket_store.h"

namespace hotline::adapters::http {

struct ApiOptions {
  std::chrono::seconds session_ttl{8 * 3600};
  int max_login_failures = 5;  // per login within the window, then 429
  std::chrono::seconds login_failure_window{15 * 60};
  // Requests per minute from one address to the public (citizen) routes and to login.
  int public_requests_per_minute = 60;
  // The built web console (web/dist); "" serves no files.
  std::string web_root;
  // The system user the citizen portal acts as.
  std::string portal_login = "system";
  // Live-update streams held at once; more are refused with 503.
  size_t max_streams = 20000;
};

// What Api needs from the outside. `audit` and `credentials` may be null (no audit trail;
// sessions in memory only and no API keys).
struct ApiDeps {
  app::TicketService& service;
  ports::DirectoryStore& directory;
  ports::TicketStore& tickets;
  const ports::Clock& clock;
  ports::AuditLog* audit = nullptr;
  ports::CredentialStore* credentials = nullptr;
};

class Api {
 public:
  explicit Api(ApiDeps deps, ApiOptions options = {});
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  // Adds a group of routes (before the first request).
  void AddModule(std::shared_ptr<ApiModule> module);

  HttpResponse Handle(const HttpRequest& request);

  // Every route, for the OpenAPI document.
  std::vector<RouteDoc> AllRoutes() const;

  // Creates an API key acting as `login`; returns the key (shown once, stored hashed).
  Result<std::string> CreateApiKey(const std::string& name, const std::string& login);

 private:
  struct Session {
    std::string login;
    std::string csrf;
    Instant expires;
  };
  struct Failures {
    int count = 0;
    std::chrono::steady_clock::time_point first;
  };
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point last;
  };

  HttpResponse Route(const HttpRequest& request);
  HttpResponse Login(const HttpRequest& request);
  HttpResponse Logout(const HttpRequest& request);
  HttpResponse ApiKeys(RequestContext& ctx);
  Result<domain::Actor> Authenticate(const HttpRequest& request, bool unsafe_method,
                                     std::string* login);
  bool Allow(const std::string& remote);
  HttpResponse Metrics();
  void Audit(const HttpRequest& req, const std::string& login, std::string action,
             std::string target, std::string detail);

  ApiDeps deps_;
  ApiOptions options_;
  std::vector<std::shared_ptr<ApiModule>> modules_;
  std::mutex mu_;
  std::map<std::string, Session> sessions_;  // by token hash (a cache of the store's)
  std::map<std::string, Failures> failures_;
  std::map<std::string, Bucket> buckets_;
  std::atomic<int64_t> requests_{0};
  std::atomic<int64_t> errors_{0};
  std::atomic<int64_t> rate_limited_{0};
  // Latency histogram of handled requests (seconds), Prometheus buckets.
  static constexpr double kLatencyBounds[] = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5};
  std::atomic<int64_t> latency_counts_[std::size(kLatencyBounds) + 1] = {};
  std::atomic<int64_t> latency_micros_total_{0};
};

}  // namespace hotline::adapters::http
