// KpiApi: the KPI dashboard routes: every KPI of docs/kpi.md for a period and scope with
// breakdowns by region, unit and category and a daily trend, and the tickets behind a KPI.
// Data scope by role (app::KpiService::ScopeFor).
#pragma once

#include "adapters/http/api_module.h"
#include "adapters/http/route_table.h"
#include "app/kpi_service.h"
#include "ports/kpi_store.h"

namespace hotline::adapters::http {

class KpiApi final : public ApiModule {
 public:
  // A KPI store that also keeps the call records (SqliteStore) adds the call KPIs to the
  // centre-wide dashboard.
  KpiApi(app::TicketService& service, ports::KpiStore& store)
      : kpis_(
            store, [&service] { return service.config(); },
            dynamic_cast<ports::TelephonyStore*>(&store)) {}

  std::optional<HttpResponse> Handle(RequestContext& ctx) override;
  std::vector<RouteDoc> Routes() const override;

 private:
  using Route = RouteEntry<PlainHandler<KpiApi>>;
  // Serves the routes and documents them (route_table.h).
  static const std::vector<Route>& Table();

  HttpResponse Dashboard(RequestContext& ctx);
  // The tickets behind the KPI named by the path's second segment.
  HttpResponse Drill(RequestContext& ctx);

  app::KpiService kpis_;
};

}  // namespace hotline::adapters::http
