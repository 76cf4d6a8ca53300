// Call KPIs (话务指标) from call detail records and agent states sent by the telephony system
// (pure). Definitions: docs/kpi.md, section "Call KPIs"; this file follows it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "domain/kpi/kpi.h"

namespace hotline::domain::kpi {

// A call abandoned by the caller within this many seconds of being offered is a short
// abandon (misdial, hang-up during the greeting): excluded from the effective connection rate.
inline constexpr int64_t kShortAbandonSeconds = 5;
// The 15-second answer rate's target.
inline constexpr int64_t kAnswerTargetSeconds = 15;

// One call detail record (CDR) as the telephony system reports it. The record for a call id
// may be sent several times as the call progresses (offered, then answered, then ended).
struct CallRecord {
  std::string call_id;
  std::string caller;  // the calling number
  std::string queue;   // queue / skill group
  Instant offered_at{};
  std::optional<Instant> answered_at;
  std::optional<Instant> ended_at;
  bool abandoned = false;  // the caller hung up before an agent answered
  std::string agent;       // agent login that answered
  int64_t talk_seconds = 0;
  std::string ticket;   // linked ticket number, "" when none
  std::string channel;  // the line the call came in on ("12345", a hot line, ...)

  bool operator==(const CallRecord&) const = default;
};

// Completeness of a record: 0 offered only, 1 answered or abandoned, 2 ended. A record whose
// stage is below the stored one's is an out-of-order resend and is ignored.
int Stage(const CallRecord& r);

// Checks a record; the error names the field ("answered_at: ...").
Status Validate(const CallRecord& r);

// What calls contribute to the call KPIs (summed over the calls of a period).
struct CallSums {
  int64_t offered = 0;
  int64_t answered = 0;
  int64_t abandoned = 0;
  int64_t short_abandoned = 0;     // abandoned within kShortAbandonSeconds
  int64_t answered_in_target = 0;  // answered within kAnswerTargetSeconds
  int64_t talk_seconds = 0;        // of answered calls
  int64_t wait_seconds = 0;        // offered → answered, of answered calls

  CallSums& operator+=(const CallSums& o);
  bool operator==(const CallSums&) const = default;
};

// One call's contribution.
CallSums Contribution(const CallRecord& r);
CallSums Sum(const std::vector<CallRecord>& calls);

// The call KPIs (ids: calls_offered, calls_answered, calls_abandoned,
// effective_connection_rate, answer_15s_rate, abandon_rate, avg_talk_seconds,
// avg_wait_seconds) with numerator and denominator.
std::vector<KpiValue> CallKpis(const CallSums& s);

enum class AgentState : uint8_t { kLoggedIn, kReady, kBusy, kAfterCallWork, kLoggedOut };
std::string_view Code(AgentState s);  // "logged_in", "ready", "busy", "after_call_work", ...
std::optional<AgentState> ParseAgentState(std::string_view code);

struct AgentStateChange {
  std::string agent;
  AgentState state = AgentState::kLoggedIn;
  Instant at{};
  bool operator==(const AgentStateChange&) const = default;
};

Status Validate(const AgentStateChange& c);

struct SeatInterval {
  Instant start{};
  int64_t agents = 0;  // distinct agents logged in at some moment of the interval
};

// Seats on duty per `step` interval of [from, to) (intervals aligned on `step` from the
// epoch; 30 minutes aligns on local half hours). `changes`: each agent's last change before
// `from` and every change in [from, to); any order (sorted by time, stable).
std::vector<SeatInterval> SeatsOnDuty(std::vector<AgentStateChange> changes, Instant from,
                                      Instant to, Duration step = std::chrono::minutes(30));

struct AgentOccupancy {
  std::string agent;
  int64_t logged_in_seconds = 0;  // not logged out
  int64_t ready_seconds = 0;
  int64_t handling_seconds = 0;  // busy + after-call work
  double occupancy = 0;          // percent: handling / (ready + handling)
};

// Each agent's time in [from, to) by state and occupancy, sorted by agent.
std::vector<AgentOccupancy> Occupancy(std::vector<AgentStateChange> changes, Instant from,
                                      Instant to);

}  // namespace hotline::domain::kpi
