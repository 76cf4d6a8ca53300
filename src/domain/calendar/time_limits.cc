#include "domain/calendar/time_limits.h"

#include <algorithm>
#include <vector>

namespace hotline::domain {
namespace {

constexpr TimeLimit WorkingDays(int n) { return {LimitUnit::kWorkingDays, n}; }
constexpr TimeLimit WorkingHours(int n) { return {LimitUnit::kWorkingHours, n}; }
constexpr TimeLimit NaturalHours(int n) { return {LimitUnit::kNaturalHours, n}; }

// 普通 reply limits by type, in working days (docs/time_limits.md, "Defaults").
int NormalReplyDays(RequestType type) {
  switch (type) {
    case RequestType::kConsultation:
      return 2;
    case RequestType::kHelp:
      return 5;
    case RequestType::kComplaint:
      return 10;
    case RequestType::kReport:
    case RequestType::kSuggestion:
      return 15;
    case RequestType::kPraise:
      return 5;
  }
  return 10;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::vector<std::string_view> Tokens(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    size_t end = s.find_first_of(" \t");
    out.push_back(s.substr(0, end));
    s = end == std::string_view::npos ? std::string_view{} : Trim(s.substr(end));
  }
  return out;
}

Error LineError(int line, const std::string& what) {
  return InvalidArgument("policy line " + std::to_string(line) + ": " + what);
}

}  // namespace

size_t TimeLimitPolicies::Index(RequestType type, Urgency urgency) {
  return static_cast<size_t>(type) * kUrgencies + static_cast<size_t>(urgency);
}

TimeLimitPolicies TimeLimitPolicies::Defaults() {
  TimeLimitPolicies p;
  for (RequestType type : kAllRequestTypes) {
    p.table_[Index(type, Urgency::kNormal)] = {type, Urgency::kNormal, WorkingHours(2),
                                               WorkingDays(NormalReplyDays(type)), WorkingDays(1)};
    p.table_[Index(type, Urgency::kUrgent)] = {type, Urgency::kUrgent, WorkingHours(1),
                                               WorkingDays(1), WorkingHours(2)};
    p.table_[Index(type, Urgency::kCritical)] = {type, Urgency::kCritical, NaturalHours(1),
                                                 NaturalHours(24), NaturalHours(4)};
  }
  return p;
}

TimeLimitPolicy TimeLimitPolicies::For(RequestType type, Urgency urgency) const {
  return table_[Index(type, urgency)];
}

Status TimeLimitPolicies::Set(const TimeLimitPolicy& policy) {
  std::string which =
      std::string(ChineseName(policy.type)) + "/" + std::string(ChineseName(policy.urgency));
  if (policy.sign.amount <= 0 || policy.reply.amount <= 0 ||
      policy.remind_before_reply.amount < 0) {
    return InvalidArgument("time limits of " + which +
                           " must be positive (the reminder may be 0 = none)");
  }
  table_[Index(policy.type, policy.urgency)] = policy;
  return OkStatus();
}

Result<TimeLimitPolicies> TimeLimitPolicies::Parse(std::string_view text) {
  TimeLimitPolicies policies = Defaults();
  std::array<int, kSize> line_of{};  // 0 = not given in the text
  int line_no = 0;
  while (!text.empty()) {
    ++line_no;
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (size_t hash = line.find('#'); hash != std::string_view::npos) {
      line = line.substr(0, hash);
    }
    std::vector<std::string_view> tokens = Tokens(Trim(line));
    if (tokens.empty()) {
      continue;
    }
    if (tokens.size() != 5) {
      return LineError(line_no,
                       "expected '<type> <urgency> <sign> <reply> <remind>', e.g. "
                       "'complaint normal 2wh 10wd 1wd'");
    }
    auto type = ParseRequestType(tokens[0]);
    if (!type) {
      return LineError(line_no, "unknown request type '" + std::string(tokens[0]) + "'");
    }
    auto urgency = ParseUrgency(tokens[1]);
    if (!urgency) {
      return LineError(line_no, "unknown urgency '" + std::string(tokens[1]) + "'");
    }
    TimeLimitPolicy policy{*type, *urgency, {}, {}, {}};
    TimeLimit* fields[] = {&policy.sign, &policy.reply, &policy.remind_before_reply};
    for (size_t i = 0; i < std::size(fields); ++i) {
      auto limit = ParseTimeLimit(tokens[2 + i]);
      if (!limit) {
        return LineError(line_no, limit.error().message);
      }
      *fields[i] = *limit;
    }
    size_t index = Index(*type, *urgency);
    if (line_of[index] != 0) {
      return LineError(line_no, std::string(Code(*type)) + " " + std::string(Code(*urgency)) +
                                    " is already given on line " + std::to_string(line_of[index]));
    }
    line_of[index] = line_no;
    if (Status s = policies.Set(policy); !s) {
      return LineError(line_no, s.error().message);
    }
  }
  return policies;
}

std::string TimeLimitPolicies::Serialise() const {
  std::string out =
      "# Time-limit policies (format: docs/time_limits.md)\n"
      "# type urgency sign reply remind_before_reply\n";
  for (const TimeLimitPolicy& p : table_) {
    out += std::string(Code(p.type)) + " " + std::string(Code(p.urgency)) + " " +
           FormatTimeLimit(p.sign) + " " + FormatTimeLimit(p.reply) + " " +
           FormatTimeLimit(p.remind_before_reply) + "\n";
  }
  return out;
}

TicketDeadlines ComputeDeadlines(const WorkCalendar& calendar, const TimeLimitPolicy& policy,
                                 Instant dispatched_at) {
  TicketDeadlines d;
  d.sign_by = calendar.Deadline(dispatched_at, policy.sign);
  d.reply_by = calendar.Deadline(dispatched_at, policy.reply);
  if (policy.remind_before_reply.amount > 0) {
    Instant remind = calendar.Rewind(d.reply_by, LimitDuration(policy.remind_before_reply),
                                     policy.remind_before_reply.unit);
    d.remind_at = std::max(remind, dispatched_at);
  }
  return d;
}

Instant ExtendForPause(const WorkCalendar& calendar, Instant deadline, Instant paused_at,
                       Instant resumed_at, LimitUnit unit) {
  if (paused_at >= deadline || resumed_at <= paused_at) {
    return deadline;
  }
  Duration left = calendar.Elapsed(paused_at, deadline, unit);
  // max: when no working time was left (a deadline set in off hours), resuming must not pull
  // the deadline earlier than it was.
  return std::max(deadline, calendar.Advance(resumed_at, left, unit));
}

Duration Remaining(const WorkCalendar& calendar, Instant deadline, Instant now, LimitUnit unit) {
  return calendar.Elapsed(now, deadline, unit);
}

}  // namespace hotline::domain
