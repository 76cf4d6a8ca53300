// ProgrammeStore port: thematic campaigns and their tickets, leader hotline days and their
// tickets, difficult cases with their coordination notes, QA score sheets and inspections
// (docs/programmes.md), and a campaign's KPI sums read from the KPI facts. Every write is
// one transaction: all of it or nothing. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "domain/kpi/kpi.h"
#include "domain/programmes/programmes.h"

namespace hotline::ports {

/// A ticket's membership of a campaign.
struct CampaignTicket {
  int64_t ticket_id = 0;
  std::string number;
  bool manual = false;  ///< tagged by hand (else matched by the rule)
};

struct DifficultFilter {
  std::optional<bool> resolved;  ///< nullopt: both
  std::string owner;             ///< "" for any
  std::optional<domain::TicketId> ticket;
};

struct InspectionFilter {
  std::string from;   ///< local date of the inspection, inclusive ("" for any)
  std::string to;     ///< inclusive ("" for any)
  std::string agent;  ///< "" for any
  int64_t after_id = 0;
  int limit = 1000;
};

class ProgrammeStore {
 public:
  virtual ~ProgrammeStore() = default;

  // Campaigns.
  /// Stores a new campaign and returns its id. kAlreadyExists if the name is taken.
  virtual Result<int64_t> CreateCampaign(const domain::programmes::Campaign& c) = 0;
  /// Replaces a campaign's fields. With `rule_changed`, the tickets the old rule matched are
  /// dropped and scanned_to reset (hand-tagged ones stay). kNotFound; kAlreadyExists (name).
  virtual Status UpdateCampaign(const domain::programmes::Campaign& c, bool rule_changed) = 0;
  /// Deletes a campaign and its memberships. kNotFound.
  virtual Status DeleteCampaign(int64_t id) = 0;
  virtual Result<domain::programmes::Campaign> FindCampaign(int64_t id) = 0;
  virtual Result<std::vector<domain::programmes::Campaign>> ListCampaigns() = 0;
  /// Adds tickets to a campaign (already members stay as they are, except that a manual tag
  /// marks a rule member manual) and, when `scanned_to` is larger than the stored one, moves
  /// it on. kNotFound for an unknown campaign.
  virtual Status AddCampaignTickets(int64_t campaign, const std::vector<int64_t>& ticket_ids,
                                    bool manual, int64_t scanned_to) = 0;
  /// Removes a hand-tagged or matched ticket; it is not matched again by the rule (kept as
  /// excluded). kNotFound if it is not a member.
  virtual Status RemoveCampaignTicket(int64_t campaign, int64_t ticket_id) = 0;
  /// Members by ticket id after `after_id`, at most `limit`.
  virtual Result<std::vector<CampaignTicket>> CampaignTickets(int64_t campaign, int64_t after_id,
                                                              int limit) = 0;
  virtual Result<int64_t> CampaignTicketCount(int64_t campaign) = 0;
  /// KPI measure sums of the campaign's tickets over [from, to] (local dates), from the KPI
  /// facts written with the events (docs/kpi.md).
  virtual Result<domain::kpi::Sums> CampaignSums(int64_t campaign, const std::string& from,
                                                 const std::string& to) = 0;

  // Leader hotline days.
  virtual Result<int64_t> CreateLeaderDay(const domain::programmes::LeaderDay& d) = 0;
  virtual Status UpdateLeaderDay(const domain::programmes::LeaderDay& d) = 0;
  /// Deletes the day and its ticket links. kNotFound.
  virtual Status DeleteLeaderDay(int64_t id) = 0;
  virtual Result<domain::programmes::LeaderDay> FindLeaderDay(int64_t id) = 0;
  /// Days with from <= date <= to ("" for open ends), by date.
  virtual Result<std::vector<domain::programmes::LeaderDay>> ListLeaderDays(
      const std::string& from, const std::string& to) = 0;
  /// kAlreadyExists if the ticket is already linked to this day; kNotFound for the day.
  virtual Status LinkLeaderDayTicket(int64_t day, int64_t ticket_id) = 0;
  /// kNotFound if not linked.
  virtual Status UnlinkLeaderDayTicket(int64_t day, int64_t ticket_id) = 0;
  /// Linked ticket ids, in linking order.
  virtual Result<std::vector<int64_t>> LeaderDayTickets(int64_t day) = 0;

  // Difficult cases.
  /// kAlreadyExists if the ticket already has an unresolved case.
  virtual Result<int64_t> CreateDifficultCase(const domain::programmes::DifficultCase& c) = 0;
  /// Replaces the tracking fields (owner, next_review, resolved, resolution) and appends
  /// `new_notes`, in one transaction. kNotFound.
  virtual Status UpdateDifficultCase(
      const domain::programmes::DifficultCase& c,
      const std::vector<domain::programmes::CaseNote>& new_notes) = 0;
  /// With its notes.
  virtual Result<domain::programmes::DifficultCase> FindDifficultCase(int64_t id) = 0;
  /// Without notes, oldest flag first.
  virtual Result<std::vector<domain::programmes::DifficultCase>> ListDifficultCases(
      const DifficultFilter& filter) = 0;

  // Quality inspection.
  /// kAlreadyExists if the name is taken.
  virtual Result<int64_t> CreateSheet(const domain::programmes::ScoreSheet& s) = 0;
  /// Replaces name, items and active. kNotFound; kFailedPrecondition if the items change
  /// while inspections use the sheet.
  virtual Status UpdateSheet(const domain::programmes::ScoreSheet& s) = 0;
  virtual Result<domain::programmes::ScoreSheet> FindSheet(int64_t id) = 0;
  virtual Result<std::vector<domain::programmes::ScoreSheet>> ListSheets() = 0;
  virtual Result<int64_t> CreateInspection(const domain::programmes::Inspection& i) = 0;
  virtual Result<std::vector<domain::programmes::Inspection>> ListInspections(
      const InspectionFilter& filter) = 0;
  /// The agent recorded on the call `call_id` ("" when none); kNotFound for an unknown call.
  virtual Result<std::string> CallAgent(const std::string& call_id) = 0;
};

}  // namespace hotline::ports
