#include "adapters/http/core_api.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "adapters/http/api_support.h"
#include "adapters/http/http_server.h"
#include "adapters/json/ticket_json.h"
#include "domain/fields.h"
#include "domain/lifecycle.h"
#include "domain/privacy.h"

namespace hotline::adapters::http {

using nlohmann::json;
namespace codec = hotline::adapters::json;

namespace {

bool IsUnitRole(const domain::Actor& a) {
  return a.role == domain::Role::kUnitHandler || a.role == domain::Role::kUnitAdmin;
}

// "YYYY-MM-DD" (local midnight) or a full local time; `end_of_day` moves a plain date to
// the next midnight so that ?to=2024-10-09 includes that day.
Result<Instant> ParseDateParam(const std::string& name, const std::string& value, bool end_of_day) {
  std::string v = value;
  bool date_only = v.size() == 10;
  if (date_only) {
    v += " 00:00:00";
  }
  auto t = ParseInstant(v);
  if (!t.has_value()) {
    return InvalidArgument(
        fmt::format("参数 {} 应为日期 YYYY-MM-DD 或时间 YYYY-MM-DD HH:MM:SS: {}", name, value));
  }
  return date_only && end_of_day ? *t + std::chrono::hours(24) : *t;
}

}  // namespace

std::vector<domain::TicketState> OwedStates() {
  return {domain::TicketState::kDispatched, domain::TicketState::kSigned,
          domain::TicketState::kReturnRequested};
}

const std::vector<CoreApi::Route>& CoreApi::Table() {
  using C = CoreApi;
  static const std::vector<Route> table = {
      {{"get", "/api/v1/me", "当前用户", true}, &C::Me},
      {{"post", "/api/v1/tickets", "登记工单", true}, &C::Register},
      {{"get", "/api/v1/tickets",
        "工单列表：state, type, category, region, unit, text, phone, from, to, due_before, "
        "overdue 过滤；sort=newest|oldest；after 游标分页（按数据范围）",
        true},
       &C::List},
      {{"get", "/api/v1/tickets/{number}", "工单详情及全部历史", true}, &C::Show},
      {{"post", "/api/v1/tickets/{number}/actions/{action}", "对工单执行办理操作", true}, &C::Act},
      {{"get", "/api/v1/queues/{queue}",
        "本单位工作队列：to_sign / in_progress / due_soon / overdue；limit（默认 100）与 after "
        "游标分页",
        true},
       &C::Queue},
      {{"get", "/api/v1/org/units", "组织机构（单位）", true}, &C::Units},
      {{"get", "/api/v1/org/regions", "行政区划", true}, &C::Regions},
      {{"get", "/api/v1/categories", "诉求分类", true}, &C::Categories},
      {{"get", "/api/v1/routing/suggest", "派单目录建议的承办单位", true}, &C::SuggestUnit},
  };
  return table;
}

std::vector<RouteDoc> CoreApi::Routes() const { return RouteDocs(Table()); }

std::string CoreApi::MetricsText() {
  std::string out;
  auto summary = tickets_.Summary();
  if (summary.has_value()) {
    out += "# HELP hotline_tickets Tickets by state.\n# TYPE hotline_tickets gauge\n";
    for (const auto& [state, n] : summary->by_state) {
      out += fmt::format("hotline_tickets{{state=\"{}\"}} {}\n", domain::Code(state), n);
    }
  }
  ports::TicketFilter f;
  f.states = OwedStates();
  f.reply_deadline_before =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  if (auto n = tickets_.Count(f); n.has_value()) {
    out += "# HELP hotline_tickets_overdue Open tickets past their reply deadline.\n";
    out += "# TYPE hotline_tickets_overdue gauge\n";
    out += fmt::format("hotline_tickets_overdue {}\n", *n);
  }
  return out;
}

std::optional<HttpResponse> CoreApi::Handle(RequestContext& ctx) {
  const auto& parts = ctx.parts;
  const bool tickets = !parts.empty() && parts[0] == "tickets";
  if (tickets && parts.size() == 2 &&
      (parts[1] == "similar" || parts[1] == "clusters" ||
       parts[1].find('.') != std::string::npos)) {
    return std::nullopt;  // other modules' routes (similar tickets, exports)
  }
  if (auto response = ServeRoute(*this, Table(), ctx)) {
    return response;
  }
  if (tickets && parts.size() <= 4) {
    return ErrorResponse(405, "method_not_allowed",
                         "不支持的方法: " + ctx.method() + " " + ctx.path);
  }
  return std::nullopt;
}

HttpResponse CoreApi::Me(RequestContext& ctx) {
  const domain::Unit* unit = ctx.config->org.FindUnit(ctx.actor.unit);
  return Json(200, {{"login", ctx.login},
                    {"name", ctx.actor.name},
                    {"role", domain::Code(ctx.actor.role)},
                    {"role_name", domain::ChineseName(ctx.actor.role)},
                    {"unit", ctx.actor.unit.value()},
                    {"unit_name", unit != nullptr ? unit->name : ""}});
}

HttpResponse CoreApi::Units(RequestContext& ctx) {
  json arr = json::array();
  for (const auto& u : ctx.config->org.units()) {
    arr.push_back({{"id", u.id.value()},
                   {"code", u.code},
                   {"name", u.name},
                   {"level", domain::Code(u.level)},
                   {"kind", domain::Code(u.kind)},
                   {"parent", u.parent.value()},
                   {"region", u.region.value()}});
  }
  return Json(200, {{"units", arr}});
}

HttpResponse CoreApi::Regions(RequestContext& ctx) {
  json arr = json::array();
  for (const auto& r : ctx.config->org.regions()) {
    arr.push_back({{"id", r.id.value()},
                   {"code", r.code},
                   {"name", r.name},
                   {"level", domain::Code(r.level)},
                   {"parent", r.parent.value()}});
  }
  return Json(200, {{"regions", arr}});
}

HttpResponse CoreApi::Categories(RequestContext& ctx) {
  const auto& categories = ctx.config->categories;
  json arr = json::array();
  for (const auto& c : categories.all()) {
    arr.push_back({{"id", c.id.value()},
                   {"name", c.name},
                   {"parent", c.parent.value()},
                   {"level", c.level},
                   {"path", categories.PathOf(c.id)}});
  }
  return Json(200, {{"categories", arr}});
}

HttpResponse CoreApi::SuggestUnit(RequestContext& ctx) {
  const auto& org = ctx.config->org;
  auto cat = domain::ParseInt64(ctx.query["category"]);
  auto region = domain::ParseInt64(ctx.query["region"]);
  if (!cat.has_value() || !region.has_value()) {
    return BadRequest("需要整数参数 category 和 region");
  }
  auto s = service_.SuggestUnit(domain::CategoryId{*cat}, domain::RegionId{*region});
  if (!s.has_value()) {
    return FromError(s.error());
  }
  const domain::Unit* u = org.FindUnit(s->lead_unit);
  json co = json::array();
  for (auto id : s->co_units) {
    const domain::Unit* cu = org.FindUnit(id);
    co.push_back({{"id", id.value()}, {"name", cu != nullptr ? cu->name : ""}});
  }
  return Json(200, {{"lead_unit", s->lead_unit.value()},
                    {"lead_unit_name", u != nullptr ? u->name : ""},
                    {"co_units", co},
                    {"fallback", s->fallback},
                    {"explanation", s->explanation}});
}

HttpResponse CoreApi::Register(RequestContext& ctx) {
  auto body = ParseBody(ctx.req);
  if (!body.has_value()) {
    return FromError(body.error());
  }
  auto fields = codec::FieldsFromJson(*body);
  if (!fields.has_value()) {
    return FromError(fields.error());
  }
  auto t = service_.Register(ctx.actor, *fields);
  if (!t.has_value()) {
    return FromError(t.error());
  }
  ctx.audit("ticket.register", t->number, "");
  return Json(201, TicketJson(*t, ctx.actor, *ctx.config, ctx.now));
}

std::optional<HttpResponse> TicketFilterFromQuery(RequestContext& ctx, ports::TicketFilter& f) {
  auto& q = ctx.query;
  if (auto it = q.find("state"); it != q.end() && !it->second.empty()) {
    // One state or several separated by commas.
    size_t pos = 0;
    while (pos <= it->second.size()) {
      size_t end = it->second.find(',', pos);
      std::string code = it->second.substr(pos, end == std::string::npos ? end : end - pos);
      auto st = domain::ParseTicketState(code);
      if (!st) {
        return BadRequest("未知状态: " + code);
      }
      f.states.push_back(*st);
      if (end == std::string::npos) {
        break;
      }
      pos = end + 1;
    }
  }
  for (const char* key : {"after", "limit", "unit", "category", "region"}) {
    auto it = q.find(key);
    if (it == q.end() || it->second.empty()) {
      continue;
    }
    auto v = domain::ParseInt64(it->second);
    if (!v.has_value() || *v < 0) {
      return BadRequest(fmt::format("参数 {} 应为非负整数", key));
    }
    std::string_view k = key;
    if (k == "after") {
      f.after_id = *v;
    } else if (k == "limit") {
      f.limit = static_cast<int>(std::clamp<int64_t>(*v, 1, 500));
    } else if (k == "unit") {
      f.unit = domain::UnitId{*v};
    } else if (k == "category") {
      f.category = domain::CategoryId{*v};
    } else {
      f.region = domain::RegionId{*v};
    }
  }
  if (auto it = q.find("type"); it != q.end() && !it->second.empty()) {
    auto type = domain::ParseRequestType(it->second);
    if (!type) {
      return BadRequest("未知诉求类型: " + it->second);
    }
    f.type = *type;
  }
  for (const char* key : {"from", "to", "due_before"}) {
    auto it = q.find(key);
    if (it == q.end() || it->second.empty()) {
      continue;
    }
    auto t = ParseDateParam(key, it->second, std::string_view(key) != "from");
    if (!t.has_value()) {
      return FromError(t.error());
    }
    std::string_view k = key;
    (k == "from" ? f.created_from : k == "to" ? f.created_to : f.reply_deadline_before) = *t;
  }
  if (f.reply_deadline_before && f.states.empty()) {
    f.states = OwedStates();
  }
  if (auto it = q.find("sort"); it != q.end() && !it->second.empty()) {
    if (it->second != "newest" && it->second != "oldest") {
      return BadRequest("参数 sort 应为 newest 或 oldest");
    }
    f.newest_first = it->second == "newest";
  }
  f.text = q["text"];
  f.citizen_phone = q["phone"];
  if (q.contains("overdue")) {
    f.reply_deadline_before = ctx.now;
    f.states = OwedStates();
  }
  // Units only ever list within their own scope.
  if (IsUnitRole(ctx.actor)) {
    if (f.unit && *f.unit != ctx.actor.unit) {
      return Forbidden("只能查看本单位的工单");
    }
    f.unit = ctx.actor.unit;
  }
  return std::nullopt;
}

HttpResponse CoreApi::List(RequestContext& ctx) {
  const auto& config = *ctx.config;
  ports::TicketFilter f;
  if (auto bad = TicketFilterFromQuery(ctx, f)) {
    return std::move(*bad);
  }
  auto list = service_.List(f);
  if (!list.has_value()) {
    return FromError(list.error());
  }
  json arr = json::array();
  std::string personal;
  for (const auto& t : *list) {
    if (domain::MayView(ctx.actor, t, config.org)) {
      arr.push_back(TicketJson(t, ctx.actor, config, ctx.now));
      if (ReadsPersonalData(ctx.actor, t)) {
        personal += (personal.empty() ? "" : ",") + t.number;
      }
    }
  }
  if (!personal.empty()) {
    ctx.audit("personal_data.read", "list", personal);
  }
  bool more = static_cast<int>(list->size()) == f.limit;
  return Json(200, {{"tickets", arr},
                    {"next_after", more ? json(list->back().id.value()) : json(nullptr)}});
}

HttpResponse CoreApi::Show(RequestContext& ctx) {
  auto view = service_.Show(ctx.parts[1]);
  if (!view.has_value()) {
    return FromError(view.error());
  }
  const domain::Ticket& ticket = view->ticket;
  // Another unit's ticket is answered as if it did not exist.
  if (!domain::MayView(ctx.actor, ticket, ctx.config->org)) {
    return NotFoundResponse("工单不存在: " + ctx.parts[1]);
  }
  json j = TicketJson(ticket, ctx.actor, *ctx.config, ctx.now);
  if (ReadsPersonalData(ctx.actor, ticket)) {
    ctx.audit("personal_data.read", ticket.number, "ticket");
  }
  json h = json::array();
  // The registration event carries the citizen's data: mask it as the ticket is.
  domain::Ticket shown = domain::ForViewer(ctx.actor, ticket);
  for (auto e : view->history) {
    for (auto [key, value] : {std::pair{"citizen_phone", &shown.citizen_phone},
                              std::pair{"citizen_name", &shown.citizen_name}}) {
      if (e.fields.contains(key)) {
        e.fields[key] = *value;
      }
    }
    h.push_back(codec::EventToJson(e));
  }
  j["history"] = h;
  return Json(200, j);
}

HttpResponse CoreApi::Act(RequestContext& ctx) {
  const auto& parts = ctx.parts;
  auto action = domain::ParseAction(parts[3]);
  if (!action || *action == domain::Action::kRegister || *action == domain::Action::kMergedIn) {
    return NotFoundResponse("未知操作: " + parts[3]);
  }
  // Another unit's ticket is answered as if it did not exist, whatever the action.
  auto current = service_.Show(parts[1]);
  if (!current.has_value()) {
    return FromError(current.error());
  }
  if (!domain::MayView(ctx.actor, current->ticket, ctx.config->org)) {
    return NotFoundResponse("工单不存在: " + parts[1]);
  }
  auto body = ParseBody(ctx.req);
  if (!body.has_value()) {
    return FromError(body.error());
  }
  std::optional<int64_t> expected;
  if (body->contains("version")) {
    if (!(*body)["version"].is_number_integer()) {
      return BadRequest("version 应为整数");
    }
    expected = (*body)["version"].get<int64_t>();
    body->erase("version");
  }
  auto fields = codec::FieldsFromJson(*body);
  if (!fields.has_value()) {
    return FromError(fields.error());
  }
  auto t = service_.Act(ctx.actor, parts[1], domain::Command{*action, *fields}, expected);
  if (!t.has_value()) {
    return FromError(t.error());
  }
  ctx.audit("ticket." + std::string(domain::Code(*action)), t->number,
            codec::FieldsToJson(*fields).dump());
  return Json(200, TicketJson(*t, ctx.actor, *ctx.config, ctx.now));
}

HttpResponse CoreApi::Queue(RequestContext& ctx) {
  const auto& config = *ctx.config;
  domain::UnitId unit = ctx.actor.unit;
  if (auto it = ctx.query.find("unit"); it != ctx.query.end() && !it->second.empty()) {
    auto v = domain::ParseInt64(it->second);
    if (!v.has_value() || *v <= 0) {
      return BadRequest("参数 unit 应为单位编号");
    }
    if (IsUnitRole(ctx.actor) && domain::UnitId{*v} != ctx.actor.unit) {
      return Forbidden("只能查看本单位的工作队列");
    }
    unit = domain::UnitId{*v};
  }
  ports::TicketFilter f;
  f.lead_unit = unit;
  // A page at a time (the oldest first: they are the most urgent); ?after= continues.
  f.limit = 100;
  for (const char* key : {"limit", "after"}) {
    auto it = ctx.query.find(key);
    if (it == ctx.query.end() || it->second.empty()) {
      continue;
    }
    auto v = domain::ParseInt64(it->second);
    if (!v.has_value() || *v < 0) {
      return BadRequest(fmt::format("参数 {} 应为非负整数", key));
    }
    if (std::string_view(key) == "limit") {
      f.limit = static_cast<int>(std::clamp<int64_t>(*v, 1, 500));
    } else {
      f.after_id = *v;
    }
  }
  const std::string& queue = ctx.parts[1];
  // "Due soon": the reply deadline falls within the next working day.
  Instant soon = config.calendar.Deadline(ctx.now, {domain::LimitUnit::kWorkingDays, 1});
  if (queue == "to_sign") {
    f.states = {domain::TicketState::kDispatched};
  } else if (queue == "in_progress") {
    f.states = {domain::TicketState::kSigned, domain::TicketState::kReturnRequested,
                domain::TicketState::kSuspended};
  } else if (queue == "due_soon" || queue == "overdue") {
    f.states = OwedStates();
    f.reply_deadline_before = queue == "overdue" ? ctx.now : soon;
  } else {
    return NotFoundResponse("没有这个队列: " + queue + "（to_sign/in_progress/due_soon/overdue）");
  }
  auto list = service_.List(f);
  if (!list.has_value()) {
    return FromError(list.error());
  }
  json arr = json::array();
  for (const auto& t : *list) {
    if (queue == "due_soon" && t.IsOverdue(ctx.now)) {
      continue;  // already overdue: it belongs to the overdue queue
    }
    if (domain::MayView(ctx.actor, t, config.org)) {
      arr.push_back(TicketJson(t, ctx.actor, config, ctx.now));
    }
  }
  bool more = static_cast<int>(list->size()) == f.limit;
  return Json(200, {{"queue", queue},
                    {"unit", unit.value()},
                    {"tickets", arr},
                    {"next_after", more ? json(list->back().id.value()) : json(nullptr)}});
}

}  // namespace hotline::adapters::http
