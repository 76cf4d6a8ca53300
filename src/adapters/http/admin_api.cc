#include "adapters/http/admin_api.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "adapters/http/api_support.h"
#include "adapters/http/http_server.h"
#include "adapters/security/password.h"
#include "domain/fields.h"

namespace hotline::adapters::http {

using nlohmann::json;

namespace {

constexpr size_t kMinPassword = 8;
constexpr size_t kMaxPassword = 128;
constexpr size_t kMaxName = 64;
constexpr size_t kMaxNote = 200;
constexpr int kMaxPriority = 1000;

// Code points in valid UTF-8 (ParseBody has checked the encoding).
size_t Chars(const std::string& s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool IsCode(const std::string& s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

// The first key of `body` not in `allowed`, if any.
std::optional<std::string> UnknownField(const json& body,
                                        std::initializer_list<const char*> allowed) {
  for (const auto& item : body.items()) {
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
    const std::string& key = item.key();
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; })) {
      return key;
    }
  }
  return std::nullopt;
}

// The string at `key` of the object `item`; "" when absent or not a string.
std::string StringAt(const json& item, const char* key) {
  return item.contains(key) && item[key].is_string() ? item[key].get<std::string>() : "";
}

HttpResponse UnknownFieldResponse(const std::string& key) { return BadRequest("未知字段: " + key); }

// A required or optional text field: a string of 1..max characters, trimmed of nothing.
Result<std::optional<std::string>> TextField(const json& body, const char* key, const char* label,
                                             size_t max_chars, bool required) {
  if (!body.contains(key)) {
    if (required) {
      return InvalidArgument(fmt::format("缺少字段 {}（{}）", key, label));
    }
    return std::optional<std::string>();
  }
  const json& v = body[key];
  if (!v.is_string()) {
    return InvalidArgument(fmt::format("字段 {}（{}）应为字符串", key, label));
  }
  std::string s = v.get<std::string>();
  if (s.empty() || s.find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidArgument(fmt::format("{}不能为空", label));
  }
  if (Chars(s) > max_chars) {
    return InvalidArgument(fmt::format("{}过长（最多 {} 个字）", label, max_chars));
  }
  return std::optional<std::string>(std::move(s));
}

// An optional integer id field: absent → nullopt; null or 0 → 0 ("none").
Result<std::optional<int64_t>> IdField(const json& body, const char* key, const char* label) {
  if (!body.contains(key)) {
    return std::optional<int64_t>();
  }
  const json& v = body[key];
  if (v.is_null()) {
    return std::optional<int64_t>(0);
  }
  if (!v.is_number_integer() || v.get<int64_t>() < 0) {
    return InvalidArgument(fmt::format("字段 {}（{}）应为编号（非负整数）", key, label));
  }
  return std::optional<int64_t>(v.get<int64_t>());
}

Result<std::optional<bool>> BoolField(const json& body, const char* key, const char* label) {
  if (!body.contains(key)) {
    return std::optional<bool>();
  }
  if (!body[key].is_boolean()) {
    return InvalidArgument(fmt::format("字段 {}（{}）应为 true 或 false", key, label));
  }
  return std::optional<bool>(body[key].get<bool>());
}

// A unit's body (POST and PATCH /admin/units) with each present field checked for its type
// and length. Creating needs code, name, level and kind; an update may repeat the unit's id
// and code, which cannot change (checked against the unit). Level and kind stay text: each
// route parses them where it checks them (UnknownLevel, UnknownKind).
struct UnitBody {
  json raw;
  std::optional<std::string> code;  // creating only
  std::optional<std::string> name;
  std::optional<std::string> level;
  std::optional<std::string> kind;
  std::optional<int64_t> parent;
  std::optional<int64_t> region;
  std::optional<bool> active;
};

// Reads a unit's body into `out`; the error response for a bad one.
std::optional<HttpResponse> ParseUnitBody(const HttpRequest& req, bool create, UnitBody& out) {
  auto body = ParseBody(req);
  if (!body.has_value()) {
    return FromError(body.error());
  }
  auto unknown =
      create ? UnknownField(*body, {"code", "name", "level", "kind", "parent", "region", "active"})
             : UnknownField(*body,
                            {"id", "code", "name", "level", "kind", "parent", "region", "active"});
  if (unknown) {
    return UnknownFieldResponse(*unknown);
  }
  Result<std::optional<std::string>> code = std::optional<std::string>();
  if (create) {
    code = TextField(*body, "code", "单位代码", 64, true);
  }
  auto name = TextField(*body, "name", "单位名称", kMaxName, create);
  auto level = TextField(*body, "level", "层级", 16, create);
  auto kind = TextField(*body, "kind", "类型", 16, create);
  auto parent = IdField(*body, "parent", "上级单位");
  auto region = IdField(*body, "region", "所属区域");
  auto active = BoolField(*body, "active", "是否启用");
  if (auto bad = FirstError(code, name, level, kind, parent, region, active)) {
    return bad;
  }
  out = UnitBody{std::move(*body), *code, *name, *level, *kind, *parent, *region, *active};
  return std::nullopt;
}

HttpResponse UnknownLevel(const std::string& text) {
  return BadRequest("未知层级: " + text + "（province/city/county/township）");
}

HttpResponse UnknownKind(const std::string& text) {
  return BadRequest("未知单位类型: " + text + "（centre/platform/department）");
}

std::string DateText(std::chrono::year_month_day d) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

std::optional<std::chrono::year_month_day> ParseDate(const std::string& s) {
  if (s.size() != 10) {
    return std::nullopt;
  }
  auto t = ParseInstant(s);
  if (!t) {
    return std::nullopt;
  }
  auto d = domain::LocalDate(*t);
  if (DateText(d) != s) {
    return std::nullopt;  // 2024-02-30 and the like
  }
  return d;
}

std::string MinutesText(int m) { return fmt::format("{:02}:{:02}", m / 60, m % 60); }

json UserJson(const domain::User& u, const domain::OrgTree& org) {
  const domain::Unit* unit = org.FindUnit(u.unit);
  return {{"id", u.id.value()},
          {"login", u.login},
          {"name", u.name},
          {"role", domain::Code(u.role)},
          {"role_name", domain::ChineseName(u.role)},
          {"unit", u.unit.value()},
          {"unit_name", unit != nullptr ? unit->name : ""},
          {"active", u.active}};
}

json UnitJson(const domain::Unit& u, const domain::OrgTree& org) {
  const domain::Region* region = org.FindRegion(u.region);
  return {{"id", u.id.value()},
          {"code", u.code},
          {"name", u.name},
          {"level", domain::Code(u.level)},
          {"level_name", domain::ChineseName(u.level)},
          {"kind", domain::Code(u.kind)},
          {"parent", u.parent.value()},
          {"region", u.region.value()},
          {"region_name", region != nullptr ? region->name : ""},
          {"active", u.active}};
}

json CategoryJson(const domain::Category& c, const domain::CategoryTree& tree) {
  return {{"id", c.id.value()},
          {"name", c.name},
          {"parent", c.parent.value()},
          {"level", c.level},
          {"path", tree.PathOf(c.id)}};
}

json PolicyJson(const domain::TimeLimitPolicy& p) {
  return {{"type", domain::Code(p.type)},
          {"type_name", domain::ChineseName(p.type)},
          {"urgency", domain::Code(p.urgency)},
          {"urgency_name", domain::ChineseName(p.urgency)},
          {"sign", domain::FormatTimeLimit(p.sign)},
          {"reply", domain::FormatTimeLimit(p.reply)},
          {"remind", domain::FormatTimeLimit(p.remind_before_reply)}};
}

json RuleJson(const domain::RoutingRule& r, const app::HotlineConfig& config) {
  const domain::Region* region = config.org.FindRegion(r.region);
  const domain::Unit* lead = config.org.FindUnit(r.lead_unit);
  json co = json::array();
  json co_names = json::array();
  for (auto id : r.co_units) {
    co.push_back(id.value());
    const domain::Unit* u = config.org.FindUnit(id);
    co_names.push_back(u != nullptr ? u->name : "");
  }
  return {{"id", r.id.value()},
          {"category", r.category.value()},
          {"category_path", r.category.valid() ? config.categories.PathOf(r.category) : "任意分类"},
          {"region", r.region.value()},
          {"region_name", region != nullptr ? region->name : "全市"},
          {"lead_unit", r.lead_unit.value()},
          {"lead_unit_name", lead != nullptr ? lead->name : ""},
          {"co_units", co},
          {"co_unit_names", co_names},
          {"priority", r.priority},
          {"valid_from", r.valid_from ? json(FormatLocal(*r.valid_from)) : json(nullptr)},
          {"valid_to", r.valid_to ? json(FormatLocal(*r.valid_to)) : json(nullptr)},
          {"note", r.note}};
}

const domain::RoutingRule* FindRule(const domain::RoutingDirectory& d, int64_t id) {
  for (const auto& r : d.rules()) {
    if (r.id.value() == id) {
      return &r;
    }
  }
  return nullptr;
}

// An active unit by id, or kInvalidArgument naming the field.
Status CheckUnit(const domain::OrgTree& org, int64_t id, const char* label) {
  const domain::Unit* u = org.FindUnit(domain::UnitId{id});
  if (u == nullptr) {
    return InvalidArgument(fmt::format("{}不存在: #{}", label, id));
  }
  if (!u->active) {
    return InvalidArgument(fmt::format("{}已停用: {}", label, u->name));
  }
  return OkStatus();
}

Result<std::optional<Instant>> TimeField(const json& body, const char* key, const char* label) {
  const json& v = body[key];
  if (v.is_null() || (v.is_string() && v.get<std::string>().empty())) {
    return std::optional<Instant>();
  }
  if (!v.is_string()) {
    return InvalidArgument(fmt::format("字段 {}（{}）应为日期 YYYY-MM-DD 或时间", key, label));
  }
  auto t = ParseInstant(v.get<std::string>());
  if (!t) {
    return InvalidArgument(fmt::format("{}格式错误: {}（应为 YYYY-MM-DD 或 YYYY-MM-DD HH:MM）",
                                       label, v.get<std::string>()));
  }
  return std::optional<Instant>(*t);
}

// Applies the fields of a rule in `body` to `rule`; kInvalidArgument with a message.
Status ApplyRuleFields(const json& body, domain::RoutingRule& rule,
                       const app::HotlineConfig& config) {
  if (auto unknown = UnknownField(body, {"id", "category", "region", "lead_unit", "co_units",
                                         "priority", "valid_from", "valid_to", "note"})) {
    return InvalidArgument("未知字段: " + *unknown);
  }
  if (body.contains("id") &&
      !(body["id"].is_number_integer() && body["id"].get<int64_t>() == rule.id.value())) {
    return InvalidArgument("规则编号不能修改");
  }
  if (body.contains("category")) {
    const json& v = body["category"];
    if (v.is_string() && !v.get<std::string>().empty()) {
      const domain::Category* c = config.categories.FindByPath(v.get<std::string>());
      if (c == nullptr) {
        return InvalidArgument("分类不存在: " + v.get<std::string>());
      }
      rule.category = c->id;
    } else {
      HOTLINE_ASSIGN_OR_RETURN(auto id, IdField(body, "category", "分类"));
      if (*id != 0 && config.categories.Find(domain::CategoryId{*id}) == nullptr) {
        return InvalidArgument(fmt::format("分类不存在: #{}", *id));
      }
      rule.category = domain::CategoryId{*id};
    }
  }
  if (body.contains("region")) {
    HOTLINE_ASSIGN_OR_RETURN(auto id, IdField(body, "region", "区域"));
    if (*id != 0 && config.org.FindRegion(domain::RegionId{*id}) == nullptr) {
      return InvalidArgument(fmt::format("区域不存在: #{}", *id));
    }
    rule.region = domain::RegionId{*id};
  }
  if (body.contains("lead_unit")) {
    HOTLINE_ASSIGN_OR_RETURN(auto id, IdField(body, "lead_unit", "主办单位"));
    if (*id == 0) {
      return InvalidArgument("主办单位不能为空");
    }
    HOTLINE_RETURN_IF_ERROR(CheckUnit(config.org, *id, "主办单位"));
    rule.lead_unit = domain::UnitId{*id};
  }
  if (!rule.lead_unit.valid()) {
    return InvalidArgument("缺少字段 lead_unit（主办单位）");
  }
  if (body.contains("co_units")) {
    const json& v = body["co_units"];
    if (v.is_null()) {
      rule.co_units.clear();
    } else if (!v.is_array()) {
      return InvalidArgument("字段 co_units（协办单位）应为单位编号的数组");
    } else {
      std::vector<domain::UnitId> co;
      for (const json& item : v) {
        if (!item.is_number_integer() || item.get<int64_t>() <= 0) {
          return InvalidArgument("字段 co_units（协办单位）应为单位编号的数组");
        }
        HOTLINE_RETURN_IF_ERROR(CheckUnit(config.org, item.get<int64_t>(), "协办单位"));
        domain::UnitId id{item.get<int64_t>()};
        if (std::find(co.begin(), co.end(), id) != co.end()) {
          return InvalidArgument(fmt::format("协办单位重复: #{}", id.value()));
        }
        co.push_back(id);
      }
      rule.co_units = std::move(co);
    }
  }
  if (std::find(rule.co_units.begin(), rule.co_units.end(), rule.lead_unit) !=
      rule.co_units.end()) {
    return InvalidArgument("主办单位不能同时是协办单位");
  }
  if (body.contains("priority")) {
    const json& v = body["priority"];
    if (!v.is_number_integer() || v.get<int64_t>() < -kMaxPriority ||
        v.get<int64_t>() > kMaxPriority) {
      return InvalidArgument(fmt::format("字段 priority（优先级）应为 {} 到 {} 之间的整数",
                                         -kMaxPriority, kMaxPriority));
    }
    rule.priority = static_cast<int>(v.get<int64_t>());
  }
  if (body.contains("valid_from")) {
    HOTLINE_ASSIGN_OR_RETURN(rule.valid_from, TimeField(body, "valid_from", "生效时间"));
  }
  if (body.contains("valid_to")) {
    HOTLINE_ASSIGN_OR_RETURN(rule.valid_to, TimeField(body, "valid_to", "失效时间"));
  }
  if (rule.valid_from && rule.valid_to && *rule.valid_to <= *rule.valid_from) {
    return InvalidArgument("失效时间应晚于生效时间");
  }
  if (body.contains("note")) {
    const json& v = body["note"];
    if (v.is_null()) {
      rule.note.clear();
    } else if (!v.is_string()) {
      return InvalidArgument("字段 note（备注）应为字符串");
    } else if (Chars(v.get<std::string>()) > kMaxNote) {
      return InvalidArgument(fmt::format("备注过长（最多 {} 个字）", kMaxNote));
    } else {
      rule.note = v.get<std::string>();
    }
  }
  return OkStatus();
}

// The directory with `rule` added or replaced, refused if it names unknown things or
// conflicts with another rule.
Result<domain::RoutingDirectory> WithRule(const domain::RoutingDirectory& current,
                                          const domain::RoutingRule& rule) {
  std::vector<domain::RoutingRule> rules;
  bool replaced = false;
  for (const auto& r : current.rules()) {
    if (r.id == rule.id) {
      rules.push_back(rule);
      replaced = true;
    } else {
      rules.push_back(r);
    }
  }
  if (!replaced) {
    rules.push_back(rule);
  }
  domain::RoutingDirectory next(std::move(rules), current.fallback_unit());
  for (const auto& c : next.Conflicts()) {
    if (c.a == rule.id || c.b == rule.id) {
      domain::RuleId other = c.a == rule.id ? c.b : c.a;
      return InvalidArgument(
          fmt::format("与规则 #{} 冲突：{}。请调整优先级或有效期，或先修改规则 #{}", other.value(),
                      c.why, other.value()));
    }
  }
  return next;
}

// Gaps of the directory at the county and township levels, as JSON.
json GapsJson(const app::HotlineConfig& config, Instant now) {
  json out = json::array();
  for (auto level : {domain::UnitLevel::kCounty, domain::UnitLevel::kTownship}) {
    for (const auto& g : config.routing.Gaps(config.categories, config.org, level, now)) {
      const domain::Region* r = config.org.FindRegion(g.region);
      out.push_back({{"category", g.category.value()},
                     {"category_path", config.categories.PathOf(g.category)},
                     {"region", g.region.value()},
                     {"region_name", r != nullptr ? r->name : ""},
                     {"region_level", domain::Code(level)}});
    }
  }
  return out;
}

std::shared_ptr<app::HotlineConfig> CopyOf(const app::TicketService& service) {
  return std::make_shared<app::HotlineConfig>(*service.config());
}

// A category's name from the body: required text of at most 32 characters without the "/"
// that separates the levels of a category path.
Result<std::string> CategoryName(const json& body) {
  HOTLINE_ASSIGN_OR_RETURN(auto name, TextField(body, "name", "分类名称", 32, true));
  if (name->find('/') != std::string::npos) {
    return InvalidArgument("分类名称不能含有 /（它分隔分类路径）");
  }
  return std::move(*name);
}

// Builds the category tree of `cats`, saves it in `directory` and puts it in `next`; the
// error response when the tree is not valid or cannot be saved (nothing changed then).
std::optional<HttpResponse> SaveCategories(ports::DirectoryStore& directory,
                                           app::HotlineConfig& next,
                                           std::vector<domain::Category> cats) {
  auto built = domain::CategoryTree::Build(std::move(cats));
  if (!built.has_value()) {
    return FromError(built.error());
  }
  if (auto st = directory.SaveCategories(*built); !st.has_value()) {
    return FromError(st.error());
  }
  next.categories = std::move(*built);
  return std::nullopt;
}

// Builds the organisation of `next`'s regions with `units` and `users`, saves it in
// `directory`, with `password` (a user's new password hash) when given, and puts it in
// `next`; the error response when the tree is not valid or a write fails. Nothing is changed
// then: when the password cannot be written, the organisation saved before is put back.
std::optional<HttpResponse> SaveOrg(
    ports::DirectoryStore& directory, app::HotlineConfig& next, std::vector<domain::Unit> units,
    std::vector<domain::User> users,
    const std::optional<std::pair<domain::UserId, std::string>>& password = std::nullopt) {
  auto built = domain::OrgTree::Build(next.org.regions(), std::move(units), std::move(users));
  if (!built.has_value()) {
    return FromError(built.error());
  }
  if (auto st = directory.SaveOrg(*built); !st.has_value()) {
    return FromError(st.error());
  }
  if (password) {
    if (auto st = directory.SetPasswordHash(password->first, password->second); !st.has_value()) {
      (void)directory.SaveOrg(next.org);  // undo: no user without their password
      return FromError(st.error());
    }
  }
  next.org = std::move(*built);
  return std::nullopt;
}

bool IsAdminPath(const std::vector<std::string>& parts) {
  static const std::set<std::string> kResources = {"users",    "units",    "categories",
                                                   "policies", "calendar", "routing"};
  return parts.size() >= 2 && parts[0] == "admin" && kResources.contains(parts[1]);
}

}  // namespace

const std::vector<AdminApi::Route>& AdminApi::Table() {
  using A = AdminApi;
  static const std::vector<Route> table = {
      {{"get", "/api/v1/admin/users", "用户列表（管理员）", true}, &A::Users},
      {{"post", "/api/v1/admin/users", "新建用户：login, name, role, unit, password（管理员）",
        true},
       &A::CreateUser},
      {{"patch", "/api/v1/admin/users/{login}",
        "修改用户：name, role, unit, active, password（管理员）", true},
       &A::UpdateUser},
      {{"get", "/api/v1/admin/units", "单位列表，含停用的单位（管理员）", true}, &A::ListUnits},
      {{"post", "/api/v1/admin/units",
        "新建单位：code, name, level, kind, parent, region（管理员）", true},
       &A::CreateUnit},
      {{"patch", "/api/v1/admin/units/{id}",
        "修改单位：name, level, kind, parent, region, active（管理员）", true},
       &A::UpdateUnit},
      {{"post", "/api/v1/admin/categories", "新建诉求分类：name, parent（管理员）", true},
       &A::CreateCategory},
      {{"patch", "/api/v1/admin/categories/{id}", "修改诉求分类名称（管理员）", true},
       &A::UpdateCategory},
      {{"get", "/api/v1/admin/policies", "时限策略：诉求类型 × 紧急程度（管理员）", true},
       &A::GetPolicies},
      {{"put", "/api/v1/admin/policies", "修改时限策略（管理员）", true}, &A::PutPolicies},
      {{"get", "/api/v1/admin/calendar", "工作日历：某年（year）的节假日与调休上班日（管理员）",
        true},
       &A::GetCalendar},
      {{"get", "/api/v1/calendar",
        "工作日历（只读，所有工作人员）：某年的节假日、调休上班日与办公时间", true},
       &A::GetCalendar},
      {{"put", "/api/v1/admin/calendar",
        "替换某年的节假日与调休上班日，或以 text 替换整个日历文件（管理员）", true},
       &A::PutCalendar},
      {{"get", "/api/v1/admin/routing", "派单目录：规则与兜底单位（管理员）", true},
       &A::GetRouting},
      {{"post", "/api/v1/admin/routing",
        "新增派单规则：category, region, lead_unit, co_units, priority, valid_from, valid_to, "
        "note（管理员）",
        true},
       &A::CreateRule},
      {{"patch", "/api/v1/admin/routing/{id}", "修改派单规则（管理员）", true}, &A::UpdateRule},
      {{"delete", "/api/v1/admin/routing/{id}", "删除派单规则（管理员）", true}, &A::DeleteRule},
      {{"put", "/api/v1/admin/routing/fallback", "设置兜底单位：unit（管理员）", true},
       &A::PutFallback},
      {{"get", "/api/v1/admin/routing/history", "派单目录修改历史：谁、何时、修改前后（管理员）",
        true},
       &A::RoutingHistory},
      {{"get", "/api/v1/admin/routing/check",
        "派单目录检查：无承办单位的分类 × 区域（缺口）与相互冲突的规则（管理员）", true},
       &A::CheckRouting},
  };
  return table;
}

std::vector<RouteDoc> AdminApi::Routes() const { return RouteDocs(Table()); }

std::optional<HttpResponse> AdminApi::Handle(RequestContext& ctx) {
  const Route* route = FindRoute(Table(), ctx);
  if (!IsAdminPath(ctx.parts)) {
    // The one route outside /admin, GET /calendar, is for every staff member: the console
    // counts deadlines down in working time.
    return route != nullptr ? std::optional((this->*route->handler)(ctx)) : std::nullopt;
  }
  if (ctx.actor.role != domain::Role::kAdmin) {
    return Forbidden("只有系统管理员可以管理用户、组织机构、分类、时限、日历和派单目录");
  }
  if (route != nullptr) {
    return (this->*route->handler)(ctx);
  }
  if (ctx.parts.size() <= 3) {
    return ErrorResponse(405, "method_not_allowed",
                         "不支持的方法: " + ctx.method() + " " + ctx.path);
  }
  return NotFoundResponse("没有这个接口: " + ctx.path);
}

// ---- Users ----

HttpResponse AdminApi::Users(RequestContext& ctx) {
  json arr = json::array();
  for (const auto& u : ctx.config->org.users()) {
    arr.push_back(UserJson(u, ctx.config->org));
  }
  return Json(200, {{"users", arr}});
}

HttpResponse AdminApi::CreateUser(RequestContext& ctx) {
  auto body = ParseBody(ctx.req);
  if (!body.has_value()) {
    return FromError(body.error());
  }
  if (auto unknown = UnknownField(*body, {"login", "name", "role", "unit", "password", "active"})) {
    return UnknownFieldResponse(*unknown);
  }
  auto login = TextField(*body, "login", "登录名", 64, true);
  auto name = TextField(*body, "name", "姓名", kMaxName, true);
  auto role_text = TextField(*body, "role", "角色", 32, true);
  auto unit = IdField(*body, "unit", "所属单位");
  auto password = TextField(*body, "password", "密码", kMaxPassword, true);
  auto active = BoolField(*body, "active", "是否启用");
  if (auto bad = FirstError(login, name, role_text, unit, password, active)) {
    return std::move(*bad);
  }
  if (!IsCode(**login)) {
    return BadRequest("登录名只能由字母、数字和 - _ . 组成（最多 64 个字符）");
  }
  auto role = domain::ParseRole(**role_text);
  if (!role) {
    return BadRequest("未知角色: " + **role_text);
  }
  if (*role == domain::Role::kSystem) {
    return BadRequest("不能创建“系统”角色的用户");
  }
  if (!unit->has_value() || **unit == 0) {
    return BadRequest("缺少字段 unit（所属单位）");
  }
  if (Chars(**password) < kMinPassword) {
    return BadRequest(fmt::format("密码至少 {} 个字符", kMinPassword));
  }

  std::lock_guard lock(write_mu_);
  auto next = CopyOf(service_);
  const domain::OrgTree& org = next->org;
  if (org.FindUserByLogin(**login) != nullptr) {
    return ErrorResponse(409, "already_exists", "登录名已存在: " + **login);
  }
  if (auto st = CheckUnit(org, **unit, "所属单位"); !st.has_value()) {
    return FromError(st.error());
  }
  int64_t id = 0;
  for (const auto& u : org.users()) {
    id = std::max(id, u.id.value());
  }
  domain::User user{domain::UserId{id + 1}, **login, **name, *role, domain::UnitId{**unit},
                    active->value_or(true)};
  std::vector<domain::User> users = org.users();
  users.push_back(user);
  auto hash = security::HashPassword(**password);
  if (!hash.has_value()) {
    return FromError(hash.error());
  }
  if (auto bad = SaveOrg(directory_, *next, org.units(), std::move(users),
                         std::pair{user.id, std::move(*hash)})) {
    return std::move(*bad);
  }
  json out = UserJson(user, next->org);
  service_.SwapConfig(next);
  ctx.audit("admin.user.create", user.login, out.dump());
  return Json(201, out);
}

HttpResponse AdminApi::UpdateUser(RequestContext& ctx) {
  const std::string& login = ctx.parts[2];
  auto body = ParseBody(ctx.req);
  if (!body.has_value()) {
    return FromError(body.error());
  }
  if (auto unknown = UnknownField(*body, {"login", "name", "role", "unit", "password", "active"})) {
    return UnknownFieldResponse(*unknown);
  }
  if (body->contains("login") && (*body)["login"] != login) {
    return BadRequest("登录名不能修改");
  }
  auto name = TextField(*body, "name", "姓名", kMaxName, false);
  auto role_text = TextField(*body, "role", "角色", 32, false);
  auto unit = IdField(*body, "unit", "所属单位");
  auto active = BoolField(*body, "active", "是否启用");
  std::optional<std::string> password;
  if (body->contains("password") &&
      !((*body)["password"].is_string() && (*body)["password"].get<std::string>().empty())) {
    auto p = TextField(*body, "password", "密码", kMaxPassword, false);
    if (!p.has_value()) {
      return FromError(p.error());
    }
    if (Chars(**p) < kMinPassword) {
      return BadRequest(fmt::format("密码至少 {} 个字符", kMinPassword));
    }
    password = **p;
  }
  if (auto bad = FirstError(name, role_text, unit, active)) {
    return std::move(*bad);
  }

  std::lock_guard lock(write_mu_);
  auto next = CopyOf(service_);
  const domain::OrgTree& org = next->org;
  const domain::User* current = org.FindUserByLogin(login);
  if (current == nullptr) {
    return NotFoundResponse("用户不存在: " + login);
  }
  domain::User user = *current;
  if (*name) {
    user.name = **name;
  }
  if (*role_text) {
    auto role = domain::ParseRole(**role_text);
    if (!role) {
      return BadRequest("未知角色: " + **role_text);
    }
    if (*role == domain::Role::kSystem && current->role != domain::Role::kSystem) {
      return BadRequest("不能把用户改为“系统”角色");
    }
    user.role = *role;
  }
  if (*unit) {
    if (**unit != current->unit.value()) {
      if (auto st = CheckUnit(org, **unit, "所属单位"); !st.has_value()) {
        return FromError(st.error());
      }
    }
    user.unit = domain::UnitId{**unit};
  }
  if (*active) {
    user.active = **active;
  }
  if (login == ctx.login && (!user.active || user.role != domain::Role::kAdmin)) {
    return BadRequest("不能停用自己的账号，也不能取消自己的管理员角色");
  }
  std::vector<domain::User> users;
  for (const auto& u : org.users()) {
    users.push_back(u.id == user.id ? user : u);
  }
  std::optional<std::pair<domain::UserId, std::string>> hash;
  if (password) {
    auto h = security::HashPassword(*password);
    if (!h.has_value()) {
      return FromError(h.error());
    }
    hash.emplace(user.id, std::move(*h));
  }
  json before = UserJson(*current, org);
  if (auto bad = SaveOrg(directory_, *next, org.units(), std::move(users), hash)) {
    return std::move(*bad);
  }
  json after = UserJson(user, next->org);
  service_.SwapConfig(next);
  ctx.audit("admin.user.update", login,
            json{{"before", before}, {"after", after}, {"password_changed", password.has_value()}}
                .dump());
  return Json(200, after);
}

// ---- Units ----

HttpResponse AdminApi::ListUnits(RequestContext& ctx) {
  json arr = json::array();
  for (const auto& u : ctx.config->org.units()) {
    arr.push_back(UnitJson(u, ctx.config->org));
  }
  return Json(200, {{"units", arr}});
}

HttpResponse AdminApi::CreateUnit(RequestContext& ctx) {
  UnitBody b;
  if (auto bad = ParseUnitBody(ctx.req, /*create=*/true, b)) {
    return std::move(*bad);
  }
  if (!IsCode(*b.code)) {
    return BadRequest("单位代码只能由字母、数字和 - _ . 组成（最多 64 个字符）");
  }
  auto level = domain::ParseUnitLevel(*b.level);
  if (!level) {
    return UnknownLevel(*b.level);
  }
  auto kind = domain::ParseUnitKind(*b.kind);
  if (!kind) {
    return UnknownKind(*b.kind);
  }
  if (!b.parent.has_value() || *b.parent == 0) {
    return BadRequest("缺少字段 parent（上级单位）");
  }
  if (!b.region.has_value() || *b.region == 0) {
    return BadRequest("缺少字段 region（所属区域）");
  }

  std::lock_guard lock(write_mu_);
  auto next = CopyOf(service_);
  const domain::OrgTree& org = next->org;
  if (org.FindUnitByCode(*b.code) != nullptr) {
    return ErrorResponse(409, "already_exists", "单位代码已存在: " + *b.code);
  }
  if (org.FindUnit(domain::UnitId{*b.parent}) == nullptr) {
    return BadRequest(fmt::format("上级单位不存在: #{}", *b.parent));
  }
  if (org.FindRegion(domain::RegionId{*b.region}) == nullptr) {
    return BadRequest(fmt::format("所属区域不存在: #{}", *b.region));
  }
  int64_t id = 0;
  for (const auto& u : org.units()) {
    id = std::max(id, u.id.value());
  }
  domain::Unit unit{domain::UnitId{id + 1},
                    *b.code,
                    *b.name,
                    *level,
                    *kind,
                    domain::UnitId{*b.parent},
                    domain::RegionId{*b.region},
                    b.active.value_or(true)};
  std::vector<domain::Unit> units = org.units();
  units.push_back(unit);
  if (auto bad = SaveOrg(directory_, *next, std::move(units), org.users())) {
    return std::move(*bad);
  }
  json out = UnitJson(unit, next->org);
  service_.SwapConfig(next);
  ctx.audit("admin.unit.create", unit.code, out.dump());
  return Json(201, out);
}

HttpResponse AdminApi::UpdateUnit(RequestContext& ctx) {
  auto uid = domain::ParseInt64(ctx.parts[2]);
  if (!uid.has_value()) {
    return BadRequest("单位编号应为整数");
  }
  UnitBody b;
  if (auto bad = ParseUnitBody(ctx.req, /*create=*/false, b)) {
    return std::move(*bad);
  }

  std::lock_guard lock(write_mu_);
  auto next = CopyOf(service_);
  const domain::OrgTree& org = next->org;
  const domain::Unit* current = org.FindUnit(domain::UnitId{*uid});
  if (current == nullptr) {
    return NotFoundResponse(fmt::format("单位不存在: #{}", *uid));
  }
  if (b.raw.contains("id") && b.raw["id"] != *uid) {
    return BadRequest("单位编号不能修改");
  }
  if (b.raw.contains("code") && b.raw["code"] != current->code) {
    return BadRequest("单位代码不能修改（登录名、接口和历史记录都引用它）");
  }
  domain::Unit unit = *current;
  if (b.name) {
    unit.name = *b.name;
  }
  if (b.level) {
    auto level = domain::ParseUnitLevel(*b.level);
    if (!level) {
      return UnknownLevel(*b.level);
    }
    unit.level = *level;
  }
  if (b.kind) {
    auto kind = domain::ParseUnitKind(*b.kind);
    if (!kind) {
      return UnknownKind(*b.kind);
    }
    unit.kind = *kind;
  }
  if (b.parent) {
    if (*b.parent == 0 && current->parent.valid()) {
      return BadRequest("只有热线中心可以没有上级单位");
    }
    if (*b.parent == unit.id.value()) {
      return BadRequest("上级单位不能是本单位");
    }
    if (*b.parent != 0 && org.FindUnit(domain::UnitId{*b.parent}) == nullptr) {
      return BadRequest(fmt::format("上级单位不存在: #{}", *b.parent));
    }
    unit.parent = domain::UnitId{*b.parent};
  }
  if (b.region) {
    if (org.FindRegion(domain::RegionId{*b.region}) == nullptr) {
      return BadRequest(fmt::format("所属区域不存在: #{}", *b.region));
    }
    unit.region = domain::RegionId{*b.region};
  }
  if (b.active) {
    unit.active = *b.active;
  }
  if (!unit.active && current->active) {
    if (!current->parent.valid()) {
      return BadRequest("不能停用热线中心");
    }
    const auto& routing = next->routing;
    if (routing.fallback_unit() == unit.id) {
      return BadRequest("该单位是派单目录的兜底单位，请先更换兜底单位");
    }
    for (const auto& r : routing.rules()) {
      if (r.lead_unit == unit.id ||
          std::find(r.co_units.begin(), r.co_units.end(), unit.id) != r.co_units.end()) {
        return BadRequest(
            fmt::format("该单位仍在派单目录规则 #{} 中，请先修改该规则", r.id.value()));
      }
    }
  }
  std::vector<domain::Unit> units;
  for (const auto& u : org.units()) {
    units.push_back(u.id == unit.id ? unit : u);
  }
  json before = UnitJson(*current, org);
  if (auto bad = SaveOrg(directory_, *next, std::move(units), org.users())) {
    return std::move(*bad);
  }
  json after = UnitJson(unit, next->org);
  service_.SwapConfig(next);
  ctx.audit("admin.unit.update", unit.code, json{{"before", before}, {"after", after}}.dump());
  return Json(200, after);
}

// ---- Categories ----

HttpResponse AdminApi::CreateCategory(RequestContext& ctx) {
  auto body = ParseBody(ctx.req);
  if (!body.has_value()) {
    return FromError(body.error());
  }
  if (auto unknown = UnknownField(*body, {"name", "parent"})) {
    return UnknownFieldResponse(*unknown);
  }
  auto name = CategoryName(*body);
  if (!name.has_value()) {
    return FromError(name.error());
  }
  auto parent = IdField(*body, "parent", "上级分类");
  if (!parent.has_value()) {
    return FromError(parent.error());
  }
  domain::CategoryId parent_id{parent->value_or(0)};

  std::lock_guard lock(write_mu_);
  auto next = CopyOf(service_);
  const domain::CategoryTree& tree = next->categories;
  int level = 1;
  if (parent_id.valid()) {
    const domain::Category* p = tree.Find(parent_id);
    if (p == nullptr) {
      return BadRequest(fmt::format("上级分类不存在: #{}", parent_id.value()));
    }
    if (p->level >= 3) {
      return BadRequest("分类最多三级，不能在三级分类下再建分类");
    }
    level = p->level + 1;
  }
  int64_t id = 0;
  for (const auto& c : tree.all()) {
    id = std::max(id, c.id.value());
    if (c.parent == parent_id && c.name == *name) {
      return ErrorResponse(409, "already_exists", "同一上级下已有同名分类: " + *name);
    }
  }
  domain::Category cat{domain::CategoryId{id + 1}, *name, parent_id, level};
  std::vector<domain::Category> cats = tree.all();
  cats.push_back(cat);
  if (auto bad = SaveCategories(directory_, *next, std::move(cats))) {
    return std::move(*bad);
  }
  json out = CategoryJson(cat, next->categories);
  service_.SwapConfig(next);
  ctx.audit("admin.category.create", std::to_string(cat.id.value()), out.dump());
  return Json(201, out);
}

HttpResponse AdminApi::UpdateCategory(RequestContext& ctx) {
  auto cid = domain::ParseInt64(ctx.parts[2]);
  if (!cid.has_value()) {
    return BadRequest("分类编号应为整数");
  }
  auto body = ParseBody(ctx.req);
  if (!body.has_value()) {
    return FromError(body.error());
  }
  if (auto unknown = UnknownField(*body, {"id", "name"})) {
    return UnknownFieldResponse(*unknown);
  }
  auto name = CategoryName(*body);
  if (!name.has_value()) {
    return FromError(name.error());
  }

  std::lock_guard lock(write_mu_);
  auto next = CopyOf(service_);
  const domain::CategoryTree& tree = next->categories;
  const domain::Category* current = tree.Find(domain::CategoryId{*cid});
  if (current == nullptr) {
    return NotFoundResponse(fmt::format("分类不存在: #{}", *cid));
  }
  if (body->contains("id") && (*body)["id"] != *cid) {
    return BadRequest("分类编号不能修改");
  }
  std::vector<domain::Category> cats;
  for (const auto& c : tree.all()) {
    if (c.id != current->id && c.parent == current->parent && c.name == *name) {
      return ErrorResponse(409, "already_exists", "同一上级下已有同名分类: " + *name);
    }
    cats.push_back(c);
    if (c.id == current->id) {
      cats.back().name = *name;
    }
  }
  json before = CategoryJson(*current, tree);
  if (auto bad = SaveCategories(directory_, *next, std::move(cats))) {
    return std::move(*bad);
  }
  json after = CategoryJson(*next->categories.Find(domain::CategoryId{*cid}), next->categories);
  service_.SwapConfig(next);
  ctx.audit("admin.category.update", std::to_string(*cid),
            json{{"before", before}, {"after", after}}.dump());
  return Json(200, after);
}

// ---- Time-limit policies ----

HttpResponse AdminApi::GetPolicies(RequestContext& ctx) {
  json arr = json::array();
  for (auto type : domain::kAllRequestTypes) {
    for (auto urgency : domain::kAllUrgencies) {
      arr.push_back(PolicyJson(ctx.config->policies.For(type, urgency)));
    }
  }
  return Json(200, {{"policies", arr},
                    {"format",
                     "时限写法: 10wd = 10个工作日, 2wh = 2个工作小时, 24h = 24小时（自然"
                     "时间）；remind 为答复期限前多久提醒，0wd 为不提醒"}});
}

HttpResponse AdminApi::PutPolicies(RequestContext& ctx) {
  auto body = ParseBody(ctx.req);
  if (!body.has_value()) {
    return FromError(body.error());
  }
  if (auto unknown = UnknownField(*body, {"policies", "format", "text"})) {
    return UnknownFieldResponse(*unknown);
  }
  std::lock_guard lock(write_mu_);
  auto next = CopyOf(service_);
  domain::TimeLimitPolicies policies = next->policies;
  if (body->contains("text")) {
    if (!(*body)["text"].is_string()) {
      return BadRequest("字段 text（时限策略文件）应为字符串");
    }
    auto parsed = domain::TimeLimitPolicies::Parse((*body)["text"].get<std::string>());
    if (!parsed.has_value()) {
      return BadRequest("时限策略文件有误: " + parsed.error().message);
    }
    policies = *parsed;
  } else {
    if (!body->contains("policies") || !(*body)["policies"].is_array()) {
      return BadRequest("需要字段 policies（时限策略的数组）或 text（时限策略文件）");
    }
    std::set<std::pair<domain::RequestType, domain::Urgency>> seen;
    for (const json& item : (*body)["policies"]) {
      if (!item.is_object()) {
        return BadRequest("policies 的每一项应为对象 {type, urgency, sign, reply, remind}");
      }
      if (auto unknown = UnknownField(
              item, {"type", "type_name", "urgency", "urgency_name", "sign", "reply", "remind"})) {
        return UnknownFieldResponse(*unknown);
      }
      const auto type = domain::ParseRequestType(StringAt(item, "type"));
      const auto urgency = domain::ParseUrgency(StringAt(item, "urgency"));
      if (!type || !urgency) {
        return BadRequest("每条时限策略需要有效的 type（诉求类型）和 urgency（紧急程度）: " +
                          item.dump());
      }
      std::string which =
          fmt::format("{}/{}", domain::ChineseName(*type), domain::ChineseName(*urgency));
      if (!seen.insert({*type, *urgency}).second) {
        return BadRequest("时限策略重复: " + which);
      }
      domain::TimeLimitPolicy p = policies.For(*type, *urgency);
      for (auto [key, target] : {std::pair{"sign", &p.sign}, std::pair{"reply", &p.reply},
                                 std::pair{"remind", &p.remind_before_reply}}) {
        if (!item.contains(key)) {
          continue;
        }
        if (!item[key].is_string()) {
          return BadRequest(fmt::format("{} 的 {} 应为字符串，如 10wd", which, key));
        }
        auto limit = domain::ParseTimeLimit(item[key].get<std::string>());
        if (!limit.has_value()) {
          return BadRequest(fmt::format(
              "{} 的 {} 时限格式错误: {}（应为数字加单位：10wd 工作日、2wh 工作小时、24h 小时）",
              which, key, item[key].get<std::string>()));
        }
        *target = *limit;
      }
      if (p.sign.amount <= 0 || p.reply.amount <= 0) {
        return BadRequest(which + " 的签收和答复时限必须大于 0");
      }
      if (auto st = policies.Set(p); !st.has_value()) {
        return BadRequest(which + " 的时限无效");
      }
    }
  }
  std::string text = policies.Serialise();
  if (auto check = domain::TimeLimitPolicies::Parse(text); !check.has_value()) {
    return FromError(check.error());
  }
  json changed = json::array();
  for (auto type : domain::kAllRequestTypes) {
    for (auto urgency : domain::kAllUrgencies) {
      auto a = next->policies.For(type, urgency);
      auto b = policies.For(type, urgency);
      if (!(a == b)) {
        changed.push_back({{"before", PolicyJson(a)}, {"after", PolicyJson(b)}});
      }
    }
  }
  if (auto st = directory_.PutSetting(app::kPoliciesSetting, text); !st.has_value()) {
    return FromError(st.error());
  }
  next->policies = policies;
  service_.SwapConfig(next);
  ctx.audit("admin.policies.update", "time_limit_policies", changed.dump());
  return Json(200, {{"ok", true}, {"changed", changed.size()}});
}

// ---- Working calendar ----

HttpResponse AdminApi::GetCalendar(RequestContext& ctx) {
  int year = static_cast<int>(domain::LocalDate(ctx.now).year());
  if (auto it = ctx.query.find("year"); it != ctx.query.end() && !it->second.empty()) {
    auto y = domain::ParseInt64(it->second);
    if (!y.has_value() || *y < 1970 || *y > 2100) {
      return BadRequest("参数 year 应为 1970 到 2100 之间的年份");
    }
    year = static_cast<int>(*y);
  }
  const domain::WorkCalendar& cal = ctx.config->calendar;
  json holidays = json::array();
  json workdays = json::array();
  for (const auto& e : cal.Entries(std::chrono::year{year})) {
    (e.working ? workdays : holidays).push_back({{"date", DateText(e.day)}, {"name", e.name}});
  }
  json hours = json::array();
  for (const auto& h : cal.OfficeHours()) {
    hours.push_back(MinutesText(h.start_minute) + "-" + MinutesText(h.end_minute));
  }
  return Json(200, {{"year", year},
                    {"covered", cal.Covers(std::chrono::year{year})},
                    {"office_hours", hours},
                    {"holidays", holidays},
                    {"workdays", workdays}});
}

HttpResponse AdminApi::PutCalendar(RequestContext& ctx) {
  auto body = ParseBody(ctx.req);
  if (!body.has_value()) {
    return FromError(body.error());
  }
  if (auto unknown = UnknownField(
          *body, {"year", "covered", "office_hours", "holidays", "workdays", "text"})) {
    return UnknownFieldResponse(*unknown);
  }
  std::lock_guard lock(write_mu_);
  auto next = CopyOf(service_);
  domain::WorkCalendar cal = next->calendar;
  json detail;
  if (body->contains("text")) {
    if (!(*body)["text"].is_string()) {
      return BadRequest("字段 text（日历文件）应为字符串");
    }
    auto parsed = domain::WorkCalendar::Parse((*body)["text"].get<std::string>());
    if (!parsed.has_value()) {
      return BadRequest("日历文件有误: " + parsed.error().message);
    }
    cal = std::move(*parsed);
    detail = {{"text", true}};
  } else {
    std::optional<int64_t> year;
    if (auto it = ctx.query.find("year"); it != ctx.query.end() && !it->second.empty()) {
      auto y = domain::ParseInt64(it->second);
      if (!y.has_value()) {
        return BadRequest("参数 year 应为年份");
      }
      year = *y;
    }
    if (body->contains("year")) {
      if (!(*body)["year"].is_number_integer()) {
        return BadRequest("字段 year 应为年份（整数）");
      }
      if (year && *year != (*body)["year"].get<int64_t>()) {
        return BadRequest("参数 year 与请求体中的 year 不一致");
      }
      year = (*body)["year"].get<int64_t>();
    }
    if (!year || *year < 1970 || *year > 2100) {
      return BadRequest("需要年份 year（1970 到 2100），在参数或请求体中");
    }
    if (!body->contains("holidays") || !(*body)["holidays"].is_array() ||
        !body->contains("workdays") || !(*body)["workdays"].is_array()) {
      return BadRequest(
          "需要数组 holidays（节假日）和 workdays（调休上班日），每项为 {date, name}；"
          "它们替换该年的全部条目");
    }
    // The entries of the year, by date: true = make-up working day.
    std::map<std::string, std::pair<bool, std::string>> days;
    for (auto [key, working] : {std::pair{"holidays", false}, std::pair{"workdays", true}}) {
      for (const json& item : (*body)[key]) {
        std::string from;
        std::string to;
        std::string name;
        if (item.is_string()) {
          from = to = item.get<std::string>();
        } else if (item.is_object()) {
          if (auto unknown = UnknownField(item, {"date", "from", "to", "name"})) {
            return UnknownFieldResponse(*unknown);
          }
          auto str = [&item](const char* k) { return StringAt(item, k); };
          from = !str("date").empty() ? str("date") : str("from");
          to = !str("date").empty() ? str("date") : (str("to").empty() ? from : str("to"));
          name = str("name");
          if (item.contains("name") && !item["name"].is_string()) {
            return BadRequest("日历条目的 name 应为字符串");
          }
        } else {
          return BadRequest("日历条目应为 {date, name} 或日期字符串");
        }
        auto a = ParseDate(from);
        auto b = ParseDate(to);
        if (!a || !b || std::chrono::sys_days(*b) < std::chrono::sys_days(*a)) {
          return BadRequest("日期格式错误: " + item.dump() + "（应为 YYYY-MM-DD）");
        }
        if (Chars(name) > 32) {
          return BadRequest("日历条目名称过长（最多 32 个字）: " + name);
        }
        if (name.empty()) {
          name = working ? "调休上班" : "节假日";
        }
        for (auto d = std::chrono::sys_days(*a); d <= std::chrono::sys_days(*b);
             d += std::chrono::days(1)) {
          std::chrono::year_month_day ymd(d);
          if (static_cast<int>(ymd.year()) != *year) {
            return BadRequest(fmt::format("日期 {} 不在 {} 年内", DateText(ymd), *year));
          }
          if (!days.emplace(DateText(ymd), std::pair{working, name}).second) {
            return BadRequest("日期重复: " + DateText(ymd));
          }
          if (days.size() > 366) {
            return BadRequest("条目过多");
          }
        }
      }
    }
    if (body->contains("office_hours")) {
      const json& oh = (*body)["office_hours"];
      std::vector<domain::OfficeInterval> intervals;
      if (!oh.is_array()) {
        return BadRequest("office_hours 应为 [\"08:30-12:00\", \"14:30-17:30\"] 这样的数组");
      }
      for (const json& item : oh) {
        int h1 = 0, m1 = 0, h2 = 0, m2 = 0;
        char extra = 0;
        if (!item.is_string() ||
            std::sscanf(item.get<std::string>().c_str(), "%d:%d-%d:%d%c", &h1, &m1, &h2, &m2,
                        &extra) != 4 ||
            m1 < 0 || m1 > 59 || m2 < 0 || m2 > 59 || h1 < 0 || h2 < 0) {
          return BadRequest("办公时间格式错误: " + item.dump() + "（应为 HH:MM-HH:MM）");
        }
        intervals.push_back({h1 * 60 + m1, h2 * 60 + m2});
      }
      if (auto st = cal.SetOfficeHours(intervals); !st.has_value()) {
        return BadRequest("办公时间无效：应非空、按时间先后、互不重叠，且在 00:00-24:00 之内");
      }
    }
    for (const auto& e : cal.Entries(std::chrono::year{static_cast<int>(*year)})) {
      cal.ClearOverride(e.day);
    }
    int n_holidays = 0;
    int n_workdays = 0;
    for (const auto& [date, entry] : days) {
      auto d = *ParseDate(date);
      if (entry.first) {
        cal.SetWorkday(d, entry.second);
        ++n_workdays;
      } else {
        cal.SetHoliday(d, entry.second);
        ++n_holidays;
      }
    }
    detail = {{"year", *year}, {"holidays", n_holidays}, {"workdays", n_workdays}};
  }
  std::string text = cal.Serialise();
  auto check = domain::WorkCalendar::Parse(text);
  if (!check.has_value()) {
    return FromError(check.error());
  }
  if (auto st = directory_.PutSetting(app::kCalendarSetting, text); !st.has_value()) {
    return FromError(st.error());
  }
  next->calendar = std::move(*check);
  service_.SwapConfig(next);
  ctx.audit("admin.calendar.update", "calendar", detail.dump());
  json out = detail;
  out["ok"] = true;
  return Json(200, out);
}

// ---- Routing directory ----

HttpResponse AdminApi::GetRouting(RequestContext& ctx) {
  const auto& config = *ctx.config;
  json arr = json::array();
  for (const auto& r : config.routing.rules()) {
    arr.push_back(RuleJson(r, config));
  }
  const domain::Unit* fb = config.org.FindUnit(config.routing.fallback_unit());
  return Json(200, {{"rules", arr},
                    {"fallback_unit", config.routing.fallback_unit().value()},
                    {"fallback_unit_name", fb != nullptr ? fb->name : ""}});
}

HttpResponse AdminApi::CommitRouting(RequestContext& ctx, domain::RoutingDirectory directory,
                                     const std::string& action, int64_t rule,
                                     const std::string& before, const std::string& after,
                                     int status, const std::string& body) {
  ports::RoutingChange change{0, ctx.now, ctx.login, action, rule, before, after};
  if (auto st = directory_.SaveRoutingChange(directory, change); !st.has_value()) {
    return FromError(st.error());
  }
  auto next = CopyOf(service_);
  next->routing = std::move(directory);
  service_.SwapConfig(next);
  json detail = {{"before", before.empty() ? json(nullptr) : json::parse(before, nullptr, false)},
                 {"after", after.empty() ? json(nullptr) : json::parse(after, nullptr, false)}};
  ctx.audit("admin.routing." + action, rule != 0 ? fmt::format("rule:{}", rule) : "fallback",
            detail.dump());
  HttpResponse res = Json(status, json::parse(body));
  return res;
}

HttpResponse AdminApi::CreateRule(RequestContext& ctx) {
  auto body = ParseBody(ctx.req);
  if (!body.has_value()) {
    return FromError(body.error());
  }
  if (body->contains("id")) {
    return BadRequest("新规则的编号由系统分配，请勿提供 id");
  }
  std::lock_guard lock(write_mu_);
  auto config = service_.config();
  auto history = directory_.RoutingHistory();
  if (!history.has_value()) {
    return FromError(history.error());
  }
  // Ids are never reused, not even those of deleted rules, so the history stays readable.
  int64_t id = 0;
  for (const auto& r : config->routing.rules()) {
    id = std::max(id, r.id.value());
  }
  for (const auto& h : *history) {
    id = std::max(id, h.rule);
  }
  domain::RoutingRule rule;
  rule.id = domain::RuleId{id + 1};
  if (auto st = ApplyRuleFields(*body, rule, *config); !st.has_value()) {
    return FromError(st.error());
  }
  auto next = WithRule(config->routing, rule);
  if (!next.has_value()) {
    return FromError(next.error());
  }
  std::string after = RuleJson(rule, *config).dump();
  return CommitRouting(ctx, std::move(*next), "create", rule.id.value(), "", after, 201, after);
}

HttpResponse AdminApi::UpdateRule(RequestContext& ctx) {
  auto rid = domain::ParseInt64(ctx.parts[2]);
  if (!rid.has_value()) {
    return BadRequest("规则编号应为整数");
  }
  auto body = ParseBody(ctx.req);
  if (!body.has_value()) {
    return FromError(body.error());
  }
  std::lock_guard lock(write_mu_);
  auto config = service_.config();
  const domain::RoutingRule* current = FindRule(config->routing, *rid);
  if (current == nullptr) {
    return NotFoundResponse(fmt::format("派单规则不存在: #{}", *rid));
  }
  domain::RoutingRule rule = *current;
  if (auto st = ApplyRuleFields(*body, rule, *config); !st.has_value()) {
    return FromError(st.error());
  }
  auto next = WithRule(config->routing, rule);
  if (!next.has_value()) {
    return FromError(next.error());
  }
  std::string before = RuleJson(*current, *config).dump();
  std::string after = RuleJson(rule, *config).dump();
  return CommitRouting(ctx, std::move(*next), "update", rule.id.value(), before, after, 200, after);
}

HttpResponse AdminApi::DeleteRule(RequestContext& ctx) {
  auto rid = domain::ParseInt64(ctx.parts[2]);
  if (!rid.has_value()) {
    return BadRequest("规则编号应为整数");
  }
  std::lock_guard lock(write_mu_);
  auto config = service_.config();
  const domain::RoutingRule* current = FindRule(config->routing, *rid);
  if (current == nullptr) {
    return NotFoundResponse(fmt::format("派单规则不存在: #{}", *rid));
  }
  std::vector<domain::RoutingRule> rules;
  for (const auto& r : config->routing.rules()) {
    if (r.id != current->id) {
      rules.push_back(r);
    }
  }
  std::string before = RuleJson(*current, *config).dump();
  return CommitRouting(
      ctx, domain::RoutingDirectory(std::move(rules), config->routing.fallback_unit()), "delete",
      *rid, before, "", 200, json{{"ok", true}, {"deleted", json::parse(before)}}.dump());
}

HttpResponse AdminApi::PutFallback(RequestContext& ctx) {
  auto body = ParseBody(ctx.req);
  if (!body.has_value()) {
    return FromError(body.error());
  }
  if (auto unknown = UnknownField(*body, {"unit"})) {
    return UnknownFieldResponse(*unknown);
  }
  if (!body->contains("unit")) {
    return BadRequest("需要字段 unit（兜底单位编号；0 或 null 表示不设兜底单位）");
  }
  auto unit = IdField(*body, "unit", "兜底单位");
  if (!unit.has_value()) {
    return FromError(unit.error());
  }
  std::lock_guard lock(write_mu_);
  auto config = service_.config();
  if (**unit != 0) {
    if (auto st = CheckUnit(config->org, **unit, "兜底单位"); !st.has_value()) {
      return FromError(st.error());
    }
  }
  auto unit_json = [&](domain::UnitId id) {
    const domain::Unit* u = config->org.FindUnit(id);
    return json{{"fallback_unit", id.value()}, {"fallback_unit_name", u != nullptr ? u->name : ""}};
  };
  std::string before = unit_json(config->routing.fallback_unit()).dump();
  std::string after = unit_json(domain::UnitId{**unit}).dump();
  return CommitRouting(ctx,
                       domain::RoutingDirectory(config->routing.rules(), domain::UnitId{**unit}),
                       "fallback", 0, before, after, 200, after);
}

HttpResponse AdminApi::RoutingHistory(RequestContext& ctx) {
  std::optional<int64_t> only;
  if (auto it = ctx.query.find("rule"); it != ctx.query.end() && !it->second.empty()) {
    auto v = domain::ParseInt64(it->second);
    if (!v.has_value()) {
      return BadRequest("参数 rule 应为规则编号");
    }
    only = *v;
  }
  auto history = directory_.RoutingHistory();
  if (!history.has_value()) {
    return FromError(history.error());
  }
  json arr = json::array();
  for (auto it = history->rbegin(); it != history->rend(); ++it) {
    if (only && it->rule != *only) {
      continue;
    }
    auto doc = [](const std::string& s) {
      return s.empty() ? json(nullptr) : json::parse(s, nullptr, false);
    };
    arr.push_back({{"seq", it->seq},
                   {"at", FormatLocal(it->at)},
                   {"login", it->login},
                   {"action", it->action},
                   {"rule", it->rule},
                   {"before", doc(it->before)},
                   {"after", doc(it->after)}});
  }
  return Json(200, {{"history", arr}});
}

HttpResponse AdminApi::CheckRouting(RequestContext& ctx) {
  const auto& config = *ctx.config;
  json gaps = GapsJson(config, ctx.now);
  json conflicts = json::array();
  for (const auto& c : config.routing.Conflicts()) {
    conflicts.push_back({{"a", c.a.value()}, {"b", c.b.value()}, {"why", c.why}});
  }
  json problems = json::array();
  for (const auto& p : config.routing.Validate(config.categories, config.org)) {
    problems.push_back(p);
  }
  const domain::Unit* fb = config.org.FindUnit(config.routing.fallback_unit());
  return Json(200, {{"gaps", gaps},
                    {"conflicts", conflicts},
                    {"problems", problems},
                    {"fallback_unit", config.routing.fallback_unit().value()},
                    {"fallback_unit_name", fb != nullptr ? fb->name : ""},
                    {"ok", gaps.empty() && conflicts.empty() && problems.empty()}});
}

}  // namespace hotline::adapters::http
