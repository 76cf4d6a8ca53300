// Unit assessment (考核评价): a configurable scheme of weighted KPI components, per-order
// deductions and bonus items with caps, scored per unit for a month or a quarter from the
// KPI engine's numbers (docs/kpi.md) and ranked within each level (city departments,
// county platforms, county departments, townships). Every point keeps its evidence: the
// KPI with its numerator and denominator, the count behind a deduction (the ticket numbers
// are filled in by the caller from the KPI drill-down). Definitions: docs/assessment.md.
// Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/kpi/kpi.h"
#include "domain/org.h"

namespace hotline::domain::assessment {

// A weighted component: `weight` points scaled linearly by the KPI's value between `floor`
// (0 points) and `target` (full points), both in the KPI's unit (percent for rates).
struct Component {
  std::string id;
  std::string name;
  std::string kpi;  // a rate of kpi::Definitions()
  double weight = 0;
  double floor = 0;
  double target = 100;
};

// A deduction or bonus: `points_each` per order counted by the numerator of KPI `kpi`,
// at most `cap` points (0: no cap).
struct CountItem {
  std::string id;
  std::string name;
  std::string kpi;
  double points_each = 0;
  double cap = 0;
};

struct Scheme {
  std::string name;
  std::vector<Component> components;
  std::vector<CountItem> deductions;
  std::vector<CountItem> bonuses;
  double deduction_cap = 0;  // all deductions together (0: no cap)
  double bonus_cap = 0;      // all bonuses together (0: no cap)
  // A unit with fewer dispatched orders in the period is scored but not ranked.
  int64_t min_dispatched = 1;

  // Our default (docs/assessment.md): on-time signing 30, on-time completion 35,
  // satisfaction 35; deductions per overdue and re-handled order; a small bonus for
  // first-time closure. Configurable through the `assessment_scheme` setting.
  static Scheme Default();
  // kInvalidArgument (Chinese) for an unknown KPI, a count KPI as a component, negative
  // weights or points, duplicate ids, floor >= target, or weights not summing to 100.
  Status Validate() const;
};

// A month ("2024-03") or a quarter ("2024Q1"): its first and last local dates.
struct Period {
  std::string label;
  std::string from;  // YYYY-MM-DD
  std::string to;    // YYYY-MM-DD (inclusive)
  bool quarter = false;
};
Result<Period> ParsePeriod(std::string_view text);
Period PreviousPeriod(const Period& p);

// Assessment levels: units are ranked only against units of the same level.
enum class Level : uint8_t { kCityDepartment, kCountyPlatform, kCountyDepartment, kTownship };
std::string_view Code(Level l);
std::string_view ChineseName(Level l);
// nullopt for the centre itself and province-level units (not assessed).
std::optional<Level> LevelOf(const Unit& unit);

struct ComponentScore {
  Component component;
  kpi::KpiValue kpi;
  bool no_data = false;  // denominator 0: full points (nothing was due)
  double points = 0;
};

struct ItemScore {
  CountItem item;
  int64_t count = 0;  // the KPI's numerator
  double points = 0;  // count x points_each, capped (positive for both kinds)
  bool capped = false;
  std::vector<std::string> tickets;  // evidence: the ticket numbers (filled by the caller)
};

struct UnitScore {
  UnitId unit;
  std::string code;
  std::string name;
  Level level = Level::kCityDepartment;
  int64_t dispatched = 0;
  std::vector<ComponentScore> components;
  std::vector<ItemScore> deductions;
  std::vector<ItemScore> bonuses;
  double base = 0;      // sum of component points
  double deducted = 0;  // after the total cap
  double bonus = 0;     // after the total cap
  double score = 0;     // base - deducted + bonus, never below 0; rounded to 2 decimals
  bool ranked = false;
  int rank = 0;     // 1-based within the level (ties share a rank); 0 when not ranked
  int rank_of = 0;  // ranked units of the level
};

// Scores one unit from its KPI values (kpi::Compute of its scope and period). The unit's
// identity fields are left for the caller.
UnitScore Score(const Scheme& scheme, const std::vector<kpi::KpiValue>& kpis);

// Ranks within each level by score (ties share the rank: 1, 1, 3) and sorts by level, rank,
// then name. Units below scheme.min_dispatched are not ranked and go last in their level.
void Rank(const Scheme& scheme, std::vector<UnitScore>& units);

}  // namespace hotline::domain::assessment
