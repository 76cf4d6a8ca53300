#include "domain/org.h"

#include <gtest/gtest.h>

#include "testing/matchers.h"
#include "testing/small_city.h"

namespace hotline::domain {
namespace {

using hotline::testing::HasErrorCode;
using hotline::testing::SmallCity;

TEST(OrgTree, NavigatesUnitsAndRegions) {
  auto city = hotline::testing::MakeSmallCity();
  const OrgTree& org = city->org;
  EXPECT_EQ(org.Centre()->id, SmallCity::kCentre);
  EXPECT_TRUE(org.IsWithin(SmallCity::kTownship, SmallCity::kCountyHub));
  EXPECT_TRUE(org.IsWithin(SmallCity::kTownship, SmallCity::kCentre));
  EXPECT_FALSE(org.IsWithin(SmallCity::kHousing, SmallCity::kCountyHub));
  EXPECT_TRUE(org.IsRegionWithin(SmallCity::kStreet, SmallCity::kCity));
  EXPECT_FALSE(org.IsRegionWithin(SmallCity::kCity, SmallCity::kStreet));
  EXPECT_EQ(org.Children(SmallCity::kCountyHub), std::vector<UnitId>{SmallCity::kTownship});
  EXPECT_EQ(org.FindRegionByCode("三元区")->id, SmallCity::kCounty);
  auto actor = org.ActorFor("hub");
  ASSERT_OK(actor);
  EXPECT_EQ(actor->role, Role::kUnitAdmin);
  EXPECT_EQ(actor->unit, SmallCity::kCountyHub);
  EXPECT_THAT(org.ActorFor("nobody"), HasErrorCode(ErrorCode::kNotFound));
}

TEST(OrgTree, RejectsBrokenTrees) {
  std::vector<Region> regions{{RegionId{1}, "1", "市", UnitLevel::kCity, RegionId{}}};
  std::vector<Unit> cycle{
      {UnitId{1}, "a", "A", UnitLevel::kCity, UnitKind::kDepartment, UnitId{2}, RegionId{1}, true},
      {UnitId{2}, "b", "B", UnitLevel::kCity, UnitKind::kDepartment, UnitId{1}, RegionId{1}, true}};
  EXPECT_THAT(OrgTree::Build(regions, cycle, {}), HasErrorCode(ErrorCode::kInvalidArgument));
  std::vector<Unit> orphan{
      {UnitId{1}, "a", "A", UnitLevel::kCity, UnitKind::kDepartment, UnitId{9}, RegionId{1}, true}};
  EXPECT_THAT(OrgTree::Build(regions, orphan, {}), HasErrorCode(ErrorCode::kInvalidArgument));
  std::vector<Unit> dup{
      {UnitId{1}, "a", "A", UnitLevel::kCity, UnitKind::kCentre, UnitId{}, RegionId{1}, true},
      {UnitId{2}, "a", "B", UnitLevel::kCity, UnitKind::kDepartment, UnitId{1}, RegionId{1}, true}};
  EXPECT_THAT(OrgTree::Build(regions, dup, {}), HasErrorCode(ErrorCode::kInvalidArgument));
  std::vector<User> bad_user{{UserId{1}, "x", "X", Role::kOperator, UnitId{5}, true}};
  EXPECT_THAT(OrgTree::Build(regions, {}, bad_user), HasErrorCode(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace hotline::domain
