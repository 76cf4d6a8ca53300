// Call KPIs on hand-built call lists; each expected value is worked out in the comments.
#include "domain/kpi/calls.h"

#include <gtest/gtest.h>

namespace hotline::domain::kpi {
namespace {

Instant At(const char* local) { return *ParseInstant(local); }

CallRecord Answered(const char* id, const char* offered, const char* answered, const char* ended,
                    int64_t talk) {
  CallRecord r;
  r.call_id = id;
  r.offered_at = At(offered);
  r.answered_at = At(answered);
  r.ended_at = At(ended);
  r.agent = "op";
  r.talk_seconds = talk;
  return r;
}

CallRecord Abandoned(const char* id, const char* offered, const char* ended) {
  CallRecord r;
  r.call_id = id;
  r.offered_at = At(offered);
  r.abandoned = true;
  r.ended_at = At(ended);
  return r;
}

const KpiValue& Get(const std::vector<KpiValue>& v, const std::string& id) {
  for (const auto& k : v) {
    if (k.id == id) {
      return k;
    }
  }
  static KpiValue none;
  ADD_FAILURE() << "no kpi " << id;
  return none;
}

TEST(CallKpis, WorkedExample) {
  std::vector<CallRecord> calls = {
      // waits 10 s (in target), talk 100 s
      Answered("a", "2024-10-14 09:00:00", "2024-10-14 09:00:10", "2024-10-14 09:01:50", 100),
      // waits exactly 15 s (in target: "within 15 s" includes 15), talk 60 s
      Answered("b", "2024-10-14 09:10:00", "2024-10-14 09:10:15", "2024-10-14 09:11:15", 60),
      // waits 40 s (late), talk 20 s
      Answered("c", "2024-10-14 09:20:00", "2024-10-14 09:20:40", "2024-10-14 09:21:00", 20),
      // abandoned after 3 s: short, excluded from the effective connection rate
      Abandoned("d", "2024-10-14 09:30:00", "2024-10-14 09:30:03"),
      // abandoned after exactly 5 s: still short
      Abandoned("e", "2024-10-14 09:31:00", "2024-10-14 09:31:05"),
      // abandoned after 30 s: counts against the rate
      Abandoned("f", "2024-10-14 09:40:00", "2024-10-14 09:40:30"),
  };
  // Offered but never answered or abandoned (e.g. still ringing): offered, not answered.
  CallRecord g;
  g.call_id = "g";
  g.offered_at = At("2024-10-14 09:50:00");
  calls.push_back(g);

  CallSums s = Sum(calls);
  EXPECT_EQ(s.offered, 7);
  EXPECT_EQ(s.answered, 3);
  EXPECT_EQ(s.abandoned, 3);
  EXPECT_EQ(s.short_abandoned, 2);
  EXPECT_EQ(s.answered_in_target, 2);
  EXPECT_EQ(s.talk_seconds, 180);
  EXPECT_EQ(s.wait_seconds, 65);

  auto k = CallKpis(s);
  // 有效接通率 = answered / (offered − short abandons) = 3 / (7 − 2) = 60 %
  EXPECT_EQ(Get(k, "effective_connection_rate").numerator, 3);
  EXPECT_EQ(Get(k, "effective_connection_rate").denominator, 5);
  EXPECT_DOUBLE_EQ(Get(k, "effective_connection_rate").value, 60.0);
  // 15秒接通率 = answered within 15 s / answered = 2 / 3
  EXPECT_EQ(Get(k, "answer_15s_rate").denominator, 3);
  EXPECT_NEAR(Get(k, "answer_15s_rate").value, 66.667, 0.001);
  // 呼损率 = abandoned / offered = 3 / 7
  EXPECT_NEAR(Get(k, "abandon_rate").value, 42.857, 0.001);
  // averages over answered calls: talk 180 / 3 = 60 s, wait 65 / 3 s
  EXPECT_DOUBLE_EQ(Get(k, "avg_talk_seconds").value, 60.0);
  EXPECT_NEAR(Get(k, "avg_wait_seconds").value, 21.667, 0.001);
  EXPECT_EQ(Get(k, "calls_offered").denominator, std::nullopt);
  EXPECT_DOUBLE_EQ(Get(k, "calls_offered").value, 7);
}

TEST(CallKpis, EmptyPeriodShowsZeroNotNan) {
  auto k = CallKpis(CallSums{});
  EXPECT_EQ(Get(k, "effective_connection_rate").value, 0);
  EXPECT_EQ(Get(k, "avg_talk_seconds").value, 0);
}

TEST(CallKpis, AbandonWithoutEndTimeIsNotShort) {
  CallRecord r;
  r.call_id = "x";
  r.offered_at = At("2024-10-14 09:00:00");
  r.abandoned = true;
  EXPECT_EQ(Contribution(r).abandoned, 1);
  EXPECT_EQ(Contribution(r).short_abandoned, 0);
}

TEST(CallRecords, StageOrdersUpdates) {
  CallRecord r;
  r.call_id = "x";
  r.offered_at = At("2024-10-14 09:00:00");
  EXPECT_EQ(Stage(r), 0);
  r.answered_at = At("2024-10-14 09:00:05");
  EXPECT_EQ(Stage(r), 1);
  r.ended_at = At("2024-10-14 09:01:05");
  EXPECT_EQ(Stage(r), 2);
}

TEST(CallRecords, ValidationNamesTheField) {
  CallRecord ok =
      Answered("a", "2024-10-14 09:00:00", "2024-10-14 09:00:10", "2024-10-14 09:01:50", 100);
  EXPECT_TRUE(Validate(ok).has_value());
  auto field = [](CallRecord r) {
    Status st = Validate(r);
    return st.has_value() ? std::string()
                          : st.error().message.substr(0, st.error().message.find(':'));
  };
  CallRecord r = ok;
  r.call_id = "";
  EXPECT_EQ(field(r), "call_id");
  r = ok;
  r.answered_at = At("2024-10-14 08:59:00");
  EXPECT_EQ(field(r), "answered_at");
  r = ok;
  r.abandoned = true;
  EXPECT_EQ(field(r), "abandoned");
  r = ok;
  r.talk_seconds = 101;
  EXPECT_EQ(field(r), "talk_seconds");
  r = ok;
  r.caller = "1380abc";
  EXPECT_EQ(field(r), "caller");
  r = ok;
  r.ended_at = At("2024-10-14 09:00:05");
  EXPECT_EQ(field(r), "ended_at");
  r = ok;
  r.queue = std::string("\xff\xfe");
  EXPECT_EQ(field(r), "queue");
}

AgentStateChange S(const char* agent, AgentState st, const char* at) { return {agent, st, At(at)}; }

TEST(Seats, AgentsLoggedInPerHalfHour) {
  using A = AgentState;
  std::vector<AgentStateChange> ch = {
      // a: logged in before the period, logs out at 09:10
      S("a", A::kReady, "2024-10-14 07:00:00"),
      S("a", A::kLoggedOut, "2024-10-14 09:10:00"),
      // b: logs in at 09:45, busy, still on at the end
      S("b", A::kLoggedIn, "2024-10-14 09:45:00"),
      S("b", A::kBusy, "2024-10-14 09:50:00"),
      // c: logged out before the period and never back
      S("c", A::kLoggedOut, "2024-10-14 08:00:00"),
  };
  auto seats = SeatsOnDuty(ch, At("2024-10-14 09:00:00"), At("2024-10-14 10:30:00"));
  ASSERT_EQ(seats.size(), 3u);
  EXPECT_EQ(seats[0].start, At("2024-10-14 09:00:00"));
  EXPECT_EQ(seats[0].agents, 1);  // a (until 09:10)
  EXPECT_EQ(seats[1].agents, 1);  // b from 09:45
  EXPECT_EQ(seats[2].agents, 1);  // b
}

TEST(Seats, OccupancyIsHandlingOverReadyPlusHandling) {
  using A = AgentState;
  std::vector<AgentStateChange> ch = {
      S("a", A::kLoggedIn, "2024-10-14 09:00:00"),       // 10 min not ready: not in occupancy
      S("a", A::kReady, "2024-10-14 09:10:00"),          // 20 min ready
      S("a", A::kBusy, "2024-10-14 09:30:00"),           // 20 min busy
      S("a", A::kAfterCallWork, "2024-10-14 09:50:00"),  // 10 min ACW
      S("a", A::kLoggedOut, "2024-10-14 10:00:00"),
  };
  auto occ = Occupancy(ch, At("2024-10-14 00:00:00"), At("2024-10-15 00:00:00"));
  ASSERT_EQ(occ.size(), 1u);
  EXPECT_EQ(occ[0].logged_in_seconds, 3600);
  EXPECT_EQ(occ[0].ready_seconds, 1200);
  EXPECT_EQ(occ[0].handling_seconds, 1800);
  EXPECT_DOUBLE_EQ(occ[0].occupancy, 60.0);  // 30 / (20 + 30)
}

TEST(AgentStates, Codes) {
  EXPECT_EQ(ParseAgentState("after_call_work"), AgentState::kAfterCallWork);
  EXPECT_EQ(ParseAgentState("away"), std::nullopt);
  EXPECT_EQ(Code(AgentState::kLoggedOut), "logged_out");
}

}  // namespace
}  // namespace hotline::domain::kpi
