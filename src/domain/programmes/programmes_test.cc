// The programmes' validation, a campaign's matching rule, the follow-up of a leader day's
// tickets, a difficult case's age and the QA averages and ranking, worked out by hand.
#include "domain/programmes/programmes.h"

#include <gtest/gtest.h>

#include "testing/matchers.h"
#include "testing/small_city.h"

namespace hotline::domain::programmes {
namespace {

using hotline::testing::SmallCity;

Instant At(const char* local) { return *ParseInstant(local); }

class Programmes : public ::testing::Test {
 protected:
  std::unique_ptr<SmallCity> city_ = hotline::testing::MakeSmallCity();
  CategoryId Cat(const char* path) { return city_->categories.FindByPath(path)->id; }
  Campaign Noise() {
    Campaign c;
    c.name = "夏季噪声治理";
    c.from = "2024-06-01";
    c.to = "2024-08-31";
    c.categories = {Cat("环境保护/污染防治/噪声污染")};
    return c;
  }
  Ticket TicketOf(const char* created, const char* category, RegionId region, const char* content) {
    Ticket t;
    t.created_at = At(created);
    t.category = Cat(category);
    t.region = region;
    t.content = content;
    return t;
  }
};

TEST_F(Programmes, CampaignValidation) {
  EXPECT_OK(Validate(Noise(), city_->org, city_->categories));
  Campaign c = Noise();
  c.name = "  ";
  EXPECT_THAT(Validate(c, city_->org, city_->categories),
              hotline::testing::HasErrorCode(ErrorCode::kInvalidArgument));
  c = Noise();
  c.to = "2024-05-31";
  auto reversed = Validate(c, city_->org, city_->categories);
  ASSERT_FALSE(reversed.has_value());
  EXPECT_NE(reversed.error().message.find("早于"), std::string::npos);
  c = Noise();
  c.to = "2024-02-30";
  EXPECT_FALSE(Validate(c, city_->org, city_->categories).has_value());
  c = Noise();
  c.to = "2025-06-02";  // 2024-06-01..2025-06-01 is 365 days apart: 366 days inclusive, + 1
  EXPECT_FALSE(Validate(c, city_->org, city_->categories).has_value());
  c.to = "2025-06-01";  // 366 days inclusive: the longest period
  EXPECT_OK(Validate(c, city_->org, city_->categories));
  c = Noise();
  c.categories.push_back(CategoryId{9999});
  EXPECT_FALSE(Validate(c, city_->org, city_->categories).has_value());
  c = Noise();
  c.regions = {RegionId{42}};
  EXPECT_FALSE(Validate(c, city_->org, city_->categories).has_value());
  c = Noise();
  c.keywords = {"噪音", "噪音"};
  EXPECT_FALSE(Validate(c, city_->org, city_->categories).has_value());
  c.keywords = {""};
  EXPECT_FALSE(Validate(c, city_->org, city_->categories).has_value());
}

TEST_F(Programmes, CampaignRuleNeedsEveryListAndThePeriod) {
  Campaign c = Noise();
  c.regions = {SmallCity::kCounty};
  c.keywords = {"广场舞", "施工"};
  // Inside: the county's street is within the county; "施工" in the content.
  Ticket in = TicketOf("2024-07-01 10:00:00", "环境保护/污染防治/噪声污染", SmallCity::kStreet,
                       "夜间施工扰民");
  EXPECT_TRUE(Matches(c, in, city_->org, city_->categories));
  // Registered the day after the period (local date), or on its last local day.
  Ticket late = in;
  late.created_at = At("2024-09-01 00:10:00");
  EXPECT_FALSE(Matches(c, late, city_->org, city_->categories));
  late.created_at = At("2024-08-31 23:50:00");
  EXPECT_TRUE(Matches(c, late, city_->org, city_->categories));
  // Another category, the city outside the county, no keyword.
  Ticket other = in;
  other.category = Cat("环境保护/污染防治/大气污染");
  EXPECT_FALSE(Matches(c, other, city_->org, city_->categories));
  Ticket city_wide = in;
  city_wide.region = SmallCity::kCity;
  EXPECT_FALSE(Matches(c, city_wide, city_->org, city_->categories));
  Ticket quiet = in;
  quiet.content = "邻居装修";
  EXPECT_FALSE(Matches(c, quiet, city_->org, city_->categories));
  // A parent category covers its children.
  c.categories = {Cat("环境保护")};
  EXPECT_TRUE(Matches(c, in, city_->org, city_->categories));
  // Without a rule only hand-tagged tickets belong.
  Campaign tag_only = Noise();
  tag_only.categories.clear();
  EXPECT_FALSE(Matches(tag_only, in, city_->org, city_->categories));
}

TEST_F(Programmes, LeaderDayValidationAndFollowUp) {
  LeaderDay d{0, "2024-10-15", "市住建局局长", "物业管理", {SmallCity::kHousing}, "", "", {}};
  EXPECT_OK(Validate(d, city_->org));
  d.units.push_back(SmallCity::kHousing);
  EXPECT_FALSE(Validate(d, city_->org).has_value());
  d.units = {UnitId{77}};
  EXPECT_FALSE(Validate(d, city_->org).has_value());
  d.units = {};
  d.date = "10/15/2024";
  EXPECT_FALSE(Validate(d, city_->org).has_value());

  Instant now = At("2024-10-30 12:00:00");
  Ticket open_late;
  open_late.number = "A";
  open_late.state = TicketState::kSigned;
  open_late.reply_deadline = At("2024-10-29 17:30:00");
  Ticket open_ok = open_late;
  open_ok.number = "B";
  open_ok.reply_deadline = At("2024-11-05 17:30:00");
  Ticket done = open_late;
  done.number = "C";
  done.state = TicketState::kArchived;  // past its deadline, but finished: not overdue
  std::vector<FollowedTicket> f{Follow(open_late, now), Follow(open_ok, now), Follow(done, now)};
  EXPECT_TRUE(f[0].overdue);
  EXPECT_FALSE(f[1].overdue);
  EXPECT_FALSE(f[2].overdue);
  EXPECT_TRUE(f[2].closed);
  FollowSummary s = Summarise(f);
  EXPECT_EQ(s.total, 3);
  EXPECT_EQ(s.closed, 1);
  EXPECT_EQ(s.open, 2);
  EXPECT_EQ(s.overdue, 1);
}

TEST_F(Programmes, DifficultCaseValidationAndAge) {
  DifficultCase c;
  c.reason = "涉及多个部门职责交叉";
  c.flagged_at = At("2024-10-01 09:00:00");
  c.owner = "sup";
  EXPECT_OK(Validate(c, city_->org));
  EXPECT_EQ(AgeDays(c, At("2024-10-11 08:59:00")), 9);
  EXPECT_EQ(AgeDays(c, At("2024-10-11 09:00:00")), 10);
  c.next_review = "2024-10-10";
  EXPECT_FALSE(ReviewDue(c, At("2024-10-10 23:00:00")));
  EXPECT_TRUE(ReviewDue(c, At("2024-10-11 00:30:00")));
  c.resolved = true;
  c.resolved_at = At("2024-10-04 10:00:00");
  EXPECT_EQ(AgeDays(c, At("2024-12-01 00:00:00")), 3);  // frozen at resolution
  EXPECT_FALSE(ReviewDue(c, At("2024-10-11 00:30:00")));
  c.owner = "nobody";
  EXPECT_FALSE(Validate(c, city_->org).has_value());
  c.owner = "";
  c.reason = "";
  EXPECT_FALSE(Validate(c, city_->org).has_value());
  c.reason = "x";
  c.next_review = "2024-13-01";
  EXPECT_FALSE(Validate(c, city_->org).has_value());
}

ScoreSheet Sheet() {
  return ScoreSheet{1,    "话务质检表", {{"服务用语", 20}, {"业务准确", 50}, {"工单记录", 30}},
                    true, "qa",         {}};
}

TEST(ProgrammesQa, SheetValidation) {
  EXPECT_OK(Validate(Sheet()));
  EXPECT_EQ(Sheet().MaxTotal(), 100);
  ScoreSheet s = Sheet();
  s.items.push_back({"服务用语", 5});
  EXPECT_FALSE(Validate(s).has_value());
  s = Sheet();
  s.items[1].max_points = 0;
  EXPECT_FALSE(Validate(s).has_value());
  s.items[1].max_points = kMaxItemPoints + 1;
  EXPECT_FALSE(Validate(s).has_value());
  s = Sheet();
  s.items.clear();
  EXPECT_FALSE(Validate(s).has_value());
}

TEST(ProgrammesQa, ScoresAreCheckedAgainstTheSheet) {
  Inspection i;
  i.scores = {18, 45, 30};
  ASSERT_OK(ScoreAgainst(i, Sheet()));
  EXPECT_EQ(i.total, 93);
  EXPECT_EQ(i.max_total, 100);
  EXPECT_DOUBLE_EQ(i.Percent(), 93.0);
  i.scores = {18, 51, 30};  // over the item's 50
  auto over = ScoreAgainst(i, Sheet());
  ASSERT_FALSE(over.has_value());
  EXPECT_NE(over.error().message.find("业务准确"), std::string::npos);
  i.scores = {18, 45};
  EXPECT_FALSE(ScoreAgainst(i, Sheet()).has_value());
  i.scores = {18, -1, 30};
  EXPECT_FALSE(ScoreAgainst(i, Sheet()).has_value());
  i.scores = {18, 45, 30};
  i.remarks = {"", ""};
  EXPECT_FALSE(ScoreAgainst(i, Sheet()).has_value());
}

Inspection Done(const char* agent, int total, int max_total) {
  Inspection i;
  i.agent = agent;
  i.total = total;
  i.max_total = max_total;
  return i;
}

TEST(ProgrammesQa, AverageIsTheMeanOfPercentagesAndTiesShareARank) {
  // op1: 90/100 and 40/50 (80 %) → (90 + 80) / 2 = 85.
  // op2: 17/20 (85 %) → 85: ties with op1.
  // cb1: 60/100 and 100/100 and 35/50 (70 %) → 230 / 3 = 76.67.
  // op3: 45/50 → 90: first.
  std::vector<Inspection> all{Done("op1", 90, 100), Done("cb1", 60, 100),  Done("op1", 40, 50),
                              Done("op2", 17, 20),  Done("cb1", 100, 100), Done("op3", 45, 50),
                              Done("cb1", 35, 50)};
  auto ranked = RankAgents(all);
  ASSERT_EQ(ranked.size(), 4u);
  EXPECT_EQ(ranked[0].agent, "op3");
  EXPECT_DOUBLE_EQ(ranked[0].average, 90.0);
  EXPECT_EQ(ranked[0].rank, 1);
  EXPECT_EQ(ranked[1].agent, "op1");
  EXPECT_DOUBLE_EQ(ranked[1].average, 85.0);
  EXPECT_EQ(ranked[1].inspections, 2);
  EXPECT_EQ(ranked[1].points, 130);
  EXPECT_EQ(ranked[1].max_points, 150);
  EXPECT_EQ(ranked[1].rank, 2);
  EXPECT_EQ(ranked[2].agent, "op2");
  EXPECT_EQ(ranked[2].rank, 2);
  EXPECT_EQ(ranked[3].agent, "cb1");
  EXPECT_DOUBLE_EQ(ranked[3].average, 76.67);
  EXPECT_EQ(ranked[3].rank, 4);
  EXPECT_TRUE(RankAgents({}).empty());
}

}  // namespace
}  // namespace hotline::domain::programmes
