#include "adapters/report/scheme_json.h"

#include <gtest/gtest.h>

namespace hotline::adapters::report {
namespace {

TEST(SchemeJson, DefaultRoundTrips) {
  auto s = domain::assessment::Scheme::Default();
  auto back = ParseSchemeJson(SchemeJson(s).dump());
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(SchemeJson(*back), SchemeJson(s));
}

TEST(SchemeJson, CustomSchemeAndErrors) {
  auto s = ParseSchemeJson(R"({"name":"试行方案","components":[
      {"id":"sat","kpi":"satisfaction_rate","weight":60},
      {"id":"done","kpi":"on_time_completion_rate","weight":40,"floor":80}],
      "deductions":[{"id":"late","kpi":"overdue_replies","points_each":0.5,"cap":5}],
      "deduction_cap":10})");
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->components[1].floor, 80);
  EXPECT_TRUE(s->bonuses.empty());
  EXPECT_FALSE(ParseSchemeJson("{").has_value());
  EXPECT_FALSE(ParseSchemeJson(R"({"components":[{"id":"x","kpi":"satisfaction_rate"}]})")
                   .has_value());  // no weight
  auto bad =
      ParseSchemeJson(R"({"components":[{"id":"x","kpi":"satisfaction_rate","weight":50}]})");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("100"), std::string::npos);
}

}  // namespace
}  // namespace hotline::adapters::report
