#include "domain/assessment/assessment.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace hotline::domain::assessment {

namespace {

double Round2(double v) { return std::round(v * 100) / 100; }

const kpi::KpiValue* FindKpi(const std::vector<kpi::KpiValue>& kpis, std::string_view id) {
  for (const auto& k : kpis) {
    if (k.id == id) {
      return &k;
    }
  }
  return nullptr;
}

bool IsRate(std::string_view kpi_id) {
  const kpi::KpiDefinition* d = kpi::FindDefinition(kpi_id);
  return d != nullptr && d->unit == "%";
}

ItemScore ScoreItem(const CountItem& item, const std::vector<kpi::KpiValue>& kpis) {
  ItemScore s;
  s.item = item;
  const kpi::KpiValue* k = FindKpi(kpis, item.kpi);
  s.count = k != nullptr ? k->numerator : 0;
  double raw = static_cast<double>(s.count) * item.points_each;
  if (item.cap > 0 && raw > item.cap) {
    raw = item.cap;
    s.capped = true;
  }
  s.points = Round2(raw);
  return s;
}

bool DaysInMonthOk(int y, int m, int* days) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 2000 || y > 2100 || m < 1 || m > 12) {
    return false;
  }
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  *days = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  return true;
}

Period MonthsPeriod(int y, int first_month, int months, bool quarter) {
  int last = first_month + months - 1;
  int days = 0;
  DaysInMonthOk(y, last, &days);
  Period p;
  p.quarter = quarter;
  p.label = quarter ? fmt::format("{}Q{}", y, (first_month - 1) / 3 + 1)
                    : fmt::format("{:04}-{:02}", y, first_month);
  p.from = fmt::format("{:04}-{:02}-01", y, first_month);
  p.to = fmt::format("{:04}-{:02}-{:02}", y, last, days);
  return p;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Scheme Scheme::Default() {
  Scheme s;
  s.name = "默认考核方案";
  s.components = {
      {"response", "响应（按时签收率）", "on_time_sign_rate", 30, 0, 100},
      {"resolution", "办理（按时办结率）", "on_time_completion_rate", 35, 0, 100},
      {"satisfaction", "满意度（满意率）", "satisfaction_rate", 35, 0, 100},
  };
  s.deductions = {
      {"overdue", "超期件", "overdue", 1.0, 15},
      {"rehandled", "重办件", "rehandle_rate", 2.0, 10},
      {"wrong_returns", "错退件", "wrong_returns", 1.0, 5},
  };
  s.bonuses = {
      {"first_time", "一次办结", "first_time_rate", 0.05, 2},
  };
  s.deduction_cap = 20;
  s.bonus_cap = 5;
  s.min_dispatched = 1;
  return s;
}

Status Scheme::Validate() const {
  if (components.empty()) {
    return InvalidArgument("考核方案至少需要一个评分项");
  }
  std::set<std::string> ids;
  double total = 0;
  for (const auto& c : components) {
    if (c.id.empty() || !ids.insert(c.id).second) {
      return InvalidArgument(fmt::format("评分项编号为空或重复: {}", c.id));
    }
    if (kpi::FindDefinition(c.kpi) == nullptr) {
      return InvalidArgument(fmt::format("评分项“{}”的指标不存在: {}", c.name, c.kpi));
    }
    if (!IsRate(c.kpi)) {
      return InvalidArgument(
          fmt::format("评分项“{}”应使用比率指标（%），而不是 {}", c.name, c.kpi));
    }
    if (!(c.weight >= 0) || !(c.floor < c.target)) {
      return InvalidArgument(fmt::format("评分项“{}”的权重应非负，且下限应小于目标值", c.name));
    }
    total += c.weight;
  }
  if (std::abs(total - 100) > 1e-6) {
    return InvalidArgument(fmt::format("评分项权重合计应为 100，实际为 {}", total));
  }
  for (const auto* list : {&deductions, &bonuses}) {
    for (const auto& d : *list) {
      if (d.id.empty() || !ids.insert(d.id).second) {
        return InvalidArgument(fmt::format("扣分/加分项编号为空或重复: {}", d.id));
      }
      if (kpi::FindDefinition(d.kpi) == nullptr) {
        return InvalidArgument(fmt::format("“{}”的指标不存在: {}", d.name, d.kpi));
      }
      if (!(d.points_each >= 0) || !(d.cap >= 0)) {
        return InvalidArgument(fmt::format("“{}”的分值和上限应非负", d.name));
      }
    }
  }
  if (!(deduction_cap >= 0) || !(bonus_cap >= 0) || min_dispatched < 0) {
    return InvalidArgument("扣分上限、加分上限和参与排名的最少派单量应非负");
  }
  return OkStatus();
}

Result<Period> ParsePeriod(std::string_view text) {
  auto bad = [&] {
    return InvalidArgument(fmt::format("考核期间应为月份 YYYY-MM 或季度 YYYYQn: {}", text));
  };
  if (text.size() == 7 && text[4] == '-' && AllDigits(text.substr(0, 4)) &&
      AllDigits(text.substr(5, 2))) {
    int y = std::stoi(std::string(text.substr(0, 4)));
    int m = std::stoi(std::string(text.substr(5, 2)));
    int days = 0;
    if (!DaysInMonthOk(y, m, &days)) {
      return bad();
    }
    return MonthsPeriod(y, m, 1, false);
  }
  if (text.size() == 6 && (text[4] == 'Q' || text[4] == 'q') && AllDigits(text.substr(0, 4)) &&
      text[5] >= '1' && text[5] <= '4') {
    int y = std::stoi(std::string(text.substr(0, 4)));
    int days = 0;
    if (!DaysInMonthOk(y, 1, &days)) {
      return bad();
    }
    return MonthsPeriod(y, (text[5] - '1') * 3 + 1, 3, true);
  }
  return bad();
}

Period PreviousPeriod(const Period& p) {
  int y = std::stoi(p.from.substr(0, 4));
  int m = std::stoi(p.from.substr(5, 2));
  int months = p.quarter ? 3 : 1;
  m -= months;
  if (m < 1) {
    m += 12;
    --y;
  }
  return MonthsPeriod(y, m, months, p.quarter);
}

std::string_view Code(Level l) {
  switch (l) {
    case Level::kCityDepartment:
      return "city_department";
    case Level::kCountyPlatform:
      return "county_platform";
    case Level::kCountyDepartment:
      return "county_department";
    case Level::kTownship:
      return "township";
  }
  return "";
}

std::string_view ChineseName(Level l) {
  switch (l) {
    case Level::kCityDepartment:
      return "市直部门";
    case Level::kCountyPlatform:
      return "县（市、区）分平台";
    case Level::kCountyDepartment:
      return "县级部门";
    case Level::kTownship:
      return "乡镇（街道）";
  }
  return "";
}

std::optional<Level> LevelOf(const Unit& unit) {
  if (unit.kind == UnitKind::kCentre) {
    return std::nullopt;
  }
  if (unit.kind == UnitKind::kPlatform) {
    return unit.level == UnitLevel::kProvince ? std::nullopt
                                              : std::optional<Level>(Level::kCountyPlatform);
  }
  switch (unit.level) {
    case UnitLevel::kProvince:
      return std::nullopt;
    case UnitLevel::kCity:
      return Level::kCityDepartment;
    case UnitLevel::kCounty:
      return Level::kCountyDepartment;
    case UnitLevel::kTownship:
      return Level::kTownship;
  }
  return std::nullopt;
}

UnitScore Score(const Scheme& scheme, const std::vector<kpi::KpiValue>& kpis) {
  UnitScore out;
  if (const kpi::KpiValue* d = FindKpi(kpis, "dispatched")) {
    out.dispatched = d->numerator;
  }
  double base = 0;
  for (const auto& c : scheme.components) {
    ComponentScore cs;
    cs.component = c;
    const kpi::KpiValue* k = FindKpi(kpis, c.kpi);
    if (k != nullptr) {
      cs.kpi = *k;
    } else {
      cs.kpi.id = c.kpi;
    }
    if (!cs.kpi.denominator.has_value() || *cs.kpi.denominator == 0) {
      cs.no_data = true;
      cs.points = c.weight;
    } else {
      double f = (cs.kpi.value - c.floor) / (c.target - c.floor);
      cs.points = Round2(c.weight * std::clamp(f, 0.0, 1.0));
    }
    base += cs.points;
    out.components.push_back(std::move(cs));
  }
  double deducted = 0;
  for (const auto& d : scheme.deductions) {
    out.deductions.push_back(ScoreItem(d, kpis));
    deducted += out.deductions.back().points;
  }
  double bonus = 0;
  for (const auto& b : scheme.bonuses) {
    out.bonuses.push_back(ScoreItem(b, kpis));
    bonus += out.bonuses.back().points;
  }
  if (scheme.deduction_cap > 0) {
    deducted = std::min(deducted, scheme.deduction_cap);
  }
  if (scheme.bonus_cap > 0) {
    bonus = std::min(bonus, scheme.bonus_cap);
  }
  out.base = Round2(base);
  out.deducted = Round2(deducted);
  out.bonus = Round2(bonus);
  out.score = Round2(std::max(0.0, base - deducted + bonus));
  return out;
}

void Rank(const Scheme& scheme, std::vector<UnitScore>& units) {
  for (auto& u : units) {
    u.ranked = u.dispatched >= scheme.min_dispatched;
    u.rank = 0;
    u.rank_of = 0;
  }
  std::stable_sort(units.begin(), units.end(), [](const UnitScore& a, const UnitScore& b) {
    if (a.level != b.level) return a.level < b.level;
    if (a.ranked != b.ranked) return a.ranked;
    if (a.score != b.score) return a.score > b.score;
    return a.name < b.name;
  });
  size_t i = 0;
  while (i < units.size()) {
    size_t j = i;
    while (j < units.size() && units[j].level == units[i].level) {
      ++j;
    }
    int ranked = 0;
    for (size_t k = i; k < j; ++k) {
      if (!units[k].ranked) {
        continue;
      }
      ++ranked;
      units[k].rank = (k > i && units[k - 1].ranked && units[k - 1].score == units[k].score)
                          ? units[k - 1].rank
                          : ranked;
    }
    for (size_t k = i; k < j; ++k) {
      units[k].rank_of = ranked;
    }
    i = j;
  }
}

}  // namespace hotline::domain::assessment
