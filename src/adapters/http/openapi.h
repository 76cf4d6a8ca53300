// The OpenAPI 3 description of the HTTP API, served at /api/openapi.json. Every route the
// router serves is listed in kRoutes; a test walks the list against the running server.
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

const std::vector<RouteDoc>& Routes();
// The OpenAPI 3.0 document (JSON text).
std::string OpenApiDocument();

}  // namespace hotline::adapters::http
