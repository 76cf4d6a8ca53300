// The telephony routes through real HTTP on an ephemeral port, against a real SQLite store:
// CDR ingestion by the telephony system's API key (idempotent by call id, out-of-order
// resends, all-or-nothing batches, bad input naming the field), the call KPIs worked out by
// hand, seats on duty, drill-down and roles.
#include "adapters/http/telephony_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "adapters/http/api.h"
#include "adapters/http/kpi_api.h"
#include "testing/api_fixture.h"
#include "testing/http_client.h"
#include "testing/matchers.h"

namespace hotline::adapters::http {
namespace {

using nlohmann::json;

using hotline::testing::Call;
using hotline::testing::Reply;

Instant At(const char* local) { return *ParseInstant(local); }

class TelephonyApiTest : public hotline::testing::ApiFixture {
 protected:
  TelephonyApiTest() {
    clock_.Set(At("2024-10-14 18:00:00"));
    save_routing_ = false;
    server_options_.threads = 2;
  }
  void AddModules(Api& api) override {
    api.AddModule(std::make_shared<TelephonyApi>(*store_));
    api.AddModule(std::make_shared<KpiApi>(*service_, *store_));
  }
  // The telephony system's API key, created by the admin for the system user.
  std::vector<std::string> SystemKey() {
    Reply created = Call(port_, "POST", "/api/v1/admin/api-keys",
                         json{{"name", "话务系统"}, {"login", "system"}}.dump(), As("admin"));
    EXPECT_EQ(created.status, 201) << created.body;
    return {"X-API-Key: " + created.Json().value("key", "")};
  }
  static json Answered(const std::string& id, const std::string& hm, int wait, int talk) {
    std::string base = "2024-10-14T" + hm;
    Instant off = At(base.c_str());
    return {{"call_id", id},
            {"caller", "13812345678"},
            {"queue", "综合"},
            {"offered_at", FormatLocal(off)},
            {"answered_at", FormatLocal(off + std::chrono::seconds(wait))},
            {"ended_at", FormatLocal(off + std::chrono::seconds(wait + talk))},
            {"agent", "op"},
            {"ticket", "SM20241014000001"},
            {"channel", "12345"}};
  }
  static json Abandoned(const std::string& id, const std::string& hm, int after) {
    std::string base = "2024-10-14T" + hm;
    Instant off = At(base.c_str());
    return {{"call_id", id},
            {"caller", "13900001111"},
            {"offered_at", FormatLocal(off)},
            {"ended_at", FormatLocal(off + std::chrono::seconds(after))},
            {"abandoned", true}};
  }
};

TEST_F(TelephonyApiTest, SystemKeyPostsCallsIdempotentlyByCallId) {
  auto key = SystemKey();
  json call = Answered("C1", "09:00:00", 10, 100);
  Reply first = Call(port_, "POST", "/api/v1/telephony/calls", call.dump(), key);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.Json(), (json{{"inserted", 1}, {"updated", 0}, {"unchanged", 0}}));
  Reply again = Call(port_, "POST", "/api/v1/telephony/calls", call.dump(), key);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Json()["unchanged"], 1);

  // The start of a call, then its end: one call, updated.
  json start{{"call_id", "C2"}, {"offered_at", "2024-10-14T09:05:00+08:00"}};
  ASSERT_EQ(Call(port_, "POST", "/api/v1/telephony/calls", start.dump(), key).status, 201);
  json end = Answered("C2", "09:05:00", 20, 40);
  Reply upd = Call(port_, "POST", "/api/v1/telephony/calls", json{{"calls", {end}}}.dump(), key);
  ASSERT_EQ(upd.status, 200) << upd.body;
  EXPECT_EQ(upd.Json()["updated"], 1);
  // The start arriving again after the end (out of order) is ignored.
  Reply stale = Call(port_, "POST", "/api/v1/telephony/calls", start.dump(), key);
  EXPECT_EQ(stale.Json()["unchanged"], 1) << stale.body;

  Reply list =
      Call(port_, "GET", "/api/v1/telephony/calls?from=2024-10-14&to=2024-10-14", "", As("disp"));
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.Json()["calls"].size(), 2u);
  json c2 = list.Json()["calls"][1];
  EXPECT_EQ(c2["call_id"], "C2");
  EXPECT_EQ(c2["talk_seconds"], 40);  // from answered_at and ended_at when not sent
  EXPECT_EQ(c2["caller"], "13812345678");
}

TEST_F(TelephonyApiTest, BadInputNamesTheFieldAndABatchIsAllOrNothing) {
  auto key = SystemKey();
  json bad = Answered("C9", "09:00:00", 10, 100);
  bad["answered_at"] = "2024-10-14T08:00:00+08:00";
  Reply r = Call(port_, "POST", "/api/v1/telephony/calls",
                 json{{"calls", {Answered("C8", "09:00:00", 5, 5), bad}}}.dump(), key);
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.Json()["error"]["code"], "invalid_argument");
  EXPECT_NE(r.Json()["error"]["message"].get<std::string>().find("calls[1].answered_at"),
            std::string::npos)
      << r.body;
  // Nothing was written, not even the valid first record.
  Reply k =
      Call(port_, "GET", "/api/v1/telephony/kpi?from=2024-10-14&to=2024-10-14", "", As("boss"));
  ASSERT_EQ(k.status, 200) << k.body;
  EXPECT_EQ(Kpi(k.Json()["kpis"], "calls_offered")["value"], 0);

  auto message = [&](const json& body) {
    Reply x = Call(port_, "POST", "/api/v1/telephony/calls", body.dump(), key);
    EXPECT_EQ(x.status, 400) << x.body;
    return x.Json()["error"]["message"].get<std::string>();
  };
  json unknown = Answered("C7", "09:00:00", 5, 5);
  unknown["colour"] = "red";
  EXPECT_NE(message(unknown).find("colour"), std::string::npos);
  EXPECT_NE(message(json{{"call_id", "C6"}}).find("offered_at"), std::string::npos);
  json bad_time{{"call_id", "C5"}, {"offered_at", "yesterday"}};
  EXPECT_NE(message(bad_time).find("offered_at"), std::string::npos);
  json both = Answered("C4", "09:00:00", 5, 5);
  both["abandoned"] = true;
  EXPECT_NE(message(both).find("abandoned"), std::string::npos);
  json dup{{"calls", {Answered("C3", "09:00:00", 5, 5), Answered("C3", "09:00:00", 5, 5)}}};
  EXPECT_NE(message(dup).find("calls[1].call_id"), std::string::npos);
  EXPECT_NE(message(json{{"calls", json::array()}}).find("calls"), std::string::npos);
  Reply notjson = Call(port_, "POST", "/api/v1/telephony/calls", "{oops", key);
  EXPECT_EQ(notjson.status, 400);
  Reply state =
      Call(port_, "POST", "/api/v1/telephony/agent-states",
           json{{"agent", "op"}, {"state", "napping"}, {"at", "2024-10-14 09:00"}}.dump(), key);
  EXPECT_EQ(state.status, 400);
  EXPECT_NE(state.body.find("state"), std::string::npos);
}

TEST_F(TelephonyApiTest, KpisSeatsAndOccupancyWorkedOutByHand) {
  auto key = SystemKey();
  json calls{{"calls",
              {Answered("A", "09:00:00", 10, 100),  // in 15 s
               Answered("B", "09:10:00", 15, 60),   // in 15 s (exactly)
               Answered("C", "09:20:00", 40, 20),   // late
               Abandoned("D", "09:30:00", 3),       // short abandon
               Abandoned("E", "09:40:00", 30)}}};   // counts against the rate
  Reply put = Call(port_, "POST", "/api/v1/telephony/calls", calls.dump(), key);
  ASSERT_EQ(put.status, 201) << put.body;
  EXPECT_EQ(put.Json()["inserted"], 5);
  json states{{"states",
               {{{"agent", "op"}, {"state", "ready"}, {"at", "2024-10-14T09:00:00+08:00"}},
                {{"agent", "op"}, {"state", "busy"}, {"at", "2024-10-14T09:30:00+08:00"}},
                {{"agent", "op"}, {"state", "logged_out"}, {"at", "2024-10-14T10:00:00+08:00"}},
                {{"agent", "op2"}, {"state", "logged_in"}, {"at", "2024-10-14T09:40:00+08:00"}},
                {{"agent", "op2"}, {"state", "logged_out"}, {"at", "2024-10-14T10:10:00+08:00"}}}}};
  Reply ps = Call(port_, "POST", "/api/v1/telephony/agent-states", states.dump(), key);
  ASSERT_EQ(ps.status, 201) << ps.body;
  EXPECT_EQ(
      Call(port_, "POST", "/api/v1/telephony/agent-states", states.dump(), key).Json()["unchanged"],
      5);

  Reply r =
      Call(port_, "GET", "/api/v1/telephony/kpi?from=2024-10-14&to=2024-10-14", "", As("boss"));
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.Json();
  // 有效接通率 = 3 answered / (5 offered − 1 short abandon) = 75 %
  json eff = Kpi(j["kpis"], "effective_connection_rate");
  EXPECT_EQ(eff["name"], "有效接通率");
  EXPECT_EQ(eff["numerator"], 3);
  EXPECT_EQ(eff["denominator"], 4);
  EXPECT_EQ(eff["value"], 75.0);
  // 15秒接通率 = 2 / 3 answered
  json s15 = Kpi(j["kpis"], "answer_15s_rate");
  EXPECT_EQ(s15["numerator"], 2);
  EXPECT_EQ(s15["denominator"], 3);
  EXPECT_EQ(s15["value"], 66.67);
  EXPECT_EQ(Kpi(j["kpis"], "avg_talk_seconds")["value"], 60.0);  // (100 + 60 + 20) / 3
  EXPECT_EQ(Kpi(j["kpis"], "calls_abandoned")["value"], 2);
  // 48 half hours; 09:00 → op; 09:30 → op and op2; 10:00 → op2 (until 10:10).
  ASSERT_EQ(j["seats"].size(), 48u);
  EXPECT_EQ(j["seats"][18]["interval"], "2024-10-14T09:00:00+08:00");
  EXPECT_EQ(j["seats"][18]["agents"], 1);
  EXPECT_EQ(j["seats"][19]["agents"], 2);
  EXPECT_EQ(j["seats"][20]["agents"], 1);
  EXPECT_EQ(j["seats"][21]["agents"], 0);
  // op: 30 min ready, 30 min busy → 50 %.
  ASSERT_GE(j["agents"].size(), 1u);
  EXPECT_EQ(j["agents"][0]["agent"], "op");
  EXPECT_EQ(j["agents"][0]["occupancy"], 50.0);

  // One agent's figures.
  Reply a = Call(port_, "GET", "/api/v1/telephony/kpi?from=2024-10-14&to=2024-10-14&agent=op", "",
                 As("sup"));
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(Kpi(a.Json()["kpis"], "calls_offered")["value"], 3);

  // Drill-down pages by cursor; a leader sees the caller masked.
  Reply p1 = Call(port_, "GET", "/api/v1/telephony/calls?from=2024-10-14&to=2024-10-14&limit=3", "",
                  As("boss"));
  ASSERT_EQ(p1.status, 200) << p1.body;
  ASSERT_EQ(p1.Json()["calls"].size(), 3u);
  EXPECT_EQ(p1.Json()["calls"][0]["caller"], "138****5678");
  int64_t next = p1.Json()["next_after"];
  Reply p2 = Call(
      port_, "GET",
      "/api/v1/telephony/calls?from=2024-10-14&to=2024-10-14&limit=3&after=" + std::to_string(next),
      "", As("boss"));
  EXPECT_EQ(p2.Json()["calls"].size(), 2u);
  EXPECT_EQ(p2.Json()["next_after"], nullptr);
  EXPECT_EQ(Call(port_, "GET", "/api/v1/telephony/calls?from=2024-13-01", "", As("boss")).status,
            400);
}

TEST_F(TelephonyApiTest, CentreWideKpiDashboardHasTheCallKpis) {
  auto key = SystemKey();
  json calls{{"calls", {Answered("A", "09:00:00", 10, 100), Abandoned("B", "09:30:00", 30)}}};
  ASSERT_EQ(Call(port_, "POST", "/api/v1/telephony/calls", calls.dump(), key).status, 201);
  Reply r = Call(port_, "GET", "/api/v1/kpi?from=2024-10-01&to=2024-10-31", "", As("boss"));
  ASSERT_EQ(r.status, 200) << r.body;
  json eff = Kpi(r.Json()["kpis"], "effective_connection_rate");
  EXPECT_EQ(eff["numerator"], 1);
  EXPECT_EQ(eff["denominator"], 2);
  EXPECT_EQ(eff["value"], 50.0);
  EXPECT_FALSE(Kpi(r.Json()["kpis"], "received").is_null()) << "the ticket KPIs are still there";
  // Calls belong to no unit: a unit's dashboard, or one filtered by region, has none.
  Reply unit = Call(port_, "GET", "/api/v1/kpi?from=2024-10-01&to=2024-10-31", "", As("housing"));
  ASSERT_EQ(unit.status, 200) << unit.body;
  EXPECT_TRUE(Kpi(unit.Json()["kpis"], "effective_connection_rate").is_null());
  Reply region =
      Call(port_, "GET", "/api/v1/kpi?from=2024-10-01&to=2024-10-31&region=1", "", As("boss"));
  EXPECT_TRUE(Kpi(region.Json()["kpis"], "effective_connection_rate").is_null());
}

TEST_F(TelephonyApiTest, Roles) {
  json call = Answered("C1", "09:00:00", 10, 100);
  // Only the telephony system (or an admin) sends records.
  EXPECT_EQ(Call(port_, "POST", "/api/v1/telephony/calls", call.dump(), As("op")).status, 403);
  EXPECT_EQ(Call(port_, "POST", "/api/v1/telephony/calls", call.dump(), As("boss")).status, 403);
  EXPECT_EQ(Call(port_, "POST", "/api/v1/telephony/calls", call.dump(), As("admin")).status, 201);
  EXPECT_EQ(Call(port_, "POST", "/api/v1/telephony/calls", call.dump()).status, 401);
  // Centre roles read; units and operators do not.
  for (const char* who : {"boss", "sup", "qa", "admin", "disp"}) {
    EXPECT_EQ(Call(port_, "GET", "/api/v1/telephony/kpi", "", As(who)).status, 200) << who;
  }
  for (const char* who : {"housing", "hub", "town", "op"}) {
    EXPECT_EQ(Call(port_, "GET", "/api/v1/telephony/kpi", "", As(who)).status, 403) << who;
    EXPECT_EQ(Call(port_, "GET", "/api/v1/telephony/calls", "", As(who)).status, 403) << who;
  }
  // The routes are documented.
  bool found = false;
  for (const auto& r : api_->AllRoutes()) {
    found = found || std::string(r.path) == "/api/v1/telephony/kpi";
  }
  EXPECT_TRUE(found);
}

// One route table serves and documents the routes: each documented route is answered, and
// a method the table does not list is not.
TEST_F(TelephonyApiTest, EveryDocumentedRouteIsServed) {
  ExpectRoutesServed(TelephonyApi(*store_).Routes(), "admin");
  ExpectError(Req("admin", "DELETE", "/api/v1/telephony/calls"), 404, "not_found");
  ExpectError(Req("admin", "POST", "/api/v1/telephony/kpi", "{}"), 404, "not_found");
}

}  // namespace
}  // namespace hotline::adapters::http
