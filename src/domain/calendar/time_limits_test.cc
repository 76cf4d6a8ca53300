#include "domain/calendar/time_limits.h"

#include "testing/matchers.h"

namespace hotline::domain {
namespace {

using ::hotline::testing::HasErrorCode;
using std::chrono::hours;
using ::testing::HasSubstr;

constexpr LimitUnit kWd = LimitUnit::kWorkingDays;
constexpr LimitUnit kWh = LimitUnit::kWorkingHours;
constexpr LimitUnit kH = LimitUnit::kNaturalHours;

Instant At(const char* local) {
  auto t = ParseInstant(local);
  EXPECT_TRUE(t.has_value()) << local;
  return t.value_or(Instant{});
}

// The 2024 Spring Festival part of the official calendar (see data/calendar/cn.txt).
WorkCalendar SpringFestival2024() {
  auto cal = WorkCalendar::Parse(
      "workday 2024-02-04 春节调休\n"
      "holiday 2024-02-10..2024-02-17 春节\n"
      "workday 2024-02-18 春节调休\n");
  EXPECT_OK(cal);
  return cal.has_value() ? cal.value() : WorkCalendar::PlainWeeks();
}

TEST(TimeLimitPolicies, DefaultsCoverEveryTypeAndUrgency) {
  TimeLimitPolicies p = TimeLimitPolicies::Defaults();
  for (RequestType type : kAllRequestTypes) {
    for (Urgency urgency : kAllUrgencies) {
      TimeLimitPolicy policy = p.For(type, urgency);
      EXPECT_EQ(policy.type, type);
      EXPECT_EQ(policy.urgency, urgency);
      EXPECT_GT(policy.sign.amount, 0);
      EXPECT_GT(policy.reply.amount, 0);
    }
  }
  EXPECT_EQ(p.For(RequestType::kConsultation, Urgency::kNormal).reply, (TimeLimit{kWd, 2}));
  EXPECT_EQ(p.For(RequestType::kHelp, Urgency::kNormal).reply, (TimeLimit{kWd, 5}));
  EXPECT_EQ(p.For(RequestType::kComplaint, Urgency::kNormal).reply, (TimeLimit{kWd, 10}));
  EXPECT_EQ(p.For(RequestType::kReport, Urgency::kNormal).reply, (TimeLimit{kWd, 15}));
  EXPECT_EQ(p.For(RequestType::kSuggestion, Urgency::kNormal).reply, (TimeLimit{kWd, 15}));
  EXPECT_EQ(p.For(RequestType::kPraise, Urgency::kNormal).reply, (TimeLimit{kWd, 5}));
  EXPECT_EQ(p.For(RequestType::kComplaint, Urgency::kNormal).sign, (TimeLimit{kWh, 2}));
  EXPECT_EQ(p.For(RequestType::kComplaint, Urgency::kUrgent).sign, (TimeLimit{kWh, 1}));
  EXPECT_EQ(p.For(RequestType::kComplaint, Urgency::kUrgent).reply, (TimeLimit{kWd, 1}));
  EXPECT_EQ(p.For(RequestType::kHelp, Urgency::kCritical).sign, (TimeLimit{kH, 1}));
  EXPECT_EQ(p.For(RequestType::kHelp, Urgency::kCritical).reply, (TimeLimit{kH, 24}));
}

TEST(TimeLimitPolicies, ParseOverridesDefaultsAndRoundTrips) {
  auto p = TimeLimitPolicies::Parse(
      "# local rules\n"
      "complaint normal 4wh 15wd 2wd\n"
      "举报 紧急 1wh 2wd 0wd   # Chinese names work too\n");
  ASSERT_OK(p);
  EXPECT_EQ(
      p->For(RequestType::kComplaint, Urgency::kNormal),
      (TimeLimitPolicy{RequestType::kComplaint, Urgency::kNormal, {kWh, 4}, {kWd, 15}, {kWd, 2}}));
  EXPECT_EQ(p->For(RequestType::kReport, Urgency::kUrgent).reply, (TimeLimit{kWd, 2}));
  EXPECT_EQ(p->For(RequestType::kHelp, Urgency::kNormal),
            TimeLimitPolicies::Defaults().For(RequestType::kHelp, Urgency::kNormal));
  auto again = TimeLimitPolicies::Parse(p->Serialise());
  ASSERT_OK(again);
  EXPECT_EQ(*again, *p);
  auto defaults = TimeLimitPolicies::Parse(TimeLimitPolicies::Defaults().Serialise());
  ASSERT_OK(defaults);
  EXPECT_EQ(*defaults, TimeLimitPolicies::Defaults());
}

TEST(TimeLimitPolicies, ParseNamesTheLineOfEachError) {
  struct Bad {
    const char* text;
    const char* message;
  };
  const Bad cases[] = {
      {"complaint normal 2wh 10wd\n", "policy line 1: expected"},
      {"\ngripe normal 2wh 10wd 1wd\n", "policy line 2: unknown request type 'gripe'"},
      {"complaint soon 2wh 10wd 1wd\n", "policy line 1: unknown urgency 'soon'"},
      {"complaint normal 2wh 10days 1wd\n", "policy line 1: invalid time limit '10days'"},
      {"complaint normal 0wh 10wd 1wd\n", "policy line 1: time limits of 投诉/普通 must be"},
      {"complaint normal 2wh 10wd 1wd\n投诉 普通 2wh 10wd 1wd\n",
       "policy line 2: complaint normal is already given on line 1"},
  };
  for (const Bad& c : cases) {
    auto p = TimeLimitPolicies::Parse(c.text);
    ASSERT_THAT(p, HasErrorCode(ErrorCode::kInvalidArgument)) << c.text;
    EXPECT_THAT(p.error().message, HasSubstr(c.message)) << c.text;
  }
}

TEST(TimeLimitPolicies, SetRejectsZeroLimits) {
  TimeLimitPolicies p = TimeLimitPolicies::Defaults();
  TimeLimitPolicy policy{RequestType::kHelp, Urgency::kNormal, {kWh, 0}, {kWd, 5}, {kWd, 1}};
  EXPECT_THAT(p.Set(policy), HasErrorCode(ErrorCode::kInvalidArgument));
  policy.sign = {kWh, 3};
  EXPECT_OK(p.Set(policy));
  EXPECT_EQ(p.For(RequestType::kHelp, Urgency::kNormal).sign, (TimeLimit{kWh, 3}));
}

TEST(ComputeDeadlines, NormalComplaintAcrossSpringFestival2024) {
  WorkCalendar cal = SpringFestival2024();
  TimeLimitPolicy policy =
      TimeLimitPolicies::Defaults().For(RequestType::kComplaint, Urgency::kNormal);
  TicketDeadlines d = ComputeDeadlines(cal, policy, At("2024-02-08 10:00"));
  // Sign 2 wh: Thu 10:00-12:00.
  EXPECT_EQ(FormatLocal(d.sign_by), "2024-02-08T12:00:00+08:00");
  // Reply 10 wd from Thu 02-08 10:00: 02-09 (1), 02-18 调休 (2), 19..23 (3-7), 26, 27, 28 (10).
  EXPECT_EQ(FormatLocal(d.reply_by), "2024-02-28T10:00:00+08:00");
  // Remind 1 wd before: Tue 02-27 10:00.
  ASSERT_TRUE(d.remind_at.has_value());
  EXPECT_EQ(FormatLocal(*d.remind_at), "2024-02-27T10:00:00+08:00");
}

TEST(ComputeDeadlines, UrgentAndCritical) {
  WorkCalendar cal = SpringFestival2024();
  TimeLimitPolicies p = TimeLimitPolicies::Defaults();
  TicketDeadlines urgent =
      ComputeDeadlines(cal, p.For(RequestType::kHelp, Urgency::kUrgent), At("2024-02-08 10:00"));
  EXPECT_EQ(FormatLocal(urgent.sign_by), "2024-02-08T11:00:00+08:00");
  EXPECT_EQ(FormatLocal(urgent.reply_by), "2024-02-09T10:00:00+08:00");
  // 2 wh before Fri 10:00: Fri 08:30-10:00 (1.5 h) and Thu 17:00-17:30.
  EXPECT_EQ(FormatLocal(*urgent.remind_at), "2024-02-08T17:00:00+08:00");
  // 特急 runs day and night, holidays included.
  TicketDeadlines critical =
      ComputeDeadlines(cal, p.For(RequestType::kHelp, Urgency::kCritical), At("2024-02-10 22:00"));
  EXPECT_EQ(FormatLocal(critical.sign_by), "2024-02-10T23:00:00+08:00");
  EXPECT_EQ(FormatLocal(critical.reply_by), "2024-02-11T22:00:00+08:00");
  EXPECT_EQ(FormatLocal(*critical.remind_at), "2024-02-11T18:00:00+08:00");
}

TEST(ComputeDeadlines, ReminderNeverBeforeDispatchAndOptional) {
  WorkCalendar cal = WorkCalendar::PlainWeeks();
  TimeLimitPolicy policy{RequestType::kHelp, Urgency::kNormal, {kWh, 2}, {kWd, 1}, {kWd, 3}};
  TicketDeadlines d = ComputeDeadlines(cal, policy, At("2024-03-04 10:00"));
  EXPECT_EQ(d.remind_at, At("2024-03-04 10:00"));
  policy.remind_before_reply = {kWd, 0};
  EXPECT_FALSE(ComputeDeadlines(cal, policy, At("2024-03-04 10:00")).remind_at.has_value());
}

TEST(ExtendForPause, MovesTheDeadlineByTheSuspendedWorkingTime) {
  WorkCalendar cal = SpringFestival2024();
  Instant deadline = At("2024-02-28 10:00");
  // Suspended Mon 02-19 10:00 .. Wed 02-21 10:00 = 2 wd: 7 wd were left at the pause, so the
  // clock restarts Wed 10:00 with 7 wd: 22, 23, 26, 27, 28, 29, Fri 03-01 10:00.
  EXPECT_EQ(FormatLocal(
                ExtendForPause(cal, deadline, At("2024-02-19 10:00"), At("2024-02-21 10:00"), kWd)),
            "2024-03-01T10:00:00+08:00");
  // A suspension that covers only rest days costs nothing.
  Instant d2 = At("2024-02-19 10:00");
  EXPECT_EQ(ExtendForPause(cal, d2, At("2024-02-10 09:00"), At("2024-02-17 18:00"), kWd), d2);
  // Office hours: deadline Sun 02-18 09:00; paused Fri 02-09 16:00 with 2 wh left (1.5 h Fri +
  // 0.5 h Sun); resumed Sun 02-18 09:00 -> 2 h from then: 11:00.
  EXPECT_EQ(FormatLocal(ExtendForPause(cal, At("2024-02-18 09:00"), At("2024-02-09 16:00"),
                                       At("2024-02-18 09:00"), kWh)),
            "2024-02-18T11:00:00+08:00");
  // Natural hours: the deadline moves by the wall-clock length of the pause.
  EXPECT_EQ(ExtendForPause(cal, At("2024-02-10 12:00"), At("2024-02-10 08:00"),
                           At("2024-02-10 11:00"), kH),
            At("2024-02-10 15:00"));
}

TEST(ExtendForPause, EdgeCasesLeaveTheDeadline) {
  WorkCalendar cal = SpringFestival2024();
  Instant deadline = At("2024-02-20 10:00");
  // Already overdue when suspended.
  EXPECT_EQ(ExtendForPause(cal, deadline, At("2024-02-21 10:00"), At("2024-02-23 10:00"), kWd),
            deadline);
  // Empty or reversed suspension.
  EXPECT_EQ(ExtendForPause(cal, deadline, At("2024-02-19 10:00"), At("2024-02-19 10:00"), kWd),
            deadline);
  EXPECT_EQ(ExtendForPause(cal, deadline, At("2024-02-19 10:00"), At("2024-02-18 10:00"), kWd),
            deadline);
  // A deadline set in off hours with no working time left: resuming soon never pulls it in.
  Instant evening = At("2024-02-19 20:00");
  EXPECT_EQ(ExtendForPause(cal, evening, At("2024-02-19 18:00"), At("2024-02-19 19:00"), kWh),
            evening);
}

TEST(Remaining, CountsWorkingTimeAndZeroWhenOverdue) {
  WorkCalendar cal = SpringFestival2024();
  EXPECT_EQ(Remaining(cal, At("2024-02-19 10:00"), At("2024-02-09 10:00"), kWd), hours{48});
  EXPECT_EQ(Remaining(cal, At("2024-02-19 10:00"), At("2024-02-20 10:00"), kWd), hours{0});
}

}  // namespace
}  // namespace hotline::domain
