#include "domain/kpi/calls.h"

#include <algorithm>
#include <map>

#include "common/utf8.h"

namespace hotline::domain::kpi {

namespace {

Status Text(const char* field, const std::string& v, size_t max, bool required = false) {
  if (required && v.empty()) {
    return InvalidArgument(std::string(field) + ": 不能为空");
  }
  if (!IsValidUtf8(v)) {
    return InvalidArgument(std::string(field) + ": 不是有效的 UTF-8 文本");
  }
  if (Utf8Length(v) > max) {
    return InvalidArgument(std::string(field) + ": 超过 " + std::to_string(max) + " 个字符");
  }
  for (unsigned char c : v) {
    if (c < 0x20 || c == 0x7f) {
      return InvalidArgument(std::string(field) + ": 含有控制字符");
    }
  }
  return OkStatus();
}

int64_t Seconds(Instant a, Instant b) { return (b - a).count(); }

}  // namespace

int Stage(const CallRecord& r) {
  if (r.ended_at.has_value()) {
    return 2;
  }
  return r.answered_at.has_value() || r.abandoned ? 1 : 0;
}

Status Validate(const CallRecord& r) {
  HOTLINE_RETURN_IF_ERROR(Text("call_id", r.call_id, 64, true));
  HOTLINE_RETURN_IF_ERROR(Text("caller", r.caller, 32));
  for (char c : r.caller) {
    if (!(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '*' && c != '#') {
      return InvalidArgument("caller: 号码只能含数字和 + - * #");
    }
  }
  HOTLINE_RETURN_IF_ERROR(Text("queue", r.queue, 64));
  HOTLINE_RETURN_IF_ERROR(Text("agent", r.agent, 64));
  HOTLINE_RETURN_IF_ERROR(Text("ticket", r.ticket, 32));
  HOTLINE_RETURN_IF_ERROR(Text("channel", r.channel, 32));
  if (ToUnix(r.offered_at) <= 0) {
    return InvalidArgument("offered_at: 缺少呼入时间");
  }
  if (r.answered_at && *r.answered_at < r.offered_at) {
    return InvalidArgument("answered_at: 早于呼入时间 offered_at");
  }
  if (r.abandoned && r.answered_at) {
    return InvalidArgument("abandoned: 已接听的电话不能是放弃呼叫");
  }
  if (r.ended_at && *r.ended_at < r.answered_at.value_or(r.offered_at)) {
    return InvalidArgument("ended_at: 早于呼入或接听时间");
  }
  if (r.talk_seconds < 0) {
    return InvalidArgument("talk_seconds: 不能为负");
  }
  if (r.talk_seconds > 0 && !r.answered_at) {
    return InvalidArgument("talk_seconds: 未接听的电话没有通话时长");
  }
  if (r.answered_at && r.ended_at && r.talk_seconds > Seconds(*r.answered_at, *r.ended_at)) {
    return InvalidArgument("talk_seconds: 超过接听到结束的时长");
  }
  return OkStatus();
}

CallSums& CallSums::operator+=(const CallSums& o) {
  offered += o.offered;
  answered += o.answered;
  abandoned += o.abandoned;
  short_abandoned += o.short_abandoned;
  answered_in_target += o.answered_in_target;
  talk_seconds += o.talk_seconds;
  wait_seconds += o.wait_seconds;
  return *this;
}

CallSums Contribution(const CallRecord& r) {
  CallSums s;
  s.offered = 1;
  if (r.answered_at) {
    int64_t wait = Seconds(r.offered_at, *r.answered_at);
    s.answered = 1;
    s.answered_in_target = wait <= kAnswerTargetSeconds ? 1 : 0;
    s.wait_seconds = wait;
    s.talk_seconds = r.talk_seconds;
  } else if (r.abandoned) {
    s.abandoned = 1;
    // Without an end time the abandon's moment is unknown: not short.
    s.short_abandoned =
        r.ended_at && Seconds(r.offered_at, *r.ended_at) <= kShortAbandonSeconds ? 1 : 0;
  }
  return s;
}

CallSums Sum(const std::vector<CallRecord>& calls) {
  CallSums s;
  for (const auto& c : calls) {
    s += Contribution(c);
  }
  return s;
}

std::vector<KpiValue> CallKpis(const CallSums& s) {
  auto count = [](const char* id, const char* name, int64_t n) {
    return KpiValue{id, name, "通", static_cast<double>(n), n, std::nullopt};
  };
  auto rate = [](const char* id, const char* name, int64_t num, int64_t den) {
    double v = den > 0 ? 100.0 * static_cast<double>(num) / static_cast<double>(den) : 0;
    return KpiValue{id, name, "%", v, num, den};
  };
  auto avg = [](const char* id, const char* name, int64_t num, int64_t den) {
    double v = den > 0 ? static_cast<double>(num) / static_cast<double>(den) : 0;
    return KpiValue{id, name, "秒", v, num, den};
  };
  return {
      count("calls_offered", "呼入量", s.offered),
      count("calls_answered", "接通量", s.answered),
      count("calls_abandoned", "放弃量", s.abandoned),
      rate("effective_connection_rate", "有效接通率", s.answered, s.offered - s.short_abandoned),
      rate("answer_15s_rate", "15秒接通率", s.answered_in_target, s.answered),
      rate("abandon_rate", "呼损率", s.abandoned, s.offered),
      avg("avg_talk_seconds", "平均通话时长", s.talk_seconds, s.answered),
      avg("avg_wait_seconds", "平均等待时长", s.wait_seconds, s.answered),
  };
}

std::string_view Code(AgentState s) {
  switch (s) {
    case AgentState::kLoggedIn:
      return "logged_in";
    case AgentState::kReady:
      return "ready";
    case AgentState::kBusy:
      return "busy";
    case AgentState::kAfterCallWork:
      return "after_call_work";
    case AgentState::kLoggedOut:
      return "logged_out";
  }
  return "logged_out";
}

std::optional<AgentState> ParseAgentState(std::string_view code) {
  for (AgentState s : {AgentState::kLoggedIn, AgentState::kReady, AgentState::kBusy,
                       AgentState::kAfterCallWork, AgentState::kLoggedOut}) {
    if (Code(s) == code) {
      return s;
    }
  }
  return std::nullopt;
}

Status Validate(const AgentStateChange& c) {
  HOTLINE_RETURN_IF_ERROR(Text("agent", c.agent, 64, true));
  if (ToUnix(c.at) <= 0) {
    return InvalidArgument("at: 缺少时间");
  }
  return OkStatus();
}

namespace {

// Per agent, the spans [start, end) spent in each state within [from, to).
struct Span {
  Instant start;
  Instant end;
  AgentState state;
};

std::map<std::string, std::vector<Span>> Spans(std::vector<AgentStateChange> changes, Instant from,
                                               Instant to) {
  std::stable_sort(changes.begin(), changes.end(),
                   [](const auto& a, const auto& b) { return a.at < b.at; });
  std::map<std::string, std::vector<Span>> out;
  std::map<std::string, std::pair<Instant, AgentState>> open;
  auto close = [&](const std::string& agent, Instant until) {
    auto it = open.find(agent);
    if (it == open.end()) {
      return;
    }
    Instant s = std::max(it->second.first, from);
    Instant e = std::min(until, to);
    if (s < e) {
      out[agent].push_back({s, e, it->second.second});
    }
  };
  for (const auto& c : changes) {
    if (c.at >= to) {
      continue;
    }
    close(c.agent, c.at);
    open[c.agent] = {c.at, c.state};
  }
  for (const auto& [agent, st] : open) {
    close(agent, to);
  }
  return out;
}

}  // namespace

std::vector<SeatInterval> SeatsOnDuty(std::vector<AgentStateChange> changes, Instant from,
                                      Instant to, Duration step) {
  std::vector<SeatInterval> out;
  if (step.count() <= 0 || to <= from) {
    return out;
  }
  Instant first = FromUnix(ToUnix(from) - ToUnix(from) % step.count());
  for (Instant t = first; t < to; t += step) {
    out.push_back({t, 0});
  }
  auto spans = Spans(std::move(changes), from, to);
  for (const auto& [agent, list] : spans) {
    std::vector<bool> on(out.size(), false);
    for (const Span& sp : list) {
      if (sp.state == AgentState::kLoggedOut || sp.start >= sp.end) {
        continue;
      }
      auto a = static_cast<size_t>((sp.start - first) / step);
      auto b = static_cast<size_t>((sp.end - first - Duration{1}) / step);
      for (size_t i = a; i <= b && i < on.size(); ++i) {
        on[i] = true;
      }
    }
    for (size_t i = 0; i < on.size(); ++i) {
      out[i].agents += on[i] ? 1 : 0;
    }
  }
  return out;
}

std::vector<AgentOccupancy> Occupancy(std::vector<AgentStateChange> changes, Instant from,
                                      Instant to) {
  std::vector<AgentOccupancy> out;
  for (const auto& [agent, list] : Spans(std::move(changes), from, to)) {
    AgentOccupancy o;
    o.agent = agent;
    for (const Span& sp : list) {
      int64_t secs = Seconds(sp.start, sp.end);
      switch (sp.state) {
        case AgentState::kLoggedOut:
          break;
        case AgentState::kLoggedIn:
          o.logged_in_seconds += secs;
          break;
        case AgentState::kReady:
          o.logged_in_seconds += secs;
          o.ready_seconds += secs;
          break;
        case AgentState::kBusy:
        case AgentState::kAfterCallWork:
          o.logged_in_seconds += secs;
          o.handling_seconds += secs;
          break;
      }
    }
    int64_t den = o.ready_seconds + o.handling_seconds;
    o.occupancy =
        den > 0 ? 100.0 * static_cast<double>(o.handling_seconds) / static_cast<double>(den) : 0;
    if (o.logged_in_seconds > 0) {
      out.push_back(std::move(o));
    }
  }
  return out;
}

}  // namespace hotline::domain::kpi
