#include "adapters/text/hot_topics.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "testing/matchers.h"

namespace hotline::adapters::text {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kDay = 86400;

TEST(HotTopics, RanksANewRisingClusterWithAnExplanation) {
  auto tokenizer = Tokenizer::CreateDefault();
  ASSERT_OK(tokenizer);
  SimilarityFinder finder(**tokenizer);
  // Written for the test: a building site near 丽发新城 that starts in the second week, a
  // steady trickle of parking complaints in both weeks, and unrelated reports.
  std::vector<Report> reports = {
      {"p1", "金鼎花园停车收费太高", "金鼎花园物业停车费每月涨到三百元。", "", "", 1 * kDay},
      {"p2", "金鼎花园乱收停车费", "金鼎花园物业乱收停车费，业主不满。", "", "", 3 * kDay},
      {"p3", "金鼎花园停车费又涨了", "金鼎花园物业停车收费不合理。", "", "", 9 * kDay},
      {"n1", "丽发新城工地夜间施工噪音扰民", "丽发新城旁工地每天晚上施工到凌晨，噪音很大。", "", "",
       8 * kDay},
      {"n2", "丽发新城附近工地半夜还在施工", "丽发新城小区旁工地夜里打桩，吵得睡不着。", "", "",
       9 * kDay},
      {"n3", "投诉丽发新城工地噪声", "晚上十二点了丽发新城的工地还在施工扰民。", "", "", 10 * kDay},
      {"n4", "丽发新城工地噪音太大", "丽发新城工地深夜施工，噪音扰民严重。", "", "", 11 * kDay},
      {"x1", "咨询人才购房补贴", "研究生落户后如何申请购房补贴？", "", "", 9 * kDay},
      {"x2", "公交线路调整建议", "希望增加到火车站的公交线路。", "", "", 12 * kDay},
  };
  for (const auto& report : reports) {
    ASSERT_OK(finder.Upsert(report));
  }
  HotTopicOptions options;
  options.from = 7 * kDay;
  options.to = 14 * kDay;
  const auto topics = FindHotTopics(finder, reports, options);
  ASSERT_FALSE(topics.empty());
  const HotTopic& top = topics.front();
  EXPECT_EQ(top.count, 4U);
  EXPECT_TRUE(top.is_new);
  EXPECT_THAT(top.explanation, HasSubstr("新出现"));
  EXPECT_THAT(top.explanation, HasSubstr("丽发新城"));
  EXPECT_EQ(top.examples.front(), "丽发新城工地噪音太大");  // most recent first
  // The parking trickle (one report this week) is not a topic; nothing outside the period
  // is counted in it.
  for (const auto& topic : topics) {
    EXPECT_THAT(topic.label, ::testing::Not(HasSubstr("金鼎")));
    EXPECT_LE(topic.count, 4U);
  }
}

TEST(HotTopics, PoissonTailMatchesTheDirectSum) {
  // P(X >= 3 | 0.5) = 1 - e^-0.5 (1 + 0.5 + 0.125).
  EXPECT_NEAR(PoissonUpperTail(3, 0.5), 1 - std::exp(-0.5) * 1.625, 1e-12);
  EXPECT_DOUBLE_EQ(PoissonUpperTail(0, 2.0), 1.0);
  EXPECT_NEAR(PoissonUpperTail(1, 2.0), 1 - std::exp(-2.0), 1e-12);
  // Far in the tail it stays positive and tiny, never negative from cancellation.
  const double far = PoissonUpperTail(60, 1.0);
  EXPECT_GT(far, 0.0);
  EXPECT_LT(far, 1e-60);
}

// A category in an area: `per_period` background reports of another category in each of
// five periods, and `rising` reports of the category in the last one.
std::vector<HotTopic> GrowthRun(size_t rising, size_t earlier, size_t per_period,
                                int64_t data_since) {
  auto tokenizer = Tokenizer::CreateDefault();
  EXPECT_TRUE(tokenizer.has_value());
  SimilarityFinder finder(**tokenizer);
  std::vector<Report> reports;
  std::vector<ReportFacets> facets;
  int n = 0;
  const auto add = [&](int64_t day, const std::string& category) {
    // Distinct texts, so that no cluster or place forms.
    const std::string id = fmt::format("T{:03d}", n++);
    reports.push_back({id, "诉求" + id, "内容" + id, "", "", day * kDay + 3600});
    facets.push_back({category, "三元区"});
  };
  for (int64_t period = 0; period < 5; ++period) {
    for (size_t i = 0; i < per_period; ++i) {
      add(period * 7 + static_cast<int64_t>(i % 7), "交通运输/公共交通");
    }
  }
  for (size_t i = 0; i < earlier; ++i) {
    add(static_cast<int64_t>(i % 4) * 7 + 2, "环境保护/污染防治");
  }
  for (size_t i = 0; i < rising; ++i) {
    add(28 + static_cast<int64_t>(i % 7), "环境保护/污染防治");
  }
  HotTopicOptions options;
  options.from = 28 * kDay;
  options.to = 35 * kDay;
  options.data_since = data_since;
  std::vector<HotTopic> growth;
  for (auto& t : FindHotTopics(finder, reports, facets, options)) {
    if (t.kind == HotTopic::Kind::kGrowth) {
      growth.push_back(std::move(t));
    }
  }
  return growth;
}

TEST(HotTopics, ACategoryRisingInAnAreaIsFoundWhenTheRiseIsSignificant) {
  // 8 now against 2 in the four periods before, the others steady: expected (2 + 0.5) / 4.
  auto growth = GrowthRun(8, 2, 3, 0);
  ASSERT_EQ(growth.size(), 1U) << "the steady category (3 a period) does not rise";
  EXPECT_EQ(growth[0].category, "环境保护/污染防治");
  EXPECT_EQ(growth[0].area, "三元区");
  EXPECT_EQ(growth[0].count, 8U);
  EXPECT_EQ(growth[0].periods, 4U);
  EXPECT_NEAR(growth[0].expected, 2.5 / 4, 1e-9);
  EXPECT_NEAR(growth[0].p_value, PoissonUpperTail(8, 2.5 / 4), 1e-15);
  EXPECT_EQ(growth[0].ids.size(), 8U);
  EXPECT_THAT(growth[0].explanation, HasSubstr("本期 8 件"));
  EXPECT_THAT(growth[0].explanation, HasSubstr("前 4 期共 2 件"));
  EXPECT_THAT(growth[0].explanation, HasSubstr(growth[0].example_ids[0]));
  // Too few reports, or a rise that chance explains, is not a topic.
  EXPECT_TRUE(GrowthRun(4, 0, 3, 0).empty()) << "below the minimum count";
  EXPECT_TRUE(GrowthRun(8, 20, 3, 0).empty()) << "5 a period before: 8 is no rise";
  // Without data before the period (the store began in it) nothing can be said.
  EXPECT_TRUE(GrowthRun(8, 2, 3, 28 * kDay).empty());
  // Only one earlier period with data: the expectation comes from it alone.
  auto short_history = GrowthRun(8, 0, 3, 21 * kDay);
  ASSERT_EQ(short_history.size(), 1U);
  EXPECT_EQ(short_history[0].periods, 1U);
  EXPECT_NEAR(short_history[0].expected, 0.5, 1e-9);
}

}  // namespace
}  // namespace hotline::adapters::text
