// Each KPI of docs/kpi.md on a hand-built event history; the expected numerators and
// denominators are worked out in the comments.
#include "domain/kpi/kpi.h"

#include <gtest/gtest.h>

#include <map>

#include "domain/lifecycle.h"
#include "testing/small_city.h"

namespace hotline::domain::kpi {
namespace {

using testing::SmallCity;

Instant At(const char* local) { return *ParseInstant(local); }

// One ticket's story: actions decided by the lifecycle and folded, with their log.
class Story {
 public:
  Story(const SmallCity& city, int64_t id, const char* type, const char* at) : city_(city) {
    auto e = DecideRegister({{"type", type}, {"content", "测试诉求"}}, city_.Act("op"),
                            city_.Context(At(at)));
    EXPECT_TRUE(e.has_value());
    e->ticket = TicketId{id};
    t_.id = TicketId{id};
    Apply(t_, *e);
    log_.push_back(*e);
  }
  Story& Do(const char* login, Action a, Fields f, const char* at) {
    auto evs = Decide(t_, {a, std::move(f)}, city_.Act(login), city_.Context(At(at)));
    EXPECT_TRUE(evs.has_value()) << (evs.has_value() ? "" : evs.error().message);
    if (evs.has_value()) {
      for (TicketEvent& e : *evs) {
        Apply(t_, e);
        log_.push_back(e);
      }
    }
    return *this;
  }
  const std::vector<TicketEvent>& log() const { return log_; }
  const Ticket& ticket() const { return t_; }

 private:
  const SmallCity& city_;
  Ticket t_;
  std::vector<TicketEvent> log_;
};

std::map<std::string, KpiValue> ById(const Sums& s) {
  std::map<std::string, KpiValue> out;
  for (KpiValue& v : Compute(s)) {
    out[v.id] = v;
  }
  return out;
}

void Expect(const std::map<std::string, KpiValue>& k, const std::string& id, int64_t num,
            std::optional<int64_t> den) {
  ASSERT_TRUE(k.contains(id)) << id;
  EXPECT_EQ(k.at(id).numerator, num) << id;
  EXPECT_EQ(k.at(id).denominator, den) << id;
}

class KpiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A: complaint to housing, signed and replied on time (Mon 09:00 -> Wed 09:00 = 2.000
    // working days), satisfied and resolved: closed first time.
    Story a(*city_, 1, "投诉", "2024-10-14 08:50:00");
    a.Do("disp", Action::kDispatch, {{"lead_unit", "2"}}, "2024-10-14 09:00:00")
        .Do("housing", Action::kSign, {}, "2024-10-14 10:00:00")
        .Do("housing", Action::kReply, {{"reply", "已处理"}}, "2024-10-16 09:00:00")
        .Do("disp", Action::kReviewPass, {}, "2024-10-16 10:00:00")
        .Do("cb", Action::kCallback,
            {{"reached", "1"}, {"resolved", "1"}, {"satisfaction", "满意"}}, "2024-10-16 11:00:00");
    // B: consultation (2wd) wrongly dispatched to environment, signed late (sign limit 2wh
    // from 09:00 = 11:00), returned to the centre (wrong dispatch against environment),
    // dispatched to housing Mon 16:30 (reply due Wed 16:30), replied late Thu 10:00
    // (2 days 17.5 h = 2.729 working days), unsatisfied and unresolved, re-handled.
    Story b(*city_, 2, "咨询", "2024-10-14 08:55:00");
    b.Do("disp", Action::kDispatch, {{"lead_unit", "3"}}, "2024-10-14 09:00:00")
        .Do("env", Action::kSign, {}, "2024-10-14 15:00:00")
        .Do("env", Action::kRequestReturn, {{"reason", "不属本单位职责"}}, "2024-10-14 15:30:00")
        .Do("disp", Action::kApproveReturn, {}, "2024-10-14 16:00:00")
        .Do("disp", Action::kDispatch, {{"lead_unit", "2"}}, "2024-10-14 16:30:00")
        .Do("housing", Action::kSign, {}, "2024-10-14 17:00:00")
        .Do("housing", Action::kReply, {{"reply", "已答复"}}, "2024-10-17 10:00:00")
        .Do("disp", Action::kReviewPass, {}, "2024-10-17 11:00:00")
        .Do("cb", Action::kCallback,
            {{"reached", "1"}, {"resolved", "0"}, {"satisfaction", "不满意"}},
            "2024-10-17 14:00:00")
        .Do("cb", Action::kRehandle, {{"reason", "市民不满意"}}, "2024-10-17 15:00:00");
    // C: answered at intake. D: not accepted. E: dispatched to housing, redispatched to
    // environment (wrong dispatch against housing); an unreached callback never happens.
    Story c(*city_, 3, "咨询", "2024-10-15 09:00:00");
    c.Do("op", Action::kAnswer, {{"answer", "可在网上办理"}}, "2024-10-15 09:05:00");
    Story d(*city_, 4, "咨询", "2024-10-15 10:00:00");
    d.Do("op", Action::kReject, {{"reason", "不属于受理范围"}}, "2024-10-15 10:05:00");
    Story e(*city_, 5, "求助", "2024-10-15 11:00:00");
    e.Do("disp", Action::kDispatch, {{"lead_unit", "2"}}, "2024-10-15 11:05:00")
        .Do("disp", Action::kRedispatch, {{"lead_unit", "3"}, {"reason", "派错单位"}},
            "2024-10-15 11:30:00")
        .Do("sup", Action::kUrge, {{"comment", "请尽快签收"}}, "2024-10-15 14:00:00");
    for (const Story* s : {&a, &b, &c, &d, &e}) {
      for (const Fact& f : ContributionsOfLog(s->log(), city_->calendar)) {
        sums_[static_cast<size_t>(f.measure)] += f.value;
        by_unit_[f.key.unit][static_cast<size_t>(f.measure)] += f.value;
      }
    }
  }

  std::unique_ptr<SmallCity> city_ = testing::MakeSmallCity();
  Sums sums_{};
  std::map<int64_t, Sums> by_unit_;
};

TEST_F(KpiTest, IntakeRates) {
  auto k = ById(sums_);
  Expect(k, "received", 5, std::nullopt);
  Expect(k, "rejected", 1, std::nullopt);
  Expect(k, "acceptance_rate", 4, 5);      // 5 received - 1 not accepted
  Expect(k, "instant_answer_rate", 1, 4);  // C of the 4 accepted
  EXPECT_DOUBLE_EQ(k["acceptance_rate"].value, 80.0);
  EXPECT_DOUBLE_EQ(k["instant_answer_rate"].value, 25.0);
}

TEST_F(KpiTest, DispatchAccuracyCountsApprovedReturnsToTheCentreAndRedispatches) {
  auto k = ById(sums_);
  // Dispatches: A, B twice, E twice (the redispatch too) = 5; wrong: B's approved return
  // and E's redispatch = 2.
  Expect(k, "dispatched", 5, std::nullopt);
  Expect(k, "dispatch_accuracy", 3, 5);
  Expect(k, "returns", 1, std::nullopt);
  // Against the unit that received the wrong dispatch.
  EXPECT_EQ(by_unit_[SmallCity::kEnvironment.value()][static_cast<size_t>(Measure::kWrongDispatch)],
            1);
  EXPECT_EQ(by_unit_[SmallCity::kHousing.value()][static_cast<size_t>(Measure::kWrongDispatch)], 1);
}

TEST_F(KpiTest, ARejectedReturnCountsAsAWrongReturnAgainstTheUnitThatAsked) {
  // F: housing asks to return an order that is its own; the centre refuses. One wrong
  // return against housing, no approved return, no wrong dispatch.
  Story f(*city_, 6, "投诉", "2024-10-16 09:00:00");
  f.Do("disp", Action::kDispatch, {{"lead_unit", "2"}}, "2024-10-16 09:05:00")
      .Do("housing", Action::kSign, {}, "2024-10-16 09:30:00")
      .Do("housing", Action::kRequestReturn, {{"reason", "不属本单位职责"}}, "2024-10-16 10:00:00")
      .Do("disp", Action::kRejectReturn, {{"comment", "属于住建职责"}}, "2024-10-16 11:00:00");
  Sums all{};
  std::map<int64_t, Sums> units;
  for (const Fact& fact : ContributionsOfLog(f.log(), city_->calendar)) {
    all[static_cast<size_t>(fact.measure)] += fact.value;
    units[fact.key.unit][static_cast<size_t>(fact.measure)] += fact.value;
  }
  auto k = ById(all);
  Expect(k, "wrong_returns", 1, std::nullopt);
  Expect(k, "returns", 0, std::nullopt);
  Expect(k, "dispatch_accuracy", 1, 1);
  EXPECT_EQ(units[SmallCity::kHousing.value()][static_cast<size_t>(Measure::kReturnRejected)], 1);
  // The fixture's approved return (B) is not a wrong return.
  Expect(ById(sums_), "wrong_returns", 0, std::nullopt);
}

TEST_F(KpiTest, SigningAndCompletionOnTime) {
  auto k = ById(sums_);
  Expect(k, "on_time_sign_rate", 2, 3);  // A, B(housing) on time; B(environment) late
  Expect(k, "replied", 2, std::nullopt);
  Expect(k, "on_time_completion_rate", 1, 2);  // A on time, B late
  Expect(k, "overdue_replies", 1, std::nullopt);
  // 2.000 + 2.729 working days over 2 replies.
  Expect(k, "avg_handling_days", 2000 + 2729, 2);
  EXPECT_NEAR(k["avg_handling_days"].value, 2.3645, 1e-9);
}

TEST_F(KpiTest, CallbackSatisfactionResolutionFirstTimeAndRehandling) {
  auto k = ById(sums_);
  Expect(k, "callback_rate", 2, 2);
  Expect(k, "satisfaction_rate", 1, 2);  // A satisfied, B unsatisfied
  Expect(k, "resolution_rate", 1, 2);
  Expect(k, "first_time_rate", 1, 2);  // B had a return before its close
  Expect(k, "rehandle_rate", 1, 2);
  Expect(k, "urged", 1, std::nullopt);
  Expect(k, "overdue", 0, std::nullopt);  // urged by a supervisor, not the deadline job
}

TEST_F(KpiTest, ContributionsAreCountedOnTheEventsLocalDay) {
  Story s(*city_, 9, "投诉", "2024-10-14 23:30:00");
  // 2024-10-14 23:30 local is 15:30 UTC; the day is the local one.
  auto facts = ContributionsOfLog(s.log(), city_->calendar);
  ASSERT_EQ(facts.size(), 1u);
  EXPECT_EQ(facts[0].key.day, "2024-10-14");
  EXPECT_EQ(facts[0].key.type, "complaint");
  EXPECT_EQ(facts[0].measure, Measure::kReceived);
}

TEST(KpiDefinitions, EveryMeasureHasACodeAndEveryKpiIsComputed) {
  for (size_t i = 0; i < kMeasureCount; ++i) {
    auto m = static_cast<Measure>(i);
    EXPECT_EQ(ParseMeasure(Code(m)), m);
  }
  Sums zero{};
  EXPECT_EQ(Compute(zero).size(), Definitions().size());
  for (const KpiValue& v : Compute(zero)) {
    EXPECT_EQ(v.value, 0) << v.id;  // no division by zero
  }
}

}  // namespace
}  // namespace hotline::domain::kpi
