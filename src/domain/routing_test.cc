#include "domain/routing.h"

#include <gtest/gtest.h>

#include "testing/matchers.h"
#include "testing/small_city.h"

namespace hotline::domain {
namespace {

using hotline::testing::HasErrorCode;
using hotline::testing::SmallCity;

class RoutingTest : public ::testing::Test {
 protected:
  std::unique_ptr<SmallCity> city_ = hotline::testing::MakeSmallCity();
  Instant now_ = *ParseInstant("2024-03-04 09:00");
  CategoryId Cat(const char* path) { return city_->categories.FindByPath(path)->id; }
};

TEST_F(RoutingTest, SpecificRegionAndCategoryWin) {
  const RoutingDirectory& dir = city_->routing;
  // Noise in the township: the township rule (rule 3) beats the city-wide parent rule.
  auto r = dir.Resolve(Cat("噪声污染"), SmallCity::kStreet, now_, city_->categories, city_->org);
  ASSERT_OK(r);
  EXPECT_EQ(r->lead_unit, SmallCity::kCountyHub);
  EXPECT_EQ(r->co_units, std::vector<UnitId>{SmallCity::kEnvironment});
  EXPECT_EQ(r->rule, RuleId{3});
  // Noise elsewhere in the city: the parent category's city-wide rule.
  r = dir.Resolve(Cat("噪声污染"), SmallCity::kCounty, now_, city_->categories, city_->org);
  ASSERT_OK(r);
  EXPECT_EQ(r->lead_unit, SmallCity::kEnvironment);
  // Another environment leaf in the township: only the parent rule matches.
  r = dir.Resolve(Cat("大气污染"), SmallCity::kStreet, now_, city_->categories, city_->org);
  ASSERT_OK(r);
  EXPECT_EQ(r->lead_unit, SmallCity::kEnvironment);
  // Nothing matches: the fallback unit.
  r = dir.Resolve(Cat("公交线路"), SmallCity::kStreet, now_, city_->categories, city_->org);
  ASSERT_OK(r);
  EXPECT_TRUE(r->fallback);
  EXPECT_EQ(r->lead_unit, SmallCity::kCountyHub);
}

TEST_F(RoutingTest, TownshipBeatsCountyBeatsCityAndPriorityBreaksTies) {
  CategoryId noise = Cat("噪声污染");
  RoutingDirectory dir(
      {{RuleId{1}, noise, SmallCity::kCity, SmallCity::kEnvironment, {}, 0, {}, {}, ""},
       {RuleId{2}, noise, SmallCity::kCounty, SmallCity::kCountyHub, {}, 0, {}, {}, ""},
       {RuleId{3}, noise, SmallCity::kStreet, SmallCity::kTownship, {}, 0, {}, {}, ""},
       {RuleId{4}, noise, SmallCity::kStreet, SmallCity::kHousing, {}, 5, {}, {}, ""}},
      UnitId{});
  auto at = [&](RegionId region) {
    return dir.Resolve(noise, region, now_, city_->categories, city_->org)->lead_unit;
  };
  EXPECT_EQ(at(SmallCity::kStreet), SmallCity::kHousing);  // priority 5 beats 0
  EXPECT_EQ(at(SmallCity::kCounty), SmallCity::kCountyHub);
  EXPECT_EQ(at(SmallCity::kCity), SmallCity::kEnvironment);
  EXPECT_THAT(dir.Resolve(Cat("公交线路"), SmallCity::kStreet, now_, city_->categories, city_->org),
              HasErrorCode(ErrorCode::kNotFound));
}

TEST_F(RoutingTest, ValidityDatesAreRespected) {
  CategoryId noise = Cat("噪声污染");
  RoutingDirectory dir({{RuleId{1}, noise, RegionId{}, SmallCity::kEnvironment, {}, 0, {}, {}, ""},
                        {RuleId{2},
                         noise,
                         RegionId{},
                         SmallCity::kHousing,
                         {},
                         1,
                         ParseInstant("2024-01-01"),
                         ParseInstant("2024-02-01"),
                         "campaign"}},
                       UnitId{});
  EXPECT_EQ(dir.Resolve(noise, SmallCity::kStreet, *ParseInstant("2024-01-15"), city_->categories,
                        city_->org)
                ->lead_unit,
            SmallCity::kHousing);
  EXPECT_EQ(dir.Resolve(noise, SmallCity::kStreet, *ParseInstant("2024-02-01"), city_->categories,
                        city_->org)
                ->lead_unit,
            SmallCity::kEnvironment);
}

TEST_F(RoutingTest, FindsGapsConflictsAndBrokenRules) {
  CategoryId noise = Cat("噪声污染");
  RoutingDirectory dir({{RuleId{1}, noise, RegionId{}, SmallCity::kEnvironment, {}, 0, {}, {}, ""},
                        {RuleId{2}, noise, RegionId{}, SmallCity::kHousing, {}, 0, {}, {}, ""},
                        {RuleId{3}, Cat("城乡建设"), RegionId{}, UnitId{99}, {}, 0, {}, {}, ""}},
                       UnitId{});
  auto conflicts = dir.Conflicts();
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0].a, RuleId{1});
  EXPECT_EQ(conflicts[0].b, RuleId{2});
  auto problems = dir.Validate(city_->categories, city_->org);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("#3"), std::string::npos);
  // 5 leaves x 1 county; noise and the two housing leaves are covered.
  auto gaps = dir.Gaps(city_->categories, city_->org, UnitLevel::kCounty, now_);
  EXPECT_EQ(gaps.size(), 2u);  // 大气污染, 公交线路
}

}  // namespace
}  // namespace hotline::domain
