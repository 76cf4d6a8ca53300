// AdminApi: the system administrator's routes under /api/v1/admin: users, the org tree
// (units), categories, time-limit policies, the working calendar and the routing directory
// (rules, fallback unit, history, check for gaps and conflicts). Every route needs the admin
// role; every change is validated first (nothing is written on bad input), persisted in the
// DirectoryStore, swapped into the running TicketService at once and audited.
#pragma once

#include <mutex>

#include "adapters/http/api_module.h"
#include "adapters/http/route_table.h"
#include "ports/directory_store.h"

namespace hotline::adapters::http {

class AdminApi final : public ApiModule {
 public:
  AdminApi(app::TicketService& service, ports::DirectoryStore& directory)
      : service_(service), directory_(directory) {}

  std::optional<HttpResponse> Handle(RequestContext& ctx) override;
  std::vector<RouteDoc> Routes() const override;

 private:
  using Handler = HttpResponse (AdminApi::*)(RequestContext&);
  using Route = RouteEntry<Handler>;
  // Serves the routes and documents them (route_table.h).
  static const std::vector<Route>& Table();

  HttpResponse Users(RequestContext& ctx);
  HttpResponse CreateUser(RequestContext& ctx);
  HttpResponse UpdateUser(RequestContext& ctx);
  HttpResponse ListUnits(RequestContext& ctx);
  HttpResponse CreateUnit(RequestContext& ctx);
  HttpResponse UpdateUnit(RequestContext& ctx);
  HttpResponse CreateCategory(RequestContext& ctx);
  HttpResponse UpdateCategory(RequestContext& ctx);
  HttpResponse GetPolicies(RequestContext& ctx);
  HttpResponse PutPolicies(RequestContext& ctx);
  HttpResponse GetCalendar(RequestContext& ctx);
  HttpResponse PutCalendar(RequestContext& ctx);
  HttpResponse GetRouting(RequestContext& ctx);
  HttpResponse CreateRule(RequestContext& ctx);
  HttpResponse UpdateRule(RequestContext& ctx);
  HttpResponse DeleteRule(RequestContext& ctx);
  HttpResponse PutFallback(RequestContext& ctx);
  HttpResponse RoutingHistory(RequestContext& ctx);
  HttpResponse CheckRouting(RequestContext& ctx);

  // Saves `directory` with the record of one change and swaps it in.
  HttpResponse CommitRouting(RequestContext& ctx, domain::RoutingDirectory directory,
                             const std::string& action, int64_t rule, const std::string& before,
                             const std::string& after, int status, const std::string& body);

  app::TicketService& service_;
  ports::DirectoryStore& directory_;
  // Admin changes read the current configuration, change one part and write it back:
  // one at a time, so two admins never overwrite each other's change.
  std::mutex write_mu_;
};

}  // namespace hotline::adapters::http
