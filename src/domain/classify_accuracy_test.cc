#include "domain/classify_accuracy.h"

#include <gtest/gtest.h>

#include "testing/small_city.h"

namespace hotline::domain {
namespace {

using hotline::testing::SmallCity;

class ClassifyAccuracyTest : public ::testing::Test {
 protected:
  std::unique_ptr<SmallCity> city_ = hotline::testing::MakeSmallCity();
  CategoryId Cat(const char* path) { return city_->categories.FindByPath(path)->id; }
  SuggestionOutcome Outcome(CategoryId final, UnitId final_unit, std::array<CategoryId, 3> top,
                            UnitId unit) {
    SuggestionOutcome o;
    o.ticket = TicketId{++next_};
    o.final_category = final;
    o.final_unit = final_unit;
    o.suggested = true;
    o.categories = top;
    o.unit = unit;
    return o;
  }
  int64_t next_ = 0;
};

TEST_F(ClassifyAccuracyTest, SuggestionIsRightForTheCategoryOrAnAncestorOfIt) {
  const CategoryTree& t = city_->categories;
  EXPECT_TRUE(SuggestionMatches(t, Cat("城乡建设"), Cat("城乡建设/住房保障/物业管理")));
  EXPECT_TRUE(SuggestionMatches(t, Cat("城乡建设/住房保障"), Cat("城乡建设/住房保障/物业管理")));
  EXPECT_TRUE(SuggestionMatches(t, Cat("物业管理"), Cat("物业管理")));
  // A sibling, another branch, a suggestion more specific than the final choice: wrong.
  EXPECT_FALSE(SuggestionMatches(t, Cat("房屋质量"), Cat("物业管理")));
  EXPECT_FALSE(SuggestionMatches(t, Cat("环境保护"), Cat("物业管理")));
  EXPECT_FALSE(SuggestionMatches(t, Cat("噪声污染"), Cat("环境保护")));
  EXPECT_FALSE(SuggestionMatches(t, CategoryId{}, Cat("物业管理")));
  EXPECT_FALSE(SuggestionMatches(t, Cat("城乡建设"), CategoryId{}));
}

// Six tickets worked out by hand: 6 dispatched, 5 with a suggestion, 4 of those with a final
// category; right first: #1 only; right in the top 3: #1, #2, #3; units judged: #1, #2, #3,
// right: #1 (same unit) and #3 (the county platform above the township it sub-dispatched to).
TEST_F(ClassifyAccuracyTest, RatesOverDispatchedTicketsWorkedOutByHand) {
  std::vector<SuggestionOutcome> outcomes;
  outcomes.push_back(Outcome(Cat("物业管理"), SmallCity::kHousing,
                             {Cat("城乡建设"), Cat("环境保护"), Cat("交通运输")},
                             SmallCity::kHousing));
  outcomes.push_back(Outcome(Cat("噪声污染"), SmallCity::kTownship,
                             {Cat("城乡建设"), Cat("环境保护"), CategoryId{}},
                             SmallCity::kHousing));
  outcomes.push_back(Outcome(Cat("公交线路"), SmallCity::kTownship,
                             {Cat("环境保护"), Cat("城乡建设"), Cat("公交线路")},
                             SmallCity::kCountyHub));
  outcomes.push_back(Outcome(Cat("环境保护"), SmallCity::kEnvironment,
                             {Cat("噪声污染"), Cat("交通运输"), CategoryId{}}, UnitId{}));
  SuggestionOutcome none;
  none.ticket = TicketId{100};
  none.final_category = Cat("物业管理");
  none.final_unit = SmallCity::kHousing;
  outcomes.push_back(none);
  outcomes.push_back(
      Outcome(CategoryId{}, SmallCity::kHousing, {Cat("城乡建设"), {}, {}}, UnitId{}));

  SuggestionAccuracy a = ComputeSuggestionAccuracy(outcomes, city_->categories, city_->org);
  EXPECT_EQ(a.dispatched, 6);
  EXPECT_EQ(a.suggested, 5);
  EXPECT_EQ(a.judged, 4);
  EXPECT_EQ(a.top1, 1);
  EXPECT_EQ(a.top3, 3);
  EXPECT_EQ(a.unit_judged, 3);
  EXPECT_EQ(a.unit_hits, 2);
  EXPECT_DOUBLE_EQ(*a.top1_rate(), 0.25);
  EXPECT_DOUBLE_EQ(*a.top3_rate(), 0.75);
  EXPECT_DOUBLE_EQ(*a.unit_rate(), 2.0 / 3.0);

  SuggestionAccuracy empty = ComputeSuggestionAccuracy({}, city_->categories, city_->org);
  EXPECT_EQ(empty.dispatched, 0);
  EXPECT_FALSE(empty.top1_rate().has_value());
}

}  // namespace
}  // namespace hotline::domain
