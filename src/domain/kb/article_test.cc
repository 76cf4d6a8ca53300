#include "domain/kb/article.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/matchers.h"

namespace hotline::domain::kb {
namespace {

using ::hotline::testing::HasErrorCode;

Article Valid() {
  Article article;
  article.id = "faq-1";
  article.title = "社保补缴怎么办理";
  article.answer = "携带身份证到社保窗口办理。";
  return article;
}

TEST(KbArticle, ValidatesRequiredFieldsAndDates) {
  EXPECT_OK(Validate(Valid()));
  Article no_title = Valid();
  no_title.title.clear();
  EXPECT_THAT(Validate(no_title), HasErrorCode(ErrorCode::kInvalidArgument));
  Article bad_date = Valid();
  bad_date.review_date = "2024-02-30";
  EXPECT_THAT(Validate(bad_date), HasErrorCode(ErrorCode::kInvalidArgument));
  Article reversed = Valid();
  reversed.valid_from = "2024-03-01";
  reversed.valid_to = "2024-02-01";
  EXPECT_THAT(Validate(reversed), HasErrorCode(ErrorCode::kInvalidArgument));
  Article answer_with_fee = Valid();
  answer_with_fee.service.fee = "免费";
  EXPECT_THAT(Validate(answer_with_fee), HasErrorCode(ErrorCode::kInvalidArgument));
}

TEST(KbArticle, RecognisesIsoDates) {
  EXPECT_TRUE(IsIsoDate("2024-02-29"));
  EXPECT_FALSE(IsIsoDate("2023-02-29"));
  EXPECT_FALSE(IsIsoDate("2024-2-9"));
  EXPECT_FALSE(IsIsoDate("2024-13-01"));
}

TEST(KbArticle, IsDueAfterItsReviewDateUnlessRetired) {
  Article article = Valid();
  EXPECT_FALSE(IsDueForReview(article, "2024-06-01"));  // no review date
  article.review_date = "2024-05-31";
  EXPECT_TRUE(IsDueForReview(article, "2024-06-01"));
  EXPECT_FALSE(IsDueForReview(article, "2024-05-31"));
  article.status = ArticleStatus::kRetired;
  EXPECT_FALSE(IsDueForReview(article, "2024-06-01"));
}

TEST(KbArticle, ParsesKindsAndStatusesInEnglishAndChinese) {
  EXPECT_EQ(ParseStatus("已发布"), ArticleStatus::kPublished);
  EXPECT_EQ(ParseStatus("retired"), ArticleStatus::kRetired);
  EXPECT_EQ(ParseStatus("gone"), std::nullopt);
  EXPECT_EQ(ParseKind("办事事项"), ArticleKind::kServiceItem);
  EXPECT_EQ(KindName(*ParseKind("service_item")), "service_item");
}

TEST(KbArticle, SearchBodyLabelsServiceDetails) {
  Article item = Valid();
  item.kind = ArticleKind::kServiceItem;
  item.answer.clear();
  item.service.materials = "身份证";
  item.service.fee = "不收费";
  EXPECT_EQ(SearchBody(item), "申请材料：身份证\n收费标准：不收费");
  Article changed = item;
  EXPECT_TRUE(changed.SameContent(item));
  changed.version = 7;
  EXPECT_TRUE(changed.SameContent(item));
  changed.service.fee = "10元";
  EXPECT_FALSE(changed.SameContent(item));
}

}  // namespace
}  // namespace hotline::domain::kb
