// Api: the JSON API under /api/v1 (logins, tickets, lifecycle actions, queues, directory)
// plus /healthz, /readyz and /metrics. Handlers are thin: parse, call the app layer, map
// the result. Thread-safe (sessions and counters are guarded).
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "adapters/http/http_types.h"
#include "app/ticket_service.h"
#include "ports/audit_log.h"
#include "ports/clock.h"
#include "ports/directory_store.h"

namespace hotline::adapters::http {

struct ApiOptions {
  std::chrono::seconds session_ttl{8 * 3600};
  int max_login_failures = 5;  // per login within the window, then 429
  std::chrono::seconds login_failure_window{15 * 60};
};

class Api {
 public:
  // `audit` may be null (no audit trail); otherwise every change and every read of
  // unmasked personal data is appended to it.
  Api(app::TicketService& service, ports::DirectoryStore& directory, const ports::Clock& clock,
      ports::AuditLog* audit, ApiOptions options = {});
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  HttpResponse Handle(const HttpRequest& request);

 private:
  struct Session {
    std::string login;
    std::string csrf;
    std::chrono::steady_clock::time_point expires;
  };
  struct Failures {
    int count = 0;
    std::chrono::steady_clock::time_point first;
  };

  HttpResponse Route(const HttpRequest& request);
  HttpResponse Login(const HttpRequest& request);
  HttpResponse Logout(const HttpRequest& request);
  Result<domain::Actor> Authenticate(const HttpRequest& request, bool unsafe_method);
  HttpResponse Metrics();
  void Audit(const HttpRequest& req, const std::string& login, std::string action,
             std::string target, std::string detail);

  app::TicketService& service_;
  ports::DirectoryStore& directory_;
  const ports::Clock& clock_;
  ports::AuditLog* audit_;
  ApiOptions options_;
  std::mutex mu_;
  std::map<std::string, Session> sessions_;
  std::map<std::string, Failures> failures_;
  std::atomic<int64_t> requests_{0};
  std::atomic<int64_t> errors_{0};
};

}  // namespace hotline::adapters::http
