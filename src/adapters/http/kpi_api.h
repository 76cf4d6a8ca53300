// KpiApi: the KPI dashboard routes: every KPI of docs/kpi.md for a period and scope with
// breakdowns by region, unit and category and a daily trend, and the tickets behind a KPI.
// Data scope by role (app::KpiService::ScopeFor).
#pragma once

#include "adapters/http/api_module.h"
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
  HttpResponse Dashboard(RequestContext& ctx);
  HttpResponse Drill(RequestContext& ctx, const std::string& kpi);

  app::KpiService kpis_;
};

}  // namespace hotline::adapters::http
