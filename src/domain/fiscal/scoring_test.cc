// Scoring worked out by hand: proportional indicators, qualitative grades, the
// execution-rate rule and the grade thresholds.
#include "domain/fiscal/scoring.h"

#include <gtest/gtest.h>

#include "domain/fiscal/parser.h"
#include "testing/matchers.h"

namespace hotline::domain::fiscal {
namespace {

Fixed2 F(const char* s) { return Fixed2::Parse(s).value(); }

Indicator Make(const char* target, const char* actual, const char* weight) {
  Indicator ind;
  ind.name = "指标";
  ind.target = ParseTarget(target);
  ind.actual_raw = actual;
  ind.actual = Fixed2::Parse(actual);
  ind.weight = Fixed2::Parse(weight);
  return ind;
}

std::string Score(const char* target, const char* actual, const char* weight) {
  const auto s = ScoreIndicator(Make(target, actual, weight), ScoringConfig{});
  return s.score ? s.score->ToString() : "none";
}

TEST(FiscalScoring, AtLeastTargetsScoreProportionallyWhenMissed) {
  EXPECT_EQ(Score("≥98%", "99.38", "10"), "10.00");   // met: full marks
  EXPECT_EQ(Score("≥98%", "98", "10"), "10.00");      // exactly met
  EXPECT_EQ(Score("≥98%", "94.44", "10"), "9.64");    // 10 × 94.44 / 98 = 9.6367
  EXPECT_EQ(Score("≥35 人", "34", "10"), "9.71");     // 10 × 34 / 35 = 9.714
  EXPECT_EQ(Score("≥500 条", "400", "20"), "16.00");  // 20 × 400 / 500
  EXPECT_EQ(Score(">95%", "95", "10"), "10.00");      // 10 × 95 / 95 (strict, not met)
}

TEST(FiscalScoring, AtMostTargetsScoreByTargetOverActual) {
  EXPECT_EQ(Score("≤200 万元", "196.49", "10"), "10.00");
  EXPECT_EQ(Score("≤2 小时", "2.5", "20"), "16.00");  // 20 × 2 / 2.5
  EXPECT_EQ(Score("≤50%", "80", "10"), "6.25");       // 10 × 50 / 80
}

TEST(FiscalScoring, EqualTargetsScoreByTheSmallerOverTheLarger) {
  EXPECT_EQ(Score("=100%", "100", "5"), "5.00");
  EXPECT_EQ(Score("=100%", "80", "5"), "4.00");   // 5 × 80 / 100
  EXPECT_EQ(Score("=100%", "125", "5"), "4.00");  // 5 × 100 / 125
}

TEST(FiscalScoring, QualitativeIndicatorsScoreByGrade) {
  EXPECT_EQ(Score("=优", "优", "10"), "10.00");
  EXPECT_EQ(Score("=优优", "优", "10"), "10.00");  // the garbled target still reads as 优
  EXPECT_EQ(Score("=优", "良", "10"), "8.00");     // 良 earns 80% of the weight
  EXPECT_EQ(Score("≥良", "中", "15"), "9.00");     // 中 earns 60%
  EXPECT_EQ(Score("≥良", "优", "15"), "15.00");
  EXPECT_EQ(Score("效果明显", "达成预期指标", "10"), "10.00");
  EXPECT_EQ(Score("效果明显", "一般", "10"), "none");
}

TEST(FiscalScoring, DefaultExecutionRuleBands) {
  const auto rule = ExecutionRateRule::Default();
  const Fixed2 w = F("10");
  EXPECT_EQ(ScoreExecution(F("100"), w, rule).ToString(), "10.00");
  EXPECT_EQ(ScoreExecution(F("98.25"), w, rule).ToString(), "7.00");  // the seed's sheet 4
  EXPECT_EQ(ScoreExecution(F("90"), w, rule).ToString(), "7.00");
  EXPECT_EQ(ScoreExecution(F("89.99"), w, rule).ToString(), "4.00");
  EXPECT_EQ(ScoreExecution(F("60"), w, rule).ToString(), "4.00");
  EXPECT_EQ(ScoreExecution(F("38.70"), w, rule).ToString(), "0.00");  // the seed's sheet 3
  EXPECT_EQ(ScoreExecution(F("0"), w, rule).ToString(), "0.00");
}

TEST(FiscalScoring, ConfigurableExecutionRule) {
  auto proportional = ExecutionRateRule::Parse("proportional");
  ASSERT_OK(proportional);
  EXPECT_EQ(ScoreExecution(F("98.25"), F("10"), *proportional).ToString(), "9.83");  // 9.825
  EXPECT_EQ(ScoreExecution(F("120"), F("10"), *proportional).ToString(), "10.00");   // capped
  auto bands = ExecutionRateRule::Parse("95:100, 80:50");
  ASSERT_OK(bands);
  EXPECT_EQ(bands->ToString(), "95:100,80:50");
  EXPECT_EQ(ScoreExecution(F("96"), F("10"), *bands).ToString(), "10.00");
  EXPECT_EQ(ScoreExecution(F("85"), F("10"), *bands).ToString(), "5.00");
  EXPECT_EQ(ScoreExecution(F("79"), F("10"), *bands).ToString(), "0.00");
  EXPECT_THAT(ExecutionRateRule::Parse("95"),
              hotline::testing::HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ExecutionRateRule::Parse("95:150"),
              hotline::testing::HasErrorCode(ErrorCode::kInvalidArgument));
}

TEST(FiscalScoring, GradeThresholds) {
  EXPECT_EQ(GradeOf(F("90")), "优");
  EXPECT_EQ(GradeOf(F("89.99")), "良");
  EXPECT_EQ(GradeOf(F("80")), "良");
  EXPECT_EQ(GradeOf(F("79.99")), "中");
  EXPECT_EQ(GradeOf(F("60")), "中");
  EXPECT_EQ(GradeOf(F("59.99")), "差");
}

EvalSheet SeedSheetFour(bool blank_score) {
  // The seed's fourth sheet: 196.49 of 200.00 executed, ten indicators.
  EvalSheet s;
  FundsRow total;
  total.budget = F("200");
  total.executed = F("196.49");
  total.weight = F("10");
  total.score = F("7");
  s.total = total;
  s.indicators = {Make("≤200 万元", "196.49", "10"), Make("≥80%", "98.66", "10"),
                  Make("≥95%", "99.66", "10"),       Make("≥100%", "100", "10"),
                  Make("≥98%", "99.38", "10"),       Make("≥35 人", "34", "10"),
                  Make("≥90 分", "94.4", "5"),       Make("≥95%", "97.57", "5"),
                  Make("=优优", "优", "10"),         Make("≥100%", "100", "10")};
  if (!blank_score) {
    s.indicators[8].score = F("10");
  }
  return s;
}

TEST(FiscalScoring, SheetTotalAndGradeByHand) {
  // 7 (98.25%) + 10+10+10+10+10 + 9.71 + 5 + 5 + 10 + 10 = 96.71 → 优.
  const SheetScore s = ScoreSheet(SeedSheetFour(true), ScoringConfig{});
  ASSERT_TRUE(s.rate.has_value());
  EXPECT_EQ(s.rate->ToString(), "98.25");
  EXPECT_EQ(s.execution_score.ToString(), "7.00");
  EXPECT_EQ(s.indicators[5].score->ToString(), "9.71");
  EXPECT_EQ(s.indicators[8].score->ToString(), "10.00");
  EXPECT_EQ(s.total.ToString(), "96.71");
  EXPECT_EQ(s.grade, "优");
  // With a proportional execution rule: 9.83 + 89.71 = 99.54.
  ScoringConfig proportional;
  proportional.execution = ExecutionRateRule::Proportional();
  EXPECT_EQ(ScoreSheet(SeedSheetFour(true), proportional).total.ToString(), "99.54");
}

TEST(FiscalScoring, FillsActualValuesFromKpis) {
  EvalSheet s = SeedSheetFour(false);
  s.indicators[1].name = "平台热线即问即答率";
  s.indicators[2].name = "平台热线有效接通率";
  s.indicators[5].name = "平台热线接听坐席人数";
  s.indicators[6].name = "热线外包服务考核";  // the contractor's rating: not a KPI
  const std::map<Kpi, Fixed2> kpis = {{Kpi::kInstantAnswerRate, F("70")},
                                      {Kpi::kConnectionRate, F("96.5")},
                                      {Kpi::kSeatsOnDuty, F("35")},
                                      {Kpi::kSatisfaction, F("99")}};
  EXPECT_EQ(FillActualsFromKpis(s, kpis), 3);
  EXPECT_EQ(s.indicators[1].actual_raw, "70");
  EXPECT_EQ(s.indicators[6].actual_raw, "94.4");
  const SheetScore score = ScoreSheet(s, ScoringConfig{});
  EXPECT_EQ(score.indicators[1].score->ToString(), "8.75");   // 10 × 70 / 80
  EXPECT_EQ(score.indicators[5].score->ToString(), "10.00");  // 35 seats meet ≥35
  EXPECT_EQ(KpiFromCode("seats_on_duty"), Kpi::kSeatsOnDuty);
  EXPECT_FALSE(KpiFromCode("nope").has_value());
}

}  // namespace
}  // namespace hotline::domain::fiscal
