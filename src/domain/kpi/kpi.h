// KPIs of DESIGN section 5 computed from the ticket event log. The definitions live in
// docs/kpi.md; this file is their one implementation. Each event contributes counts
// ("measures") to one fact key: the local day of the event x the responsible unit x the
// ticket's category, region, type and channel. Every KPI is a ratio or a count of measure
// sums over a scope and period, so incremental aggregates and a rebuild from the log are
// both sums of the same Contributions(). Pure; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/calendar/work_calendar.h"
#include "domain/ticket.h"

namespace hotline::domain::kpi {

// Counters an event adds to. Stored by code: append only, never reorder.
enum class Measure : uint8_t {
  kReceived,           // register: a request taken (登记)
  kRejected,           // reject: 不予受理
  kAnsweredDirectly,   // answer: 即问即答/直办
  kDispatched,         // dispatch or redispatch by the dispatching authority, to the new unit
  kWrongDispatch,      // approved return to the centre, or a redispatch, against the old unit
  kSigned,             // sign
  kSignedLate,         // sign after the sign deadline
  kReplied,            // reply or province_reply
  kRepliedLate,        // reply after the reply deadline
  kHandlingMilliDays,  // working days (x1000) from the unit's dispatch to its reply
  kCallbacks,          // callback attempts (reached or not)
  kValidCallbacks,     // callbacks that reached the citizen and recorded a satisfaction
  kSatisfied,          // valid callback: 满意
  kBasicSatisfied,     // valid callback: 基本满意
  kUnsatisfied,        // valid callback: 不满意
  kResolved,           // valid callback: resolved
  kClosed,             // callback that reached the citizen: the ticket is closed (办结)
  kFirstTimeClosed,    // kClosed without any return, redispatch or re-handling before it
  kRehandled,          // rehandle
  kReturnsApproved,    // approve_return (any, to the centre or a platform)
  kExtensions,         // approve_extension
  kUrged,              // urge (by anyone)
  kAutoUrged,          // urge by the time-limit job (role system): the ticket went overdue
  kSupervised,         // supervise
  kReviewFailed,       // review_fail
  kWithdrawn,          // withdraw
  kMerged,             // merge (the merged child)
  kEscalated,          // escalate to the province
  kSubDispatched,      // sub_dispatch by a county platform
  kReturnRejected,     // reject_return: a return the unit asked for and the centre refused
};
inline constexpr size_t kMeasureCount = static_cast<size_t>(Measure::kReturnRejected) + 1;
std::string_view Code(Measure m);
std::optional<Measure> ParseMeasure(std::string_view code);

using Sums = std::array<int64_t, kMeasureCount>;

// Where a contribution is counted.
struct FactKey {
  std::string day;   // local date YYYY-MM-DD of the event
  int64_t unit = 0;  // responsible unit (0: the centre's intake, no unit)
  int64_t category = 0;
  int64_t region = 0;
  std::string type;     // request type code
  std::string channel;  // channel code
  friend auto operator<=>(const FactKey&, const FactKey&) = default;
};

struct Fact {
  FactKey key;
  Measure measure = Measure::kReceived;
  int64_t value = 1;
};

// What `event` contributes, given the ticket as it was just before it (`before`: the fold
// of every earlier event; a default Ticket for the registration). `calendar` measures
// handling time in working days.
std::vector<Fact> Contributions(const Ticket& before, const TicketEvent& event,
                                const WorkCalendar& calendar);

// The facts of a whole log (each event against the fold of the ones before it).
std::vector<Fact> ContributionsOfLog(const std::vector<TicketEvent>& events,
                                     const WorkCalendar& calendar);

// One KPI: a count (denominator absent) or a ratio of measure sums.
struct KpiValue {
  std::string id;    // "satisfaction_rate"
  std::string name;  // 满意率
  std::string unit;  // "%", "件", "工作日"
  double value = 0;  // percent for rates (0..100), the count, or the average
  int64_t numerator = 0;
  std::optional<int64_t> denominator;  // nullopt for counts
};

struct KpiDefinition {
  std::string_view id;
  std::string_view name;
  std::string_view unit;
  // The measure drilled down to for "the tickets behind the number".
  Measure drill;
};
const std::vector<KpiDefinition>& Definitions();
const KpiDefinition* FindDefinition(std::string_view id);

// Every KPI of Definitions() from the sums of a scope and period.
std::vector<KpiValue> Compute(const Sums& sums);

}  // namespace hotline::domain::kpi
