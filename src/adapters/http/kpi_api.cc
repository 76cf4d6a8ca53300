#include "adapters/http/kpi_api.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "adapters/http/api_support.h"
#include "domain/fields.h"

namespace hotline::adapters::http {

using nlohmann::json;

namespace {

json KpisJson(const std::vector<domain::kpi::KpiValue>& values) {
  json out = json::array();
  for (const auto& v : values) {
    out.push_back({{"id", v.id},
                   {"name", v.name},
                   {"value", std::round(v.value * 100) / 100},
                   {"numerator", v.numerator},
                   {"denominator", v.denominator ? json(*v.denominator) : json(nullptr)},
                   {"unit", v.unit}});
  }
  return out;
}

json GroupsJson(const std::vector<app::KpiGroupValues>& groups, const char* key) {
  json out = json::array();
  for (const auto& g : groups) {
    json row{{key, g.id}, {"kpis", KpisJson(g.kpis)}};
    if (std::string(key) != "date") {
      row["name"] = g.name;
    }
    out.push_back(std::move(row));
  }
  return out;
}

template <typename Id>
Result<std::optional<Id>> IdParam(const RequestContext& ctx, const char* name) {
  auto it = ctx.query.find(name);
  if (it == ctx.query.end() || it->second.empty()) {
    return std::optional<Id>{};
  }
  auto v = domain::ParseInt64(it->second);
  if (!v.has_value() || *v <= 0) {
    return InvalidArgument(fmt::format("参数 {} 应为正整数编号: {}", name, it->second));
  }
  return std::optional<Id>{Id{*v}};
}

// The request's period and filters, narrowed to the actor's data scope.
Result<app::KpiRequest> RequestOf(const RequestContext& ctx, const app::KpiService& kpis) {
  app::KpiRequest r;
  auto get = [&](const char* k) {
    auto it = ctx.query.find(k);
    return it == ctx.query.end() ? std::string() : it->second;
  };
  r.from = get("from");
  r.to = get("to");
  if (r.from.empty() || r.to.empty()) {
    // Default: this month so far.
    std::string today = FormatLocalDate(ctx.now);
    if (r.to.empty()) {
      r.to = today;
    }
    if (r.from.empty()) {
      r.from = r.to.substr(0, 8) + "01";
    }
  }
  app::KpiScope s;
  HOTLINE_ASSIGN_OR_RETURN(s.unit, IdParam<domain::UnitId>(ctx, "unit"));
  HOTLINE_ASSIGN_OR_RETURN(s.region, IdParam<domain::RegionId>(ctx, "region"));
  HOTLINE_ASSIGN_OR_RETURN(s.category, IdParam<domain::CategoryId>(ctx, "category"));
  if (std::string t = get("type"); !t.empty()) {
    s.type = domain::ParseRequestType(t);
    if (!s.type) {
      return InvalidArgument(fmt::format("未知的诉求类型: {}", t));
    }
  }
  if (std::string c = get("channel"); !c.empty()) {
    s.channel = domain::ParseChannel(c);
    if (!s.channel) {
      return InvalidArgument(fmt::format("未知的渠道: {}", c));
    }
  }
  HOTLINE_ASSIGN_OR_RETURN(r.scope, kpis.ScopeFor(ctx.actor, s));
  return r;
}

}  // namespace

const std::vector<KpiApi::Route>& KpiApi::Table() {
  static const std::vector<Route> table = {
      {{"get", "/api/v1/kpi",
        "考核指标：from, to (YYYY-MM-DD), region, unit, category, type, channel；"
        "含分子分母、按区域/单位/分类分解及每日趋势（按数据范围）",
        true},
       &KpiApi::Dashboard},
      {{"get", "/api/v1/kpi/{id}/tickets",
        "指标下钻：构成该指标的工单编号（同样的期间和过滤条件，after 游标分页）", true},
       &KpiApi::Drill},
  };
  return table;
}

std::vector<RouteDoc> KpiApi::Routes() const { return RouteDocs(Table()); }

std::optional<HttpResponse> KpiApi::Handle(RequestContext& ctx) {
  return ServeRoute(*this, Table(), ctx);
}

HttpResponse KpiApi::Dashboard(RequestContext& ctx) {
  auto req = RequestOf(ctx, kpis_);
  if (!req.has_value()) {
    return FromError(req.error());
  }
  auto report = kpis_.Report(*req);
  if (!report.has_value()) {
    return FromError(report.error());
  }
  json scope = json::object();
  if (req->scope.unit) scope["unit"] = req->scope.unit->value();
  if (req->scope.region) scope["region"] = req->scope.region->value();
  if (req->scope.category) scope["category"] = req->scope.category->value();
  if (req->scope.type) scope["type"] = domain::Code(*req->scope.type);
  if (req->scope.channel) scope["channel"] = domain::Code(*req->scope.channel);
  return Json(200, {{"from", report->from},
                    {"to", report->to},
                    {"scope", scope},
                    {"kpis", KpisJson(report->kpis)},
                    {"by_region", GroupsJson(report->by_region, "id")},
                    {"by_unit", GroupsJson(report->by_unit, "id")},
                    {"by_category", GroupsJson(report->by_category, "id")},
                    {"trend", GroupsJson(report->trend, "date")},
                    {"trend_granularity", report->trend_granularity}});
}

HttpResponse KpiApi::Drill(RequestContext& ctx) {
  const std::string& kpi = ctx.parts[1];
  auto req = RequestOf(ctx, kpis_);
  if (!req.has_value()) {
    return FromError(req.error());
  }
  int64_t after = 0;
  int limit = 100;
  if (auto it = ctx.query.find("after"); it != ctx.query.end()) {
    auto v = domain::ParseInt64(it->second);
    if (!v.has_value() || *v < 0) {
      return BadRequest("参数 after 应为非负整数");
    }
    after = *v;
  }
  if (auto it = ctx.query.find("limit"); it != ctx.query.end()) {
    auto v = domain::ParseInt64(it->second);
    if (!v.has_value() || *v < 1 || *v > 1000) {
      return BadRequest("参数 limit 应为 1-1000");
    }
    limit = static_cast<int>(*v);
  }
  auto page = kpis_.Tickets(*req, kpi, after, limit);
  if (!page.has_value()) {
    return FromError(page.error());
  }
  json tickets = json::array();
  for (const auto& t : page->tickets) {
    tickets.push_back({{"number", t.number}, {"date", t.day}, {"count", t.value}});
  }
  json body{{"kpi", page->kpi},
            {"measure", page->measure},
            {"from", req->from},
            {"to", req->to},
            {"tickets", tickets}};
  body["next_after"] = page->next_after == 0 ? json(nullptr) : json(page->next_after);
  return Json(200, body);
}

}  // namespace hotline::adapters::http
