// The routing directory (派单目录): rules from a category (any level of the tree) and a
// region (any level) to a lead unit and co-units, with priority and validity dates, plus a
// fallback unit (兜底). Immutable after build; safe to share between threads.
//
// Precedence (see docs/routing.md): the rule whose region is the most specific (township
// over county over city over "anywhere") wins; among those, the most specific category
// (leaf over parent over "any"); then the higher priority; then the lower rule id.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "domain/category.h"
#include "domain/org.h"

namespace hotline::domain {

using RuleId = StrongId<struct RuleTag>;

struct RoutingRule {
  RuleId id;
  CategoryId category;  // invalid = any category
  RegionId region;      // invalid = anywhere
  UnitId lead_unit;
  std::vector<UnitId> co_units;
  int priority = 0;
  std::optional<Instant> valid_from;
  std::optional<Instant> valid_to;  // exclusive
  std::string note;
};

struct RoutingSuggestion {
  UnitId lead_unit;
  std::vector<UnitId> co_units;
  RuleId rule;  // invalid when the fallback unit was used
  bool fallback = false;
  std::string explanation;  // Chinese, for the dispatcher
};

struct RoutingGap {
  CategoryId category;
  RegionId region;
};

struct RoutingConflict {
  RuleId a;
  RuleId b;
  std::string why;
};

class RoutingDirectory {
 public:
  RoutingDirectory() = default;
  RoutingDirectory(std::vector<RoutingRule> rules, UnitId fallback_unit)
      : rules_(std::move(rules)), fallback_(fallback_unit) {}

  const std::vector<RoutingRule>& rules() const { return rules_; }
  UnitId fallback_unit() const { return fallback_; }

  // The unit(s) for a request of `category` in `region` at `at`. kNotFound when neither a
  // rule nor a fallback unit applies.
  Result<RoutingSuggestion> Resolve(CategoryId category, RegionId region, Instant at,
                                    const CategoryTree& categories, const OrgTree& org) const;

  // Leaf categories x regions of `level` that no rule covers (the fallback is ignored).
  std::vector<RoutingGap> Gaps(const CategoryTree& categories, const OrgTree& org, UnitLevel level,
                               Instant at) const;
  // Pairs of rules with the same category, region and priority, overlapping validity and
  // different units: the directory cannot choose between them.
  std::vector<RoutingConflict> Conflicts() const;
  // Rules naming unknown categories, regions or units.
  std::vector<std::string> Validate(const CategoryTree& categories, const OrgTree& org) const;

 private:
  std::vector<RoutingRule> rules_;
  UnitId fallback_;
};

}  // namespace hotline::domain
