// ProgrammesApi: themes and programmes (docs/programmes.md) — thematic campaigns with their
// tickets and indicators (/campaigns), leader hotline days with their tickets followed until
// closed (/leader-days), difficult cases (/difficult-cases) and the quality inspection of
// agents (/qa/sheets, /qa/inspections, /qa/ranking). Handlers parse and check the JSON
// (unknown fields and wrong types are refused), call app::ProgrammeService, which checks
// roles and validates before anything is written, and audit every change. Thread-safe.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "adapters/http/api_module.h"
#include "app/programme_service.h"
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
  HttpResponse Campaigns(RequestContext& ctx);
  HttpResponse CreateCampaign(RequestContext& ctx);
  HttpResponse GetCampaign(RequestContext& ctx, int64_t id);
  HttpResponse UpdateCampaign(RequestContext& ctx, int64_t id);
  HttpResponse DeleteCampaign(RequestContext& ctx, int64_t id);
  HttpResponse Indicators(RequestContext& ctx, int64_t id);
  HttpResponse CampaignTickets(RequestContext& ctx, int64_t id);
  HttpResponse TagTickets(RequestContext& ctx, int64_t id);
  HttpResponse UntagTicket(RequestContext& ctx, int64_t id, const std::string& number);

  HttpResponse LeaderDays(RequestContext& ctx);
  HttpResponse CreateLeaderDay(RequestContext& ctx);
  HttpResponse GetLeaderDay(RequestContext& ctx, int64_t id);
  HttpResponse UpdateLeaderDay(RequestContext& ctx, int64_t id);
  HttpResponse DeleteLeaderDay(RequestContext& ctx, int64_t id);
  HttpResponse LinkTicket(RequestContext& ctx, int64_t id);
  HttpResponse UnlinkTicket(RequestContext& ctx, int64_t id, const std::string& number);

  HttpResponse DifficultCases(RequestContext& ctx);
  HttpResponse FlagDifficult(RequestContext& ctx);
  HttpResponse GetDifficult(RequestContext& ctx, int64_t id);
  HttpResponse UpdateDifficult(RequestContext& ctx, int64_t id);

  HttpResponse Sheets(RequestContext& ctx);
  HttpResponse CreateSheet(RequestContext& ctx);
  HttpResponse UpdateSheet(RequestContext& ctx, int64_t id);
  HttpResponse Inspections(RequestContext& ctx);
  HttpResponse Inspect(RequestContext& ctx);
  HttpResponse Ranking(RequestContext& ctx);

  app::ProgrammeService programmes_;
};

}  // namespace hotline::adapters::http
