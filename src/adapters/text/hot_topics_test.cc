#include "adapters/text/hot_topics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace hotline::adapters::text
