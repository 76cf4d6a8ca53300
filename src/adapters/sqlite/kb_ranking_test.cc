// The knowledge-base store ranks with the text engine's shared ranking: on a small corpus
// written for the test, its top 10 (ids and order) equals an InvertedIndex's holding the
// same articles, with the default stages (fusion with query likelihood), with the pruned
// first pass alone and with phrase re-ranking, after inserts and updates too, with filters.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "adapters/sqlite/kb_store.h"
#include "adapters/text/inverted_index.h"
#include "testing/matchers.h"

namespace hotline::adapters::sqlite {
namespace {

using domain::kb::Article;
using domain::kb::ArticleStatus;

// Hand-written articles plus generated variations (more than the 50 candidates of the
// fusion stage, so that the store's pruned first pass is exercised).
std::vector<Article> Corpus() {
  const std::vector<std::array<const char*, 4>> base = {
      {"社会保险补缴怎么办理", "灵活就业人员补缴社会保险，携带身份证到区社保窗口办理。",
       "劳动和社会保障", "区人社局"},
      {"住房公积金提取", "离职、退休、购房可以提取住房公积金，到公积金中心办理。", "住房",
       "公积金中心"},
      {"夜间施工噪音投诉", "夜间施工须办理夜间施工许可，噪声超标请拨打12345投诉。", "城乡建设",
       "区住建局"},
      {"小区停水通知", "计划停水在供水公司网站公布，临时停水请咨询供水热线。", "城乡建设",
       "供水公司"},
      {"幼儿园收费标准", "公办幼儿园保教费按物价部门核定标准收取，不得乱收费。", "教育",
       "区教育局"},
      {"不动产证办理", "新建商品房不动产证由开发商统一申请，办理时限为五个工作日。", "住房",
       "不动产登记中心"},
      {"医保报销比例", "职工医保住院报销比例按医院等级确定，社区医院比例最高。", "劳动和社会保障",
       "区医保局"},
      {"出租车拒载投诉", "出租车拒载可以记下车牌号拨打交通运输服务热线投诉。", "交通",
       "交通运输局"},
      {"路灯不亮报修", "道路路灯不亮请报市政设施维护中心，一般两日内修复。", "城乡建设",
       "市政中心"},
      {"拖欠工资怎么办", "用人单位拖欠工资可以向劳动保障监察大队投诉，也可以申请劳动仲裁。",
       "劳动和社会保障", "区人社局"},
      {"購房補貼申請", "符合人才新政的研究生購房可以申請購房補貼，網上提交材料。", "住房",
       "区住建局"},
      {"电梯故障频繁", "住宅电梯故障请先联系物业，物业不处理可向市场监管局反映。", "城乡建设",
       "市场监管局"},
  };
  const std::vector<const char*> places = {"丽发新城", "潇楚南路", "暮云街道", "洋湖新城",
                                           "星沙街道", "景蓉花苑", "金鼎小区"};
  const std::vector<const char*> extras = {"请有关部门尽快处理", "居民意见很大", "已经持续一个月",
                                           "存在安全隐患", "多次反映没有结果"};
  std::vector<Article> out;
  for (size_t i = 0; i < base.size(); ++i) {
    Article a;
    a.id = "kb-" + std::to_string(i);
    a.title = base[i][0];
    a.answer = base[i][1];
    a.category = base[i][2];
    a.department = base[i][3];
    a.region = i % 2 == 0 ? "A3区" : "A2区";
    a.status = i % 5 == 4 ? ArticleStatus::kDraft : ArticleStatus::kPublished;
    if (i % 3 == 0) {
      a.keywords = {"12345", base[i][2]};
    }
    out.push_back(std::move(a));
  }
  for (size_t i = 0; i < 60; ++i) {
    const auto& topic = base[(i * 5) % base.size()];
    Article a;
    a.id = "gen-" + std::to_string(i);
    a.title = std::string(places[i % places.size()]) + topic[0];
    a.answer = std::string("关于") + places[(i + 3) % places.size()] + "的反映，" +
               extras[i % extras.size()] + "。" + (i % 4 == 0 ? topic[1] : "") +
               extras[(i / 5) % extras.size()];
    a.category = topic[2];
    a.department = topic[3];
    a.region = i % 3 == 0 ? "A3区" : "A5区";
    a.status = ArticleStatus::kPublished;
    out.push_back(std::move(a));
  }
  return out;
}

const std::vector<std::string>& Queries() {
  static const std::vector<std::string> queries = {"社保补缴",          "公积金怎么提取",
                                                   "工地晚上施工太吵",  "丽发新城停水",
                                                   "幼儿园乱收费",      "购房补贴",
                                                   "潇楚南路路灯不亮",  "拖欠农民工工资",
                                                   "医保报销",          "电梯坏了物业不管",
                                                   "暮云街道噪音扰民",  "不动产证多久能办好",
                                                   "出租车拒载打12345", "居民意见很大存在安全隐患"};
  return queries;
}

text::IndexDocument ToDocument(const Article& a) {
  std::string keywords;
  for (const auto& k : a.keywords) {
    keywords += (keywords.empty() ? "" : "\n") + k;
  }
  return {a.id,
          {a.title, domain::kb::SearchBody(a), keywords},
          {{"category", a.category},
           {"department", a.department},
           {"region", a.region},
           {"status", std::string(domain::kb::StatusName(a.status))}},
          0};
}

class KbRankingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto tokenizer = text::Tokenizer::CreateDefault();
    ASSERT_OK(tokenizer);
    tokenizer_ = std::move(tokenizer).value().release();
  }
  static void TearDownTestSuite() {
    delete tokenizer_;
    tokenizer_ = nullptr;
  }
  void SetUp() override { store_ = OpenStore("main"); }
  void TearDown() override {
    store_.reset();
    for (const auto& path : paths_) {
      for (const char* suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(path + suffix);
      }
    }
  }
  std::unique_ptr<SqliteKbStore> OpenStore(const std::string& name) {
    const std::string path =
        (std::filesystem::temp_directory_path() /
         ("kb_ranking_test_" + std::to_string(::getpid()) + "_" + name + "_" +
          ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
            .string();
    std::filesystem::remove(path);
    paths_.push_back(path);
    auto store = SqliteKbStore::Open(path, /*create=*/true, *tokenizer_);
    EXPECT_OK(store);
    return store.has_value() ? std::move(store).value() : nullptr;
  }
  // An index holding `articles` in this order (the store's insertion order, which is also
  // its tie-break order), normalised against exact averages like the store.
  std::unique_ptr<text::InvertedIndex> IndexOf(const std::vector<Article>& articles,
                                               const text::IndexOptions& options) {
    auto index = std::make_unique<text::InvertedIndex>(*tokenizer_, options);
    for (const auto& a : articles) {
      EXPECT_OK(index->Upsert(ToDocument(a)));
    }
    index->RefreshStatistics();
    return index;
  }
  static std::vector<std::string> StoreIds(SqliteKbStore& store, const std::string& query,
                                           const ports::KbFilter& filter = {}, size_t limit = 10) {
    auto hits = store.Search({query, filter, limit});
    EXPECT_OK(hits);
    std::vector<std::string> ids;
    for (const auto& hit : *hits) {
      ids.push_back(hit.article.id);
    }
    return ids;
  }
  static std::vector<std::string> IndexIds(const text::InvertedIndex& index,
                                           const std::string& query,
                                           std::map<std::string, std::string> filters = {},
                                           size_t limit = 10) {
    text::SearchQuery q;
    q.parts = {{query, 1.0}};
    q.filters = std::move(filters);
    q.limit = limit;
    std::vector<std::string> ids;
    for (const auto& hit : index.Search(q)) {
      ids.push_back(hit.id);
    }
    return ids;
  }
  void ExpectSameRanking(SqliteKbStore& store, const text::InvertedIndex& index,
                         size_t limit = 10) {
    size_t nonempty = 0;
    for (const auto& query : Queries()) {
      const auto expected = IndexIds(index, query, {}, limit);
      EXPECT_EQ(StoreIds(store, query, {}, limit), expected) << query;
      nonempty += expected.empty() ? 0 : 1;
    }
    EXPECT_GE(nonempty, Queries().size() - 1);  // the comparison is not vacuous
  }

  static text::Tokenizer* tokenizer_;
  std::vector<std::string> paths_;
  std::unique_ptr<SqliteKbStore> store_;
};

text::Tokenizer* KbRankingTest::tokenizer_ = nullptr;

TEST_F(KbRankingTest, StoreTopTenEqualsTheIndexWithDefaultStages) {
  const auto corpus = Corpus();
  ASSERT_OK(store_->Save(corpus, "张三", 100));
  const auto index = IndexOf(corpus, store_->ranking_options());
  ExpectSameRanking(*store_, *index);
  // Scores agree too, not only the order.
  text::SearchQuery q;
  q.parts = {{"社保补缴", 1.0}};
  const auto expected = index->Search(q);
  auto hits = store_->Search({"社保补缴", {}, 10});
  ASSERT_OK(hits);
  ASSERT_EQ(hits->size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_DOUBLE_EQ((*hits)[i].score, expected[i].score);
  }
}

TEST_F(KbRankingTest, PrunedFirstPassAndPhraseRerankEqualTheIndex) {
  const auto corpus = Corpus();
  ASSERT_OK(store_->Save(corpus, "张三", 100));
  text::IndexOptions bm25_only = SqliteKbStore::DefaultRankingOptions();
  bm25_only.fusion_depth = 0;  // top 3 straight from the first pass: the pruned rounds decide
  store_->SetRankingOptions(bm25_only);
  ExpectSameRanking(*store_, *IndexOf(corpus, bm25_only), 3);

  text::IndexOptions phrases = SqliteKbStore::DefaultRankingOptions();
  phrases.rerank_depth = 20;
  phrases.phrase_weight = 0.5;
  phrases.title_match_weight = 0.3;
  store_->SetRankingOptions(phrases);
  ExpectSameRanking(*store_, *IndexOf(corpus, phrases));
}

TEST_F(KbRankingTest, IndexKeptInStepWithInsertsAndUpdatesRanksTheSame) {
  auto corpus = Corpus();
  std::vector<Article> first(corpus.begin(), corpus.begin() + 40);
  ASSERT_OK(store_->Save(first, "张三", 100));
  // Updates (one through SaveVersion), then the rest inserted.
  std::vector<Article> changed;
  for (size_t i = 0; i < 40; i += 6) {
    corpus[i].answer += "（已更新：可以在网上办理，也可以拨打12345咨询。）";
    corpus[i].title += "问题";
    changed.push_back(corpus[i]);
  }
  ASSERT_OK(store_->Save(changed, "李四", 200));
  corpus[7].answer = "出租车拒载、绕路、乱收费都可以投诉，请记下车牌号。";
  auto current = store_->Find(corpus[7].id);
  ASSERT_OK(current);
  ASSERT_OK(store_->SaveVersion(corpus[7], current->version, "李四", 300));
  ASSERT_OK(store_->Save(std::vector<Article>(corpus.begin() + 40, corpus.end()), "王五", 400));
  // The same final articles, written at once into another store and into an index.
  const auto index = IndexOf(corpus, store_->ranking_options());
  ExpectSameRanking(*store_, *index);
  auto fresh = OpenStore("fresh");
  ASSERT_NE(fresh, nullptr);
  ASSERT_OK(fresh->Save(corpus, "张三", 100));
  for (const auto& query : Queries()) {
    auto churned = store_->Search({query, {}, 10});
    auto clean = fresh->Search({query, {}, 10});
    ASSERT_OK(churned);
    ASSERT_OK(clean);
    ASSERT_EQ(churned->size(), clean->size()) << query;
    for (size_t i = 0; i < clean->size(); ++i) {
      EXPECT_EQ((*churned)[i].article.id, (*clean)[i].article.id) << query;
      EXPECT_DOUBLE_EQ((*churned)[i].score, (*clean)[i].score) << query;
    }
  }
}

TEST_F(KbRankingTest, FiltersStillApplyAndRankLikeTheIndex) {
  const auto corpus = Corpus();
  ASSERT_OK(store_->Save(corpus, "张三", 100));
  const auto index = IndexOf(corpus, store_->ranking_options());
  ports::KbFilter filter;
  filter.category = "劳动和社会保障";
  const auto ids = StoreIds(*store_, "社保补缴 拖欠工资 医保", filter);
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids, IndexIds(*index, "社保补缴 拖欠工资 医保", {{"category", "劳动和社会保障"}}));
  for (const auto& id : ids) {
    auto article = store_->Find(id);
    ASSERT_OK(article);
    EXPECT_EQ(article->category, "劳动和社会保障");
  }
  ports::KbFilter published;
  published.published_only = true;
  published.region = "A3区";
  const auto published_ids = StoreIds(*store_, "补贴 幼儿园 医保 住房", published);
  EXPECT_EQ(published_ids, IndexIds(*index, "补贴 幼儿园 医保 住房",
                                    {{"status", "published"}, {"region", "A3区"}}));
  // kb-4 (幼儿园收费标准, a draft in A3区) matches but is filtered out.
  EXPECT_THAT(published_ids, ::testing::Not(::testing::Contains("kb-4")));
  EXPECT_THAT(StoreIds(*store_, "幼儿园收费", {}), ::testing::Contains("kb-4"));
}

}  // namespace
}  // namespace hotline::adapters::sqlite
