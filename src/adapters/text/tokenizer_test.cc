#include "adapters/text/tokenizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "testing/matchers.h"

namespace hotline::adapters::text {
namespace {

using ::testing::Contains;
using ::testing::Not;

class TokenizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto tokenizer = Tokenizer::CreateDefault();
    ASSERT_OK(tokenizer);
    tokenizer_ = std::move(tokenizer).value();
  }
  std::vector<std::string> Terms(std::string_view text) { return tokenizer_->Terms(text); }
  std::vector<std::string> TermsOfKind(std::string_view text, TokenKind kind) {
    std::vector<std::string> out;
    for (const auto& token : tokenizer_->Tokenize(text)) {
      if (token.kind == kind) {
        out.push_back(token.text);
      }
    }
    return out;
  }
  std::unique_ptr<Tokenizer> tokenizer_;
};

TEST_F(TokenizerTest, Debug) {
  for (auto t : {"A市A2区暮云街道丽发新城的商品交易市场严重影响了家长送孩子们上学",
                 "座落在A市A3区联丰路米兰春天G2栋320，请税务局和工商局查一下",
                 "我的电话是13812345678，座机0731-84512345，身份证号43010219900101123X",
                 "區住房和城鄉建設局已要求業委會依法依規召開業主大會", "社会保险怎么交"}) {
    for (const auto& token : tokenizer_->Tokenize(t)) {
      std::printf("%s/%s ", token.text.c_str(), std::string(TokenKindName(token.kind)).c_str());
    }
    std::printf("\n");
  }
}

}  // namespace
}  // namespace hotline::adapters::text
