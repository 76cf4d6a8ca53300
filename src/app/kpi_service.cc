#include "app/kpi_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <future>
#include <map>

namespace hotline::app {

using domain::kpi::Sums;

namespace {

bool ValidDate(const std::string& d) {
  return d.size() == 10 && ParseInstant(d + " 00:00:00").has_value();
}

void AddTo(Sums& into, const Sums& s) {
  for (size_t i = 0; i < into.size(); ++i) {
    into[i] += s[i];
  }
}

int RegionDepth(const domain::OrgTree& org, domain::RegionId id) {
  int depth = 0;
  for (const domain::Region* r = org.FindRegion(id); r != nullptr && r->parent.valid();
       r = org.FindRegion(r->parent)) {
    ++depth;
  }
  return depth;
}

// The ancestor of `id` (or itself) at `depth` below the root; itself when shallower.
domain::RegionId RegionAt(const domain::OrgTree& org, domain::RegionId id, int depth) {
  std::vector<domain::RegionId> chain;
  for (const domain::Region* r = org.FindRegion(id); r != nullptr;
       r = r->parent.valid() ? org.FindRegion(r->parent) : nullptr) {
    chain.push_back(r->id);
  }
  std::reverse(chain.begin(), chain.end());
  if (chain.empty()) {
    return id;
  }
  return chain[std::min<size_t>(static_cast<size_t>(depth), chain.size() - 1)];
}

domain::CategoryId CategoryAt(const domain::CategoryTree& cats, domain::CategoryId id, int level) {
  domain::CategoryId best = id;
  for (domain::CategoryId a : cats.Ancestry(id)) {
    const domain::Category* c = cats.Find(a);
    if (c != nullptr && c->level == level) {
      best = a;
    }
  }
  return best;
}

}  // namespace

Result<KpiScope> KpiService::ScopeFor(const domain::Actor& actor, const KpiScope& requested) const {
  using domain::Role;
  auto config = config_();
  KpiScope scope = requested;
  switch (actor.role) {
    case Role::kLeader:
    case Role::kInspector:
    case Role::kSupervisor:
    case Role::kAdmin:
    case Role::kDispatcher:
    case Role::kSystem:
      return scope;
    case Role::kUnitHandler:
    case Role::kUnitAdmin: {
      const domain::Unit* unit = config->org.FindUnit(actor.unit);
      if (unit == nullptr) {
        return PermissionDenied("用户没有所属单位，无权查看考核指标");
      }
      if (unit->kind == domain::UnitKind::kPlatform && unit->region.valid()) {
        if (requested.region && !config->org.IsRegionWithin(*requested.region, unit->region)) {
          return PermissionDenied("只能查看本辖区的指标");
        }
        if (!requested.region) {
          scope.region = unit->region;
        }
        return scope;
      }
      if (requested.unit && *requested.unit != actor.unit) {
        return PermissionDenied("只能查看本单位的指标");
      }
      scope.unit = actor.unit;
      return scope;
    }
    case Role::kOperator:
    case Role::kCallback:
      break;
  }
  return PermissionDenied(fmt::format("角色“{}”无权查看考核指标", domain::ChineseName(actor.role)));
}

Result<ports::KpiQuery> KpiService::QueryOf(const KpiRequest& request,
                                            const HotlineConfig& config) const {
  if (!ValidDate(request.from) || !ValidDate(request.to)) {
    return InvalidArgument("from 和 to 应为日期 YYYY-MM-DD");
  }
  if (request.from > request.to) {
    return InvalidArgument("from 不能晚于 to");
  }
  auto from = ParseInstant(request.from + " 00:00:00");
  auto to = ParseInstant(request.to + " 00:00:00");
  if (*to - *from > std::chrono::hours(24 * 366 * 3)) {
    return InvalidArgument("统计期间不能超过 3 年");
  }
  ports::KpiQuery q;
  q.from = request.from;
  q.to = request.to;
  const KpiScope& s = request.scope;
  if (s.unit) {
    if (config.org.FindUnit(*s.unit) == nullptr) {
      return NotFound(fmt::format("单位不存在: {}", s.unit->value()));
    }
    for (const domain::Unit& u : config.org.units()) {
      if (config.org.IsWithin(u.id, *s.unit)) {
        q.units.push_back(u.id.value());
      }
    }
  }
  if (s.region) {
    if (config.org.FindRegion(*s.region) == nullptr) {
      return NotFound(fmt::format("行政区划不存在: {}", s.region->value()));
    }
    for (const domain::Region& r : config.org.regions()) {
      if (config.org.IsRegionWithin(r.id, *s.region)) {
        q.regions.push_back(r.id.value());
      }
    }
  }
  if (s.category) {
    if (config.categories.Find(*s.category) == nullptr) {
      return NotFound(fmt::format("诉求分类不存在: {}", s.category->value()));
    }
    for (const domain::Category& c : config.categories.all()) {
      auto chain = config.categories.Ancestry(c.id);
      if (std::find(chain.begin(), chain.end(), *s.category) != chain.end()) {
        q.categories.push_back(c.id.value());
      }
    }
  }
  if (s.type) {
    q.types.emplace_back(domain::Code(*s.type));
  }
  if (s.channel) {
    q.channels.emplace_back(domain::Code(*s.channel));
  }
  return q;
}

Result<KpiReport> KpiService::Report(const KpiRequest& request, bool breakdowns) const {
  auto config = config_();
  HOTLINE_ASSIGN_OR_RETURN(ports::KpiQuery q, QueryOf(request, *config));
  KpiReport out;
  out.from = request.from;
  out.to = request.to;
  HOTLINE_ASSIGN_OR_RETURN(auto total, store_.KpiSums(q, ports::KpiGroup::kNone));
  Sums all{};
  for (const auto& row : total) {
    AddTo(all, row.sums);
  }
  out.kpis = domain::kpi::Compute(all);
  // Calls belong to the centre, not to a unit, region, category or request type: their
  // KPIs are in a centre-wide report only (any channel filter but phone excludes them).
  const KpiScope& sc = request.scope;
  if (calls_ != nullptr && !sc.unit && !sc.region && !sc.category && !sc.type &&
      (!sc.channel || *sc.channel == domain::Channel::kPhone)) {
    auto from = ParseInstant(request.from);
    auto to = ParseInstant(request.to);
    if (from && to) {
      HOTLINE_ASSIGN_OR_RETURN(auto calls,
                               calls_->CallSumsBetween(*from, *to + std::chrono::hours(24), ""));
      for (auto& v : domain::kpi::CallKpis(calls)) {
        out.kpis.push_back(std::move(v));
      }
    }
  }
  if (!breakdowns) {
    return out;
  }
  const domain::OrgTree& org = config->org;
  // The four breakdowns are independent reads of the aggregates: run them at once (the store
  // is thread-safe and hands each call its own reader connection).
  auto from = ParseInstant(request.from);
  auto to = ParseInstant(request.to);
  const bool monthly = from && to && *to - *from > std::chrono::hours(24 * kMonthlyTrendAfterDays);
  auto sums_of = [this, &q](ports::KpiGroup g) {
    return std::async(std::launch::async, [this, &q, g] { return store_.KpiSums(q, g); });
  };
  auto by_region = sums_of(ports::KpiGroup::kRegion);
  auto by_unit = sums_of(ports::KpiGroup::kUnit);
  // A report without a category scope shows top-level categories: the store groups by them
  // (from the top-level roll-ups, some 50 times fewer rows than the leaves); the fold below
  // leaves those keys as they are.
  auto by_category =
      sums_of(request.scope.category ? ports::KpiGroup::kCategory : ports::KpiGroup::kTopCategory);
  auto by_time = sums_of(monthly ? ports::KpiGroup::kMonth : ports::KpiGroup::kDay);
  // By region: one level below the scope's region (the counties of the city).
  {
    HOTLINE_ASSIGN_OR_RETURN(auto rows, by_region.get());
    int depth = request.scope.region ? RegionDepth(org, *request.scope.region) + 1 : 1;
    std::map<int64_t, Sums> grouped;
    for (const auto& row : rows) {
      int64_t id = std::stoll(row.key);
      int64_t key = id == 0 ? 0 : RegionAt(org, domain::RegionId{id}, depth).value();
      AddTo(grouped[key], row.sums);
    }
    for (const auto& [id, sums] : grouped) {
      const domain::Region* r = org.FindRegion(domain::RegionId{id});
      out.by_region.push_back(
          {std::to_string(id), r != nullptr ? r->name : "未指定区划", domain::kpi::Compute(sums)});
    }
  }
  {
    HOTLINE_ASSIGN_OR_RETURN(auto rows, by_unit.get());
    for (const auto& row : rows) {
      int64_t id = std::stoll(row.key);
      const domain::Unit* u = org.FindUnit(domain::UnitId{id});
      out.by_unit.push_back({row.key, u != nullptr ? u->name : (id == 0 ? "中心受理" : "未知单位"),
                             domain::kpi::Compute(row.sums)});
    }
  }
  {
    HOTLINE_ASSIGN_OR_RETURN(auto rows, by_category.get());
    int level = 1;
    if (request.scope.category) {
      const domain::Category* c = config->categories.Find(*request.scope.category);
      level = c != nullptr ? c->level + 1 : 1;
    }
    std::map<int64_t, Sums> grouped;
    for (const auto& row : rows) {
      int64_t id = std::stoll(row.key);
      int64_t key =
          id == 0 ? 0 : CategoryAt(config->categories, domain::CategoryId{id}, level).value();
      AddTo(grouped[key], row.sums);
    }
    for (const auto& [id, sums] : grouped) {
      const domain::Category* c = config->categories.Find(domain::CategoryId{id});
      out.by_category.push_back({std::to_string(id),
                                 c != nullptr ? config->categories.PathOf(c->id) : "未分类",
                                 domain::kpi::Compute(sums)});
    }
  }
  {
    out.trend_granularity = monthly ? "month" : "day";
    HOTLINE_ASSIGN_OR_RETURN(auto rows, by_time.get());
    for (const auto& row : rows) {
      out.trend.push_back({row.key, "", domain::kpi::Compute(row.sums)});
    }
  }
  return out;
}

Result<KpiDrillPage> KpiService::Tickets(const KpiRequest& request, const std::string& kpi_id,
                                         int64_t after, int limit) const {
  const domain::kpi::KpiDefinition* def = domain::kpi::FindDefinition(kpi_id);
  if (def == nullptr) {
    return NotFound(fmt::format("指标不存在: {}", kpi_id));
  }
  auto config = config_();
  HOTLINE_ASSIGN_OR_RETURN(ports::KpiQuery q, QueryOf(request, *config));
  limit = std::clamp(limit, 1, 1000);
  HOTLINE_ASSIGN_OR_RETURN(auto refs, store_.KpiTickets(q, def->drill, after, limit + 1));
  KpiDrillPage page;
  page.kpi = kpi_id;
  page.measure = std::string(domain::kpi::Code(def->drill));
  if (static_cast<int>(refs.size()) > limit) {
    refs.resize(static_cast<size_t>(limit));
    page.next_after = refs.back().ticket_id;
  }
  page.tickets = std::move(refs);
  return page;
}

}  // namespace hotline::app
