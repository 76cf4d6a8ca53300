// A small hand-built city for tests: the centre, one county platform with a township,
// three departments, users for every role, a few categories and routing rules.
#pragma once

#include <memory>

#include "domain/calendar/time_limits.h"
#include "domain/calendar/work_calendar.h"
#include "domain/category.h"
#include "domain/lifecycle.h"
#include "domain/org.h"
#include "domain/routing.h"

namespace hotline::testing {

struct SmallCity {
  domain::OrgTree org;
  domain::CategoryTree categories;
  domain::RoutingDirectory routing;
  domain::WorkCalendar calendar = domain::WorkCalendar::PlainWeeks();
  domain::TimeLimitPolicies policies = domain::TimeLimitPolicies::Defaults();

  // Units.
  static constexpr domain::UnitId kCentre{1};
  static constexpr domain::UnitId kHousing{2};      // 市住建局
  static constexpr domain::UnitId kEnvironment{3};  // 市生态环境局
  static constexpr domain::UnitId kCountyHub{4};    // 三元区12345分平台
  static constexpr domain::UnitId kTownship{5};     // 城关街道
  static constexpr domain::UnitId kTransport{6};    // 市交通运输局
  // Regions.
  static constexpr domain::RegionId kCity{1};
  static constexpr domain::RegionId kCounty{2};
  static constexpr domain::RegionId kStreet{3};

  domain::Actor Act(const char* login) const;
  domain::DecisionContext Context(Instant now) const {
    return domain::DecisionContext{now, org, calendar, policies};
  }
};

std::unique_ptr<SmallCity> MakeSmallCity();

}  // namespace hotline::testing
