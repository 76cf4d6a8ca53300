#include "domain/kpi/ladder.h"

#include <fmt/format.h>

#include <set>
#include <sstream>

#include "domain/lifecycle.h"

namespace hotline::domain::kpi {

std::string_view Code(StepKind k) {
  switch (k) {
    case StepKind::kRemind:
      return "remind";
    case StepKind::kUrge:
      return "urge";
    case StepKind::kSupervise:
      return "supervise";
  }
  return "urge";
}

DeadlineLadder DeadlineLadder::Defaults() {
  DeadlineLadder l;
  l.steps_ = {
      {"remind", StepKind::kRemind, {LimitUnit::kWorkingDays, 0}, 0},
      {"overdue", StepKind::kUrge, {LimitUnit::kWorkingDays, 0}, 0},
      {"supervise1", StepKind::kSupervise, {LimitUnit::kWorkingDays, 2}, 1},
      {"supervise2", StepKind::kSupervise, {LimitUnit::kWorkingDays, 5}, 2},
  };
  return l;
}

Result<DeadlineLadder> DeadlineLadder::Parse(std::string_view text) {
  DeadlineLadder l;
  std::istringstream in{std::string(text)};
  std::string line;
  int n = 0;
  std::set<std::string> codes;
  while (std::getline(in, line)) {
    ++n;
    if (auto hash = line.find('#'); hash != std::string::npos) {
      line.resize(hash);
    }
    std::istringstream words(line);
    std::string code, kind, after;
    if (!(words >> code)) {
      continue;
    }
    int level = 0;
    words >> kind >> after >> level;
    LadderStep step;
    step.code = code;
    if (kind == "remind") {
      step.kind = StepKind::kRemind;
    } else if (kind == "urge") {
      step.kind = StepKind::kUrge;
    } else if (kind == "supervise") {
      step.kind = StepKind::kSupervise;
    } else {
      return InvalidArgument(fmt::format("第 {} 行：未知的步骤类型“{}”", n, kind));
    }
    if (after.empty()) {
      after = "0wd";
    }
    auto limit = ParseTimeLimit(after);
    if (!limit.has_value() && after.starts_with('0')) {
      limit = TimeLimit{LimitUnit::kWorkingDays, 0};
    }
    if (!limit.has_value()) {
      return InvalidArgument(fmt::format("第 {} 行：时限“{}”无效", n, after));
    }
    step.after = *limit;
    if (step.kind == StepKind::kSupervise && (level < 1 || level > 3)) {
      return InvalidArgument(fmt::format("第 {} 行：督办级别应为 1-3", n));
    }
    step.level = step.kind == StepKind::kSupervise ? level : 0;
    if (!codes.insert(code).second) {
      return InvalidArgument(fmt::format("第 {} 行：步骤“{}”重复", n, code));
    }
    l.steps_.push_back(std::move(step));
  }
  return l;
}

std::string DeadlineLadder::Serialise() const {
  std::string out;
  for (const LadderStep& s : steps_) {
    out += fmt::format("{} {} {}", s.code, Code(s.kind), FormatTimeLimit(s.after));
    if (s.kind == StepKind::kSupervise) {
      out += fmt::format(" {}", s.level);
    }
    out += '\n';
  }
  return out;
}

std::vector<DueStep> DueSteps(const Ticket& t, const DeadlineLadder& ladder,
                              const WorkCalendar& calendar, const TimeLimitPolicies& policies,
                              Instant now) {
  std::vector<DueStep> out;
  if (!t.reply_deadline ||
      (t.state != TicketState::kDispatched && t.state != TicketState::kSigned &&
       t.state != TicketState::kReturnRequested)) {
    return out;
  }
  const Instant deadline = *t.reply_deadline;
  for (const LadderStep& step : ladder.steps()) {
    Action action = step.kind == StepKind::kRemind ? Action::kNote
                    : step.kind == StepKind::kUrge ? Action::kUrge
                                                   : Action::kSupervise;
    if (!IsAllowedIn(action, t.state)) {
      continue;
    }
    Instant due_at = deadline;
    bool due = false;
    if (step.kind == StepKind::kRemind) {
      TimeLimit remind = policies.For(t.type, t.urgency).remind_before_reply;
      if (remind.amount == 0) {
        continue;
      }
      due_at = calendar.Rewind(deadline, LimitDuration(remind), remind.unit);
      if (t.dispatched_at && due_at < *t.dispatched_at) {
        due_at = *t.dispatched_at;
      }
      due = now >= due_at && now <= deadline;
    } else if (step.after.amount == 0) {
      due = now > deadline;
    } else {
      due_at = calendar.Advance(deadline, LimitDuration(step.after), step.after.unit);
      due = now >= due_at;
    }
    if (due) {
      out.push_back({step, fmt::format("{}@{}", step.code, ToUnix(deadline)), due_at, deadline});
    }
  }
  return out;
}

}  // namespace hotline::domain::kpi
