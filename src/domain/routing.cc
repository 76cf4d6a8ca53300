#include "domain/routing.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace hotline::domain {
namespace {

bool ValidAt(const RoutingRule& r, Instant at) {
  return (!r.valid_from || *r.valid_from <= at) && (!r.valid_to || at < *r.valid_to);
}

bool Overlap(const RoutingRule& a, const RoutingRule& b) {
  bool a_before_b = a.valid_to && b.valid_from && *a.valid_to <= *b.valid_from;
  bool b_before_a = b.valid_to && a.valid_from && *b.valid_to <= *a.valid_from;
  return !a_before_b && !b_before_a;
}

// Depth of a region in the tree (root = 1); 0 for "anywhere".
int RegionDepth(RegionId id, const OrgTree& org) {
  int depth = 0;
  const Region* r = id.valid() ? org.FindRegion(id) : nullptr;
  while (r != nullptr && depth < 16) {
    ++depth;
    r = r->parent.valid() ? org.FindRegion(r->parent) : nullptr;
  }
  return depth;
}

}  // namespace

Result<RoutingSuggestion> RoutingDirectory::Resolve(CategoryId category, RegionId region,
                                                    Instant at, const CategoryTree& categories,
                                                    const OrgTree& org) const {
  std::vector<CategoryId> cat_chain = categories.Ancestry(category);
  const RoutingRule* best = nullptr;
  std::tuple<int, int, int, int64_t> best_key{-1, -1, 0, 0};
  for (const RoutingRule& r : rules_) {
    if (!ValidAt(r, at)) {
      continue;
    }
    int cat_score = 0;
    if (r.category.valid()) {
      auto it = std::find(cat_chain.begin(), cat_chain.end(), r.category);
      if (it == cat_chain.end()) {
        continue;
      }
      // Closer to the request's own category scores higher.
      cat_score = static_cast<int>(cat_chain.end() - it);
    }
    int region_score = 0;
    if (r.region.valid()) {
      if (!region.valid() || !org.IsRegionWithin(region, r.region)) {
        continue;
      }
      region_score = RegionDepth(r.region, org);
    }
    std::tuple<int, int, int, int64_t> key{region_score, cat_score, r.priority, -r.id.value()};
    if (best == nullptr || key > best_key) {
      best = &r;
      best_key = key;
    }
  }
  if (best != nullptr) {
    const Unit* u = org.FindUnit(best->lead_unit);
    std::string explanation =
        fmt::format("派单目录规则 #{}: {} / {} → {}", best->id.value(),
                    best->category.valid() ? categories.PathOf(best->category) : "任意分类",
                    best->region.valid() && org.FindRegion(best->region) != nullptr
                        ? org.FindRegion(best->region)->name
                        : "全市",
                    u != nullptr ? u->name : "未知单位");
    return RoutingSuggestion{best->lead_unit, best->co_units, best->id, false,
                             std::move(explanation)};
  }
  if (fallback_.valid()) {
    const Unit* u = org.FindUnit(fallback_);
    return RoutingSuggestion{
        fallback_,
        {},
        RuleId{},
        true,
        fmt::format("无匹配规则，派给兜底单位: {}", u != nullptr ? u->name : "未知单位")};
  }
  return NotFound("派单目录中没有匹配的规则，也未设置兜底单位");
}

std::vector<RoutingGap> RoutingDirectory::Gaps(const CategoryTree& categories, const OrgTree& org,
                                               UnitLevel level, Instant at) const {
  RoutingDirectory without_fallback(rules_, UnitId{});
  std::vector<RoutingGap> gaps;
  for (const Category* leaf : categories.Leaves()) {
    for (const Region& region : org.regions()) {
      if (region.level != level) {
        continue;
      }
      if (!without_fallback.Resolve(leaf->id, region.id, at, categories, org).has_value()) {
        gaps.push_back({leaf->id, region.id});
      }
    }
  }
  return gaps;
}

std::vector<RoutingConflict> RoutingDirectory::Conflicts() const {
  std::vector<RoutingConflict> out;
  for (size_t i = 0; i < rules_.size(); ++i) {
    for (size_t j = i + 1; j < rules_.size(); ++j) {
      const RoutingRule& a = rules_[i];
      const RoutingRule& b = rules_[j];
      if (a.category == b.category && a.region == b.region && a.priority == b.priority &&
          Overlap(a, b) && (a.lead_unit != b.lead_unit || a.co_units != b.co_units)) {
        out.push_back({a.id, b.id, "分类、区域和优先级相同且有效期重叠，但承办单位不同"});
      }
    }
  }
  return out;
}

std::vector<std::string> RoutingDirectory::Validate(const CategoryTree& categories,
                                                    const OrgTree& org) const {
  std::vector<std::string> problems;
  for (const RoutingRule& r : rules_) {
    if (r.category.valid() && categories.Find(r.category) == nullptr) {
      problems.push_back(fmt::format("规则 #{} 的分类不存在", r.id.value()));
    }
    if (r.region.valid() && org.FindRegion(r.region) == nullptr) {
      problems.push_back(fmt::format("规则 #{} 的区域不存在", r.id.value()));
    }
    if (org.FindUnit(r.lead_unit) == nullptr) {
      problems.push_back(fmt::format("规则 #{} 的主办单位不存在", r.id.value()));
    }
    for (UnitId co : r.co_units) {
      if (org.FindUnit(co) == nullptr) {
        problems.push_back(fmt::format("规则 #{} 的协办单位不存在", r.id.value()));
      }
    }
    if (r.valid_from && r.valid_to && *r.valid_to <= *r.valid_from) {
      problems.push_back(fmt::format("规则 #{} 的有效期结束早于开始", r.id.value()));
    }
  }
  if (fallback_.valid() && org.FindUnit(fallback_) == nullptr) {
    problems.push_back("兜底单位不存在");
  }
  return problems;
}

}  // namespace hotline::domain
