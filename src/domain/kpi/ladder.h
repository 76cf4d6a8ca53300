// The time-limit escalation ladder (催办/督办阶梯): which steps the deadline job takes on a
// ticket that is near or past its reply deadline, and when. Each step is keyed by its code
// and the deadline it chases, so that it fires once per deadline (a new deadline after an
// extension, a resume or a re-handling starts a new round). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/calendar/time_limits.h"
#include "domain/calendar/work_calendar.h"
#include "domain/ticket.h"

namespace hotline::domain::kpi {

enum class StepKind : uint8_t {
  kRemind,     // a note before the deadline (the policy's remind_before_reply)
  kUrge,       // 催办 by the system
  kSupervise,  // 督办 with a level (1: county platform, 2: city supervisor, 3: leaders)
};
std::string_view Code(StepKind k);

struct LadderStep {
  std::string code;  // unique in the ladder, e.g. "overdue", "supervise1"
  StepKind kind = StepKind::kUrge;
  TimeLimit after;  // working time after the reply deadline (ignored for kRemind)
  int level = 0;    // kSupervise only
  friend bool operator==(const LadderStep&, const LadderStep&) = default;
};

class DeadlineLadder {
 public:
  // remind (policy) → overdue: urge at the deadline → supervise1 (+2wd, level 1, the county
  // platform) → supervise2 (+5wd, level 2, the city supervisor).
  static DeadlineLadder Defaults();
  // One step a line: `<code> <remind|urge|supervise> <after> [level]`, e.g.
  // `supervise1 supervise 2wd 1`; '#' comments. Replaces the defaults entirely.
  // kInvalidArgument naming the line.
  static Result<DeadlineLadder> Parse(std::string_view text);
  std::string Serialise() const;
  const std::vector<LadderStep>& steps() const { return steps_; }

 private:
  std::vector<LadderStep> steps_;
};

struct DueStep {
  LadderStep step;
  std::string key;  // "<code>@<deadline unix seconds>": unique per ticket
  Instant due_at;
  Instant deadline;
};

// The steps due at `now` on `t`, in ladder order: only while a unit owes the reply
// (dispatched, signed, return requested; never suspended) and only steps whose action the
// ticket's state allows. A reminder is due from its time until the deadline (after it, the
// overdue steps take over, so a late job never reminds about a passed deadline); an
// `after` step is due once `now` is past deadline + after (strictly past for 0).
std::vector<DueStep> DueSteps(const Ticket& t, const DeadlineLadder& ladder,
                              const WorkCalendar& calendar, const TimeLimitPolicies& policies,
                              Instant now);

}  // namespace hotline::domain::kpi
