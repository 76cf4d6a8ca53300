#include "testing/small_city.h"

#include "common/check.h"

namespace hotline::testing {

using namespace hotline::domain;  // NOLINT(google-build-using-namespace)

Actor SmallCity::Act(const char* login) const {
  auto actor = org.ActorFor(login);
  HOTLINE_CHECK(actor.has_value(), "unknown test login");
  return *actor;
}

std::unique_ptr<SmallCity> MakeSmallCity() {
  std::vector<Region> regions{
      {SmallCity::kCity, "350400", "三明市", UnitLevel::kCity, RegionId{}},
      {SmallCity::kCounty, "350404", "三元区", UnitLevel::kCounty, SmallCity::kCity},
      {SmallCity::kStreet, "350404001", "城关街道", UnitLevel::kTownship, SmallCity::kCounty},
  };
  std::vector<Unit> units{
      {SmallCity::kCentre, "centre", "三明市12345热线中心", UnitLevel::kCity, UnitKind::kCentre,
       UnitId{}, SmallCity::kCity, true},
      {SmallCity::kHousing, "housing", "三明市住房和城乡建设局", UnitLevel::kCity,
       UnitKind::kDepartment, SmallCity::kCentre, SmallCity::kCity, true},
      {SmallCity::kEnvironment, "environment", "三明市生态环境局", UnitLevel::kCity,
       UnitKind::kDepartment, SmallCity::kCentre, SmallCity::kCity, true},
      {SmallCity::kCountyHub, "sanyuan-hub", "三元区12345分平台", UnitLevel::kCounty,
       UnitKind::kPlatform, SmallCity::kCentre, SmallCity::kCounty, true},
      {SmallCity::kTownship, "chengguan", "城关街道办事处", UnitLevel::kTownship,
       UnitKind::kDepartment, SmallCity::kCountyHub, SmallCity::kStreet, true},
      {SmallCity::kTransport, "transport", "三明市交通运输局", UnitLevel::kCity,
       UnitKind::kDepartment, SmallCity::kCentre, SmallCity::kCity, true},
  };
  std::vector<User> users{
      {UserId{1}, "op", "话务员小王", Role::kOperator, SmallCity::kCentre, true},
      {UserId{2}, "disp", "派单员小李", Role::kDispatcher, SmallCity::kCentre, true},
      {UserId{3}, "housing", "住建局承办人", Role::kUnitHandler, SmallCity::kHousing, true},
      {UserId{4}, "env", "环境局承办人", Role::kUnitHandler, SmallCity::kEnvironment, true},
      {UserId{5}, "hub", "三元区分平台管理员", Role::kUnitAdmin, SmallCity::kCountyHub, true},
      {UserId{6}, "town", "城关街道承办人", Role::kUnitHandler, SmallCity::kTownship, true},
      {UserId{7}, "cb", "回访员小陈", Role::kCallback, SmallCity::kCentre, true},
      {UserId{8}, "sup", "督办员老周", Role::kSupervisor, SmallCity::kCentre, true},
      {UserId{9}, "qa", "质检员", Role::kInspector, SmallCity::kCentre, true},
      {UserId{10}, "boss", "中心主任", Role::kLeader, SmallCity::kCentre, true},
      {UserId{11}, "admin", "系统管理员", Role::kAdmin, SmallCity::kCentre, true},
      {UserId{12}, "system", "系统", Role::kSystem, SmallCity::kCentre, true},
      {UserId{13}, "housing-admin", "住建局管理员", Role::kUnitAdmin, SmallCity::kHousing, true},
  };
  auto org = OrgTree::Build(regions, units, users);
  HOTLINE_CHECK(org.has_value(), "small city org");
  auto cats = CategoryTree::ParseCsv(
      "一级分类,二级分类,三级分类\n"
      "城乡建设,住房保障,物业管理\n"
      "城乡建设,住房保障,房屋质量\n"
      "环境保护,污染防治,噪声污染\n"
      "环境保护,污染防治,大气污染\n"
      "交通运输,公共交通,公交线路\n");
  HOTLINE_CHECK(cats.has_value(), "small city categories");
  auto city = std::make_unique<SmallCity>(SmallCity{std::move(*org), std::move(*cats), {}});
  const Category* housing = city->categories.FindByPath("城乡建设");
  const Category* noise = city->categories.FindByPath("环境保护/污染防治/噪声污染");
  const Category* environment = city->categories.FindByPath("环境保护");
  std::vector<RoutingRule> rules{
      {RuleId{1}, housing->id, RegionId{}, SmallCity::kHousing, {}, 0, {}, {}, ""},
      {RuleId{2}, environment->id, RegionId{}, SmallCity::kEnvironment, {}, 0, {}, {}, ""},
      {RuleId{3},
       noise->id,
       SmallCity::kStreet,
       SmallCity::kCountyHub,
       {SmallCity::kEnvironment},
       0,
       {},
       {},
       ""},
  };
  city->routing = RoutingDirectory(std::move(rules), SmallCity::kCountyHub);
  return city;
}

}  // namespace hotline::testing
