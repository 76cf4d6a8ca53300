// ProgrammeService: the use cases of themes and programmes (docs/programmes.md) — thematic
// campaigns with their tickets and indicators (the KPI engine's measures of their tickets),
// leader hotline days with their tickets followed until closed, difficult cases, and the
// quality inspection of agents. Checks who may do what (roles), validates everything before
// anything is written, and reads tickets through the TicketStore. Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/ticket_service.h"
#include "common/result.h"
#include "domain/kpi/kpi.h"
#include "domain/programmes/programmes.h"
#include "ports/clock.h"
#include "ports/programme_store.h"
#include "ports/ticket_store.h"

namespace hotline::app {

struct CampaignSummary {
  domain::programmes::Campaign campaign;
  int64_t tickets = 0;
};

struct CampaignIndicators {
  domain::programmes::Campaign campaign;
  std::string from;  // the measured period (default: the campaign's)
  std::string to;
  int64_t tickets = 0;                      // members now
  std::vector<domain::kpi::KpiValue> kpis;  // every ticket KPI of docs/kpi.md
};

// Ids of the KPIs a campaign shows first: volume, on-time completion, satisfaction,
// resolution.
const std::vector<std::string>& CampaignHeadlineKpis();

struct CampaignTicketView {
  ports::CampaignTicket member;
  domain::programmes::FollowedTicket followed;
};

struct CampaignTicketPage {
  std::vector<CampaignTicketView> tickets;
  int64_t next_after = 0;  // 0 on the last page
};

struct LeaderDayView {
  domain::programmes::LeaderDay day;
  std::vector<domain::programmes::FollowedTicket> tickets;
  domain::programmes::FollowSummary summary;
};

struct DifficultCaseView {
  domain::programmes::DifficultCase c;
  int64_t age_days = 0;
  bool review_due = false;
  std::optional<domain::programmes::FollowedTicket> ticket;
};

// A change to a difficult case; absent fields stay.
struct CaseUpdate {
  std::optional<std::string> owner;
  std::optional<std::string> next_review;
  std::optional<std::string> note;        // appended as a coordination note
  std::optional<std::string> resolution;  // resolves the case with this text
};

struct QaRanking {
  std::string from;
  std::string to;
  std::vector<domain::programmes::AgentQa> agents;
  int64_t ranked = 0;  // agents in the whole ranking (an agent sees only his own row)
};

class ProgrammeService {
 public:
  ProgrammeService(ports::ProgrammeStore& store, ports::TicketStore& tickets,
                   const ports::Clock& clock,
                   std::function<std::shared_ptr<const HotlineConfig>()> config)
      : store_(store), tickets_(tickets), clock_(clock), config_(std::move(config)) {}
  ProgrammeService(const ProgrammeService&) = delete;
  ProgrammeService& operator=(const ProgrammeService&) = delete;

  // Campaigns. Viewing: leader, supervisor, inspector, dispatcher, admin; managing: leader,
  // supervisor, admin; tagging tickets: also the dispatcher. kPermissionDenied otherwise.
  Result<std::vector<CampaignSummary>> Campaigns(const domain::Actor& actor);
  Result<CampaignSummary> FindCampaign(const domain::Actor& actor, int64_t id);
  // kInvalidArgument (domain validation); kAlreadyExists for a taken name.
  Result<domain::programmes::Campaign> CreateCampaign(const domain::Actor& actor,
                                                      domain::programmes::Campaign c);
  // Replaces the editable fields (id, created_by/at and scanned_to are kept); a changed
  // period or rule re-matches the tickets.
  Result<domain::programmes::Campaign> UpdateCampaign(const domain::Actor& actor,
                                                      domain::programmes::Campaign c);
  Status DeleteCampaign(const domain::Actor& actor, int64_t id);
  // Applies the rule to the tickets registered since the last scan; returns how many new
  // tickets matched.
  Result<int64_t> RefreshCampaign(int64_t id);
  // Tags tickets by number (at most 500): kNotFound naming an unknown number, and then
  // nothing is tagged.
  Status TagTickets(const domain::Actor& actor, int64_t id,
                    const std::vector<std::string>& numbers);
  // Removes a ticket from the campaign (the rule will not add it again). kNotFound.
  Status UntagTicket(const domain::Actor& actor, int64_t id, const std::string& number);
  Result<CampaignTicketPage> CampaignTickets(const domain::Actor& actor, int64_t id, int64_t after,
                                             int limit);
  // The KPIs of the campaign's tickets over [from, to] ("" = the campaign's period).
  // kInvalidArgument for bad dates, a reversed period or one over 3 years.
  Result<CampaignIndicators> Indicators(const domain::Actor& actor, int64_t id,
                                        const std::string& from, const std::string& to);

  // Leader hotline days. Viewing and linking tickets: leader, supervisor, inspector,
  // dispatcher, operator, admin; scheduling: leader, supervisor, admin.
  Result<std::vector<domain::programmes::LeaderDay>> LeaderDays(const domain::Actor& actor,
                                                                const std::string& from,
                                                                const std::string& to);
  Result<LeaderDayView> LeaderDayDetail(const domain::Actor& actor, int64_t id);
  Result<domain::programmes::LeaderDay> CreateLeaderDay(const domain::Actor& actor,
                                                        domain::programmes::LeaderDay d);
  // kFailedPrecondition when the date changes while tickets are linked.
  Result<domain::programmes::LeaderDay> UpdateLeaderDay(const domain::Actor& actor,
                                                        domain::programmes::LeaderDay d);
  Status DeleteLeaderDay(const domain::Actor& actor, int64_t id);
  // Links a ticket registered on the day's date (kInvalidArgument otherwise); kNotFound for
  // an unknown day or number; kAlreadyExists when linked already.
  Status LinkTicket(const domain::Actor& actor, int64_t id, const std::string& number);
  Status UnlinkTicket(const domain::Actor& actor, int64_t id, const std::string& number);

  // Difficult cases. Flagging and updating: supervisor, dispatcher, admin; viewing: also
  // leader and inspector. Units may neither.
  // kNotFound for the number; kFailedPrecondition for a finished ticket; kAlreadyExists if
  // it has an open case.
  Result<domain::programmes::DifficultCase> FlagDifficult(const domain::Actor& actor,
                                                          const std::string& number,
                                                          domain::programmes::DifficultCase c);
  // kFailedPrecondition on a resolved case.
  Result<domain::programmes::DifficultCase> UpdateDifficult(const domain::Actor& actor, int64_t id,
                                                            const CaseUpdate& update);
  Result<DifficultCaseView> FindDifficult(const domain::Actor& actor, int64_t id);
  Result<std::vector<DifficultCaseView>> DifficultCases(const domain::Actor& actor,
                                                        const ports::DifficultFilter& filter);

  // Quality inspection. Sheets: managed by inspectors and admins, seen by centre roles and
  // agents. Inspections: made by inspectors; seen by inspectors, supervisors, leaders and
  // admins, and by an agent (operator, callback agent) for himself only.
  Result<std::vector<domain::programmes::ScoreSheet>> Sheets(const domain::Actor& actor);
  Result<domain::programmes::ScoreSheet> CreateSheet(const domain::Actor& actor,
                                                     domain::programmes::ScoreSheet s);
  Result<domain::programmes::ScoreSheet> UpdateSheet(const domain::Actor& actor,
                                                     domain::programmes::ScoreSheet s);
  // Fills the agent from the call or ticket when absent. kNotFound for the sheet, call or
  // ticket; kFailedPrecondition for an inactive sheet; kInvalidArgument for scores, an agent
  // who is not an agent, or one different from the call's.
  Result<domain::programmes::Inspection> Inspect(const domain::Actor& actor,
                                                 domain::programmes::Inspection i);
  Result<std::vector<domain::programmes::Inspection>> Inspections(const domain::Actor& actor,
                                                                  ports::InspectionFilter filter);
  // Every agent's average and rank over [from, to]; an agent gets only his own row.
  Result<QaRanking> Ranking(const domain::Actor& actor, const std::string& from,
                            const std::string& to);

 private:
  std::string LoginOf(const domain::Actor& actor) const;
  Result<domain::Ticket> TicketByNumber(const std::string& number);

  ports::ProgrammeStore& store_;
  ports::TicketStore& tickets_;
  const ports::Clock& clock_;
  std::function<std::shared_ptr<const HotlineConfig>()> config_;
  std::mutex refresh_mu_;  // one rule scan at a time
};

}  // namespace hotline::app
