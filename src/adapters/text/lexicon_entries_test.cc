#include "adapters/text/lexicon_entries.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "adapters/text/tokenizer.h"
#include "testing/matchers.h"

namespace hotline::adapters::text {
namespace {

using ::hotline::testing::HasErrorCode;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(LexiconEntries, BuiltinVocabularyIsListed) {
  const auto builtin = BuiltinLexiconEntries();
  bool social_insurance = false;
  for (const auto& e : builtin) {
    EXPECT_EQ(e.id, 0);
    if (e.kind == "synonyms" && e.words.front() == "社保") {
      social_insurance = true;
      EXPECT_THAT(e.words, Contains("社会保险"));
    }
    if (e.kind != "synonyms") {
      EXPECT_EQ(e.words.size(), 1U);
    }
  }
  EXPECT_TRUE(social_insurance);
}

TEST(LexiconEntries, ParsesWordsWithKindsAndNamesEveryBadLine) {
  auto words = ParseLexiconWords("# 新词\n米兰春天 address\n\n一米阳光\n城投集团 单位\n", {});
  ASSERT_OK(words);
  ASSERT_EQ(words->size(), 3U);
  EXPECT_EQ((*words)[0].kind, "address");
  EXPECT_THAT((*words)[0].words, ElementsAre("米兰春天"));
  EXPECT_EQ((*words)[1].kind, "word");
  EXPECT_EQ((*words)[2].kind, "unit");

  const auto builtin = BuiltinLexiconEntries();
  auto bad = ParseLexiconWords(
      "好词\n坏词 colour\n字\n社会保险\n好词\n三个 词 太多\n" + std::string(33, 'a') + "\n",
      builtin);
  ASSERT_THAT(bad, HasErrorCode(ErrorCode::kInvalidArgument));
  const std::string& m = bad.error().message;
  EXPECT_THAT(m, Not(HasSubstr("第 1 行")));
  EXPECT_THAT(m, HasSubstr("第 2 行: 未知类型"));
  EXPECT_THAT(m, HasSubstr("第 3 行"));  // one character
  EXPECT_THAT(m, HasSubstr("第 4 行: “社会保险”已在同义词组"));
  EXPECT_THAT(m, HasSubstr("第 5 行: “好词”已在词典中"));
  EXPECT_THAT(m, HasSubstr("第 6 行"));
  EXPECT_THAT(m, HasSubstr("第 7 行"));
  EXPECT_THAT(ParseLexiconWords("# only a comment\n", {}),
              HasErrorCode(ErrorCode::kInvalidArgument));
}

TEST(LexiconEntries, ParsesSynonymGroupsOneWordOneGroup) {
  const auto builtin = BuiltinLexiconEntries();
  auto groups =
      ParseLexiconSynonyms("网约车，网络预约出租汽车\n共享单车/互联网租赁自行车\n", builtin);
  ASSERT_OK(groups);
  ASSERT_EQ(groups->size(), 2U);
  EXPECT_THAT((*groups)[0].words, ElementsAre("网约车", "网络预约出租汽车"));
  auto bad =
      ParseLexiconSynonyms("孤单\n社保 社保卡\n甲方 乙方 甲方\n网约车 专车\n专车 快车\n", builtin);
  ASSERT_THAT(bad, HasErrorCode(ErrorCode::kInvalidArgument));
  const std::string& m = bad.error().message;
  EXPECT_THAT(m, HasSubstr("第 1 行: 同义词组至少要有两个词"));
  EXPECT_THAT(m, HasSubstr("第 2 行: “社保”已在同义词组“社保 社会保险”中"));
  EXPECT_THAT(m, HasSubstr("第 3 行: “甲方”在本组中重复"));
  EXPECT_THAT(m, Not(HasSubstr("第 4 行")));
  EXPECT_THAT(m, HasSubstr("第 5 行: “专车”已在同义词组"));  // taken by line 4
}

TEST(LexiconEntries, StoredEntriesReachTheTokenizerAndConflictsAreSetAside) {
  std::vector<LexiconEntry> stored = {
      {7, "synonyms", {"网约车", "网络预约出租汽车"}, 0, "admin", ""},
      {8, "address", {"米兰春天"}, 0, "admin", ""},
      {9, "synonyms", {"社保", "社保卡"}, 0, "admin", ""},  // 社保 is built in since
  };
  const Lexicon lexicon = BuildLexicon(&stored);
  EXPECT_EQ(stored[0].conflict, "");
  EXPECT_EQ(stored[1].conflict, "");
  EXPECT_NE(stored[2].conflict, "");
  auto tokenizer = Tokenizer::Create(lexicon);
  ASSERT_OK(tokenizer);
  std::vector<std::string> terms = (*tokenizer)->Terms("住在米兰春天，叫了网络预约出租汽车");
  EXPECT_THAT(terms, Contains("米兰春天"));
  EXPECT_THAT(terms, Contains("网约车"));
}

}  // namespace
}  // namespace hotline::adapters::text
