#include "adapters/sqlite/kb_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "testing/matchers.h"

namespace hotline::adapters::sqlite {
namespace {

using domain::kb::Article;
using domain::kb::ArticleKind;
using domain::kb::ArticleStatus;
using ::hotline::testing::HasErrorCode;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

Article MakeArticle(std::string id, std::string title, std::string answer,
                    std::string department = "区人社局") {
  Article a;
  a.id = std::move(id);
  a.title = std::move(title);
  a.answer = std::move(answer);
  a.department = std::move(department);
  a.category = "劳动和社会保障";
  a.region = "A3区";
  return a;
}

class KbStoreTest : public ::testing::Test {
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
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("kb_store_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    std::filesystem::remove(path_);
    auto store = SqliteKbStore::Open(path_.string(), /*create=*/true, *tokenizer_);
    ASSERT_OK(store);
    store_ = std::move(store).value();
  }
  void TearDown() override {
    store_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path_.string() + suffix);
    }
  }
  std::vector<std::string> SearchIds(std::string text) {
    auto hits = store_->Search({std::move(text), {}, 10});
    EXPECT_OK(hits);
    std::vector<std::string> ids;
    for (const auto& hit : *hits) {
      ids.push_back(hit.article.id);
    }
    return ids;
  }
  static text::Tokenizer* tokenizer_;
  std::filesystem::path path_;
  std::unique_ptr<SqliteKbStore> store_;
};

text::Tokenizer* KbStoreTest::tokenizer_ = nullptr;

TEST_F(KbStoreTest, SavesVersionsOnlyWhenContentChanges) {
  ASSERT_OK(
      store_->Save({MakeArticle("a1", "社会保险补缴怎么办理", "到社保窗口办理。")}, "张三", 100));
  auto again =
      store_->Save({MakeArticle("a1", "社会保险补缴怎么办理", "到社保窗口办理。")}, "张三", 200);
  ASSERT_OK(again);
  EXPECT_EQ(again->unchanged, 1U);
  auto changed = store_->Save(
      {MakeArticle("a1", "社会保险补缴怎么办理", "携带身份证到区政务中心办理。")}, "李四", 300);
  ASSERT_OK(changed);
  EXPECT_EQ(changed->updated, 1U);
  auto current = store_->Find("a1");
  ASSERT_OK(current);
  EXPECT_EQ(current->version, 2);
  EXPECT_EQ(current->updated_by, "李四");
  auto history = store_->History("a1");
  ASSERT_OK(history);
  ASSERT_EQ(history->size(), 2U);
  EXPECT_EQ((*history)[0].answer, "到社保窗口办理。");
  EXPECT_EQ((*history)[1].version, 2);
  EXPECT_THAT(store_->Find("nope"), HasErrorCode(ErrorCode::kNotFound));
  EXPECT_THAT(store_->History("nope"), HasErrorCode(ErrorCode::kNotFound));
}

TEST_F(KbStoreTest, SearchFollowsInsertsUpdatesAndScripts) {
  ASSERT_OK(store_->Save(
      {MakeArticle("social", "社会保险补缴怎么办理", "到社保窗口办理补缴。"),
       MakeArticle("fund", "住房公积金提取条件", "退休、离职后可以提取公积金。", "公积金中心")},
      "admin", 100));
  EXPECT_THAT(SearchIds("社保补缴"), ElementsAre("social"));  // synonym 社保 ~ 社会保险
  EXPECT_EQ(SearchIds("住房公積金提取").front(), "fund");     // Traditional query
  EXPECT_THAT(SearchIds("火星探测器"), IsEmpty());
  // An update re-indexes in the same transaction: the old words no longer match.
  Article moved = MakeArticle("fund", "不动产登记查询", "到不动产登记中心查询。", "自然资源局");
  ASSERT_OK(store_->Save({moved}, "admin", 200));
  EXPECT_THAT(SearchIds("公积金提取"), IsEmpty());
  EXPECT_THAT(SearchIds("不动产登记"), ElementsAre("fund"));
  ports::KbSearchQuery mine{"社保补缴", {}, 5};
  mine.filter.department = "区人社局";
  auto hits = store_->Search(mine);
  ASSERT_OK(hits);
  ASSERT_EQ(hits->size(), 1U);
  EXPECT_THAT((*hits)[0].snippet, HasSubstr("<em>"));
  EXPECT_GT((*hits)[0].score, 0);
  mine.filter.department = "公积金中心";
  auto filtered = store_->Search(mine);
  ASSERT_OK(filtered);
  EXPECT_THAT(*filtered, IsEmpty());
}

TEST_F(KbStoreTest, NothingIsHalfSaved) {
  ASSERT_OK(store_->Save({MakeArticle("keep", "原有条目", "原有答复。")}, "admin", 100));
  // A write failing in the middle of the batch rolls back the rows before it.
  store_->SetFaultAfterArticle(
      [](size_t index) -> Status { return index == 1 ? Internal("injected") : OkStatus(); });
  EXPECT_THAT(store_->Save({MakeArticle("new1", "新条目一", "答复一。"),
                            MakeArticle("new2", "新条目二", "答复二。")},
                           "admin", 200),
              HasErrorCode(ErrorCode::kInternal));
  store_->SetFaultAfterArticle(nullptr);
  EXPECT_THAT(store_->Find("new1"), HasErrorCode(ErrorCode::kNotFound));
  EXPECT_THAT(SearchIds("新条目一"), ElementsAre("keep"));  // only via the shared 条目
  // Validation errors name the position and write nothing either.
  Article bad = MakeArticle("bad", "", "没有标题");
  auto result = store_->Save({MakeArticle("new3", "新条目三", "答复三。"), bad}, "admin", 300);
  EXPECT_THAT(result, HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(result.error().message, HasSubstr("第 2 条"));
  EXPECT_THAT(store_->Find("new3"), HasErrorCode(ErrorCode::kNotFound));
  EXPECT_THAT(
      store_->Save({MakeArticle("d", "重复", "一"), MakeArticle("d", "重复", "二")}, "admin", 300),
      HasErrorCode(ErrorCode::kAlreadyExists));
  auto all = store_->List({});
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 1U);
}

TEST_F(KbStoreTest, ListsArticlesDueForReviewByOwner) {
  Article due = MakeArticle("due", "到期条目", "需要复审。");
  due.review_date = "2024-01-31";
  Article later = MakeArticle("later", "未到期条目", "还早。");
  later.review_date = "2024-12-31";
  Article retired = MakeArticle("retired", "已停用条目", "不再复审。");
  retired.review_date = "2023-01-01";
  retired.status = ArticleStatus::kRetired;
  Article other = MakeArticle("other", "其他部门", "复审。", "公积金中心");
  other.review_date = "2023-06-30";
  other.kind = ArticleKind::kServiceItem;
  other.answer.clear();
  other.service.materials = "身份证";
  ASSERT_OK(store_->Save({due, later, retired, other}, "admin", 100));
  auto mine = store_->DueForReview("2024-02-01", "区人社局");
  ASSERT_OK(mine);
  ASSERT_EQ(mine->size(), 1U);
  EXPECT_EQ((*mine)[0].id, "due");
  auto all = store_->DueForReview("2024-02-01", "");
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 2U);
  EXPECT_EQ((*all)[0].id, "other");  // ordered by department
  EXPECT_EQ((*all)[0].service.materials, "身份证");
  EXPECT_EQ((*all)[0].kind, ArticleKind::kServiceItem);
}

TEST_F(KbStoreTest, SaveVersionRefusesAStaleOrDuplicateSave) {
  Article a = MakeArticle("v", "居住证怎么办理", "到派出所办理。");
  auto first = store_->SaveVersion(a, 0, "admin", 100);
  ASSERT_OK(first);
  EXPECT_EQ(first->version, 1);
  EXPECT_EQ(first->updated_by, "admin");
  EXPECT_THAT(store_->SaveVersion(a, 0, "admin", 100), HasErrorCode(ErrorCode::kAlreadyExists));
  a.answer = "到派出所或网上办理。";
  auto second = store_->SaveVersion(a, 1, "admin", 200);
  ASSERT_OK(second);
  EXPECT_EQ(second->version, 2);
  EXPECT_THAT(SearchIds("网上办理"), ElementsAre("v"));
  a.answer = "基于旧版本的修改。";
  EXPECT_THAT(store_->SaveVersion(a, 1, "admin", 300), HasErrorCode(ErrorCode::kAborted));
  EXPECT_THAT(store_->SaveVersion(MakeArticle("none", "无", "无"), 4, "admin", 300),
              HasErrorCode(ErrorCode::kNotFound));
  auto history = store_->History("v");
  ASSERT_OK(history);
  EXPECT_EQ(history->size(), 2U);
  // Unchanged content writes nothing and returns the current version.
  a.answer = "到派出所或网上办理。";
  auto same = store_->SaveVersion(a, 2, "admin", 400);
  ASSERT_OK(same);
  EXPECT_EQ(same->version, 2);
}

TEST_F(KbStoreTest, ALexiconChangeReindexesInOneTransaction) {
  ASSERT_OK(
      store_->Save({MakeArticle("bike", "小黄车乱停放怎么办", "拨打客服电话。")}, "admin", 1));
  EXPECT_THAT(SearchIds("共享单车"), IsEmpty());
  std::vector<text::LexiconEntry> stored = {{0, "synonyms", {"小黄车", "共享单车"}, 0, "", ""}};
  auto tokenizer = text::Tokenizer::Create(text::BuildLexicon(&stored));
  ASSERT_OK(tokenizer);
  auto ids = store_->ChangeLexicon(stored, {}, "admin", 5, **tokenizer);
  ASSERT_OK(ids);
  ASSERT_EQ(ids->size(), 1U);
  EXPECT_THAT(SearchIds("共享单车"), ElementsAre("bike"));
  auto revision = store_->LexiconRevision();
  ASSERT_OK(revision);
  EXPECT_EQ(*revision, 1);
  auto entries = store_->LexiconEntries();
  ASSERT_OK(entries);
  ASSERT_EQ(entries->size(), 1U);
  EXPECT_THAT((*entries)[0].words, ElementsAre("小黄车", "共享单车"));
  EXPECT_EQ((*entries)[0].created_by, "admin");
  // Removing an entry that is not stored fails and leaves everything as it was.
  EXPECT_THAT(store_->ChangeLexicon({}, {(*ids)[0] + 100}, "admin", 6, *tokenizer_),
              HasErrorCode(ErrorCode::kNotFound));
  EXPECT_THAT(SearchIds("共享单车"), ElementsAre("bike"));
  EXPECT_EQ(*store_->LexiconRevision(), 1);
  // Removing the group with the default tokenizer re-indexes without it.
  ASSERT_OK(store_->ChangeLexicon({}, {(*ids)[0]}, "admin", 7, *tokenizer_));
  EXPECT_THAT(SearchIds("共享单车"), IsEmpty());
  EXPECT_THAT(*store_->LexiconEntries(), IsEmpty());
}

TEST_F(KbStoreTest, ReopensWithoutReapplyingMigrations) {
  ASSERT_OK(store_->Save({MakeArticle("a", "标题", "答复。")}, "admin", 100));
  store_.reset();
  auto reopened = SqliteKbStore::Open(path_.string(), /*create=*/false, *tokenizer_);
  ASSERT_OK(reopened);
  EXPECT_OK((*reopened)->Find("a"));
  EXPECT_THAT(SqliteKbStore::Open((path_.string() + ".missing"), false, *tokenizer_),
              HasErrorCode(ErrorCode::kNotFound));
}

}  // namespace
}  // namespace hotline::adapters::sqlite
