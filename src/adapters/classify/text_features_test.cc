#include "adapters/classify/text_features.h"

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "testing/matchers.h"

namespace hotline::adapters::classify {
namespace {

using ::hotline::testing::HasErrorCode;
using ::testing::Contains;
using ::testing::IsEmpty;
using ::testing::Not;

std::unique_ptr<TextFeaturizer> Make(const FeatureOptions& options = {}) {
  auto f = TextFeaturizer::Create(options);
  EXPECT_OK(f);
  return std::move(f).value();
}

TEST(TextFeaturizer, FoldsFullWidthAndCase) {
  EXPECT_EQ(Make()->Normalize("ＡＢＣ１２３ａｂｃ"), "abc123abc");
}

TEST(TextFeaturizer, ConvertsTraditionalToSimplified) {
  EXPECT_EQ(Make()->Normalize("醫院門診"), "医院门诊");
  FeatureOptions keep;
  keep.traditional_to_simplified = false;
  EXPECT_EQ(Make(keep)->Normalize("醫院"), "醫院");
}

// All featurizers share one OpenCC converter (opening one costs about 25 ms per model load
// otherwise); it outlives any of them and converts correctly from many threads at once.
TEST(TextFeaturizer, ShareOneOpenccConverter) {
  auto first = Make();
  FeatureOptions chars;
  chars.words = false;
  chars.char_ngram_min = 1;
  chars.char_ngram_max = 3;
  auto second = Make(chars);
  auto third = Make();
  EXPECT_EQ(TextFeaturizer::OpenccConvertersOpened(), 1);
  first.reset();  // the shared converter stays open for the others
  EXPECT_EQ(second->Normalize("醫院門診"), "医院门诊");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"醫院門診掛號難", "医院门诊挂号难"},
      {"學校門口車輛亂停", "学校门口车辆乱停"},
      {"噪音擾民", "噪音扰民"},
      {"小区路灯坏了", "小区路灯坏了"}};
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const TextFeaturizer& f = t % 2 == 0 ? *second : *third;
      for (int i = 0; i < 200; ++i) {
        const auto& [traditional, simplified] = cases[static_cast<size_t>(i + t) % cases.size()];
        if (f.Normalize(traditional) != simplified) {
          wrong.fetch_add(1);
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(TextFeaturizer::OpenccConvertersOpened(), 1);
}

TEST(TextFeaturizer, EmitsWordsAndCharacterBigrams) {
  const auto tokens = Make()->Tokenize("我家小区的路灯坏了。");
  EXPECT_THAT(tokens, Contains("小区"));
  EXPECT_THAT(tokens, Contains("家小"));  // a bigram across a word boundary
  EXPECT_THAT(tokens, Not(Contains("。")));
}

TEST(TextFeaturizer, WordsOnlyHasNoCrossWordBigrams) {
  FeatureOptions words_only;
  words_only.char_ngram_min = 0;
  words_only.char_ngram_max = 0;
  const auto tokens = Make(words_only)->Tokenize("我家小区的路灯坏了");
  EXPECT_THAT(tokens, Contains("小区"));
  EXPECT_THAT(tokens, Not(Contains("家小")));
}

TEST(TextFeaturizer, FoldsNumbersByLength) {
  const auto tokens = Make()->Tokenize("电话12345678，3号楼");
  EXPECT_THAT(tokens, Contains("<n4>"));
  EXPECT_THAT(tokens, Not(Contains("12345678")));
}

TEST(TextFeaturizer, TitleRepeatWeighsTheLeadingSentence) {
  FeatureOptions titled;
  titled.title_repeat = 2;
  titled.char_ngram_min = 0;
  titled.char_ngram_max = 0;
  const auto tokens = Make(titled)->Tokenize("路灯损坏。我们小区晚上很黑");
  EXPECT_EQ(std::count(tokens.begin(), tokens.end(), "路灯"), 3);
  EXPECT_EQ(std::count(tokens.begin(), tokens.end(), "小区"), 1);
}

TEST(TextFeaturizer, PunctuationOnlyGivesNoTokens) {
  EXPECT_THAT(Make()->Tokenize("！！？。 ,,"), IsEmpty());
  EXPECT_EQ(Make()->FeatureLine(""), "");
}

TEST(TextFeaturizer, InvalidUtf8IsTolerated) {
  const std::string bad = std::string("路灯\xff\xfe") + "坏了";
  const auto tokens = Make()->Tokenize(bad);
  EXPECT_THAT(tokens, Contains("路灯"));
  for (const std::string& t : tokens) {
    EXPECT_EQ(t.find(' '), std::string::npos);
  }
}

TEST(TextFeaturizer, TruncatesLongTexts) {
  FeatureOptions short_texts;
  short_texts.max_chars = 4;
  short_texts.char_ngram_min = 0;
  short_texts.char_ngram_max = 0;
  EXPECT_THAT(Make(short_texts)->Tokenize("路灯坏了小区很黑"), Not(Contains("小区")));
}

TEST(TextFeaturizer, RejectsBadOptions) {
  FeatureOptions bad;
  bad.char_ngram_min = 3;
  bad.char_ngram_max = 2;
  EXPECT_THAT(TextFeaturizer::Create(bad), HasErrorCode(ErrorCode::kInvalidArgument));
  FeatureOptions nothing;
  nothing.words = false;
  nothing.char_ngram_min = 0;
  nothing.char_ngram_max = 0;
  EXPECT_THAT(TextFeaturizer::Create(nothing), HasErrorCode(ErrorCode::kInvalidArgument));
}

TEST(ParseFeatureSets, ReadsCodes) {
  auto sets = ParseFeatureSets("w,c12,wc22");
  ASSERT_OK(sets);
  ASSERT_EQ(sets->size(), 3u);
  EXPECT_TRUE((*sets)[0].words);
  EXPECT_EQ((*sets)[0].char_ngram_max, 0);
  EXPECT_FALSE((*sets)[1].words);
  EXPECT_EQ((*sets)[1].char_ngram_min, 1);
  EXPECT_EQ((*sets)[1].char_ngram_max, 2);
  EXPECT_EQ(FeatureSetCode((*sets)[2]), "wc22");
  for (const char* bad : {"", "x", "w,", "c1", "c21", "wc123", "cw12"}) {
    EXPECT_THAT(ParseFeatureSets(bad), HasErrorCode(ErrorCode::kInvalidArgument)) << bad;
  }
}

}  // namespace
}  // namespace hotline::adapters::classify
