#include "adapters/text/tokenizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "adapters/text/lexicon.h"
#include "adapters/text/normalizer.h"
#include "testing/matchers.h"

namespace hotline::adapters::text {
namespace {

using ::hotline::testing::HasErrorCode;

using ::testing::Contains;
using ::testing::IsSupersetOf;
using ::testing::Not;
using ::testing::Pair;

class TokenizerTest : public ::testing::Test {
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
  // (text, kind name) of every token.
  static std::vector<std::pair<std::string, std::string>> Tokens(std::string_view text) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& token : tokenizer_->Tokenize(text)) {
      out.emplace_back(token.text, std::string(TokenKindName(token.kind)));
    }
    return out;
  }
  static Tokenizer* tokenizer_;
};

Tokenizer* TokenizerTest::tokenizer_ = nullptr;

TEST_F(TokenizerTest, KeepsPhoneAndIdNumbersWhole) {
  const auto tokens =
      Tokens("我的电话是13812345678，座机0731-84512345，身份证号43010219900101123X");
  EXPECT_THAT(tokens, IsSupersetOf({Pair("13812345678", "phone"), Pair("073184512345", "phone"),
                                    Pair("43010219900101123x", "id_number")}));
  // No piece of a number is a token of its own.
  EXPECT_THAT(tokens, Not(Contains(Pair("0731", ::testing::_))));
}

TEST_F(TokenizerTest, KeepsAddressesAndUnitsWhole) {
  const auto tokens =
      Tokens("座落在A市A3区联丰路米兰春天G2栋320，请税务局查一下。A2区暮云街道丽发新城垃圾站");
  EXPECT_THAT(tokens, IsSupersetOf({Pair("a3区", "address"), Pair("联丰路", "address"),
                                    Pair("g2栋", "address"), Pair("暮云街道", "address"),
                                    Pair("丽发新城", "address"), Pair("税务局", "unit"),
                                    Pair("320", "number")}));
  EXPECT_THAT(Tokens("区住房和城乡建设局已要求"), Contains(Pair("住房和城乡建设局", "unit")));
}

TEST_F(TokenizerTest, EmitsBigramsAndLongWords) {
  const auto tokens = Tokens("业委会召开业主大会");
  EXPECT_THAT(tokens, IsSupersetOf({Pair("业委", "bigram"), Pair("委会", "bigram"),
                                    Pair("业委会", "word"), Pair("大会", "bigram")}));
  EXPECT_THAT(Tokens("路"), Contains(Pair("路", "unigram")));
}

TEST_F(TokenizerTest, ReportsSourceByteOffsets) {
  const std::string text = "电话：13812345678";
  for (const auto& token : tokenizer_->Tokenize(text)) {
    if (token.kind == TokenKind::kPhone) {
      EXPECT_EQ(text.substr(token.begin, token.end - token.begin), "13812345678");
    }
  }
}

TEST_F(TokenizerTest, FoldsWidthAndCase) {
  EXPECT_EQ(tokenizer_->Terms("ＡＢＣ１２３"), tokenizer_->Terms("abc123"));
  EXPECT_EQ(tokenizer_->normalizer().NormalizeToString("Ｇ２栋　３２０"), "g2栋 320");
}

TEST_F(TokenizerTest, MatchesTraditionalAndSimplified) {
  EXPECT_EQ(tokenizer_->Terms("區住房和城鄉建設局已要求業委會依法召開業主大會"),
            tokenizer_->Terms("区住房和城乡建设局已要求业委会依法召开业主大会"));
  EXPECT_EQ(tokenizer_->normalizer().NormalizeToString("臺北市民眾諮詢"), "台北市民众咨询");
}

TEST_F(TokenizerTest, AddsCanonicalSynonyms) {
  EXPECT_THAT(Tokens("社会保险怎么交"), Contains(Pair("社保", "synonym")));
  EXPECT_THAT(Tokens("噪声扰民"), Contains(Pair("噪音", "synonym")));
}

TEST_F(TokenizerTest, NeverFailsOnBadUtf8OrEmptyText) {
  EXPECT_TRUE(tokenizer_->Tokenize("").empty());
  const std::string bad = std::string("物业") + '\xE4' + '\xB8' + "费" + '\xFF';
  EXPECT_THAT(tokenizer_->Terms(bad), Contains("物业"));
}

TEST(TokenizerLexicon, UserDictionaryAndSynonymsAreEditable) {
  Lexicon lexicon;
  ASSERT_OK(lexicon.AddDictionary("# admin words\n米兰春天 address\n一米阳光\n"));
  ASSERT_OK(lexicon.AddSynonyms("网约车 网络预约出租汽车\n"));
  auto tokenizer = Tokenizer::Create(lexicon);
  ASSERT_OK(tokenizer);
  std::vector<std::pair<std::string, TokenKind>> tokens;
  for (const auto& token : (*tokenizer)->Tokenize("米兰春天的一米阳光；网络预约出租汽车")) {
    tokens.emplace_back(token.text, token.kind);
  }
  EXPECT_THAT(tokens, IsSupersetOf({Pair("米兰春天", TokenKind::kAddress),
                                    Pair("一米阳光", TokenKind::kWord),
                                    Pair("网约车", TokenKind::kSynonym)}));
}

TEST(TokenizerLexicon, RejectsBadLinesByNumber) {
  Lexicon lexicon;
  EXPECT_THAT(lexicon.AddDictionary("好词\n坏词 colour\n"),
              HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(lexicon.words().empty());  // nothing half-added
  const Status single = lexicon.AddSynonyms("社保 社会保险\n孤单\n");
  ASSERT_FALSE(single.has_value());
  EXPECT_THAT(single.error().message, ::testing::HasSubstr("line 2"));
  EXPECT_THAT(lexicon.AddSynonyms("医保 医疗保险\n医保 基本医疗\n"),
              HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(lexicon.synonym_groups().empty());
}

TEST(TokenizerPlaces, PlaceStemDropsTheSuffix) {
  EXPECT_EQ(PlaceStem("丽发新城"), "丽发");
  EXPECT_EQ(PlaceStem("泉塘街道"), "泉塘");
  EXPECT_EQ(PlaceStem("路"), "路");
}

TEST(TextNormalizer, FailsCleanlyOnAMissingOpenccConfig) {
  EXPECT_THAT(TextNormalizer::Create("/nonexistent/t2s.json"),
              HasErrorCode(ErrorCode::kUnavailable));
  auto plain = TextNormalizer::Create("");
  ASSERT_OK(plain);
  EXPECT_EQ((*plain)->NormalizeToString("業主ＡＢ"), "業主ab");  // no script conversion
}

}  // namespace
}  // namespace hotline::adapters::text
