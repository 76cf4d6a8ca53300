// Route tables: a module lists its routes as data, each the route's OpenAPI documentation
// (method and path template) and the member function that answers it. The same table serves
// requests (FindRoute matches the documented path template) and the OpenAPI document
// (RouteDocs), so what is served and what is documented cannot drift apart. Tables are
// built once and never change: thread-safe.
#pragma once

#include <optional>
#include <vector>

#include "adapters/http/api_module.h"
#include "adapters/http/openapi.h"

namespace hotline::adapters::http {

// One route of a table: its documentation and the member that answers it.
template <typename Handler>
struct RouteEntry {
  RouteDoc doc;
  Handler handler;
};

// Whether the request is `doc`'s method on `doc`'s path template: the same segments after
// /api/v1/, where a "{…}" segment matches any one segment.
bool RouteMatches(const RequestContext& ctx, const RouteDoc& doc);

// The first route of `table` that the request matches; nullptr for none. First wins: list a
// fixed path ("…/routing/check") before a template it also fits ("…/routing/{id}") when both
// have the same method.
template <typename Handler>
const RouteEntry<Handler>* FindRoute(const std::vector<RouteEntry<Handler>>& table,
                                     const RequestContext& ctx) {
  for (const auto& route : table) {
    if (RouteMatches(ctx, route.doc)) {
      return &route;
    }
  }
  return nullptr;
}

// The table's documentation, in table order (ApiModule::Routes).
template <typename Handler>
std::vector<RouteDoc> RouteDocs(const std::vector<RouteEntry<Handler>>& table) {
  std::vector<RouteDoc> out;
  out.reserve(table.size());
  for (const auto& route : table) {
    out.push_back(route.doc);
  }
  return out;
}

// A module's handler that needs nothing but the request (it reads path segments from
// ctx.parts itself).
template <typename Module>
using PlainHandler = HttpResponse (Module::*)(RequestContext&);

// Answers the request with the first route of `table` it matches, calling the handler on
// `module`; nullopt when no route matches (the path is another module's).
template <typename Module>
std::optional<HttpResponse> ServeRoute(Module& module,
                                       const std::vector<RouteEntry<PlainHandler<Module>>>& table,
                                       RequestContext& ctx) {
  const auto* route = FindRoute(table, ctx);
  if (route == nullptr) {
    return std::nullopt;
  }
  return (module.*route->handler)(ctx);
}

}  // namespace hotline::adapters::http
