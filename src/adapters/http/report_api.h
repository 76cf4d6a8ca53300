// ReportApi: the unit assessment and the reports for the city government over HTTP:
// GET /api/v1/assessment?period=2024-03|2024Q1 (centre roles: every unit; a unit's staff:
// its own score and rank) and GET /api/v1/reports/{daily|weekly|monthly|theme}?date=
// &format=html|xlsx|pdf[&category=|&campaign=][&from=&to=] (leaders, supervisors, inspectors,
// admins; a campaign's report also needs the right to view campaigns).
#pragma once

#include <memory>

#include "adapters/http/api_module.h"
#include "adapters/http/route_table.h"
#include "app/report_service.h"
#include "ports/directory_store.h"
#include "ports/kpi_store.h"

namespace hotline::adapters::http {

class ReportApi final : public ApiModule {
 public:
  // The assessment scheme is read from `directory`'s `assessment_scheme` setting per request.
  ReportApi(app::TicketService& service, ports::KpiStore& kpis, ports::DirectoryStore& directory);

  std::optional<HttpResponse> Handle(RequestContext& ctx) override;
  std::vector<RouteDoc> Routes() const override;

  // Thematic reports can then be made for a campaign (`campaign=ID`), read through a
  // ProgrammeService of its own over these stores. Call before serving.
  void EnableCampaigns(ports::ProgrammeStore& store, ports::TicketStore& tickets,
                       const ports::Clock& clock);

  // Reports then carry the text hot topics. Call before serving.
  void SetHotTopicProvider(app::HotTopicProvider provider) {
    reports_.SetHotTopicProvider(std::move(provider));
  }

 private:
  using Route = RouteEntry<PlainHandler<ReportApi>>;
  // Serves the routes and documents them (route_table.h).
  static const std::vector<Route>& Table();

  HttpResponse Assessment(RequestContext& ctx);
  // The report of the kind named by the path's second segment.
  HttpResponse Report(RequestContext& ctx);

  app::AssessmentService assessments_;
  app::ReportService reports_;
  app::TicketService& service_;
  std::unique_ptr<app::ProgrammeService> programmes_;
};

}  // namespace hotline::adapters::http
