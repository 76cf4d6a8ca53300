// SharedKb: a lexicon change rebuilds the index aside while searches go on with the old
// lexicon, re-indexes what is saved meanwhile, and switches at its commit.
#include "adapters/sqlite/shared_kb.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <future>

#include "testing/matchers.h"

namespace hotline::adapters::sqlite {
namespace {

using domain::kb::Article;
using ::hotline::testing::HasErrorCode;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using namespace std::chrono_literals;

Article MakeArticle(std::string id, std::string title, std::string answer) {
  Article a;
  a.id = std::move(id);
  a.title = std::move(title);
  a.answer = std::move(answer);
  a.department = "市城管局";
  a.category = "城市管理";
  a.region = "A3区";
  return a;
}

std::vector<std::string> Ids(const Result<std::vector<ports::KbSearchHit>>& hits) {
  std::vector<std::string> out;
  if (hits.has_value()) {
    for (const auto& h : *hits) {
      out.push_back(h.article.id);
    }
  }
  return out;
}

class SharedKbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("shared_kb_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    TearDown();
    auto kb = SharedKb::Open(path_.string(), /*create=*/true);
    ASSERT_OK(kb);
    kb_ = *kb;
    ASSERT_OK(
        kb_->Save({MakeArticle("bike", "小黄车乱停放怎么办", "拨打企业客服电话。")}, "admin", 1));
  }
  void TearDown() override {
    kb_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path_.string() + suffix);
    }
  }
  std::vector<std::string> Search(const std::string& text) {
    return Ids(kb_->Search({text, {}, 10}));
  }

  std::filesystem::path path_;
  std::shared_ptr<SharedKb> kb_;
};

TEST_F(SharedKbTest, SearchesAnswerDuringARebuildAndWritesMadeMeanwhileAreIndexed) {
  EXPECT_THAT(Search("共享单车"), IsEmpty());
  std::promise<void> reached;
  std::promise<void> release;
  auto released = release.get_future().share();
  kb_->SetRebuildHook([&reached, released] {
    reached.set_value();
    released.wait();
  });
  std::shared_ptr<const text::Tokenizer> notified;
  kb_->OnLexiconChange([&notified](std::shared_ptr<const text::Tokenizer> t) { notified = t; });
  const auto old_tokenizer = kb_->tokenizer();
  auto change = std::async(std::launch::async,
                           [this] { return kb_->AddSynonyms("小黄车 共享单车", "admin", 5); });
  ASSERT_EQ(reached.get_future().wait_for(60s), std::future_status::ready);

  // The rebuild is paused half-way: searches answer at once, with the old lexicon.
  auto during = std::async(std::launch::async,
                           [this] { return std::make_pair(Search("共享单车"), Search("小黄车")); });
  const bool answered = during.wait_for(20s) == std::future_status::ready;
  // Saves go on too: a new article and an edit of the existing one.
  auto saved = std::async(std::launch::async, [this] {
    auto created =
        kb_->Save({MakeArticle("bike2", "小黄车堵住小区门口", "联系企业清运。")}, "admin", 6);
    auto edited = kb_->SaveVersion(
        MakeArticle("bike", "小黄车乱停放怎么办", "拨打企业客服电话，或拨打12345。"), 1, "admin",
        7);
    return created.has_value() && edited.has_value();
  });
  const bool saved_meanwhile = saved.wait_for(20s) == std::future_status::ready;
  release.set_value();
  ASSERT_TRUE(answered) << "a search waited for the re-index";
  ASSERT_TRUE(saved_meanwhile) << "a save waited for the re-index";
  EXPECT_TRUE(saved.get());
  const auto [synonym, word] = during.get();
  EXPECT_THAT(synonym, IsEmpty());
  EXPECT_THAT(word, ElementsAre("bike"));
  EXPECT_EQ(kb_->tokenizer(), old_tokenizer);

  ASSERT_OK(change.get());
  // After the commit: the new lexicon, over every article, including those saved meanwhile.
  EXPECT_THAT(Search("共享单车"), UnorderedElementsAre("bike", "bike2"));
  EXPECT_NE(kb_->tokenizer(), old_tokenizer);
  EXPECT_EQ(notified, kb_->tokenizer());
  auto edited = kb_->Find("bike");
  ASSERT_OK(edited);
  EXPECT_EQ(edited->version, 2);
  // Another process sees the same index.
  auto other = SharedKb::Open(path_.string(), false);
  ASSERT_OK(other);
  EXPECT_THAT(Ids((*other)->Search({"共享单车", {}, 10})), UnorderedElementsAre("bike", "bike2"));
}

TEST_F(SharedKbTest, AChangeByAnotherProcessDuringTheRebuildAbortsIt) {
  auto other = SharedKb::Open(path_.string(), false);
  ASSERT_OK(other);
  kb_->SetRebuildHook([&other] { ASSERT_OK((*other)->AddWords("米兰春天 address", "cli", 4)); });
  EXPECT_THAT(kb_->AddSynonyms("小黄车 共享单车", "admin", 5), HasErrorCode(ErrorCode::kAborted));
  kb_->SetRebuildHook(nullptr);
  EXPECT_THAT(Search("共享单车"), IsEmpty());
  auto view = kb_->Lexicon();
  ASSERT_OK(view);
  ASSERT_EQ(view->stored.size(), 1U);
  EXPECT_THAT(view->stored[0].words, ElementsAre("米兰春天"));
  // Trying again works.
  ASSERT_OK(kb_->AddSynonyms("小黄车 共享单车", "admin", 6));
  EXPECT_THAT(Search("共享单车"), ElementsAre("bike"));
}

}  // namespace
}  // namespace hotline::adapters::sqlite
