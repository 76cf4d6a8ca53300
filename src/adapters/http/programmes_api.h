// ProgrammesApi: themes and programmes (docs/programmes.md) — thematic campaigns with their
// tickets and indicators (/campaigns), leader hotline days with their tickets followed until
// closed (/leader-days), difficult cases (/difficult-cases) and the quality inspection of
// agents (/qa/sheets, /qa/inspections, /qa/ranking). Handlers parse and check the JSON
// (unknown fields and wrong types are refused), call app::ProgrammeService, which checks
// roles and validates before anything is written, and audit every change. Thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "adapters/http/api_module.h"
#include "adapters/http/route_table.h"
#include "app/programme_service.h"
#include "common/result.h"
#include "ports/clock.h"
#include "ports/programme_store.h"
#include "ports/ticket_store.h"

namespace hotline::adapters::http {

class ProgrammesApi final : public ApiModule {
 public:
  ProgrammesApi(app::TicketService& service, ports::ProgrammeStore& store,
                ports::TicketStore& tickets, const ports::Clock& clock)
      : programmes_(store, tickets, clock, [&service] { return service.config(); }) {}

  std::optional<HttpResponse> Handle(RequestContext& ctx) override;
  std::vector<RouteDoc> Routes() const override;

 private:
  // What a route's path names: the id of the campaign, leader day, case or sheet, and the
  // ticket number after it.
  struct PathArgs {
    int64_t id = 0;
    std::string number;
  };
  using Handler = Result<HttpResponse> (ProgrammesApi::*)(RequestContext&, const PathArgs&);
  using Route = RouteEntry<Handler>;
  // Serves the routes and documents them (route_table.h).
  static const std::vector<Route>& Table();

  // The handlers: an error becomes the API's error shape in Handle.
  Result<HttpResponse> Campaigns(RequestContext& ctx, const PathArgs& args);
  Result<HttpResponse> CreateCampaign(RequestContext& ctx, const PathArgs& args);
  Result<HttpResponse> GetCampaign(RequestContext& ctx, const PathArgs& args);
  Result<HttpResponse> UpdateCampaign(RequestContext& ctx, const PathArgs& args);
  Result<HttpResponse> DeleteCampaign(RequestContext& ctx, const PathArgs& args);
  Result<HttpResponse> Indicators(RequestContext& ctx, const PathArgs& args);
  Result<HttpResponse> CampaignTickets(RequestContext& ctx, const PathArgs& args);
  Result<HttpResponse> TagTickets(RequestContext& ctx, const PathArgs& args);
  Result<HttpResponse> UntagTicket(RequestContext& ctx, const PathArgs& args);

  Result<HttpResponse> LeaderDays(RequestContext& ctx, const PathArgs& args);
  Result<HttpResponse> CreateLeaderDay(RequestContext& ctx, const PathArgs& args);
  Result<HttpResponse> GetLeaderDay(RequestContext& ctx, const PathArgs& args);
  Result<HttpResponse> UpdateLeaderDay(RequestContext& ctx, const PathArgs& args);
  Result<HttpResponse> DeleteLeaderDay(RequestContext& ctx, const PathArgs& args);
  Result<HttpResponse> LinkTicket(RequestContext& ctx, const PathArgs& args);
  Result<HttpResponse> UnlinkTicket(RequestContext& ctx, const PathArgs& args);

  Result<HttpResponse> DifficultCases(RequestContext& ctx, const PathArgs& args);
  Result<HttpResponse> FlagDifficult(RequestContext& ctx, const PathArgs& args);
  Result<HttpResponse> GetDifficult(RequestContext& ctx, const PathArgs& args);
  Result<HttpResponse> UpdateDifficult(RequestContext& ctx, const PathArgs& args);

  Result<HttpResponse> Sheets(RequestContext& ctx, const PathArgs& args);
  Result<HttpResponse> CreateSheet(RequestContext& ctx, const PathArgs& args);
  Result<HttpResponse> UpdateSheet(RequestContext& ctx, const PathArgs& args);
  Result<HttpResponse> Inspections(RequestContext& ctx, const PathArgs& args);
  Result<HttpResponse> Inspect(RequestContext& ctx, const PathArgs& args);
  Result<HttpResponse> Ranking(RequestContext& ctx, const PathArgs& args);

  app::ProgrammeService programmes_;
};

}  // namespace hotline::adapters::http
