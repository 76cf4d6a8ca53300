#include "domain/kpi/ladder.h"

#include <gtest/gtest.h>

#include "domain/lifecycle.h"
#include "testing/small_city.h"

namespace hotline::domain::kpi {
namespace {

Instant At(const char* local) { return *ParseInstant(local); }

std::vector<std::string> Codes(const std::vector<DueStep>& steps) {
  std::vector<std::string> out;
  for (const DueStep& s : steps) {
    out.push_back(s.step.code);
  }
  return out;
}

class LadderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A complaint dispatched Mon 2024-10-14 09:00: reply due 10 working days later, Mon
    // 2024-10-28 09:00 (plain weeks); reminder 1 working day before, Fri 10-25 09:00.
    auto reg = DecideRegister({{"type", "投诉"}, {"content", "噪音"}}, city_->Act("op"),
                              city_->Context(At("2024-10-14 08:00:00")));
    ASSERT_TRUE(reg.has_value());
    Apply(t_, *reg);
    auto d = Decide(t_, {Action::kDispatch, {{"lead_unit", "2"}}}, city_->Act("disp"),
                    city_->Context(At("2024-10-14 09:00:00")));
    ASSERT_TRUE(d.has_value());
    Apply(t_, d->front());
    ASSERT_EQ(*t_.reply_deadline, At("2024-10-28 09:00:00"));
  }
  std::vector<DueStep> Due(const char* now) {
    return DueSteps(t_, ladder_, city_->calendar, city_->policies, At(now));
  }

  std::unique_ptr<testing::SmallCity> city_ = testing::MakeSmallCity();
  DeadlineLadder ladder_ = DeadlineLadder::Defaults();
  Ticket t_;
};

TEST_F(LadderTest, StepsFallDueInLadderOrder) {
  EXPECT_TRUE(Due("2024-10-25 08:59:59").empty());
  EXPECT_EQ(Codes(Due("2024-10-25 09:00:00")), std::vector<std::string>{"remind"});
  EXPECT_EQ(Codes(Due("2024-10-28 09:00:00")), std::vector<std::string>{"remind"});
  // Past the deadline the reminder is no longer due; the urge is.
  EXPECT_EQ(Codes(Due("2024-10-28 09:00:01")), std::vector<std::string>{"overdue"});
  // +2 working days: Wed 10-30 09:00; +5: Mon 11-04 09:00.
  EXPECT_EQ(Codes(Due("2024-10-30 09:00:00")), (std::vector<std::string>{"overdue", "supervise1"}));
  EXPECT_EQ(Codes(Due("2024-11-04 09:00:00")),
            (std::vector<std::string>{"overdue", "supervise1", "supervise2"}));
  auto steps = Due("2024-11-04 09:00:00");
  EXPECT_EQ(steps[0].key, "overdue@" + std::to_string(ToUnix(At("2024-10-28 09:00:00"))));
  EXPECT_EQ(steps[2].due_at, At("2024-11-04 09:00:00"));
}

TEST_F(LadderTest, NothingIsDueOnceRepliedOrWhileSuspended) {
  Ticket replied = t_;
  replied.state = TicketState::kReplied;
  EXPECT_TRUE(
      DueSteps(replied, ladder_, city_->calendar, city_->policies, At("2024-11-04 09:00:00"))
          .empty());
  Ticket suspended = t_;
  suspended.state = TicketState::kSuspended;
  EXPECT_TRUE(
      DueSteps(suspended, ladder_, city_->calendar, city_->policies, At("2024-11-04 09:00:00"))
          .empty());
  // A return request can be supervised but not urged.
  Ticket returning = t_;
  returning.state = TicketState::kReturnRequested;
  EXPECT_EQ(Codes(DueSteps(returning, ladder_, city_->calendar, city_->policies,
                           At("2024-11-04 09:00:00"))),
            (std::vector<std::string>{"supervise1", "supervise2"}));
}

TEST(DeadlineLadder, ParsesAndSerialises) {
  auto l = DeadlineLadder::Parse(
      "# 本市阶梯\nremind remind 0wd\noverdue urge 0wd\ns1 supervise 3wd 1\n");
  ASSERT_TRUE(l.has_value());
  ASSERT_EQ(l->steps().size(), 3u);
  EXPECT_EQ(l->steps()[2].after.amount, 3);
  EXPECT_EQ(l->steps()[2].level, 1);
  auto again = DeadlineLadder::Parse(l->Serialise());
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->steps(), l->steps());
  EXPECT_EQ(DeadlineLadder::Parse(DeadlineLadder::Defaults().Serialise())->steps(),
            DeadlineLadder::Defaults().steps());
  EXPECT_FALSE(DeadlineLadder::Parse("x shout 1wd\n").has_value());
  EXPECT_FALSE(DeadlineLadder::Parse("x supervise 1wd 7\n").has_value());
  EXPECT_FALSE(DeadlineLadder::Parse("x urge 1wd\nx urge 2wd\n").has_value());
  EXPECT_FALSE(DeadlineLadder::Parse("x urge soon\n").has_value());
}

}  // namespace
}  // namespace hotline::domain::kpi
