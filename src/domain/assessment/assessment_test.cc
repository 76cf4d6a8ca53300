// Assessment scores worked out by hand from hand-built KPI values.
#include "domain/assessment/assessment.h"

#include <gtest/gtest.h>

namespace hotline::domain::assessment {
namespace {

using kpi::KpiValue;

KpiValue Rate(const char* id, int64_t num, int64_t den) {
  return {id,  "", "%", den == 0 ? 0 : 100.0 * static_cast<double>(num) / static_cast<double>(den),
          num, den};
}
KpiValue Count(const char* id, int64_t n) {
  return {id, "", "件", static_cast<double>(n), n, std::nullopt};
}

// sign 9/10, completion 8/10, satisfaction 3/4; 2 overdue, 1 re-handled, 3 wrongly
// returned, 5 first-time.
std::vector<KpiValue> Sample() {
  return {Count("dispatched", 10),
          Rate("on_time_sign_rate", 9, 10),
          Rate("on_time_completion_rate", 8, 10),
          Rate("satisfaction_rate", 3, 4),
          Count("overdue", 2),
          Rate("rehandle_rate", 1, 6),
          Count("wrong_returns", 3),
          Rate("first_time_rate", 5, 6)};
}

TEST(Assessment, DefaultSchemeIsValidAndWeighs30_35_35) {
  Scheme s = Scheme::Default();
  ASSERT_TRUE(s.Validate().has_value());
  ASSERT_EQ(s.components.size(), 3u);
  EXPECT_EQ(s.components[0].weight, 30);
  EXPECT_EQ(s.components[1].weight, 35);
  EXPECT_EQ(s.components[2].weight, 35);
}

TEST(Assessment, ScoreWorkedOutByHand) {
  UnitScore u = Score(Scheme::Default(), Sample());
  // 30 x 0.9 = 27; 35 x 0.8 = 28; 35 x 0.75 = 26.25 -> 81.25
  EXPECT_DOUBLE_EQ(u.components[0].points, 27);
  EXPECT_DOUBLE_EQ(u.components[1].points, 28);
  EXPECT_DOUBLE_EQ(u.components[2].points, 26.25);
  EXPECT_DOUBLE_EQ(u.base, 81.25);
  // overdue 2 x 1 = 2; re-handled 1 x 2 = 2; wrongly returned 3 x 1 = 3 -> 7
  EXPECT_EQ(u.deductions[0].count, 2);
  EXPECT_DOUBLE_EQ(u.deductions[0].points, 2);
  EXPECT_EQ(u.deductions[1].count, 1);
  EXPECT_DOUBLE_EQ(u.deductions[1].points, 2);
  ASSERT_EQ(u.deductions.size(), 3u);
  EXPECT_EQ(u.deductions[2].item.id, "wrong_returns");
  EXPECT_EQ(u.deductions[2].count, 3);
  EXPECT_DOUBLE_EQ(u.deductions[2].points, 3);
  EXPECT_DOUBLE_EQ(u.deducted, 7);
  // first-time 5 x 0.05 = 0.25
  EXPECT_DOUBLE_EQ(u.bonus, 0.25);
  EXPECT_DOUBLE_EQ(u.score, 74.5);
  EXPECT_EQ(u.dispatched, 10);
  // Evidence: the KPI with its numerator and denominator.
  EXPECT_EQ(u.components[2].kpi.id, "satisfaction_rate");
  EXPECT_EQ(u.components[2].kpi.numerator, 3);
  EXPECT_EQ(*u.components[2].kpi.denominator, 4);
}

TEST(Assessment, CapsPerItemAndInTotalAndFloorAndTarget) {
  Scheme s = Scheme::Default();
  s.components[2].floor = 50;        // 75% is halfway from 50 to 100
  s.deductions[0].points_each = 10;  // 2 x 10 = 20, item cap 15
  s.deduction_cap = 16;              // 15 + 2 + 3 = 20 -> 16
  UnitScore u = Score(s, Sample());
  EXPECT_DOUBLE_EQ(u.components[2].points, 17.5);
  EXPECT_TRUE(u.deductions[0].capped);
  EXPECT_DOUBLE_EQ(u.deductions[0].points, 15);
  EXPECT_DOUBLE_EQ(u.deducted, 16);
  EXPECT_DOUBLE_EQ(u.score, 27 + 28 + 17.5 - 16 + 0.25);
}

TEST(Assessment, NothingDueGivesFullPointsAndScoreNeverNegative) {
  Scheme s = Scheme::Default();
  UnitScore empty = Score(s, {Count("dispatched", 0), Rate("on_time_sign_rate", 0, 0)});
  EXPECT_TRUE(empty.components[0].no_data);
  EXPECT_DOUBLE_EQ(empty.score, 100);
  s.deduction_cap = 0;
  s.deductions[0].cap = 0;
  s.deductions[0].points_each = 100;
  EXPECT_DOUBLE_EQ(Score(s, Sample()).score, 0);
}

TEST(Assessment, RankWithinLevelWithTies) {
  Scheme s = Scheme::Default();
  s.min_dispatched = 1;
  auto make = [](const char* name, Level l, double score, int64_t dispatched) {
    UnitScore u;
    u.name = name;
    u.level = l;
    u.score = score;
    u.dispatched = dispatched;
    return u;
  };
  std::vector<UnitScore> units{
      make("丙", Level::kCityDepartment, 90, 3), make("甲", Level::kCityDepartment, 95, 3),
      make("乙", Level::kCityDepartment, 90, 3), make("丁", Level::kCityDepartment, 99, 0),
      make("街道", Level::kTownship, 80, 1),     make("平台", Level::kCountyPlatform, 70, 2)};
  Rank(s, units);
  ASSERT_EQ(units.size(), 6u);
  EXPECT_EQ(units[0].name, "甲");
  EXPECT_EQ(units[0].rank, 1);
  EXPECT_EQ(units[1].rank, 2);
  EXPECT_EQ(units[2].rank, 2);     // a tie shares the rank
  EXPECT_EQ(units[1].name, "丙");  // ties by name
  EXPECT_EQ(units[3].name, "丁");  // no dispatched orders: scored, not ranked, last
  EXPECT_FALSE(units[3].ranked);
  EXPECT_EQ(units[3].rank, 0);
  EXPECT_EQ(units[0].rank_of, 3);
  EXPECT_EQ(units[4].name, "平台");  // its own level
  EXPECT_EQ(units[4].rank, 1);
  EXPECT_EQ(units[5].rank, 1);
}

TEST(Assessment, ValidateRefusesBadSchemes) {
  Scheme s = Scheme::Default();
  s.components[0].weight = 20;
  EXPECT_FALSE(s.Validate().has_value());
  s = Scheme::Default();
  s.components[0].kpi = "received";  // a count, not a rate
  EXPECT_FALSE(s.Validate().has_value());
  s = Scheme::Default();
  s.deductions[0].kpi = "nope";
  EXPECT_FALSE(s.Validate().has_value());
  s = Scheme::Default();
  s.bonuses[0].id = "overdue";
  EXPECT_FALSE(s.Validate().has_value());
}

TEST(Assessment, Periods) {
  auto m = ParsePeriod("2024-02");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->from, "2024-02-01");
  EXPECT_EQ(m->to, "2024-02-29");
  EXPECT_EQ(PreviousPeriod(*m).label, "2024-01");
  auto q = ParsePeriod("2024Q1");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->to, "2024-03-31");
  EXPECT_EQ(PreviousPeriod(*q).label, "2023Q4");
  EXPECT_EQ(PreviousPeriod(*q).from, "2023-10-01");
  EXPECT_FALSE(ParsePeriod("2024-13").has_value());
  EXPECT_FALSE(ParsePeriod("2024Q5").has_value());
  EXPECT_FALSE(ParsePeriod("24-01").has_value());
}

TEST(Assessment, Levels) {
  Unit u;
  u.kind = UnitKind::kCentre;
  EXPECT_FALSE(LevelOf(u).has_value());
  u.kind = UnitKind::kPlatform;
  u.level = UnitLevel::kCounty;
  EXPECT_EQ(LevelOf(u), Level::kCountyPlatform);
  u.kind = UnitKind::kDepartment;
  u.level = UnitLevel::kTownship;
  EXPECT_EQ(LevelOf(u), Level::kTownship);
  EXPECT_EQ(ChineseName(Level::kCityDepartment), "市直部门");
}

}  // namespace
}  // namespace hotline::domain::assessment
