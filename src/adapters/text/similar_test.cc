#include "adapters/text/similar.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "testing/matchers.h"

namespace hotline::adapters::text {
namespace {

using ::testing::ElementsAre;
using ::testing::Not;

constexpr int64_t kDay = 86400;

class SimilarTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto tokenizer = Tokenizer::CreateDefault();
    ASSERT_OK(tokenizer);
    tokenizer_ = std::move(tokenizer).value().release();
  }
  static void TearDownTestSuite() {
    delete tokenizer_;
    tokenizer_ = nullptr;
  }
  void SetUp() override {
    finder_ = std::make_unique<SimilarityFinder>(*tokenizer_);
    reports_ = {
        {"t1", "丽发新城工地夜间施工噪音扰民",
         "A2区丽发新城旁边的工地每天晚上施工到凌晨，噪音很大。", "", "A2区", 10 * kDay},
        {"t2", "丽发新城附近工地半夜还在施工", "丽发新城小区旁工地夜里打桩，吵得睡不着。", "",
         "A2区", 11 * kDay},
        {"t3", "投诉丽发新城工地噪声", "晚上十二点了丽发新城的工地还在施工扰民。", "", "A2区",
         12 * kDay},
        {"t4", "咨询人才购房补贴申请", "研究生落户后如何申请购房补贴？", "", "A1区", 11 * kDay},
        {"t5", "洋湖壹号小区绿化带被占用", "洋湖壹号小区门口绿化带被商户占用。", "", "A3区",
         50 * kDay},
    };
    for (const auto& report : reports_) {
      ASSERT_OK(finder_->Upsert(report));
    }
  }
  static Tokenizer* tokenizer_;
  std::unique_ptr<SimilarityFinder> finder_;
  std::vector<Report> reports_;
};

Tokenizer* SimilarTest::tokenizer_ = nullptr;

TEST_F(SimilarTest, FindsReportsOfTheSameIssueButNeverItself) {
  const auto matches = finder_->FindSimilar(reports_[0], 2);
  ASSERT_EQ(matches.size(), 2U);
  EXPECT_NE(matches[0].id, "t1");
  EXPECT_NE(matches[1].id, "t1");
  EXPECT_THAT((std::vector<std::string>{matches[0].id, matches[1].id}),
              ::testing::UnorderedElementsAre("t2", "t3"));
  EXPECT_GT(matches[0].text, 0.0);
  EXPECT_LE(matches[0].text, 1.0);
  EXPECT_GT(matches[0].places, 0.0);  // 丽发新城 in common
}

// A finder filled again from another's analyses (as HotTopicIndex's snapshot does) answers
// as one filled by Upsert with the same reports in the same order, also after the same
// changes on both.
TEST_F(SimilarTest, AFinderFilledFromAnalysesAnswersAsTheOriginal) {
  ASSERT_TRUE(finder_->Remove("t4"));  // its terms are no longer held: not exported
  std::vector<std::string> names = finder_->TermNames();
  std::vector<std::pair<std::string, AnalyzedReport>> saved;
  finder_->ForEachAnalyzed([&](std::string_view id, const AnalyzedReport& analysis) {
    saved.emplace_back(std::string(id), analysis);
  });
  ASSERT_EQ(saved.size(), 4U);
  EXPECT_EQ(saved.front().first, "t1") << "in insertion order";
  for (const auto& [id, analysis] : saved) {
    EXPECT_FALSE(analysis.document.terms.empty()) << id;
    EXPECT_EQ(analysis.document.field_lengths.size(), 2U) << id;
  }
  EXPECT_FALSE(saved.front().second.places.empty()) << "丽发新城";
  EXPECT_FALSE(saved.front().second.title_grams.empty());
  EXPECT_EQ(std::count(names.begin(), names.end(), "购房"), 0) << "only t4 held it";

  // Into a finder whose term numbers differ: the terms are given in reverse order first.
  SimilarityFinder refilled(*tokenizer_);
  std::vector<uint32_t> number(names.size(), UINT32_MAX);
  for (size_t i = names.size(); i-- > 0;) {
    if (!names[i].empty()) {
      number[i] = refilled.InternTerm(names[i]);
    }
  }
  for (auto& [id, analysis] : saved) {
    for (auto& o : analysis.document.terms) {
      ASSERT_NE(number[o.term], UINT32_MAX) << names[o.term];
      o.term = number[o.term];
    }
    std::sort(analysis.document.terms.begin(), analysis.document.terms.end(),
              [](const auto& a, const auto& b) {
                return a.term != b.term ? a.term < b.term : a.field < b.field;
              });
    const auto report =
        std::find_if(reports_.begin(), reports_.end(), [&](const Report& r) { return r.id == id; });
    ASSERT_NE(report, reports_.end());
    ASSERT_OK(refilled.UpsertAnalyzed(*report, analysis));
  }
  ASSERT_EQ(refilled.size(), finder_->size());
  SimilarityFinder upserted(*tokenizer_);
  for (const auto& [id, analysis] : saved) {
    for (const auto& report : reports_) {
      if (report.id == id) {
        ASSERT_OK(upserted.Upsert(report));
      }
    }
  }
  const auto expect_same = [&](const std::string& what) {
    std::vector<Report> queries = reports_;
    queries.push_back(
        {"", "丽发新城工地凌晨施工", "工地凌晨还在施工，很吵。", "", "A2区", 12 * kDay});
    for (const auto& query : queries) {
      const auto x = upserted.FindSimilar(query, 5);
      const auto y = refilled.FindSimilar(query, 5);
      ASSERT_EQ(x.size(), y.size()) << what << " " << query.title;
      for (size_t i = 0; i < x.size(); ++i) {
        EXPECT_EQ(x[i].id, y[i].id) << what << " " << query.title << " #" << i;
        EXPECT_DOUBLE_EQ(x[i].score, y[i].score) << what << " " << query.title << " #" << i;
        EXPECT_DOUBLE_EQ(x[i].places, y[i].places) << what << " " << query.title << " #" << i;
        EXPECT_DOUBLE_EQ(x[i].titles, y[i].titles) << what << " " << query.title << " #" << i;
      }
    }
    EXPECT_EQ(refilled.index().Stats().postings, upserted.index().Stats().postings) << what;
    EXPECT_EQ(refilled.index().Stats().terms, upserted.index().Stats().terms) << what;
  };
  expect_same("refilled");
  EXPECT_FALSE(refilled.FindSimilar(reports_[0], 5).empty());
  // The same changes on both: a text re-worded (the analysed one is removed by its tokens),
  // one removed, one added.
  Report changed = reports_[1];
  changed.text = "丽发新城工地的塔吊半夜作业。";
  for (SimilarityFinder* f : {&upserted, &refilled}) {
    ASSERT_OK(f->Upsert(changed));
    ASSERT_TRUE(f->Remove("t5"));
    ASSERT_OK(f->Upsert(reports_[3]));
  }
  expect_same("after changes");
  // An analysis that does not fit the finder is refused.
  AnalyzedReport bad = saved.front().second;
  bad.document.terms.push_back({static_cast<uint32_t>(names.size() + 100), 0, 1});
  EXPECT_FALSE(refilled.UpsertAnalyzed(reports_[0], bad).has_value());
  bad = saved.front().second;
  bad.document.field_lengths.pop_back();
  EXPECT_FALSE(refilled.UpsertAnalyzed(reports_[0], bad).has_value());
}

TEST_F(SimilarTest, ANewTicketNotYetIndexedFindsItsDuplicates) {
  const Report incoming{"", "丽发新城工地晚上施工太吵", "", "", "A2区", 12 * kDay};
  const auto matches = finder_->FindSimilar(incoming, 3);
  ASSERT_FALSE(matches.empty());
  EXPECT_THAT(matches[0].id, ::testing::AnyOf("t1", "t2", "t3"));
  EXPECT_TRUE(matches[0].same_region);
}

TEST_F(SimilarTest, TimeWindowLimitsCandidates) {
  SimilarOptions options;
  options.window_seconds = 5 * kDay;
  SimilarityFinder finder(*tokenizer_, options);
  for (const auto& report : reports_) {
    ASSERT_OK(finder.Upsert(report));
  }
  const Report late{"", "洋湖壹号小区绿化带", "", "", "A3区", 10 * kDay};
  for (const auto& match : finder.FindSimilar(late, 5)) {
    EXPECT_NE(match.id, "t5");  // 40 days apart
  }
}

TEST_F(SimilarTest, RemovedTicketsAreNotSuggested) {
  EXPECT_TRUE(finder_->Remove("t2"));
  for (const auto& match : finder_->FindSimilar(reports_[0], 5)) {
    EXPECT_NE(match.id, "t2");
  }
}

TEST_F(SimilarTest, ClustersManyReportsOfOneProblem) {
  const auto clusters = ClusterReports(*finder_, reports_);
  ASSERT_FALSE(clusters.empty());
  EXPECT_THAT(clusters[0].ids, ElementsAre("t1", "t2", "t3"));
  EXPECT_EQ(clusters[0].first_time, 10 * kDay);
  EXPECT_EQ(clusters[0].last_time, 12 * kDay);
  EXPECT_THAT(clusters[0].top_terms, ::testing::Contains("丽发新城"));
  for (const auto& cluster : clusters) {
    EXPECT_THAT(cluster.ids, Not(::testing::Contains("t4")));
  }
}

TEST_F(SimilarTest, TitleOverlapIsMeasuredAndWeighed) {
  const Report query{"q", "丽发新城工地夜间施工噪音扰民", "请尽快处理。", "", "", 0};
  // The same title words with little else in common...
  const Report alike{"a", "丽发新城工地夜间施工噪音扰民", "昨天又是这样，太吵了。", "", "", 0};
  // ...and a report sharing none of the title's words.
  const Report other{"b", "洋湖壹号小区绿化带被占用", "请尽快处理。", "", "", 0};
  for (const double weight : {0.0, 1.0}) {
    SimilarOptions options;
    options.title_title_weight = weight;
    SimilarityFinder finder(*tokenizer_, options);
    ASSERT_OK(finder.Upsert(alike));
    ASSERT_OK(finder.Upsert(other));
    const auto matches = finder.FindSimilar(query, 2);
    ASSERT_FALSE(matches.empty());
    for (const auto& match : matches) {
      if (match.id == "a") {
        EXPECT_EQ(match.titles, weight > 0 ? 1.0 : 0.0);  // identical titles
        // Blended: (text + w·titles) / (1 + w), the same scale as the text score.
        EXPECT_NEAR(match.score,
                    (match.text + weight * match.titles) / (1 + weight) +
                        options.place_weight * match.places,
                    1e-9);
      } else {
        EXPECT_EQ(match.titles, 0.0);
      }
    }
    if (weight > 0) {
      EXPECT_EQ(matches[0].id, "a");
      EXPECT_LE(matches[0].score, 1.0 + options.place_weight);
    }
  }
}

}  // namespace
}  // namespace hotline::adapters::text
