// The OpenAPI 3 description of the HTTP API, served at /api/openapi.json. Api and each of
// its modules list their routes; a test walks the list against the running server.
#pragma once

#include <string>
#include <vector>

namespace hotline::adapters::http {

struct RouteDoc {
  const char* method;   // "get", "post"
  const char* path;     // OpenAPI path template, e.g. "/api/v1/tickets/{number}"
  const char* summary;  // Chinese, for people
  bool authenticated;
};

// The routes Api serves itself (health, metrics, logins, API keys).
const std::vector<RouteDoc>& Routes();
// The OpenAPI 3.0 document (JSON text) for `routes`.
std::string OpenApiDocument(const std::vector<RouteDoc>& routes);

}  // namespace hotline::adapters::http
