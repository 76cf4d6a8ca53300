// Time-limit policies of the hotline (DESIGN section 3): for every request type and urgency,
// how long a unit has to sign for (签收) a dispatched ticket, to reply (答复), and when to
// remind it before the reply limit; plus the helpers that turn a policy into deadlines on a
// WorkCalendar and keep the clock paused while a ticket is suspended (挂起).
// TimeLimitPolicies is a value type: thread-compatible, and safe to share once built.
// The defaults and the text format are documented in docs/time_limits.md.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/time.h"
#include "domain/calendar/work_calendar.h"
#include "domain/types.h"

namespace hotline::domain {

struct TimeLimitPolicy {
  RequestType type = RequestType::kConsultation;
  Urgency urgency = Urgency::kNormal;
  TimeLimit sign;                 // from dispatch to 签收
  TimeLimit reply;                // from dispatch to 答复 (not from signing: slow signing costs)
  TimeLimit remind_before_reply;  // remind the unit this long before the reply deadline; 0 = off
  friend bool operator==(const TimeLimitPolicy&, const TimeLimitPolicy&) = default;
};

// The full table: one policy for each of the 6 request types x 3 urgencies.
class TimeLimitPolicies {
 public:
  // The shipped defaults (docs/time_limits.md explains each figure).
  static TimeLimitPolicies Defaults();

  // Parses lines of
  //   <type> <urgency> <sign> <reply> <remind>     e.g.  complaint normal 2wh 10wd 1wd
  // where type/urgency are codes or Chinese names (投诉 普通) and limits are as in
  // ParseTimeLimit. '#' starts a comment. Lines override Defaults(), so a file may list only
  // what differs. kInvalidArgument naming the line on a malformed line, an unknown type or
  // urgency, a policy Set() refuses, or a (type, urgency) given twice.
  static Result<TimeLimitPolicies> Parse(std::string_view text);
  // Every policy, one line each; Parse(Serialise()) yields an equal table.
  std::string Serialise() const;

  // By value (it is small), so that Defaults().For(...) cannot dangle.
  TimeLimitPolicy For(RequestType type, Urgency urgency) const;
  // Replaces the policy of (policy.type, policy.urgency). kInvalidArgument if the sign or
  // reply amount is 0 (a limit that is due at once is a mistake, not a policy).
  Status Set(const TimeLimitPolicy& policy);

  friend bool operator==(const TimeLimitPolicies&, const TimeLimitPolicies&) = default;

 private:
  static constexpr size_t kUrgencies = std::size(kAllUrgencies);
  static constexpr size_t kSize = std::size(kAllRequestTypes) * kUrgencies;
  static size_t Index(RequestType type, Urgency urgency);

  std::array<TimeLimitPolicy, kSize> table_{};
};

// The deadlines of one dispatched ticket.
struct TicketDeadlines {
  Instant sign_by;
  Instant reply_by;
  std::optional<Instant> remind_at;  // nullopt when the policy has no reminder
  friend bool operator==(const TicketDeadlines&, const TicketDeadlines&) = default;
};

// Sign and reply deadlines counted from `dispatched_at`; the reminder is the latest instant
// that leaves `remind_before_reply` of working time before the reply deadline, but never
// before `dispatched_at`.
TicketDeadlines ComputeDeadlines(const WorkCalendar& calendar, const TimeLimitPolicy& policy,
                                 Instant dispatched_at);

// The deadline once a suspension (挂起) from `paused_at` to `resumed_at` is over: the clock
// stops at `paused_at` and restarts at `resumed_at` with the working time that was left
// (measured on the clock of `unit`). A suspension that starts at or after the deadline does
// not move it (the ticket was already overdue), nor does an empty one (resumed <= paused).
Instant ExtendForPause(const WorkCalendar& calendar, Instant deadline, Instant paused_at,
                       Instant resumed_at, LimitUnit unit);

// Working time left before `deadline` at `now` on the clock of `unit` (0 once overdue).
// A ticket is overdue at `now` exactly when now > deadline.
Duration Remaining(const WorkCalendar& calendar, Instant deadline, Instant now, LimitUnit unit);

}  // namespace hotline::domain
