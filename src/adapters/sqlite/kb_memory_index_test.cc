// SharedKb's in-memory search index (EnableMemoryIndex): the same results as the SQLite store
// for the same articles, with every filter; kept in step with writes through it, writes by
// another connection (the CLI) and lexicon changes; the store answers while it loads.
#include "adapters/sqlite/kb_memory_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "adapters/sqlite/shared_kb.h"
#include "testing/matchers.h"

namespace hotline::adapters::sqlite {
namespace {

using domain::kb::Article;
using domain::kb::ArticleStatus;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using namespace std::chrono_literals;

// A corpus written for the test: overlapping subjects (so that rankings are not trivial),
// three categories, departments and regions, every status, keywords on some.
std::vector<Article> Corpus() {
  struct Row {
    const char* id;
    const char* title;
    const char* answer;
    const char* category;
    const char* department;
    const char* region;
    ArticleStatus status;
    std::vector<std::string> keywords;
  };
  const std::vector<Row> rows = {
      {"gjj-1",
       "住房公积金怎么提取",
       "携带身份证和银行卡到公积金中心柜台办理提取。",
       "住房保障",
       "市住建局",
       "A1区",
       ArticleStatus::kPublished,
       {"公积金", "提取"}},
      {"gjj-2",
       "公积金贷款额度怎么算",
       "公积金贷款额度按缴存余额和缴存年限计算。",
       "住房保障",
       "市住建局",
       "A2区",
       ArticleStatus::kPublished,
       {}},
      {"gjj-3",
       "离职后公积金如何提取",
       "离职半年未再就业可申请提取住房公积金。",
       "住房保障",
       "市公积金中心",
       "A1区",
       ArticleStatus::kPublished,
       {"离职"}},
      {"gjj-4",
       "公积金异地转移",
       "在新参保地公积金中心申请转移接续。",
       "住房保障",
       "市公积金中心",
       "A3区",
       ArticleStatus::kDraft,
       {}},
      {"sb-1",
       "社保卡丢了怎么补办",
       "携带身份证到社保经办窗口挂失补办社会保障卡。",
       "社会保障",
       "市人社局",
       "A1区",
       ArticleStatus::kPublished,
       {"社保卡"}},
      {"sb-2",
       "社会保险断缴怎么补缴",
       "个人可到社保经办机构补缴，单位补缴需提供劳动合同。",
       "社会保障",
       "市人社局",
       "A2区",
       ArticleStatus::kPublished,
       {}},
      {"sb-3",
       "灵活就业人员社保缴费",
       "灵活就业人员可在网上缴纳养老保险和医疗保险。",
       "社会保障",
       "市人社局",
       "A3区",
       ArticleStatus::kRetired,
       {}},
      {"sb-4",
       "社保缴费基数调整",
       "每年七月调整社保缴费基数，单位需申报工资总额。",
       "社会保障",
       "市医保局",
       "A3区",
       ArticleStatus::kPublished,
       {"缴费基数"}},
      {"cg-1",
       "夜间施工噪音扰民",
       "夜间施工需取得夜间施工许可，无许可施工可向城管举报。",
       "城市管理",
       "市城管局",
       "A1区",
       ArticleStatus::kPublished,
       {"噪音", "施工"}},
      {"cg-2",
       "小区油烟扰民怎么办",
       "餐饮油烟扰民由城管部门依法查处。",
       "城市管理",
       "市城管局",
       "A2区",
       ArticleStatus::kPublished,
       {}},
      {"cg-3",
       "占道经营如何投诉",
       "占道经营可拨打12345或向街道城管中队反映。",
       "城市管理",
       "市城管局",
       "A3区",
       ArticleStatus::kPublished,
       {}},
      {"cg-4",
       "建筑工地噪音超标",
       "工地噪音超标由生态环境局监测，城管部门查处夜间施工。",
       "城市管理",
       "市生态环境局",
       "A1区",
       ArticleStatus::kPublished,
       {"噪音"}},
      {"cg-5",
       "渣土车抛洒滴漏",
       "渣土车抛洒滴漏由城管部门查处并责令清理。",
       "城市管理",
       "市城管局",
       "A2区",
       ArticleStatus::kDraft,
       {}},
      {"jt-1",
       "公交线路调整怎么查询",
       "公交线路调整信息在交通运输局网站公布。",
       "城市管理",
       "市交通运输局",
       "A2区",
       ArticleStatus::kPublished,
       {}},
      {"gjj-5",
       "公积金提取到账时间",
       "公积金提取审核通过后三个工作日内到账，提取进度可网上查询。",
       "住房保障",
       "市公积金中心",
       "A2区",
       ArticleStatus::kPublished,
       {"到账"}},
      {"sb-5",
       "医保报销需要哪些材料",
       "医保报销需携带社保卡、发票和病历。",
       "社会保障",
       "市医保局",
       "A1区",
       ArticleStatus::kPublished,
       {}},
  };
  std::vector<Article> out;
  for (const auto& r : rows) {
    Article a;
    a.id = r.id;
    a.title = r.title;
    a.answer = r.answer;
    a.category = r.category;
    a.department = r.department;
    a.region = r.region;
    a.status = r.status;
    a.keywords = r.keywords;
    out.push_back(std::move(a));
  }
  return out;
}

const std::vector<std::string> kQueries = {
    "公积金提取", "社保补缴", "噪音扰民",     "夜间施工噪音举报", "社保卡补办", "公积金",
    "城管",       "缴费",     "到账时间查询", "医保报销材料",     "没有的词语"};

std::vector<ports::KbFilter> Filters() {
  std::vector<ports::KbFilter> out;
  out.push_back({});
  out.push_back({"", "", "", true, ""});
  out.push_back({"住房保障", "", "", true, ""});
  out.push_back({"社会保障", "", "", false, ""});
  out.push_back({"", "市城管局", "", true, ""});
  out.push_back({"", "", "A1区", true, ""});
  out.push_back({"", "", "A2区", false, ""});
  out.push_back({"城市管理", "市城管局", "A1区", true, ""});
  out.push_back({"无此分类", "", "", false, ""});
  // Filters few articles pass (the index skips the others' postings): one, two, three.
  out.push_back({"", "市交通运输局", "", true, ""});
  out.push_back({"", "市医保局", "A3区", true, ""});
  out.push_back({"住房保障", "市公积金中心", "", false, ""});
  out.push_back({"", "市生态环境局", "A1区", true, ""});
  return out;
}

class KbMemoryIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("kb_memory_index_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    Remove();
    auto kb = SharedKb::Open(path_.string(), /*create=*/true);
    ASSERT_OK(kb);
    kb_ = *kb;
    ASSERT_OK(kb_->Save(Corpus(), "admin", 1));
  }
  void TearDown() override {
    kb_.reset();
    Remove();
  }
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::error_code ignored;
      std::filesystem::remove(path_.string() + suffix, ignored);
    }
  }
  // Waits until the memory index has done `loads` full loads and answers searches.
  // Saves an article "bike" (共享单车乱停放) through a connection of its own, as
  // `hotline kb import` in another process while the server runs.
  void SaveBikeFromAnotherConnection() {
    auto other = SharedKb::Open(path_.string(), false);
    ASSERT_OK(other);
    Article a = Corpus()[0];
    a.id = "bike";
    a.title = "共享单车乱停放";
    a.answer = "共享单车乱停放可联系运营企业清运。";
    ASSERT_OK((*other)->Save({a}, "cli", 2));
  }
  void WaitLoaded(int64_t loads = 1) {
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (kb_->memory_index_info().loads < loads && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(10ms);
    }
    ASSERT_GE(kb_->memory_index_info().loads, loads) << "the memory index did not load";
  }
  // The store's own search over the same file: a second connection, as the CLI searches.
  std::unique_ptr<SqliteKbStore> StoreHandle() {
    auto store = SqliteKbStore::Open(path_.string(), false, *kb_->tokenizer());
    EXPECT_TRUE(store.has_value());
    return store.has_value() ? std::move(*store) : nullptr;
  }
  // Every query with every filter: SharedKb (from its memory index) returns exactly what the
  // store does. Returns how many searches the index answered.
  int64_t ExpectSameAsStore(int limit = 10) {
    auto store = StoreHandle();
    if (store == nullptr) {
      return 0;
    }
    const int64_t before = kb_->memory_index_info().index_searches;
    size_t nonempty = 0;
    for (const auto& filter : Filters()) {
      for (const auto& q : kQueries) {
        const ports::KbSearchQuery query{q, filter, static_cast<size_t>(limit)};
        auto expected = store->Search(query);
        auto got = kb_->Search(query);
        EXPECT_TRUE(expected.has_value() && got.has_value());
        if (!expected.has_value() || !got.has_value()) {
          continue;
        }
        const std::string where = q + " / " + filter.category + filter.department + filter.region +
                                  (filter.published_only ? " published" : "");
        EXPECT_EQ(got->size(), expected->size()) << where;
        nonempty += expected->empty() ? 0 : 1;
        for (size_t i = 0; i < std::min(got->size(), expected->size()); ++i) {
          EXPECT_EQ((*got)[i].article.id, (*expected)[i].article.id) << where << " #" << i;
          EXPECT_NEAR((*got)[i].score, (*expected)[i].score, 1e-9) << where << " #" << i;
          EXPECT_EQ((*got)[i].snippet, (*expected)[i].snippet) << where << " #" << i;
          EXPECT_EQ((*got)[i].article.version, (*expected)[i].article.version) << where;
          EXPECT_EQ((*got)[i].article.answer, (*expected)[i].article.answer) << where;
        }
      }
    }
    EXPECT_GT(nonempty, Filters().size() * 3) << "the comparison found too little";
    return kb_->memory_index_info().index_searches - before;
  }
  std::vector<std::string> Search(const std::string& text, bool published_only = true) {
    std::vector<std::string> out;
    auto hits = kb_->Search({text, {"", "", "", published_only, ""}, 10});
    EXPECT_TRUE(hits.has_value());
    if (hits.has_value()) {
      for (const auto& h : *hits) {
        out.push_back(h.article.id);
      }
    }
    return out;
  }

  std::filesystem::path path_;
  std::shared_ptr<SharedKb> kb_;
};

TEST_F(KbMemoryIndexTest, AnswersExactlyAsTheStoreWithEveryFilter) {
  ASSERT_OK(kb_->EnableMemoryIndex());
  WaitLoaded();
  const auto searches = static_cast<int64_t>(Filters().size() * kQueries.size());
  EXPECT_EQ(ExpectSameAsStore(), searches) << "not every search came from the memory index";
  EXPECT_EQ(ExpectSameAsStore(3), searches);
  EXPECT_EQ(kb_->memory_index_info().articles, Corpus().size());
}

TEST_F(KbMemoryIndexTest, FollowsEveryWriteMadeThroughIt) {
  ASSERT_OK(kb_->EnableMemoryIndex());
  WaitLoaded();
  EXPECT_THAT(Search("渣土车"), IsEmpty());  // a draft
  // Published (a new version), edited, retired, created: each seen by the next search.
  auto draft = kb_->Find("cg-5");
  ASSERT_OK(draft);
  Article published = *draft;
  published.status = ArticleStatus::kPublished;
  ASSERT_OK(kb_->SaveVersion(published, draft->version, "admin", 2));
  EXPECT_THAT(Search("渣土车"), ElementsAre("cg-5"));
  Article edited = published;
  edited.answer = "渣土车抛洒由交警和城管联合查处。";
  ASSERT_OK(kb_->SaveVersion(edited, draft->version + 1, "admin", 3));
  EXPECT_EQ(Search("交警").front(), "cg-5");
  EXPECT_THAT(Search("责令清理"), IsEmpty());  // the old answer is gone
  Article retired = edited;
  retired.status = ArticleStatus::kRetired;
  ASSERT_OK(kb_->SaveVersion(retired, draft->version + 2, "admin", 4));
  EXPECT_THAT(Search("渣土车"), IsEmpty());
  EXPECT_THAT(Search("渣土车", /*published_only=*/false), ElementsAre("cg-5"));
  Article fresh = edited;
  fresh.id = "cg-6";
  fresh.title = "共享单车乱停放";
  fresh.answer = "共享单车乱停放可联系运营企业清运。";
  fresh.status = ArticleStatus::kPublished;
  ASSERT_OK(kb_->Save({fresh}, "admin", 5));
  EXPECT_THAT(Search("共享单车"), ElementsAre("cg-6"));
  const auto info = kb_->memory_index_info();
  EXPECT_EQ(info.articles, Corpus().size() + 1);
  EXPECT_EQ(info.loads, 1) << "a write reloaded everything instead of catching up";
  EXPECT_GE(info.catch_ups, 4);
  ExpectSameAsStore();  // statistics exact after the changes
}

TEST_F(KbMemoryIndexTest, FollowsWritesOfAnotherConnectionIncludingDeletes) {
  ASSERT_OK(kb_->EnableMemoryIndex());
  WaitLoaded();
  EXPECT_THAT(Search("共享单车"), IsEmpty());
  ASSERT_NO_FATAL_FAILURE(SaveBikeFromAnotherConnection());
  EXPECT_THAT(Search("共享单车"), ElementsAre("bike"));
  // A delete (no product path deletes articles; the change log covers it anyway).
  {
    auto db = Db::Open(path_.string(), false, false);
    ASSERT_OK(db);
    ASSERT_OK((*db)->Exec("DELETE FROM kb_articles WHERE id = 'bike'"));
  }
  EXPECT_THAT(Search("共享单车"), IsEmpty());
  EXPECT_EQ(kb_->memory_index_info().loads, 1);
  // (No comparison of scores with the store here: a raw DELETE leaves the store's own FTS
  // row and term statistics behind, which the product never does.)
}

TEST_F(KbMemoryIndexTest, ALargeImportByAnotherConnectionReloadsAsideAndTheStoreAnswersMeanwhile) {
  ASSERT_OK(kb_->EnableMemoryIndex());
  WaitLoaded();
  std::vector<Article> many;
  for (int i = 0; i < 2100; ++i) {  // more than a catch-up applies
    Article a = Corpus()[i % Corpus().size()];
    a.id = "bulk-" + std::to_string(i);
    a.title = "批量导入条目" + std::to_string(i);
    many.push_back(std::move(a));
  }
  {
    auto other = SharedKb::Open(path_.string(), false);
    ASSERT_OK(other);
    ASSERT_OK((*other)->Save(many, "cli", 2));
  }
  // Right away, from the store.
  const int64_t from_store = kb_->memory_index_info().store_searches;
  const auto hits = Search("公积金提取到账");
  ASSERT_FALSE(hits.empty());
  EXPECT_TRUE(std::any_of(hits.begin(), hits.end(),
                          [](const std::string& id) { return id.rfind("bulk-", 0) == 0; }));
  EXPECT_EQ(kb_->memory_index_info().store_searches, from_store + 1);
  WaitLoaded(2);
  ExpectSameAsStore();
  EXPECT_EQ(kb_->memory_index_info().articles, Corpus().size() + many.size());
}

TEST_F(KbMemoryIndexTest, FollowsLexiconChangesFromThisAndAnotherConnection) {
  ASSERT_OK(kb_->EnableMemoryIndex());
  WaitLoaded();
  EXPECT_THAT(Search("巴士"), IsEmpty());
  ASSERT_OK(kb_->AddSynonyms("公交 巴士", "admin", 2));
  // The store answers until the index is rebuilt with the new lexicon; the same results.
  EXPECT_THAT(Search("巴士"), ElementsAre("jt-1"));
  WaitLoaded(2);
  EXPECT_THAT(Search("巴士"), ElementsAre("jt-1"));
  ExpectSameAsStore();
  EXPECT_THAT(Search("入账"), IsEmpty());
  {
    auto other = SharedKb::Open(path_.string(), false);  // `hotline kb lexicon` meanwhile
    ASSERT_OK(other);
    ASSERT_OK((*other)->AddSynonyms("到账 入账", "cli", 3));
  }
  EXPECT_THAT(Search("入账"), ElementsAre("gjj-5"));  // noticed at this search
  WaitLoaded(3);
  EXPECT_THAT(Search("入账"), ElementsAre("gjj-5"));
  const auto searches = static_cast<int64_t>(Filters().size() * kQueries.size());
  EXPECT_EQ(ExpectSameAsStore(), searches);
}

// Each search reads the change position only when SQLite's data_version says a connection
// committed to the file since the index was last found current; every write is still seen by
// the next search: of another connection after many searches that skipped the read, through
// this one, and a commit to another table costs one read and changes nothing.
TEST_F(KbMemoryIndexTest, ReadsTheChangePositionOnlyAfterACommitAndSeesEveryWrite) {
  ASSERT_OK(kb_->EnableMemoryIndex());
  WaitLoaded();
  const auto first = Search("公积金提取");
  ASSERT_FALSE(first.empty());
  const int64_t reads = kb_->memory_index_info().position_reads;
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(Search("公积金提取"), first);
  }
  EXPECT_EQ(kb_->memory_index_info().position_reads, reads)
      << "searches read the change position with nothing committed";
  {
    // As a ticket written by the server's other modules into the same file.
    auto db = Db::Open(path_.string(), false, false);
    ASSERT_OK(db);
    ASSERT_OK((*db)->Exec("CREATE TABLE IF NOT EXISTS kb_test_other (x INTEGER)"));
    ASSERT_OK((*db)->Exec("INSERT INTO kb_test_other VALUES (1)"));
  }
  const int64_t catch_ups = kb_->memory_index_info().catch_ups;
  EXPECT_EQ(Search("公积金提取"), first);
  EXPECT_EQ(kb_->memory_index_info().position_reads, reads + 1);
  EXPECT_EQ(kb_->memory_index_info().catch_ups, catch_ups);
  EXPECT_THAT(Search("共享单车"), IsEmpty());
  ASSERT_NO_FATAL_FAILURE(SaveBikeFromAnotherConnection());
  EXPECT_THAT(Search("共享单车"), ElementsAre("bike"));
  Article b = Corpus()[0];
  b.id = "charge";
  b.title = "电动车充电桩安装";
  b.answer = "小区安装电动车充电桩需物业同意。";
  ASSERT_OK(kb_->Save({b}, "admin", 3));
  EXPECT_THAT(Search("充电桩"), ElementsAre("charge"));
  EXPECT_EQ(kb_->memory_index_info().loads, 1);
  ExpectSameAsStore();
}

TEST_F(KbMemoryIndexTest, TheStoreAnswersWhileTheIndexLoads) {
  std::promise<void> reached;
  std::promise<void> release;
  auto released = release.get_future().share();
  kb_->SetLoadHook([&reached, released] {
    reached.set_value();
    released.wait();
  });
  ASSERT_OK(kb_->EnableMemoryIndex());
  ASSERT_EQ(reached.get_future().wait_for(60s), std::future_status::ready);
  // Loading: every search goes to the store, with the store's results.
  EXPECT_FALSE(kb_->memory_index_info().ready);
  const int64_t from_index = ExpectSameAsStore();
  EXPECT_EQ(from_index, 0);
  EXPECT_GT(kb_->memory_index_info().store_searches, 0);
  // A write during the load is not lost.
  Article a = Corpus()[0];
  a.id = "bike";
  a.title = "共享单车乱停放";
  a.answer = "共享单车乱停放可联系运营企业清运。";
  ASSERT_OK(kb_->Save({a}, "admin", 2));
  release.set_value();
  WaitLoaded();
  EXPECT_THAT(Search("共享单车"), ElementsAre("bike"));
  EXPECT_TRUE(kb_->memory_index_info().ready);
  EXPECT_GT(ExpectSameAsStore(), 0);
}

}  // namespace
}  // namespace hotline::adapters::sqlite
