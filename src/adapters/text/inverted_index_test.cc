#include "adapters/text/inverted_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "testing/matchers.h"

namespace hotline::adapters::text {
namespace {

using ::hotline::testing::HasErrorCode;

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class InvertedIndexTest : public ::testing::Test {
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
  void SetUp() override { Reset(IndexOptions{}); }
  // A new index with these options holding the fixture's articles.
  void Reset(const IndexOptions& options) {
    index_ = std::make_unique<InvertedIndex>(*tokenizer_, options);
    // A small knowledge base written for this test.
    Add("kb-social", "社会保险补缴怎么办理",
        "灵活就业人员补缴社会保险，携带身份证到区社保经办窗口办理。", "劳动和社会保障", "A3区",
        100);
    Add("kb-fund", "住房公积金提取条件", "购买自住住房、退休、离职后可以申请提取住房公积金。",
        "城乡建设", "A1区", 200);
    Add("kb-noise", "夜间施工噪音扰民投诉",
        "夜间22点后施工须办理夜间施工许可，噪声超标可投诉至城管部门。", "环境保护", "A3区", 300);
    Add("kb-water", "小区停水通知查询", "计划停水信息在供水公司网站公布，二次供水问题请联系物业。",
        "城乡建设", "A2区", 400);
  }
  void Add(std::string id, std::string title, std::string body, std::string category,
           std::string region, int64_t time) {
    ASSERT_OK(index_->Upsert(
        IndexDocument{std::move(id),
                      {std::move(title), std::move(body)},
                      {{"category", std::move(category)}, {"region", std::move(region)}},
                      time}));
  }
  std::vector<std::string> Ids(const SearchQuery& query) {
    std::vector<std::string> ids;
    for (const auto& hit : index_->Search(query)) {
      ids.push_back(hit.id);
    }
    return ids;
  }
  std::vector<std::string> Ids(std::string text) {
    SearchQuery query;
    query.parts = {{std::move(text), 1.0}};
    return Ids(query);
  }
  static Tokenizer* tokenizer_;
  std::unique_ptr<InvertedIndex> index_;
};

Tokenizer* InvertedIndexTest::tokenizer_ = nullptr;

TEST_F(InvertedIndexTest, RanksTheRelevantArticleFirst) {
  EXPECT_EQ(Ids("公积金怎么提取").front(), "kb-fund");
  EXPECT_EQ(Ids("工地晚上施工太吵").front(), "kb-noise");
  EXPECT_EQ(Ids("停水了").front(), "kb-water");
  EXPECT_THAT(Ids("火星探测器"), IsEmpty());
}

TEST_F(InvertedIndexTest, MatchesSynonymsAndTraditionalScript) {
  EXPECT_EQ(Ids("社保补缴").front(), "kb-social");      // 社保 ~ 社会保险
  EXPECT_EQ(Ids("噪音").front(), "kb-noise");           // 噪音 ~ 噪声
  EXPECT_EQ(Ids("住房公積金提取").front(), "kb-fund");  // Traditional query
}

TEST_F(InvertedIndexTest, TitleWeighsMoreThanBody) {
  // 提取 is in kb-fund's title and body only; 物业 only in kb-water's body. Adding an article
  // with the word in its title outranks one with it in the body.
  Add("kb-property", "物业服务投诉", "对物业公司的服务不满意可以向街道反映。", "城乡建设", "A2区",
      500);
  EXPECT_EQ(Ids("物业").front(), "kb-property");
}

TEST_F(InvertedIndexTest, FiltersByFacetAndTime) {
  SearchQuery query;
  query.parts = {{"办理 投诉 提取 停水", 1.0}};
  query.filters = {{"region", "A3区"}};
  EXPECT_THAT(Ids(query), ::testing::UnorderedElementsAre("kb-social", "kb-noise"));
  query.filters = {{"category", "城乡建设"}};
  query.time_from = 300;
  EXPECT_THAT(Ids(query), ElementsAre("kb-water"));
  query.exclude_ids = {"kb-water"};
  EXPECT_THAT(Ids(query), IsEmpty());
}

TEST_F(InvertedIndexTest, FacetFiltersFollowUpdatesAndCompaction) {
  SearchQuery query;
  query.parts = {{"办理 投诉 提取 停水", 1.0}};
  query.filters = {{"region", "A3区"}, {"category", "城乡建设"}};
  const auto both = Ids(query);
  query.filters = {{"region", "A9区"}};  // a value no document has
  EXPECT_THAT(Ids(query), IsEmpty());
  query.filters = {{"colour", "red"}};  // a facet no document has
  EXPECT_THAT(Ids(query), IsEmpty());
  // kb-water moves to A3区: found with the region's filter, no longer with its old one.
  Add("kb-water", "停水通知", "停水期间请储备用水，投诉请拨打12345。", "城乡建设", "A3区", 400);
  query.filters = {{"region", "A3区"}, {"category", "城乡建设"}};
  auto now = Ids(query);
  EXPECT_THAT(now, ::testing::Contains("kb-water"));
  EXPECT_EQ(now.size(), both.size() + 1);
  query.filters = {{"region", "A2区"}};
  EXPECT_THAT(Ids(query), ::testing::Not(::testing::Contains("kb-water")));
  // After compaction (slots renumbered) the same answers.
  index_->Compact();
  query.filters = {{"region", "A3区"}, {"category", "城乡建设"}};
  EXPECT_EQ(Ids(query), now);
}

// A filter that few documents pass skips the postings of the others (TopDocs jumps to the
// next slot the filter passes): the results must be those of the unfiltered ranking with the
// filtered-out documents taken away, for filters passing one document, a few, every other
// one, and after updates and removals left dead slots behind.
TEST_F(InvertedIndexTest, SelectiveFiltersGiveTheUnfilteredRankingRestricted) {
  IndexOptions options;
  options.fusion_depth = 0;  // BM25F alone: its depth does not depend on the limit
  index_ = std::make_unique<InvertedIndex>(*tokenizer_, options);
  const std::vector<std::string> subjects = {"公积金提取", "社保补缴", "夜间施工噪音",
                                             "停水通知",   "占道经营", "垃圾清运"};
  std::map<std::string, std::string> region_of;
  for (int i = 0; i < 300; ++i) {
    const std::string id = "d" + std::to_string(i);
    // Region A0区 for every 7th document, A1区 for one, B区 for every other one.
    const std::string region = i == 150 ? "A1区" : i % 7 == 0 ? "A0区" : i % 2 == 0 ? "B区" : "C区";
    region_of[id] = region;
    const std::string& subject = subjects[static_cast<size_t>(i) % subjects.size()];
    const std::string& other = subjects[static_cast<size_t>(i * 5 + 1) % subjects.size()];
    Add(id, subject + "怎么办理" + std::to_string(i % 13),
        other + "请到窗口办理，" + subject + "可网上申请。", "分类" + std::to_string(i % 3), region,
        i);
  }
  // Updates (the document moves to a new slot) and removals leave dead slots behind.
  for (int i = 0; i < 300; i += 11) {
    Add("d" + std::to_string(i), "公积金提取更新" + std::to_string(i), "更新后的答复，社保补缴。",
        "分类0", region_of["d" + std::to_string(i)], i);
  }
  for (int i = 5; i < 300; i += 17) {
    index_->Remove("d" + std::to_string(i));
    region_of.erase("d" + std::to_string(i));
  }
  index_->RefreshStatistics();
  size_t compared = 0;
  for (const std::string text :
       {"公积金提取", "社保补缴办理", "噪音 停水 垃圾", "占道经营 垃圾清运"}) {
    SearchQuery all;
    all.parts = {{text, 1.0}};
    all.limit = 1000;
    const auto everything = index_->Search(all);
    ASSERT_FALSE(everything.empty()) << text;
    for (const std::string region : {"A1区", "A0区", "B区", "C区"}) {
      SearchQuery filtered = all;
      filtered.limit = 10;
      filtered.filters = {{"region", region}};
      std::vector<std::pair<std::string, double>> expected;
      for (const auto& hit : everything) {
        if (region_of[hit.id] == region && expected.size() < filtered.limit) {
          expected.emplace_back(hit.id, hit.score);
        }
      }
      const auto got = index_->Search(filtered);
      ASSERT_EQ(got.size(), expected.size()) << text << " " << region;
      for (size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].id, expected[i].first) << text << " " << region << " #" << i;
        EXPECT_DOUBLE_EQ(got[i].score, expected[i].second) << text << " " << region;
      }
      compared += expected.size();
    }
  }
  EXPECT_GT(compared, 40u) << "the comparison found too little";
}

TEST_F(InvertedIndexTest, StaysInStepWithUpdatesAndDeletes) {
  EXPECT_EQ(index_->size(), 4U);
  // Update: the article no longer talks about water.
  Add("kb-water", "燃气缴费", "燃气费可以在网上缴纳。", "城乡建设", "A2区", 400);
  EXPECT_EQ(index_->size(), 4U);
  EXPECT_THAT(Ids("停水"), IsEmpty());
  EXPECT_EQ(Ids("燃气缴费").front(), "kb-water");
  // Delete.
  EXPECT_TRUE(index_->Remove("kb-water"));
  EXPECT_FALSE(index_->Remove("kb-water"));
  EXPECT_EQ(index_->size(), 3U);
  EXPECT_THAT(Ids("燃气"), IsEmpty());
  EXPECT_EQ(index_->Find("kb-water"), nullptr);
  // Compaction keeps results and ids.
  index_->Compact();
  EXPECT_EQ(Ids("公积金").front(), "kb-fund");
  ASSERT_NE(index_->Find("kb-noise"), nullptr);
  EXPECT_EQ(index_->Find("kb-noise")->fields[0], "夜间施工噪音扰民投诉");
}

TEST_F(InvertedIndexTest, ManyUpdatesKeepStatisticsExact) {
  for (int round = 0; round < 50; ++round) {
    Add("kb-churn", "临时文章" + std::to_string(round), "内容" + std::to_string(round), "x", "y",
        1);
  }
  EXPECT_EQ(index_->size(), 5U);
  EXPECT_THAT(Ids("临时文章"), ElementsAre("kb-churn"));
  EXPECT_EQ(index_->Stats().documents, 5U);
}

TEST_F(InvertedIndexTest, HighlightsSnippets) {
  SearchQuery query;
  query.parts = {{"公积金提取", 1.0}};
  query.with_snippets = true;
  const auto hits = index_->Search(query);
  ASSERT_FALSE(hits.empty());
  EXPECT_THAT(hits.front().snippet, HasSubstr("<em>"));
  EXPECT_THAT(hits.front().snippet, HasSubstr("公积金"));
  const std::string long_text = std::string(300, 'x') + "，关键的公积金在这里";
  const std::string snippet = index_->Snippet(long_text, {"公积", "积金"}, 20, "[", "]");
  EXPECT_THAT(snippet, HasSubstr("[公积金]"));
  EXPECT_TRUE(snippet.starts_with("…"));
}

TEST_F(InvertedIndexTest, RejectsBadDocuments) {
  EXPECT_THAT(index_->Upsert(IndexDocument{"", {"a"}, {}, 0}),
              HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(index_->Upsert(IndexDocument{"x", {"a", "b", "c"}, {}, 0}),
              HasErrorCode(ErrorCode::kInvalidArgument));
}

TEST_F(InvertedIndexTest, PhraseRerankingKeepsOrderSane) {
  IndexOptions options;
  options.rerank_depth = 10;
  options.phrase_weight = 0.5;
  InvertedIndex index(*tokenizer_, options);
  ASSERT_OK(index.Upsert({"a", {"", "反映A5区佳园星城小区垃圾站选址问题"}, {}, 0}));
  ASSERT_OK(index.Upsert({"b", {"", "佳园星城附近的道路问题和垃圾清运问题"}, {}, 0}));
  SearchQuery query;
  query.parts = {{"佳园星城小区垃圾站", 1.0}};
  const auto hits = index.Search(query);
  ASSERT_EQ(hits.size(), 2U);
  EXPECT_EQ(hits[0].id, "a");
  EXPECT_LE(hits[1].score, hits[0].score);
}

TEST_F(InvertedIndexTest, QueryLikelihoodAloneRanksTheRelevantArticleFirst) {
  IndexOptions options;
  options.fusion_depth = 10;
  options.ql_weight = 1.0;  // the fused order is the query-likelihood order
  Reset(options);
  EXPECT_EQ(Ids("公积金怎么提取").front(), "kb-fund");
  EXPECT_EQ(Ids("工地晚上施工太吵").front(), "kb-noise");
  EXPECT_EQ(Ids("社保补缴").front(), "kb-social");
  // A short article all about the query outranks a long one that mentions it once.
  Add("kb-gas", "燃气缴费", "燃气费网上缴纳。", "城乡建设", "A2区", 500);
  Add("kb-long", "城市公用事业综合说明",
      "供水、供电、通信、公交、环卫、园林、路灯、停车、市政设施养护等事项的办理渠道和时限，"
      "燃气另行说明，其余事项请咨询各服务窗口，节假日照常受理。",
      "城乡建设", "A2区", 600);
  EXPECT_THAT(Ids("燃气缴费"), ElementsAre("kb-gas", "kb-long"));
}

TEST_F(InvertedIndexTest, FusionStaysInStepWithUpdatesAndDeletes) {
  IndexOptions options;
  options.fusion_depth = 10;
  options.ql_weight = 0.5;
  const std::vector<IndexDocument> final_docs = {
      {"a", {"社会保险补缴", "灵活就业人员补缴社会保险到社保窗口办理。"}, {}, 1},
      {"b", {"公积金提取", "离职后可以提取住房公积金，退休也可以提取。"}, {}, 2},
      {"c", {"夜间施工噪音", "夜间施工须办理许可，噪声超标可以投诉。"}, {}, 3},
      {"d", {"停水通知", "计划停水在供水公司网站公布。"}, {}, 4},
  };
  // One index reaches the final documents through replacements and a deletion...
  InvertedIndex churned(*tokenizer_, options);
  ASSERT_OK(churned.Upsert({"b", {"公积金", "公积金公积金公积金贷款利率调整"}, {}, 2}));
  ASSERT_OK(churned.Upsert({"x", {"燃气提取", "燃气补缴 社保 噪音 噪音 噪音 停水"}, {}, 9}));
  for (const auto& doc : final_docs) {
    ASSERT_OK(churned.Upsert(doc));
  }
  ASSERT_TRUE(churned.Remove("x"));
  // ...the other is built from them directly; both with exact norms.
  InvertedIndex fresh(*tokenizer_, options);
  for (const auto& doc : final_docs) {
    ASSERT_OK(fresh.Upsert(doc));
  }
  churned.Compact();
  fresh.Compact();
  for (const std::string text : {"公积金提取", "社保补缴噪音", "停水 施工 投诉", "提取 办理"}) {
    SearchQuery query;
    query.parts = {{text, 1.0}};
    const auto expected = fresh.Search(query);
    const auto actual = churned.Search(query);
    ASSERT_FALSE(expected.empty()) << text;
    ASSERT_EQ(actual.size(), expected.size()) << text;
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(actual[i].id, expected[i].id) << text;
      EXPECT_NEAR(actual[i].score, expected[i].score, 1e-9) << text;
    }
  }
  // Fused hits are ranked best first with positive scores.
  SearchQuery query;
  query.parts = {{"提取 办理 噪音", 1.0}};
  const auto hits = fresh.Search(query);
  ASSERT_GE(hits.size(), 2U);
  for (size_t i = 1; i < hits.size(); ++i) {
    EXPECT_GE(hits[i - 1].score, hits[i].score);
    EXPECT_GT(hits[i].score, 0);
  }
}

}  // namespace
}  // namespace hotline::adapters::text
