// Themes and programmes (docs/programmes.md): thematic campaigns (一季一主题) with a matching
// rule, leader hotline days (领导接线日), difficult cases (疑难件) and the quality inspection
// of agents (质检). Value types, their validation against the organisation and category
// trees, a campaign's matching rule and the QA averages and ranking. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "domain/category.h"
#include "domain/org.h"
#include "domain/ticket.h"

namespace hotline::domain::programmes {

// Limits of the validated fields (in characters unless said otherwise).
inline constexpr size_t kMaxName = 64;
inline constexpr size_t kMaxText = 500;
inline constexpr size_t kMaxKeyword = 32;
inline constexpr size_t kMaxKeywords = 50;
inline constexpr size_t kMaxListIds = 200;
inline constexpr int kMaxCampaignDays = 366;
inline constexpr size_t kMaxSheetItems = 30;
inline constexpr int kMaxItemPoints = 100;

// Whether `d` is a valid local date written YYYY-MM-DD.
bool IsDate(std::string_view d);
// Days from local date `from` to `to` (negative when `to` is earlier); both valid dates.
int64_t DaysBetween(std::string_view from, std::string_view to);

// ---------------------------------------------------------------------------------------
// Thematic campaign (一季一主题): a named theme over a period. Its tickets are those that
// match its rule (registered in the period and in one of its categories, regions, and
// containing one of its keywords: every non-empty list must match) plus those tagged by
// hand. A campaign whose three lists are empty has only hand-tagged tickets.
struct Campaign {
  int64_t id = 0;
  std::string name;
  std::string description;
  std::string from;                    // first local date, YYYY-MM-DD
  std::string to;                      // last local date, inclusive
  std::vector<CategoryId> categories;  // each with its sub-categories
  std::vector<RegionId> regions;       // each with its sub-regions
  std::vector<std::string> keywords;   // any one in the title, content or address
  std::string created_by;              // login
  Instant created_at;
  // The highest ticket id the rule has been applied to (tickets are matched once, in id
  // order; a rule change starts again from 0).
  int64_t scanned_to = 0;

  bool HasRule() const { return !categories.empty() || !regions.empty() || !keywords.empty(); }
};

// kInvalidArgument naming the field: empty or long name, bad or reversed dates, a period
// over kMaxCampaignDays, unknown categories or regions, empty/long/too many keywords.
Status Validate(const Campaign& c, const OrgTree& org, const CategoryTree& categories);
// Whether the ticket falls under the campaign's rule (false when it has no rule).
bool Matches(const Campaign& c, const Ticket& t, const OrgTree& org,
             const CategoryTree& categories);

// ---------------------------------------------------------------------------------------
// Leader hotline day (领导接线日): a leader takes calls on a date, with units present; the
// tickets taken that day are linked to it and followed until closed.
struct LeaderDay {
  int64_t id = 0;
  std::string date;    // YYYY-MM-DD
  std::string leader;  // name and title, e.g. 市住建局局长 张三
  std::string topic;
  std::vector<UnitId> units;  // units present (出席单位)
  std::string note;
  std::string created_by;
  Instant created_at;
};

// kInvalidArgument naming the field; unknown or inactive units.
Status Validate(const LeaderDay& d, const OrgTree& org);

// A linked ticket as followed: open, closed, overdue.
struct FollowedTicket {
  TicketId id;
  std::string number;
  TicketState state = TicketState::kRegistered;
  UnitId lead_unit;
  std::optional<Instant> reply_deadline;
  bool closed = false;   // no more work is owed: closed, callback done, archived, rejected...
  bool overdue = false;  // Ticket::IsOverdue at the time of the follow-up
};
FollowedTicket Follow(const Ticket& t, Instant now);
// Whether nothing more is owed on the ticket (a terminal or post-callback state).
bool IsFinished(TicketState s);

struct FollowSummary {
  int64_t total = 0;
  int64_t closed = 0;
  int64_t open = 0;
  int64_t overdue = 0;
};
FollowSummary Summarise(const std::vector<FollowedTicket>& tickets);

// ---------------------------------------------------------------------------------------
// Difficult case (疑难件): a ticket flagged by a supervisor or dispatcher with a reason and
// tracked until resolved.
struct CaseNote {
  Instant at;
  std::string by;  // login
  std::string text;
};

struct DifficultCase {
  int64_t id = 0;
  TicketId ticket;
  std::string number;  // the ticket's number (read from the ticket)
  std::string reason;
  std::string flagged_by;  // login
  Instant flagged_at;
  std::string owner;        // login of the coordinator (协调人)
  std::string next_review;  // YYYY-MM-DD or ""
  bool resolved = false;
  std::optional<Instant> resolved_at;
  std::string resolution;
  std::vector<CaseNote> notes;  // coordination notes, oldest first
};

// kInvalidArgument: empty or long reason/resolution, a bad review date, an owner who is not
// an active user.
Status Validate(const DifficultCase& c, const OrgTree& org);
// Whole days the case has been (or was, when resolved) open.
int64_t AgeDays(const DifficultCase& c, Instant now);
// Whether its next review date is before `now`'s local date and it is still open.
bool ReviewDue(const DifficultCase& c, Instant now);

// ---------------------------------------------------------------------------------------
// Quality inspection (质检) of agents: a score sheet is a list of items with their maximum
// points; an inspection scores one call or ticket of an agent on a sheet.
struct SheetItem {
  std::string name;
  int max_points = 0;
};

struct ScoreSheet {
  int64_t id = 0;
  std::string name;
  std::vector<SheetItem> items;
  bool active = true;
  std::string created_by;
  Instant created_at;

  int MaxTotal() const;
};

// kInvalidArgument: empty/long name, no or too many items, an empty or repeated item name,
// points outside 1..kMaxItemPoints.
Status Validate(const ScoreSheet& s);

enum class QaTarget : uint8_t { kCall, kTicket };
std::string_view Code(QaTarget t);
std::optional<QaTarget> ParseQaTarget(std::string_view code);

struct Inspection {
  int64_t id = 0;
  int64_t sheet = 0;
  std::string agent;  // the inspected agent's login
  QaTarget target_kind = QaTarget::kCall;
  std::string target;     // call id or ticket number
  std::string inspector;  // login
  Instant at;
  std::vector<int> scores;           // one per sheet item, 0..max
  std::vector<std::string> remarks;  // one per item ("" for none), or empty
  std::string comment;
  int total = 0;      // sum of scores
  int max_total = 0;  // the sheet's MaxTotal at the time

  // total / max_total in percent (0 when max_total is 0).
  double Percent() const;
};

// Checks the scores against `sheet` (one per item, each 0..its max), the remarks (none or
// one per item, each ≤ kMaxText) and the comment, and fills total and max_total.
// kInvalidArgument naming the item.
Status ScoreAgainst(Inspection& inspection, const ScoreSheet& sheet);
// Whether `role` is an agent whose work is inspected (话务员, 回访员).
bool IsAgentRole(Role role);

// An agent's QA over a period: the mean of the inspections' percentages.
struct AgentQa {
  std::string agent;
  int64_t inspections = 0;
  double average = 0;  // mean percent, 0..100
  int64_t points = 0;  // sum of totals
  int64_t max_points = 0;
  int rank = 0;  // 1-based; ties share a rank (1, 1, 3)
};
// Every agent's average over `inspections`, best first (ties by login), ranked.
std::vector<AgentQa> RankAgents(const std::vector<Inspection>& inspections);

}  // namespace hotline::domain::programmes
