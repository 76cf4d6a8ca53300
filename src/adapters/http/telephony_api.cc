#include "adapters/http/telephony_api.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "adapters/http/api_support.h"
#include "domain/fields.h"
#include "domain/privacy.h"

namespace hotline::adapters::http {

using domain::Role;
using domain::kpi::AgentStateChange;
using domain::kpi::CallRecord;
using nlohmann::json;

namespace {

constexpr size_t kMaxBatch = 5000;
constexpr int64_t kMaxPeriodDays = 366;

bool MaySend(Role r) { return r == Role::kSystem || r == Role::kAdmin; }

bool MayRead(Role r) {
  return r == Role::kLeader || r == Role::kSupervisor || r == Role::kInspector ||
         r == Role::kAdmin || r == Role::kDispatcher;
}

// Dispatchers and supervisors call citizens back and need the number; the others see it masked.
bool SeesCaller(Role r) { return r == Role::kDispatcher || r == Role::kSupervisor; }

Error FieldError(const std::string& prefix, const std::string& msg) {
  return InvalidArgument(prefix + msg);
}

Result<std::string> Str(const json& o, const char* k, const std::string& prefix) {
  auto it = o.find(k);
  if (it == o.end() || it->is_null()) {
    return std::string();
  }
  if (!it->is_string()) {
    return FieldError(prefix, fmt::format("{}: 应为字符串", k));
  }
  return it->get<std::string>();
}

Result<std::optional<Instant>> Time(const json& o, const char* k, const std::string& prefix) {
  HOTLINE_ASSIGN_OR_RETURN(std::string s, Str(o, k, prefix));
  if (s.empty()) {
    return std::optional<Instant>{};
  }
  auto t = ParseInstant(s);
  if (!t) {
    return FieldError(prefix, fmt::format("{}: 时间格式应为 YYYY-MM-DDTHH:MM:SS+08:00", k));
  }
  return std::optional<Instant>{*t};
}

Status OnlyKeys(const json& o, std::initializer_list<const char*> keys, const std::string& prefix) {
  for (auto it = o.begin(); it != o.end(); ++it) {
    bool known = false;
    for (const char* k : keys) {
      known = known || it.key() == k;
    }
    if (!known) {
      return FieldError(prefix, fmt::format("{}: 未知字段", it.key()));
    }
  }
  return OkStatus();
}

}  // namespace

Result<CallRecord> ParseCallJson(const json& o, const std::string& prefix) {
  if (!o.is_object()) {
    return FieldError(prefix, "应为对象");
  }
  HOTLINE_RETURN_IF_ERROR(
      OnlyKeys(o,
               {"call_id", "caller", "queue", "offered_at", "answered_at", "ended_at", "abandoned",
                "agent", "talk_seconds", "ticket", "channel"},
               prefix));
  CallRecord r;
  HOTLINE_ASSIGN_OR_RETURN(r.call_id, Str(o, "call_id", prefix));
  HOTLINE_ASSIGN_OR_RETURN(r.caller, Str(o, "caller", prefix));
  HOTLINE_ASSIGN_OR_RETURN(r.queue, Str(o, "queue", prefix));
  HOTLINE_ASSIGN_OR_RETURN(r.agent, Str(o, "agent", prefix));
  HOTLINE_ASSIGN_OR_RETURN(r.ticket, Str(o, "ticket", prefix));
  HOTLINE_ASSIGN_OR_RETURN(r.channel, Str(o, "channel", prefix));
  HOTLINE_ASSIGN_OR_RETURN(auto offered, Time(o, "offered_at", prefix));
  if (!offered) {
    return FieldError(prefix, "offered_at: 必填");
  }
  r.offered_at = *offered;
  HOTLINE_ASSIGN_OR_RETURN(r.answered_at, Time(o, "answered_at", prefix));
  HOTLINE_ASSIGN_OR_RETURN(r.ended_at, Time(o, "ended_at", prefix));
  if (auto it = o.find("abandoned"); it != o.end() && !it->is_null()) {
    if (!it->is_boolean()) {
      return FieldError(prefix, "abandoned: 应为 true 或 false");
    }
    r.abandoned = it->get<bool>();
  }
  if (auto it = o.find("talk_seconds"); it != o.end() && !it->is_null()) {
    if (!it->is_number_integer()) {
      return FieldError(prefix, "talk_seconds: 应为整数");
    }
    r.talk_seconds = it->get<int64_t>();
  } else if (r.answered_at && r.ended_at) {
    r.talk_seconds = (*r.ended_at - *r.answered_at).count();
  }
  if (Status st = domain::kpi::Validate(r); !st.has_value()) {
    return FieldError(prefix, st.error().message);
  }
  return r;
}

Result<AgentStateChange> ParseAgentStateJson(const json& o, const std::string& prefix) {
  if (!o.is_object()) {
    return FieldError(prefix, "应为对象");
  }
  HOTLINE_RETURN_IF_ERROR(OnlyKeys(o, {"agent", "state", "at"}, prefix));
  AgentStateChange c;
  HOTLINE_ASSIGN_OR_RETURN(c.agent, Str(o, "agent", prefix));
  HOTLINE_ASSIGN_OR_RETURN(std::string state, Str(o, "state", prefix));
  auto s = domain::kpi::ParseAgentState(state);
  if (!s) {
    return FieldError(prefix,
                      "state: 应为 logged_in、ready、busy、after_call_work 或 logged_out 之一");
  }
  c.state = *s;
  HOTLINE_ASSIGN_OR_RETURN(auto at, Time(o, "at", prefix));
  if (!at) {
    return FieldError(prefix, "at: 必填");
  }
  c.at = *at;
  if (Status st = domain::kpi::Validate(c); !st.has_value()) {
    return FieldError(prefix, st.error().message);
  }
  return c;
}

namespace {

// One record, or {"<list>": [...]}: each parsed; the first error names the record and field.
template <typename T, typename Parse>
Result<std::vector<T>> ParseBatch(const HttpRequest& req, const char* list, Parse parse) {
  HOTLINE_ASSIGN_OR_RETURN(json body, ParseBody(req));
  std::vector<T> out;
  if (auto it = body.find(list); it != body.end()) {
    if (body.size() != 1) {
      return InvalidArgument(fmt::format("批量提交时只能有字段 {}", list));
    }
    if (!it->is_array() || it->empty()) {
      return InvalidArgument(fmt::format("{}: 应为非空数组", list));
    }
    if (it->size() > kMaxBatch) {
      return InvalidArgument(fmt::format("{}: 一次最多 {} 条", list, kMaxBatch));
    }
    for (size_t i = 0; i < it->size(); ++i) {
      HOTLINE_ASSIGN_OR_RETURN(T v, parse((*it)[i], fmt::format("{}[{}].", list, i)));
      out.push_back(std::move(v));
    }
  } else {
    HOTLINE_ASSIGN_OR_RETURN(T v, parse(body, std::string()));
    out.push_back(std::move(v));
  }
  return out;
}

HttpResponse CountsJson(const ports::UpsertCounts& c) {
  return Json(c.inserted > 0 ? 201 : 200,
              {{"inserted", c.inserted}, {"updated", c.updated}, {"unchanged", c.unchanged}});
}

// The period [from 00:00, to + 1 day 00:00) of ?from=&to= (local dates; default: today).
Result<std::pair<Instant, Instant>> Period(const RequestContext& ctx) {
  auto get = [&](const char* k) {
    auto it = ctx.query.find(k);
    return it == ctx.query.end() || it->second.empty() ? FormatLocalDate(ctx.now) : it->second;
  };
  std::string from = get("from");
  std::string to = get("to");
  auto f = from.size() == 10 ? ParseInstant(from) : std::nullopt;
  if (!f) {
    return InvalidArgument("参数 from 应为日期 YYYY-MM-DD");
  }
  auto t = to.size() == 10 ? ParseInstant(to) : std::nullopt;
  if (!t) {
    return InvalidArgument("参数 to 应为日期 YYYY-MM-DD");
  }
  Instant end = *t + std::chrono::hours(24);
  if (end <= *f) {
    return InvalidArgument("参数 to 早于 from");
  }
  if (end - *f > std::chrono::hours(24 * kMaxPeriodDays)) {
    return InvalidArgument(fmt::format("期间最长 {} 天", kMaxPeriodDays));
  }
  return std::pair{*f, end};
}

json OptTime(const std::optional<Instant>& t) { return t ? json(FormatLocal(*t)) : json(nullptr); }

}  // namespace

const std::vector<TelephonyApi::Route>& TelephonyApi::Table() {
  using T = TelephonyApi;
  static const std::vector<Route> table = {
      {{"post", "/api/v1/telephony/calls",
        "话务系统推送通话记录（单条或 {\"calls\":[...]} 批量，按 call_id 幂等，整批成功或整批拒绝；"
        "system 或 admin）",
        true},
       &T::PostCalls},
      {{"post", "/api/v1/telephony/agent-states",
        "话务系统推送坐席状态变化（单条或 {\"states\":[...]} 批量，幂等；system 或 admin）", true},
       &T::PostAgentStates},
      {{"get", "/api/v1/telephony/kpi",
        "话务指标：from, to (YYYY-MM-DD), agent；有效接通率、15秒接通率等（含分子分母），"
        "每半小时在岗坐席数，坐席占用率（中心角色）",
        true},
       &T::Kpi},
      {{"get", "/api/v1/telephony/calls",
        "通话记录下钻：from, to, agent, after（游标）, limit（中心角色）", true},
       &T::Calls},
  };
  return table;
}

std::vector<RouteDoc> TelephonyApi::Routes() const { return RouteDocs(Table()); }

std::optional<HttpResponse> TelephonyApi::Handle(RequestContext& ctx) {
  return ServeRoute(*this, Table(), ctx);
}

HttpResponse TelephonyApi::PostCalls(RequestContext& ctx) {
  if (!MaySend(ctx.actor.role)) {
    return Forbidden("只有话务系统接口用户或系统管理员可以推送通话记录");
  }
  auto calls = ParseBatch<CallRecord>(ctx.req, "calls", ParseCallJson);
  if (!calls.has_value()) {
    return FromError(calls.error());
  }
  std::set<std::string> ids;
  for (size_t i = 0; i < calls->size(); ++i) {
    if (!ids.insert((*calls)[i].call_id).second) {
      return BadRequest(fmt::format("calls[{}].call_id: 同一批中重复: {}", i, (*calls)[i].call_id));
    }
  }
  auto counts = store_.PutCalls(*calls);
  if (!counts.has_value()) {
    return FromError(counts.error());
  }
  return CountsJson(*counts);
}

HttpResponse TelephonyApi::PostAgentStates(RequestContext& ctx) {
  if (!MaySend(ctx.actor.role)) {
    return Forbidden("只有话务系统接口用户或系统管理员可以推送坐席状态");
  }
  auto states = ParseBatch<AgentStateChange>(ctx.req, "states", ParseAgentStateJson);
  if (!states.has_value()) {
    return FromError(states.error());
  }
  auto counts = store_.PutAgentStates(*states);
  if (!counts.has_value()) {
    return FromError(counts.error());
  }
  return CountsJson(*counts);
}

HttpResponse TelephonyApi::Kpi(RequestContext& ctx) {
  if (!MayRead(ctx.actor.role)) {
    return Forbidden("话务指标只对中心角色开放");
  }
  auto period = Period(ctx);
  if (!period.has_value()) {
    return FromError(period.error());
  }
  auto [from, to] = *period;
  std::string agent = ctx.query.count("agent") ? ctx.query.at("agent") : "";
  auto sums = store_.CallSumsBetween(from, to, agent);
  if (!sums.has_value()) {
    return FromError(sums.error());
  }
  auto changes = store_.AgentStatesBetween(from, to);
  if (!changes.has_value()) {
    return FromError(changes.error());
  }
  json kpis = json::array();
  for (const auto& v : domain::kpi::CallKpis(*sums)) {
    kpis.push_back({{"id", v.id},
                    {"name", v.name},
                    {"value", std::round(v.value * 100) / 100},
                    {"numerator", v.numerator},
                    {"denominator", v.denominator ? json(*v.denominator) : json(nullptr)},
                    {"unit", v.unit}});
  }
  json seats = json::array();
  for (const auto& s : domain::kpi::SeatsOnDuty(*changes, from, to)) {
    seats.push_back({{"interval", FormatLocal(s.start)}, {"agents", s.agents}});
  }
  json agents = json::array();
  for (const auto& o : domain::kpi::Occupancy(std::move(*changes), from, to)) {
    if (!agent.empty() && o.agent != agent) {
      continue;
    }
    agents.push_back({{"agent", o.agent},
                      {"logged_in_seconds", o.logged_in_seconds},
                      {"ready_seconds", o.ready_seconds},
                      {"handling_seconds", o.handling_seconds},
                      {"occupancy", std::round(o.occupancy * 100) / 100}});
  }
  return Json(200, {{"from", FormatLocalDate(from)},
                    {"to", FormatLocalDate(to - std::chrono::hours(24))},
                    {"kpis", kpis},
                    {"seats", seats},
                    {"agents", agents}});
}

HttpResponse TelephonyApi::Calls(RequestContext& ctx) {
  if (!MayRead(ctx.actor.role)) {
    return Forbidden("通话记录只对中心角色开放");
  }
  auto period = Period(ctx);
  if (!period.has_value()) {
    return FromError(period.error());
  }
  ports::CallQuery q;
  q.from = period->first;
  q.to = period->second;
  if (auto it = ctx.query.find("agent"); it != ctx.query.end()) {
    q.agent = it->second;
  }
  if (auto it = ctx.query.find("after"); it != ctx.query.end()) {
    auto v = domain::ParseInt64(it->second);
    if (!v.has_value() || *v < 0) {
      return BadRequest("参数 after 应为非负整数");
    }
    q.after = *v;
  }
  if (auto it = ctx.query.find("limit"); it != ctx.query.end()) {
    auto v = domain::ParseInt64(it->second);
    if (!v.has_value() || *v < 1 || *v > 1000) {
      return BadRequest("参数 limit 应为 1-1000");
    }
    q.limit = static_cast<int>(*v);
  }
  auto page = store_.ListCalls(q);
  if (!page.has_value()) {
    return FromError(page.error());
  }
  bool sees = SeesCaller(ctx.actor.role);
  json calls = json::array();
  for (const auto& c : *page) {
    const CallRecord& r = c.record;
    calls.push_back({{"id", c.id},
                     {"call_id", r.call_id},
                     {"caller", sees ? r.caller : domain::MaskPhone(r.caller)},
                     {"queue", r.queue},
                     {"offered_at", FormatLocal(r.offered_at)},
                     {"answered_at", OptTime(r.answered_at)},
                     {"ended_at", OptTime(r.ended_at)},
                     {"abandoned", r.abandoned},
                     {"agent", r.agent},
                     {"talk_seconds", r.talk_seconds},
                     {"ticket", r.ticket},
                     {"channel", r.channel}});
  }
  json body{{"calls", calls}};
  body["next_after"] =
      static_cast<int>(page->size()) == q.limit ? json(page->back().id) : json(nullptr);
  return Json(200, body);
}

}  // namespace hotline::adapters::http
