#include "domain/fiscal/scoring.h"

#include <fmt/format.h>

#include <algorithm>

#include "domain/fiscal/parser.h"
#include "domain/fiscal/text_util.h"

namespace hotline::domain::fiscal {
namespace {

constexpr int64_t kExcellent = 90;
constexpr int64_t kGood = 80;
constexpr int64_t kPass = 60;
const Fixed2 kHundred = Fixed2::FromInt(100);

Fixed2 Clamp(Fixed2 v, Fixed2 lo, Fixed2 hi) { return std::max(lo, std::min(v, hi)); }

std::string_view ComparatorText(Comparator c) {
  switch (c) {
    case Comparator::kGe:
      return "≥";
    case Comparator::kGt:
      return ">";
    case Comparator::kLe:
      return "≤";
    case Comparator::kLt:
      return "<";
    case Comparator::kEq:
      return "=";
    case Comparator::kNone:
      return "";
  }
  return "";
}

}  // namespace

ExecutionRateRule ExecutionRateRule::Default() {
  ExecutionRateRule rule;
  rule.mode = Mode::kBands;
  rule.bands = {{Fixed2::FromInt(100), Fixed2::FromInt(100)},
                {Fixed2::FromInt(90), Fixed2::FromInt(70)},
                {Fixed2::FromInt(60), Fixed2::FromInt(40)}};
  return rule;
}

ExecutionRateRule ExecutionRateRule::Proportional() {
  ExecutionRateRule rule;
  rule.mode = Mode::kProportional;
  return rule;
}

Result<ExecutionRateRule> ExecutionRateRule::Parse(std::string_view spec) {
  const std::string s = RemoveSpaces(spec);
  if (s == "proportional" || s == "比例") {
    return Proportional();
  }
  if (s.empty() || s == "default") {
    return Default();
  }
  ExecutionRateRule rule;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string::npos) {
      end = s.size();
    }
    const std::string part = s.substr(start, end - start);
    const size_t colon = part.find(':');
    if (colon == std::string::npos) {
      return InvalidArgument(fmt::format("执行率规则“{}”格式应为 执行率:得分比例", part));
    }
    auto rate = Fixed2::Parse(part.substr(0, colon));
    auto fraction = Fixed2::Parse(part.substr(colon + 1));
    if (!rate || !fraction || *fraction < Fixed2() || *fraction > kHundred) {
      return InvalidArgument(fmt::format("执行率规则“{}”中的数字无效", part));
    }
    rule.bands.push_back({*rate, *fraction});
    start = end + 1;
  }
  std::sort(rule.bands.begin(), rule.bands.end(),
            [](const Band& a, const Band& b) { return a.min_rate > b.min_rate; });
  return rule;
}

std::string ExecutionRateRule::ToString() const {
  if (mode == Mode::kProportional) {
    return "proportional";
  }
  std::string out;
  for (const auto& b : bands) {
    if (!out.empty()) {
      out += ",";
    }
    out += b.min_rate.ToShortString() + ":" + b.fraction_pct.ToShortString();
  }
  return out;
}

std::string GradeOf(Fixed2 total) {
  if (total >= Fixed2::FromInt(kExcellent)) {
    return "优";
  }
  if (total >= Fixed2::FromInt(kGood)) {
    return "良";
  }
  if (total >= Fixed2::FromInt(kPass)) {
    return "中";
  }
  return "差";
}

int GradeRank(std::string_view grade) {
  if (grade == "优") return 0;
  if (grade == "良") return 1;
  if (grade == "中") return 2;
  if (grade == "差") return 3;
  return -1;
}

Fixed2 ScoreExecution(Fixed2 rate, Fixed2 weight, const ExecutionRateRule& rule) {
  if (rule.mode == ExecutionRateRule::Mode::kProportional) {
    return Clamp(Fixed2::MulDiv(weight, rate, kHundred).value_or(Fixed2()), Fixed2(), weight);
  }
  for (const auto& band : rule.bands) {
    if (rate >= band.min_rate) {
      return Fixed2::MulDiv(weight, band.fraction_pct, kHundred).value_or(Fixed2());
    }
  }
  return Fixed2();
}

IndicatorScore ScoreIndicator(const Indicator& ind, const ScoringConfig& config) {
  IndicatorScore out;
  if (!ind.weight) {
    out.basis = "没有指标分值";
    return out;
  }
  const Fixed2 w = *ind.weight;
  const Target& t = ind.target;
  if (t.value) {
    if (!ind.actual) {
      out.basis = "实际完成值不是数字";
      return out;
    }
    const Fixed2 a = *ind.actual;
    const Fixed2 target = *t.value;
    const std::string cmp(ComparatorText(t.comparator));
    switch (t.comparator) {
      case Comparator::kGe:
      case Comparator::kGt: {
        const bool met = t.comparator == Comparator::kGe ? a >= target : a > target;
        if (met || target <= Fixed2()) {
          out.score = w;
          out.basis = fmt::format("实际值{}达到目标{}{}，得满分", a.ToShortString(), cmp,
                                  target.ToShortString());
        } else {
          out.score = Clamp(Fixed2::MulDiv(w, a, target).value_or(Fixed2()), Fixed2(), w);
          out.basis = fmt::format("实际值{}未达目标{}{}，按比例 {}×{}/{}", a.ToShortString(), cmp,
                                  target.ToShortString(), w.ToShortString(), a.ToShortString(),
                                  target.ToShortString());
        }
        return out;
      }
      case Comparator::kLe:
      case Comparator::kLt: {
        const bool met = t.comparator == Comparator::kLe ? a <= target : a < target;
        if (met) {
          out.score = w;
          out.basis = fmt::format("实际值{}满足目标{}{}，得满分", a.ToShortString(), cmp,
                                  target.ToShortString());
        } else {
          out.score = a > Fixed2()
                          ? Clamp(Fixed2::MulDiv(w, target, a).value_or(Fixed2()), Fixed2(), w)
                          : Fixed2();
          out.basis = fmt::format("实际值{}超过目标{}{}，按比例 {}×{}/{}", a.ToShortString(), cmp,
                                  target.ToShortString(), w.ToShortString(), target.ToShortString(),
                                  a.ToShortString());
        }
        return out;
      }
      case Comparator::kEq:
      case Comparator::kNone: {
        if (a == target) {
          out.score = w;
          out.basis =
              fmt::format("实际值{}等于目标{}，得满分", a.ToShortString(), target.ToShortString());
        } else {
          const Fixed2 lo = std::min(a, target);
          const Fixed2 hi = std::max(a, target);
          out.score = hi > Fixed2()
                          ? Clamp(Fixed2::MulDiv(w, lo, hi).value_or(Fixed2()), Fixed2(), w)
                          : Fixed2();
          out.basis = fmt::format("实际值{}偏离目标{}，按比例 {}×{}/{}", a.ToShortString(),
                                  target.ToShortString(), w.ToShortString(), lo.ToShortString(),
                                  hi.ToShortString());
        }
        return out;
      }
    }
  }
  // Qualitative: by grade.
  const std::string target_grade = FindGrade(t.text);
  const std::string actual_grade = FindGrade(ind.actual_raw);
  if (!target_grade.empty() && !actual_grade.empty()) {
    const int want = GradeRank(target_grade);
    const int got = GradeRank(actual_grade);
    if (got <= want) {
      out.score = w;
      out.basis = fmt::format("定性指标：实际“{}”达到目标“{}”，得满分", actual_grade, target_grade);
    } else {
      out.score = Fixed2::MulDiv(w, config.grade_fraction_pct[got], kHundred);
      out.basis = fmt::format("定性指标：实际“{}”低于目标“{}”，得分值的{}%", actual_grade,
                              target_grade, config.grade_fraction_pct[got].ToShortString());
    }
    return out;
  }
  const std::string actual = RemoveSpaces(ind.actual_raw);
  if (!actual.empty() && (actual == RemoveSpaces(t.text) || Contains(actual, "达成") ||
                          Contains(actual, "达到") || Contains(actual, "完成"))) {
    out.score = w;
    out.basis = "定性指标：实际完成情况达到目标，得满分";
    return out;
  }
  out.basis = "定性指标无法按等级判定";
  return out;
}

SheetScore ScoreSheet(const EvalSheet& sheet, const ScoringConfig& config) {
  SheetScore s;
  if (sheet.total && sheet.total->budget && sheet.total->executed) {
    s.rate = Fixed2::Percent(*sheet.total->executed, *sheet.total->budget);
  }
  if (sheet.total && sheet.total->weight) {
    if (s.rate) {
      s.execution_score = ScoreExecution(*s.rate, *sheet.total->weight, config.execution);
    } else if (sheet.total->executed && sheet.total->budget && sheet.total->budget->IsZero()) {
      s.execution_score = Fixed2();  // nothing budgeted: no execution to score
    } else {
      s.execution_score = sheet.total->score.value_or(Fixed2());
    }
  }
  s.total = s.execution_score;
  for (const auto& ind : sheet.indicators) {
    IndicatorScore is = ScoreIndicator(ind, config);
    if (is.score) {
      s.total += *is.score;
    } else {
      s.total += ind.score.value_or(Fixed2());
      ++s.unscored;
    }
    s.indicators.push_back(std::move(is));
  }
  s.grade = GradeOf(s.total);
  return s;
}

std::optional<Kpi> KpiForIndicator(std::string_view indicator_name) {
  const std::string n = RemoveSpaces(indicator_name);
  if (Contains(n, "外包")) {
    return std::nullopt;  // the contractor's own ratings are not platform KPIs
  }
  if (Contains(n, "接通率")) return Kpi::kConnectionRate;
  if (Contains(n, "即问即答")) return Kpi::kInstantAnswerRate;
  if (Contains(n, "转办") && Contains(n, "准确率")) return Kpi::kDispatchAccuracy;
  if (Contains(n, "受理率")) return Kpi::kAcceptanceRate;
  if (Contains(n, "满意率") || Contains(n, "满意度")) return Kpi::kSatisfaction;
  if (Contains(n, "坐席") && Contains(n, "人数")) return Kpi::kSeatsOnDuty;
  return std::nullopt;
}

std::string_view KpiCode(Kpi kpi) {
  switch (kpi) {
    case Kpi::kConnectionRate:
      return "connection_rate";
    case Kpi::kInstantAnswerRate:
      return "instant_answer_rate";
    case Kpi::kDispatchAccuracy:
      return "dispatch_accuracy";
    case Kpi::kAcceptanceRate:
      return "acceptance_rate";
    case Kpi::kSatisfaction:
      return "satisfaction";
    case Kpi::kSeatsOnDuty:
      return "seats_on_duty";
  }
  return "";
}

std::optional<Kpi> KpiFromCode(std::string_view code) {
  for (Kpi k : {Kpi::kConnectionRate, Kpi::kInstantAnswerRate, Kpi::kDispatchAccuracy,
                Kpi::kAcceptanceRate, Kpi::kSatisfaction, Kpi::kSeatsOnDuty}) {
    if (KpiCode(k) == code) {
      return k;
    }
  }
  return std::nullopt;
}

int FillActualsFromKpis(EvalSheet& sheet, const std::map<Kpi, Fixed2>& values) {
  int filled = 0;
  for (auto& ind : sheet.indicators) {
    const auto kpi = KpiForIndicator(ind.name);
    if (!kpi) {
      continue;
    }
    const auto it = values.find(*kpi);
    if (it == values.end()) {
      continue;
    }
    ind.actual = it->second;
    ind.actual_raw = it->second.ToShortString();
    ++filled;
  }
  return filled;
}

}  // namespace hotline::domain::fiscal
