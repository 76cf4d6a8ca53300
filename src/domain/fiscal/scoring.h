// Scoring of project performance self-evaluation sheets (项目支出绩效自评表):
// quantitative indicators proportionally, qualitative ones by grade, the execution-rate
// score by a configurable rule, and the grade (优 >= 90, 良 >= 80, 中 >= 60, 差 below).
// Also fills a sheet's actual values from the platform's KPIs. Pure; thread-safe.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/fiscal/decimal.h"
#include "domain/fiscal/document.h"

namespace hotline::domain::fiscal {

// Execution-rate score: either banded (the first band whose `min_rate` the rate reaches
// gives `fraction_pct` percent of the weight) or proportional (weight × rate, capped).
struct ExecutionRateRule {
  enum class Mode { kBands, kProportional };
  struct Band {
    Fixed2 min_rate;      // percent, e.g. 90.00
    Fixed2 fraction_pct;  // percent of the weight, e.g. 70.00
  };
  Mode mode = Mode::kBands;
  std::vector<Band> bands;  // sorted by min_rate, highest first

  // The default reproduces the seed's own scores: 100% → full marks, 98.25% → 7 of 10,
  // 38.70% and 0% → 0. Bands: >=100% 100%, >=90% 70%, >=60% 40%, else 0.
  static ExecutionRateRule Default();
  static ExecutionRateRule Proportional();
  // Parses "100:100,90:70,60:40" (rate:percent-of-weight pairs) or "proportional".
  static Result<ExecutionRateRule> Parse(std::string_view spec);
  std::string ToString() const;
};

struct ScoringConfig {
  ExecutionRateRule execution = ExecutionRateRule::Default();
  // Percent of the weight a qualitative indicator earns when its actual grade falls
  // short of the target: 优, 良, 中, 差.
  std::array<Fixed2, 4> grade_fraction_pct = {Fixed2::FromInt(100), Fixed2::FromInt(80),
                                              Fixed2::FromInt(60), Fixed2::FromInt(0)};
};

// 优 / 良 / 中 / 差 for a total score.
std::string GradeOf(Fixed2 total);
// 0 for 优 … 3 for 差; -1 for anything else.
int GradeRank(std::string_view grade);

// Execution score for `rate` percent of a `weight`.
Fixed2 ScoreExecution(Fixed2 rate, Fixed2 weight, const ExecutionRateRule& rule);

struct IndicatorScore {
  std::optional<Fixed2> score;  // nullopt when the indicator cannot be scored
  std::string basis;            // how, in Chinese: "实际值 94.44 未达目标 98，10×94.44/98"
};

IndicatorScore ScoreIndicator(const Indicator& indicator, const ScoringConfig& config);

struct SheetScore {
  std::optional<Fixed2> rate;  // executed / budget, percent
  Fixed2 execution_score;
  std::vector<IndicatorScore> indicators;  // parallel to sheet.indicators
  Fixed2 total;                            // execution score + indicator scores
  std::string grade;
  // When an indicator cannot be scored, its stated score is used in `total`.
  int unscored = 0;
};

SheetScore ScoreSheet(const EvalSheet& sheet, const ScoringConfig& config);

// KPIs of the platform that self-evaluation indicators report.
enum class Kpi {
  kConnectionRate,     // 有效接通率
  kInstantAnswerRate,  // 即问即答率
  kDispatchAccuracy,   // 转办准确率
  kAcceptanceRate,     // 受理率
  kSatisfaction,       // 满意率
  kSeatsOnDuty,        // 坐席人数
};

std::optional<Kpi> KpiForIndicator(std::string_view indicator_name);
std::string_view KpiCode(Kpi kpi);  // "connection_rate", ...
std::optional<Kpi> KpiFromCode(std::string_view code);

// Replaces the actual value of every indicator that reports a KPI in `values`; returns
// how many were filled. Scores are not touched (score the sheet afterwards).
int FillActualsFromKpis(EvalSheet& sheet, const std::map<Kpi, Fixed2>& values);

}  // namespace hotline::domain::fiscal
