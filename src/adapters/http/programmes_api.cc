#include "adapters/http/programmes_api.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "adapters/http/api_support.h"
#include "domain/fields.h"

namespace hotline::adapters::http {

using domain::programmes::Campaign;
using domain::programmes::FollowedTicket;
using domain::programmes::Inspection;
using domain::programmes::LeaderDay;
using domain::programmes::ScoreSheet;
using nlohmann::json;

namespace {

constexpr int kMaxPage = 500;

// ------------------------------------------------------------------ parsing the request body

Status OnlyKeys(const json& body, std::initializer_list<const char*> keys) {
  for (const auto& item : body.items()) {
    const std::string& key = item.key();
    if (std::none_of(keys.begin(), keys.end(), [&](const char* k) { return key == k; })) {
      return InvalidArgument("未知字段: " + key);
    }
  }
  return OkStatus();
}

Result<std::optional<std::string>> OptString(const json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    return std::optional<std::string>();
  }
  if (!it->is_string()) {
    return InvalidArgument(fmt::format("字段 {} 应为字符串", key));
  }
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::string> ReqString(const json& body, const char* key) {
  HOTLINE_ASSIGN_OR_RETURN(auto v, OptString(body, key));
  if (!v) {
    return InvalidArgument(fmt::format("缺少字段 {}", key));
  }
  return *v;
}

Result<std::optional<bool>> OptBool(const json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    return std::optional<bool>();
  }
  if (!it->is_boolean()) {
    return InvalidArgument(fmt::format("字段 {} 应为 true 或 false", key));
  }
  return std::optional<bool>(it->get<bool>());
}

// An array field; nullopt when absent, [] when null.
Result<std::optional<json>> OptArray(const json& body, const char* key, size_t max) {
  auto it = body.find(key);
  if (it == body.end()) {
    return std::optional<json>();
  }
  if (it->is_null()) {
    return std::optional<json>(json::array());
  }
  if (!it->is_array()) {
    return InvalidArgument(fmt::format("字段 {} 应为数组", key));
  }
  if (it->size() > max) {
    return InvalidArgument(fmt::format("字段 {} 最多 {} 项", key, max));
  }
  return std::optional<json>(*it);
}

Result<std::vector<std::string>> Strings(const json& list, const char* key) {
  std::vector<std::string> out;
  for (size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_string()) {
      return InvalidArgument(fmt::format("{}[{}] 应为字符串", key, i));
    }
    out.push_back(list[i].get<std::string>());
  }
  return out;
}

// The ids of field `key` (an array): each a number, or a string that `find` resolves to
// something with an id. `expected` says what each item should be, `what` what was not found.
template <typename Id, typename Find>
Result<std::vector<Id>> Ids(const json& list, const char* key, const char* expected,
                            const char* what, Find find) {
  std::vector<Id> out;
  for (size_t i = 0; i < list.size(); ++i) {
    const json& v = list[i];
    if (v.is_number_integer()) {
      out.emplace_back(v.get<int64_t>());
      continue;
    }
    if (!v.is_string()) {
      return InvalidArgument(fmt::format("{}[{}] 应为{}", key, i, expected));
    }
    const std::string s = v.get<std::string>();
    const auto* found = find(s);
    if (found == nullptr) {
      return InvalidArgument(fmt::format("{}[{}]: {}不存在: {}", key, i, what, s));
    }
    out.push_back(found->id);
  }
  return out;
}

// Categories by id or path ("环境保护/污染防治").
Result<std::vector<domain::CategoryId>> CategoryIds(const json& list,
                                                    const app::HotlineConfig& config) {
  return Ids<domain::CategoryId>(
      list, "categories", "分类编号或路径", "诉求分类",
      [&](const std::string& path) { return config.categories.FindByPath(path); });
}

// Regions by id, code or name.
Result<std::vector<domain::RegionId>> RegionIds(const json& list,
                                                const app::HotlineConfig& config) {
  return Ids<domain::RegionId>(list, "regions", "区划编号、代码或名称", "行政区划",
                               [&](const std::string& s) -> const domain::Region* {
                                 if (const auto* r = config.org.FindRegionByCode(s)) {
                                   return r;
                                 }
                                 for (const domain::Region& each : config.org.regions()) {
                                   if (each.name == s) {
                                     return &each;
                                   }
                                 }
                                 return nullptr;
                               });
}

// Units by id or code.
Result<std::vector<domain::UnitId>> UnitIds(const json& list, const app::HotlineConfig& config) {
  return Ids<domain::UnitId>(list, "units", "单位编号或代码", "单位", [&](const std::string& code) {
    return config.org.FindUnitByCode(code);
  });
}

Result<int64_t> PathId(const std::string& text) {
  auto v = domain::ParseInt64(text);
  if (!v.has_value() || *v <= 0) {
    return InvalidArgument("编号应为正整数: " + text);
  }
  return *v;
}

std::string Query(const RequestContext& ctx, const char* key) {
  auto it = ctx.query.find(key);
  return it == ctx.query.end() ? "" : it->second;
}

Result<int64_t> QueryInt(const RequestContext& ctx, const char* key, int64_t fallback, int64_t min,
                         int64_t max) {
  std::string s = Query(ctx, key);
  if (s.empty()) {
    return fallback;
  }
  auto v = domain::ParseInt64(s);
  if (!v.has_value() || *v < min || *v > max) {
    return InvalidArgument(fmt::format("参数 {} 应为 {}-{} 的整数", key, min, max));
  }
  return *v;
}

// ------------------------------------------------------------------ rendering

json OptTime(const std::optional<Instant>& t) { return t ? json(FormatLocal(*t)) : json(nullptr); }

std::string UnitName(const app::HotlineConfig& config, domain::UnitId id) {
  const domain::Unit* u = config.org.FindUnit(id);
  return u != nullptr ? u->name : "";
}

json CampaignJson(const Campaign& c, int64_t tickets, const app::HotlineConfig& config) {
  json cats = json::array();
  for (auto id : c.categories) {
    cats.push_back({{"id", id.value()}, {"path", config.categories.PathOf(id)}});
  }
  json regions = json::array();
  for (auto id : c.regions) {
    const domain::Region* r = config.org.FindRegion(id);
    regions.push_back({{"id", id.value()}, {"name", r != nullptr ? r->name : ""}});
  }
  return {{"id", c.id},
          {"name", c.name},
          {"description", c.description},
          {"from", c.from},
          {"to", c.to},
          {"categories", cats},
          {"regions", regions},
          {"keywords", c.keywords},
          {"tag_only", !c.HasRule()},
          {"created_by", c.created_by},
          {"created_at", FormatLocal(c.created_at)},
          {"tickets", tickets}};
}

json FollowedJson(const FollowedTicket& f, const app::HotlineConfig& config) {
  return {{"number", f.number},
          {"state", domain::Code(f.state)},
          {"state_name", domain::ChineseName(f.state)},
          {"lead_unit", f.lead_unit.valid() ? json(f.lead_unit.value()) : json(nullptr)},
          {"lead_unit_name", UnitName(config, f.lead_unit)},
          {"reply_deadline", OptTime(f.reply_deadline)},
          {"closed", f.closed},
          {"overdue", f.overdue}};
}

json DayJson(const LeaderDay& d, const app::HotlineConfig& config) {
  json units = json::array();
  for (auto id : d.units) {
    units.push_back({{"id", id.value()}, {"name", UnitName(config, id)}});
  }
  return {{"id", d.id},
          {"date", d.date},
          {"leader", d.leader},
          {"topic", d.topic},
          {"units", units},
          {"note", d.note},
          {"created_by", d.created_by},
          {"created_at", FormatLocal(d.created_at)}};
}

json CaseJson(const app::DifficultCaseView& v, const app::HotlineConfig& config) {
  const auto& c = v.c;
  json out{{"id", c.id},
           {"number", c.number},
           {"reason", c.reason},
           {"flagged_by", c.flagged_by},
           {"flagged_at", FormatLocal(c.flagged_at)},
           {"owner", c.owner},
           {"next_review", c.next_review.empty() ? json(nullptr) : json(c.next_review)},
           {"resolved", c.resolved},
           {"resolved_at", OptTime(c.resolved_at)},
           {"resolution", c.resolution},
           {"age_days", v.age_days},
           {"review_due", v.review_due},
           {"ticket", v.ticket ? FollowedJson(*v.ticket, config) : json(nullptr)}};
  json notes = json::array();
  for (const auto& n : c.notes) {
    notes.push_back({{"at", FormatLocal(n.at)}, {"by", n.by}, {"text", n.text}});
  }
  out["notes"] = notes;
  return out;
}

json SheetJson(const ScoreSheet& s) {
  json items = json::array();
  for (const auto& i : s.items) {
    items.push_back({{"name", i.name}, {"max_points", i.max_points}});
  }
  return {{"id", s.id},
          {"name", s.name},
          {"items", items},
          {"max_total", s.MaxTotal()},
          {"active", s.active},
          {"created_by", s.created_by},
          {"created_at", FormatLocal(s.created_at)}};
}

json InspectionJson(const Inspection& i) {
  return {{"id", i.id},
          {"sheet", i.sheet},
          {"agent", i.agent},
          {"target_kind", domain::programmes::Code(i.target_kind)},
          {"target", i.target},
          {"inspector", i.inspector},
          {"at", FormatLocal(i.at)},
          {"scores", i.scores},
          {"remarks", i.remarks},
          {"comment", i.comment},
          {"total", i.total},
          {"max_total", i.max_total},
          {"percent", std::round(i.Percent() * 100) / 100}};
}

json KpisJson(const std::vector<domain::kpi::KpiValue>& values) {
  json out = json::array();
  for (const auto& v : values) {
    out.push_back({{"id", v.id},
                   {"name", v.name},
                   {"unit", v.unit},
                   {"value", std::round(v.value * 100) / 100},
                   {"numerator", v.numerator},
                   {"denominator", v.denominator ? json(*v.denominator) : json(nullptr)}});
  }
  return out;
}

// The campaign in a request body over `c` (absent fields keep c's values).
Status ApplyCampaign(const json& body, const app::HotlineConfig& config, Campaign& c) {
  HOTLINE_RETURN_IF_ERROR(
      OnlyKeys(body, {"name", "description", "from", "to", "categories", "regions", "keywords"}));
  HOTLINE_ASSIGN_OR_RETURN(auto name, OptString(body, "name"));
  HOTLINE_ASSIGN_OR_RETURN(auto description, OptString(body, "description"));
  HOTLINE_ASSIGN_OR_RETURN(auto from, OptString(body, "from"));
  HOTLINE_ASSIGN_OR_RETURN(auto to, OptString(body, "to"));
  HOTLINE_ASSIGN_OR_RETURN(auto cats,
                           OptArray(body, "categories", domain::programmes::kMaxListIds));
  HOTLINE_ASSIGN_OR_RETURN(auto regions,
                           OptArray(body, "regions", domain::programmes::kMaxListIds));
  HOTLINE_ASSIGN_OR_RETURN(auto keywords,
                           OptArray(body, "keywords", domain::programmes::kMaxKeywords));
  c.name = name.value_or(c.name);
  c.description = description.value_or(c.description);
  c.from = from.value_or(c.from);
  c.to = to.value_or(c.to);
  if (cats) {
    HOTLINE_ASSIGN_OR_RETURN(c.categories, CategoryIds(*cats, config));
  }
  if (regions) {
    HOTLINE_ASSIGN_OR_RETURN(c.regions, RegionIds(*regions, config));
  }
  if (keywords) {
    HOTLINE_ASSIGN_OR_RETURN(c.keywords, Strings(*keywords, "keywords"));
  }
  return OkStatus();
}

Status ApplyDay(const json& body, const app::HotlineConfig& config, LeaderDay& d) {
  HOTLINE_RETURN_IF_ERROR(OnlyKeys(body, {"date", "leader", "topic", "units", "note"}));
  HOTLINE_ASSIGN_OR_RETURN(auto date, OptString(body, "date"));
  HOTLINE_ASSIGN_OR_RETURN(auto leader, OptString(body, "leader"));
  HOTLINE_ASSIGN_OR_RETURN(auto topic, OptString(body, "topic"));
  HOTLINE_ASSIGN_OR_RETURN(auto note, OptString(body, "note"));
  HOTLINE_ASSIGN_OR_RETURN(auto units, OptArray(body, "units", domain::programmes::kMaxListIds));
  d.date = date.value_or(d.date);
  d.leader = leader.value_or(d.leader);
  d.topic = topic.value_or(d.topic);
  d.note = note.value_or(d.note);
  if (units) {
    HOTLINE_ASSIGN_OR_RETURN(d.units, UnitIds(*units, config));
  }
  return OkStatus();
}

Status ApplySheet(const json& body, ScoreSheet& s) {
  HOTLINE_RETURN_IF_ERROR(OnlyKeys(body, {"name", "items", "active"}));
  HOTLINE_ASSIGN_OR_RETURN(auto name, OptString(body, "name"));
  HOTLINE_ASSIGN_OR_RETURN(auto active, OptBool(body, "active"));
  HOTLINE_ASSIGN_OR_RETURN(auto items, OptArray(body, "items", domain::programmes::kMaxSheetItems));
  s.name = name.value_or(s.name);
  s.active = active.value_or(s.active);
  if (items) {
    s.items.clear();
    for (size_t i = 0; i < items->size(); ++i) {
      const json& item = (*items)[i];
      if (!item.is_object()) {
        return InvalidArgument(fmt::format("items[{}] 应为对象 {{name, max_points}}", i));
      }
      for (const auto& kv : item.items()) {
        if (kv.key() != "name" && kv.key() != "max_points") {
          return InvalidArgument(fmt::format("items[{}]: 未知字段: {}", i, kv.key()));
        }
      }
      auto n = item.find("name");
      auto p = item.find("max_points");
      if (n == item.end() || !n->is_string()) {
        return InvalidArgument(fmt::format("items[{}].name 应为字符串", i));
      }
      if (p == item.end() || !p->is_number_integer()) {
        return InvalidArgument(fmt::format("items[{}].max_points 应为整数", i));
      }
      int64_t points = p->get<int64_t>();
      if (points < 1 || points > domain::programmes::kMaxItemPoints) {
        return InvalidArgument(fmt::format("items[{}].max_points: 分值应为 1-{} 的整数", i,
                                           domain::programmes::kMaxItemPoints));
      }
      s.items.push_back({n->get<std::string>(), static_cast<int>(points)});
    }
  }
  return OkStatus();
}

Result<Inspection> ParseInspection(const json& body) {
  HOTLINE_RETURN_IF_ERROR(
      OnlyKeys(body, {"sheet", "target_kind", "target", "agent", "scores", "remarks", "comment"}));
  Inspection i;
  auto sheet = body.find("sheet");
  if (sheet == body.end() || !sheet->is_number_integer()) {
    return InvalidArgument("字段 sheet 应为评分表编号");
  }
  i.sheet = sheet->get<int64_t>();
  HOTLINE_ASSIGN_OR_RETURN(std::string kind, ReqString(body, "target_kind"));
  auto parsed = domain::programmes::ParseQaTarget(kind);
  if (!parsed) {
    return InvalidArgument("字段 target_kind 应为 call 或 ticket");
  }
  i.target_kind = *parsed;
  HOTLINE_ASSIGN_OR_RETURN(i.target, ReqString(body, "target"));
  HOTLINE_ASSIGN_OR_RETURN(auto agent, OptString(body, "agent"));
  i.agent = agent.value_or("");
  HOTLINE_ASSIGN_OR_RETURN(auto comment, OptString(body, "comment"));
  i.comment = comment.value_or("");
  HOTLINE_ASSIGN_OR_RETURN(auto scores,
                           OptArray(body, "scores", domain::programmes::kMaxSheetItems));
  if (!scores) {
    return InvalidArgument("缺少字段 scores（每个评分项一个得分）");
  }
  for (size_t k = 0; k < scores->size(); ++k) {
    const json& v = (*scores)[k];
    if (!v.is_number_integer() || v.get<int64_t>() < 0 ||
        v.get<int64_t>() > domain::programmes::kMaxItemPoints) {
      return InvalidArgument(
          fmt::format("scores[{}] 应为 0-{} 的整数", k, domain::programmes::kMaxItemPoints));
    }
    i.scores.push_back(static_cast<int>(v.get<int64_t>()));
  }
  HOTLINE_ASSIGN_OR_RETURN(auto remarks,
                           OptArray(body, "remarks", domain::programmes::kMaxSheetItems));
  if (remarks) {
    HOTLINE_ASSIGN_OR_RETURN(i.remarks, Strings(*remarks, "remarks"));
  }
  return i;
}

// The current local month's first and last days.
std::pair<std::string, std::string> ThisMonth(Instant now) {
  std::string today = FormatLocalDate(now);
  std::string first = today.substr(0, 8) + "01";
  auto day = std::chrono::sys_days{std::chrono::floor<std::chrono::days>(*ParseInstant(first))};
  std::chrono::year_month_day ymd{day};
  std::chrono::year_month_day_last last{ymd.year() / ymd.month() / std::chrono::last};
  return {first, fmt::format("{}{:02}", today.substr(0, 8), static_cast<unsigned>(last.day()))};
}

// The response for a change: audited with `detail`, answered with `status` and `out`.
HttpResponse Audited(RequestContext& ctx, const char* action, const std::string& target,
                     const std::string& detail, int status, const json& out) {
  ctx.audit(action, target, detail);
  return Json(status, out);
}

// A created record: audited with its JSON, 201.
HttpResponse Created(RequestContext& ctx, const char* action, const std::string& target,
                     const json& out) {
  return Audited(ctx, action, target, out.dump(), 201, out);
}

// A changed record: audited with its JSON before and after, 200 with the after.
HttpResponse Changed(RequestContext& ctx, const char* action, const std::string& target,
                     const json& before, const json& after) {
  return Audited(ctx, action, target, json{{"before", before}, {"after", after}}.dump(), 200,
                 after);
}

}  // namespace

const std::vector<ProgrammesApi::Route>& ProgrammesApi::Table() {
  using P = ProgrammesApi;
  static const std::vector<Route> table = {
      {{"get", "/api/v1/campaigns", "专题（一季一主题）列表，含工单数（中心角色）", true},
       &P::Campaigns},
      {{"post", "/api/v1/campaigns",
        "新建专题 {name, description, from, to, categories, regions, "
        "keywords}（领导、督办员、管理员）",
        true},
       &P::CreateCampaign},
      {{"get", "/api/v1/campaigns/{id}", "专题详情", true}, &P::GetCampaign},
      {{"patch", "/api/v1/campaigns/{id}", "修改专题（规则变化时重新匹配工单）", true},
       &P::UpdateCampaign},
      {{"delete", "/api/v1/campaigns/{id}", "删除专题", true}, &P::DeleteCampaign},
      {{"get", "/api/v1/campaigns/{id}/indicators",
        "专题指标：from, to（默认专题期间）；专题工单的登记量、按时办结率、满意率、解决率等", true},
       &P::Indicators},
      {{"get", "/api/v1/campaigns/{id}/tickets", "专题工单及其办理状态：after, limit", true},
       &P::CampaignTickets},
      {{"post", "/api/v1/campaigns/{id}/tickets", "手工给工单打专题标签 {numbers:[...]}", true},
       &P::TagTickets},
      {{"delete", "/api/v1/campaigns/{id}/tickets/{number}", "把工单移出专题", true},
       &P::UntagTicket},
      {{"get", "/api/v1/leader-days", "领导接线日列表：from, to", true}, &P::LeaderDays},
      {{"post", "/api/v1/leader-days",
        "安排领导接线日 {date, leader, topic, units, note}（领导、督办员、管理员）", true},
       &P::CreateLeaderDay},
      {{"get", "/api/v1/leader-days/{id}", "接线日详情及当天受理工单的跟踪（办结、超期）", true},
       &P::GetLeaderDay},
      {{"patch", "/api/v1/leader-days/{id}", "修改接线日", true}, &P::UpdateLeaderDay},
      {{"delete", "/api/v1/leader-days/{id}", "删除接线日", true}, &P::DeleteLeaderDay},
      {{"post", "/api/v1/leader-days/{id}/tickets", "关联当天受理的工单 {number}", true},
       &P::LinkTicket},
      {{"delete", "/api/v1/leader-days/{id}/tickets/{number}", "取消关联", true}, &P::UnlinkTicket},
      {{"get", "/api/v1/difficult-cases",
        "疑难件列表（含挂牌天数）：status=open|resolved|all, owner", true},
       &P::DifficultCases},
      {{"post", "/api/v1/difficult-cases",
        "标记疑难件 {number, reason, owner, next_review, note}（督办员、派单员、管理员）", true},
       &P::FlagDifficult},
      {{"get", "/api/v1/difficult-cases/{id}", "疑难件详情及协调记录", true}, &P::GetDifficult},
      {{"patch", "/api/v1/difficult-cases/{id}",
        "跟踪疑难件 {owner, next_review, note, resolution}（resolution 即办结）", true},
       &P::UpdateDifficult},
      {{"get", "/api/v1/qa/sheets", "质检评分表", true}, &P::Sheets},
      {{"post", "/api/v1/qa/sheets",
        "新建评分表 {name, items:[{name, max_points}]}（质检员、管理员）", true},
       &P::CreateSheet},
      {{"patch", "/api/v1/qa/sheets/{id}", "修改评分表（已使用的评分表只能改名称和启用状态）",
        true},
       &P::UpdateSheet},
      {{"get", "/api/v1/qa/inspections",
        "质检记录：from, to, agent, after, limit（坐席只看自己的）", true},
       &P::Inspections},
      {{"post", "/api/v1/qa/inspections",
        "质检评分 {sheet, target_kind: call|ticket, target, agent, scores, remarks, "
        "comment}（质检员）",
        true},
       &P::Inspect},
      {{"get", "/api/v1/qa/ranking", "坐席质检平均分和排名：from, to（默认本月；坐席只看自己的）",
        true},
       &P::Ranking},
  };
  return table;
}

std::vector<RouteDoc> ProgrammesApi::Routes() const { return RouteDocs(Table()); }

std::optional<HttpResponse> ProgrammesApi::Handle(RequestContext& ctx) {
  const auto& p = ctx.parts;
  if (p.empty()) {
    return std::nullopt;
  }
  const std::string& root = p[0];
  if (root != "campaigns" && root != "leader-days" && root != "difficult-cases" && root != "qa") {
    return std::nullopt;
  }
  PathArgs args;
  // Below the roots other than qa, the second segment is always an id.
  if (p.size() >= 2 && root != "qa") {
    auto id = PathId(p[1]);
    if (!id.has_value()) {
      return FromError(id.error());
    }
    args.id = *id;
  }
  const Route* route = FindRoute(Table(), ctx);
  if (route == nullptr) {
    return std::nullopt;
  }
  if (root == "qa" && p.size() == 3) {  // qa/sheets/{id}
    auto id = PathId(p[2]);
    if (!id.has_value()) {
      return FromError(id.error());
    }
    args.id = *id;
  }
  if (p.size() == 4) {  // …/{id}/tickets/{number}
    args.number = p[3];
  }
  auto response = (this->*route->handler)(ctx, args);
  return response.has_value() ? std::move(*response) : FromError(response.error());
}

// ------------------------------------------------------------------ campaigns

Result<HttpResponse> ProgrammesApi::Campaigns(RequestContext& ctx, const PathArgs& /*args*/) {
  HOTLINE_ASSIGN_OR_RETURN(auto list, programmes_.Campaigns(ctx.actor));
  json out = json::array();
  for (const auto& s : list) {
    out.push_back(CampaignJson(s.campaign, s.tickets, *ctx.config));
  }
  return Json(200, {{"campaigns", out}});
}

Result<HttpResponse> ProgrammesApi::CreateCampaign(RequestContext& ctx, const PathArgs& /*args*/) {
  HOTLINE_ASSIGN_OR_RETURN(auto body, ParseBody(ctx.req));
  Campaign c;
  HOTLINE_RETURN_IF_ERROR(ApplyCampaign(body, *ctx.config, c));
  HOTLINE_ASSIGN_OR_RETURN(auto made, programmes_.CreateCampaign(ctx.actor, std::move(c)));
  auto view = programmes_.FindCampaign(ctx.actor, made.id);
  return Created(ctx, "programme.campaign.create", fmt::format("campaign:{}", made.id),
                 CampaignJson(made, view.has_value() ? view->tickets : 0, *ctx.config));
}

Result<HttpResponse> ProgrammesApi::GetCampaign(RequestContext& ctx, const PathArgs& args) {
  HOTLINE_ASSIGN_OR_RETURN(auto view, programmes_.FindCampaign(ctx.actor, args.id));
  return Json(200, CampaignJson(view.campaign, view.tickets, *ctx.config));
}

Result<HttpResponse> ProgrammesApi::UpdateCampaign(RequestContext& ctx, const PathArgs& args) {
  HOTLINE_ASSIGN_OR_RETURN(auto body, ParseBody(ctx.req));
  HOTLINE_ASSIGN_OR_RETURN(auto view, programmes_.FindCampaign(ctx.actor, args.id));
  Campaign c = view.campaign;
  json before = CampaignJson(c, view.tickets, *ctx.config);
  HOTLINE_RETURN_IF_ERROR(ApplyCampaign(body, *ctx.config, c));
  HOTLINE_ASSIGN_OR_RETURN(auto updated, programmes_.UpdateCampaign(ctx.actor, std::move(c)));
  auto now = programmes_.FindCampaign(ctx.actor, args.id);
  return Changed(ctx, "programme.campaign.update", fmt::format("campaign:{}", args.id), before,
                 CampaignJson(updated, now.has_value() ? now->tickets : 0, *ctx.config));
}

Result<HttpResponse> ProgrammesApi::DeleteCampaign(RequestContext& ctx, const PathArgs& args) {
  HOTLINE_RETURN_IF_ERROR(programmes_.DeleteCampaign(ctx.actor, args.id));
  return Audited(ctx, "programme.campaign.delete", fmt::format("campaign:{}", args.id), "{}", 200,
                 {{"ok", true}, {"deleted", args.id}});
}

Result<HttpResponse> ProgrammesApi::Indicators(RequestContext& ctx, const PathArgs& args) {
  HOTLINE_ASSIGN_OR_RETURN(
      auto ind, programmes_.Indicators(ctx.actor, args.id, Query(ctx, "from"), Query(ctx, "to")));
  return Json(200, {{"campaign", CampaignJson(ind.campaign, ind.tickets, *ctx.config)},
                    {"from", ind.from},
                    {"to", ind.to},
                    {"tickets", ind.tickets},
                    {"headline", app::CampaignHeadlineKpis()},
                    {"kpis", KpisJson(ind.kpis)}});
}

Result<HttpResponse> ProgrammesApi::CampaignTickets(RequestContext& ctx, const PathArgs& args) {
  HOTLINE_ASSIGN_OR_RETURN(int64_t after, QueryInt(ctx, "after", 0, 0, INT64_MAX));
  HOTLINE_ASSIGN_OR_RETURN(int64_t limit, QueryInt(ctx, "limit", 100, 1, kMaxPage));
  HOTLINE_ASSIGN_OR_RETURN(
      auto page, programmes_.CampaignTickets(ctx.actor, args.id, after, static_cast<int>(limit)));
  json tickets = json::array();
  for (const auto& t : page.tickets) {
    json j = FollowedJson(t.followed, *ctx.config);
    j["manual"] = t.member.manual;
    tickets.push_back(std::move(j));
  }
  return Json(200, {{"tickets", tickets},
                    {"next_after", page.next_after == 0 ? json(nullptr) : json(page.next_after)}});
}

Result<HttpResponse> ProgrammesApi::TagTickets(RequestContext& ctx, const PathArgs& args) {
  HOTLINE_ASSIGN_OR_RETURN(auto body, ParseBody(ctx.req));
  HOTLINE_RETURN_IF_ERROR(OnlyKeys(body, {"numbers"}));
  HOTLINE_ASSIGN_OR_RETURN(auto list, OptArray(body, "numbers", 500));
  if (!list) {
    return InvalidArgument("缺少字段 numbers（工单号数组）");
  }
  HOTLINE_ASSIGN_OR_RETURN(auto numbers, Strings(*list, "numbers"));
  HOTLINE_RETURN_IF_ERROR(programmes_.TagTickets(ctx.actor, args.id, numbers));
  return Audited(ctx, "programme.campaign.tag", fmt::format("campaign:{}", args.id),
                 json{{"numbers", numbers}}.dump(), 200,
                 {{"ok", true}, {"tagged", numbers.size()}});
}

Result<HttpResponse> ProgrammesApi::UntagTicket(RequestContext& ctx, const PathArgs& args) {
  HOTLINE_RETURN_IF_ERROR(programmes_.UntagTicket(ctx.actor, args.id, args.number));
  return Audited(ctx, "programme.campaign.untag", fmt::format("campaign:{}", args.id),
                 json{{"number", args.number}}.dump(), 200, {{"ok", true}});
}

// ------------------------------------------------------------------ leader days

Result<HttpResponse> ProgrammesApi::LeaderDays(RequestContext& ctx, const PathArgs& /*args*/) {
  HOTLINE_ASSIGN_OR_RETURN(auto list,
                           programmes_.LeaderDays(ctx.actor, Query(ctx, "from"), Query(ctx, "to")));
  json out = json::array();
  for (const auto& d : list) {
    out.push_back(DayJson(d, *ctx.config));
  }
  return Json(200, {{"leader_days", out}});
}

Result<HttpResponse> ProgrammesApi::CreateLeaderDay(RequestContext& ctx, const PathArgs& /*args*/) {
  HOTLINE_ASSIGN_OR_RETURN(auto body, ParseBody(ctx.req));
  LeaderDay d;
  HOTLINE_RETURN_IF_ERROR(ApplyDay(body, *ctx.config, d));
  HOTLINE_ASSIGN_OR_RETURN(auto made, programmes_.CreateLeaderDay(ctx.actor, std::move(d)));
  return Created(ctx, "programme.leader_day.create", fmt::format("leader_day:{}", made.id),
                 DayJson(made, *ctx.config));
}

Result<HttpResponse> ProgrammesApi::GetLeaderDay(RequestContext& ctx, const PathArgs& args) {
  HOTLINE_ASSIGN_OR_RETURN(auto view, programmes_.LeaderDayDetail(ctx.actor, args.id));
  json out = DayJson(view.day, *ctx.config);
  json tickets = json::array();
  for (const auto& t : view.tickets) {
    tickets.push_back(FollowedJson(t, *ctx.config));
  }
  out["tickets"] = tickets;
  out["summary"] = {{"total", view.summary.total},
                    {"closed", view.summary.closed},
                    {"open", view.summary.open},
                    {"overdue", view.summary.overdue}};
  return Json(200, out);
}

Result<HttpResponse> ProgrammesApi::UpdateLeaderDay(RequestContext& ctx, const PathArgs& args) {
  HOTLINE_ASSIGN_OR_RETURN(auto body, ParseBody(ctx.req));
  HOTLINE_ASSIGN_OR_RETURN(auto view, programmes_.LeaderDayDetail(ctx.actor, args.id));
  LeaderDay d = view.day;
  json before = DayJson(d, *ctx.config);
  HOTLINE_RETURN_IF_ERROR(ApplyDay(body, *ctx.config, d));
  HOTLINE_ASSIGN_OR_RETURN(auto updated, programmes_.UpdateLeaderDay(ctx.actor, std::move(d)));
  return Changed(ctx, "programme.leader_day.update", fmt::format("leader_day:{}", args.id), before,
                 DayJson(updated, *ctx.config));
}

Result<HttpResponse> ProgrammesApi::DeleteLeaderDay(RequestContext& ctx, const PathArgs& args) {
  HOTLINE_RETURN_IF_ERROR(programmes_.DeleteLeaderDay(ctx.actor, args.id));
  return Audited(ctx, "programme.leader_day.delete", fmt::format("leader_day:{}", args.id), "{}",
                 200, {{"ok", true}, {"deleted", args.id}});
}

Result<HttpResponse> ProgrammesApi::LinkTicket(RequestContext& ctx, const PathArgs& args) {
  HOTLINE_ASSIGN_OR_RETURN(auto body, ParseBody(ctx.req));
  HOTLINE_RETURN_IF_ERROR(OnlyKeys(body, {"number"}));
  HOTLINE_ASSIGN_OR_RETURN(auto number, ReqString(body, "number"));
  HOTLINE_RETURN_IF_ERROR(programmes_.LinkTicket(ctx.actor, args.id, number));
  return Audited(ctx, "programme.leader_day.link", fmt::format("leader_day:{}", args.id),
                 json{{"number", number}}.dump(), 201, {{"ok", true}, {"number", number}});
}

Result<HttpResponse> ProgrammesApi::UnlinkTicket(RequestContext& ctx, const PathArgs& args) {
  HOTLINE_RETURN_IF_ERROR(programmes_.UnlinkTicket(ctx.actor, args.id, args.number));
  return Audited(ctx, "programme.leader_day.unlink", fmt::format("leader_day:{}", args.id),
                 json{{"number", args.number}}.dump(), 200, {{"ok", true}});
}

// ------------------------------------------------------------------ difficult cases

Result<HttpResponse> ProgrammesApi::DifficultCases(RequestContext& ctx, const PathArgs& /*args*/) {
  ports::DifficultFilter filter;
  std::string status = Query(ctx, "status");
  if (status.empty() || status == "open") {
    filter.resolved = false;
  } else if (status == "resolved") {
    filter.resolved = true;
  } else if (status != "all") {
    return InvalidArgument("参数 status 应为 open、resolved 或 all");
  }
  filter.owner = Query(ctx, "owner");
  HOTLINE_ASSIGN_OR_RETURN(auto list, programmes_.DifficultCases(ctx.actor, filter));
  json out = json::array();
  for (const auto& v : list) {
    json j = CaseJson(v, *ctx.config);
    j.erase("notes");
    out.push_back(std::move(j));
  }
  return Json(200, {{"cases", out}});
}

Result<HttpResponse> ProgrammesApi::FlagDifficult(RequestContext& ctx, const PathArgs& /*args*/) {
  HOTLINE_ASSIGN_OR_RETURN(auto body, ParseBody(ctx.req));
  HOTLINE_RETURN_IF_ERROR(OnlyKeys(body, {"number", "reason", "owner", "next_review", "note"}));
  HOTLINE_ASSIGN_OR_RETURN(auto number, ReqString(body, "number"));
  domain::programmes::DifficultCase c;
  HOTLINE_ASSIGN_OR_RETURN(c.reason, ReqString(body, "reason"));
  HOTLINE_ASSIGN_OR_RETURN(auto owner, OptString(body, "owner"));
  HOTLINE_ASSIGN_OR_RETURN(auto review, OptString(body, "next_review"));
  HOTLINE_ASSIGN_OR_RETURN(auto note, OptString(body, "note"));
  c.owner = owner.value_or("");
  c.next_review = review.value_or("");
  if (note) {
    c.notes.push_back({ctx.now, ctx.login, *note});
  }
  HOTLINE_ASSIGN_OR_RETURN(auto made, programmes_.FlagDifficult(ctx.actor, number, std::move(c)));
  HOTLINE_ASSIGN_OR_RETURN(auto view, programmes_.FindDifficult(ctx.actor, made.id));
  return Created(ctx, "programme.difficult.flag", fmt::format("difficult:{}", made.id),
                 CaseJson(view, *ctx.config));
}

Result<HttpResponse> ProgrammesApi::GetDifficult(RequestContext& ctx, const PathArgs& args) {
  HOTLINE_ASSIGN_OR_RETURN(auto view, programmes_.FindDifficult(ctx.actor, args.id));
  return Json(200, CaseJson(view, *ctx.config));
}

Result<HttpResponse> ProgrammesApi::UpdateDifficult(RequestContext& ctx, const PathArgs& args) {
  HOTLINE_ASSIGN_OR_RETURN(auto body, ParseBody(ctx.req));
  HOTLINE_RETURN_IF_ERROR(OnlyKeys(body, {"owner", "next_review", "note", "resolution"}));
  app::CaseUpdate update;
  for (auto [key, field] :
       {std::pair{"owner", &update.owner}, std::pair{"next_review", &update.next_review},
        std::pair{"note", &update.note}, std::pair{"resolution", &update.resolution}}) {
    HOTLINE_ASSIGN_OR_RETURN(*field, OptString(body, key));
  }
  // An explicit null clears the owner or the review date.
  if (body.contains("owner") && body["owner"].is_null()) {
    update.owner = "";
  }
  if (body.contains("next_review") && body["next_review"].is_null()) {
    update.next_review = "";
  }
  HOTLINE_RETURN_IF_ERROR(programmes_.UpdateDifficult(ctx.actor, args.id, update));
  HOTLINE_ASSIGN_OR_RETURN(auto view, programmes_.FindDifficult(ctx.actor, args.id));
  return Audited(
      ctx, update.resolution ? "programme.difficult.resolve" : "programme.difficult.update",
      fmt::format("difficult:{}", args.id), body.dump(), 200, CaseJson(view, *ctx.config));
}

// ------------------------------------------------------------------ quality inspection

Result<HttpResponse> ProgrammesApi::Sheets(RequestContext& ctx, const PathArgs& /*args*/) {
  HOTLINE_ASSIGN_OR_RETURN(auto list, programmes_.Sheets(ctx.actor));
  json out = json::array();
  for (const auto& s : list) {
    out.push_back(SheetJson(s));
  }
  return Json(200, {{"sheets", out}});
}

Result<HttpResponse> ProgrammesApi::CreateSheet(RequestContext& ctx, const PathArgs& /*args*/) {
  HOTLINE_ASSIGN_OR_RETURN(auto body, ParseBody(ctx.req));
  ScoreSheet s;
  HOTLINE_RETURN_IF_ERROR(ApplySheet(body, s));
  HOTLINE_ASSIGN_OR_RETURN(auto made, programmes_.CreateSheet(ctx.actor, std::move(s)));
  return Created(ctx, "programme.qa.sheet.create", fmt::format("qa_sheet:{}", made.id),
                 SheetJson(made));
}

Result<HttpResponse> ProgrammesApi::UpdateSheet(RequestContext& ctx, const PathArgs& args) {
  HOTLINE_ASSIGN_OR_RETURN(auto body, ParseBody(ctx.req));
  HOTLINE_ASSIGN_OR_RETURN(auto list, programmes_.Sheets(ctx.actor));
  auto it =
      std::find_if(list.begin(), list.end(), [&](const ScoreSheet& s) { return s.id == args.id; });
  if (it == list.end()) {
    return NotFound(fmt::format("评分表不存在: {}", args.id));
  }
  ScoreSheet s = *it;
  json before = SheetJson(s);
  HOTLINE_RETURN_IF_ERROR(ApplySheet(body, s));
  HOTLINE_ASSIGN_OR_RETURN(auto updated, programmes_.UpdateSheet(ctx.actor, std::move(s)));
  return Changed(ctx, "programme.qa.sheet.update", fmt::format("qa_sheet:{}", args.id), before,
                 SheetJson(updated));
}

Result<HttpResponse> ProgrammesApi::Inspections(RequestContext& ctx, const PathArgs& /*args*/) {
  ports::InspectionFilter f;
  f.from = Query(ctx, "from");
  f.to = Query(ctx, "to");
  f.agent = Query(ctx, "agent");
  HOTLINE_ASSIGN_OR_RETURN(f.after_id, QueryInt(ctx, "after", 0, 0, INT64_MAX));
  HOTLINE_ASSIGN_OR_RETURN(int64_t limit, QueryInt(ctx, "limit", 100, 1, kMaxPage));
  f.limit = static_cast<int>(limit);
  HOTLINE_ASSIGN_OR_RETURN(auto list, programmes_.Inspections(ctx.actor, f));
  json out = json::array();
  for (const auto& i : list) {
    out.push_back(InspectionJson(i));
  }
  json next = static_cast<int>(list.size()) == f.limit ? json(list.back().id) : json(nullptr);
  return Json(200, {{"inspections", out}, {"next_after", next}});
}

Result<HttpResponse> ProgrammesApi::Inspect(RequestContext& ctx, const PathArgs& /*args*/) {
  HOTLINE_ASSIGN_OR_RETURN(auto body, ParseBody(ctx.req));
  HOTLINE_ASSIGN_OR_RETURN(auto parsed, ParseInspection(body));
  HOTLINE_ASSIGN_OR_RETURN(auto made, programmes_.Inspect(ctx.actor, std::move(parsed)));
  return Created(ctx, "programme.qa.inspect", fmt::format("qa_inspection:{}", made.id),
                 InspectionJson(made));
}

Result<HttpResponse> ProgrammesApi::Ranking(RequestContext& ctx, const PathArgs& /*args*/) {
  auto [first, last] = ThisMonth(ctx.now);
  std::string from = Query(ctx, "from");
  std::string to = Query(ctx, "to");
  HOTLINE_ASSIGN_OR_RETURN(auto ranking, programmes_.Ranking(ctx.actor, from.empty() ? first : from,
                                                             to.empty() ? last : to));
  json agents = json::array();
  for (const auto& a : ranking.agents) {
    const domain::User* u = ctx.config->org.FindUserByLogin(a.agent);
    agents.push_back({{"agent", a.agent},
                      {"name", u != nullptr ? u->name : ""},
                      {"inspections", a.inspections},
                      {"average", a.average},
                      {"points", a.points},
                      {"max_points", a.max_points},
                      {"rank", a.rank}});
  }
  return Json(
      200,
      {{"from", ranking.from}, {"to", ranking.to}, {"agents", agents}, {"ranked", ranking.ranked}});
}

}  // namespace hotline::adapters::http
