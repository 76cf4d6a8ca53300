// ApiModule: one group of routes of the JSON API (tickets, admin, knowledge base, KPIs...)
// plugged into Api. Api authenticates, finds the actor and passes a RequestContext; a module
// answers the routes it owns and returns nullopt for the others. Modules must be
// thread-safe: Handle runs on many I/O threads at once.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/http/http_types.h"
#include "adapters/http/openapi.h"
#include "app/ticket_service.h"
#include "common/time.h"
#include "domain/org.h"

namespace hotline::adapters::http {

struct RequestContext {
  const HttpRequest& req;
  std::string path;                          // without the query string
  std::vector<std::string> parts;            // path segments after /api/v1
  std::map<std::string, std::string> query;  // decoded query parameters
  domain::Actor actor;                       // meaningless in HandlePublic
  std::string login;                         // "" in HandlePublic
  std::shared_ptr<const app::HotlineConfig> config;
  Instant now;
  // Appends to the audit log (no-op without one): action, target, detail.
  std::function<void(std::string, std::string, std::string)> audit;

  const std::string& method() const { return req.method; }
  // Whether the request is `method` on exactly the path segments `want` ("*" matches any).
  bool Is(const char* method, std::initializer_list<const char*> want) const;
};

class ApiModule {
 public:
  virtual ~ApiModule() = default;
  // Routes for signed-in actors; nullopt when the path is not this module's.
  virtual std::optional<HttpResponse> Handle(RequestContext& ctx) = 0;
  // Routes open without login (the citizen portal); nullopt when not this module's.
  virtual std::optional<HttpResponse> HandlePublic(RequestContext& /*ctx*/) { return std::nullopt; }
  // The module's routes for the OpenAPI document.
  virtual std::vector<RouteDoc> Routes() const = 0;
  // Lines in the Prometheus text format added to /metrics ("" for none).
  virtual std::string MetricsText() { return ""; }
};

}  // namespace hotline::adapters::http
