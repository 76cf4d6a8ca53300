// The KPI routes through real HTTP on an ephemeral port, against a real SQLite store:
// the dashboard's shape, numerators and denominators, drill-down and data scope by role.
#include "adapters/http/kpi_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "adapters/http/api.h"
#include "testing/api_fixture.h"
#include "testing/http_client.h"
#include "testing/matchers.h"

namespace hotline::adapters::http {
namespace {

using domain::Action;
using hotline::testing::Call;
using hotline::testing::Reply;
using nlohmann::json;

Instant At(const char* local) { return *ParseInstant(local); }

class KpiApiTest : public hotline::testing::ApiFixture {
 protected:
  KpiApiTest() {
    clock_.Set(At("2024-10-14 08:00:00"));
    save_routing_ = false;
    server_options_.threads = 2;
  }
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(ApiFixture::SetUp());
    Seed();
  }
  void AddModules(Api& api) override {
    api.AddModule(std::make_shared<KpiApi>(*service_, *store_));
  }
  void Do(const char* login, const std::string& n, Action a, domain::Fields f, const char* at) {
    clock_.Set(At(at));
    ASSERT_OK(service_->Act(city_->Act(login), n, {a, std::move(f)}));
  }
  std::string Register(const char* region, const char* at) {
    clock_.Set(At(at));
    auto t = service_->Register(city_->Act("op"),
                                {{"type", "投诉"}, {"content", "噪音"}, {"region", region}});
    EXPECT_OK(t);
    return t->number;
  }
  // Two complaints on Mon 2024-10-14: one in the street (county) handled on time by the
  // township and satisfied; one in the city handled by housing, replied late, unsatisfied.
  void Seed() {
    std::string a = Register("3", "2024-10-14 08:30:00");
    Do("disp", a, Action::kDispatch, {{"lead_unit", "5"}}, "2024-10-14 09:00:00");
    Do("town", a, Action::kSign, {}, "2024-10-14 10:00:00");
    Do("town", a, Action::kReply, {{"reply", "已处理"}}, "2024-10-15 09:00:00");
    Do("disp", a, Action::kReviewPass, {}, "2024-10-15 10:00:00");
    Do("cb", a, Action::kCallback, {{"reached", "1"}, {"resolved", "1"}, {"satisfaction", "满意"}},
       "2024-10-15 11:00:00");
    std::string b = Register("1", "2024-10-14 08:40:00");
    Do("disp", b, Action::kDispatch, {{"lead_unit", "2"}}, "2024-10-14 09:00:00");
    Do("housing", b, Action::kSign, {}, "2024-10-14 09:30:00");
    Do("housing", b, Action::kReply, {{"reply", "已处理"}}, "2024-10-29 09:00:00");
    Do("disp", b, Action::kReviewPass, {}, "2024-10-29 10:00:00");
    Do("cb", b, Action::kCallback,
       {{"reached", "1"}, {"resolved", "0"}, {"satisfaction", "不满意"}}, "2024-10-29 11:00:00");
    late_ = b;
  }

  std::string late_;
};

TEST_F(KpiApiTest, DashboardHasEveryKpiWithNumeratorAndDenominatorAndBreakdowns) {
  Reply r = Get("boss", "/api/v1/kpi?from=2024-10-01&to=2024-10-31");
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.Json();
  json k = Kpi(j["kpis"], "received");
  EXPECT_EQ(k["value"], 2);
  EXPECT_EQ(k["denominator"], nullptr);
  EXPECT_EQ(k["name"], "登记量");
  json done = Kpi(j["kpis"], "on_time_completion_rate");
  EXPECT_EQ(done["numerator"], 1);
  EXPECT_EQ(done["denominator"], 2);
  EXPECT_EQ(done["value"], 50.0);
  EXPECT_EQ(done["unit"], "%");
  json sat = Kpi(j["kpis"], "satisfaction_rate");
  EXPECT_EQ(sat["numerator"], 1);
  EXPECT_EQ(sat["denominator"], 2);
  for (const char* key : {"by_region", "by_unit", "by_category", "trend"}) {
    ASSERT_TRUE(j[key].is_array()) << key;
    EXPECT_FALSE(j[key].empty()) << key;
  }
  EXPECT_EQ(j["trend"][0]["date"], "2024-10-14");
  EXPECT_EQ(j["trend_granularity"], "day");
  // A year: the trend is monthly (read from the roll-ups) and the totals are the same.
  Reply y = Get("boss", "/api/v1/kpi?from=2024-01-01&to=2024-12-31");
  ASSERT_EQ(y.status, 200) << y.body;
  json yj = y.Json();
  EXPECT_EQ(yj["trend_granularity"], "month");
  ASSERT_EQ(yj["trend"].size(), 1u) << yj["trend"].dump();
  EXPECT_EQ(yj["trend"][0]["date"], "2024-10");
  EXPECT_EQ(Kpi(yj["kpis"], "received")["value"], 2);
  EXPECT_EQ(Kpi(yj["kpis"], "on_time_completion_rate")["denominator"], 2);
  bool county = false;
  for (const auto& row : j["by_region"]) {
    if (row["name"] == "三元区") {
      county = true;
      EXPECT_EQ(Kpi(row["kpis"], "received")["value"], 1);
    }
  }
  EXPECT_TRUE(county) << j["by_region"].dump();
  // A narrower period: only the 14th.
  r = Get("boss", "/api/v1/kpi?from=2024-10-14&to=2024-10-14&type=投诉");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Kpi(r.Json()["kpis"], "replied")["value"], 0);
  EXPECT_EQ(Kpi(r.Json()["kpis"], "dispatched")["value"], 2);
}

TEST_F(KpiApiTest, DrillDownListsTheTicketsBehindANumber) {
  Reply r = Get("boss", "/api/v1/kpi/overdue_replies/tickets?from=2024-10-01&to=2024-10-31");
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.Json();
  ASSERT_EQ(j["tickets"].size(), 1u);
  EXPECT_EQ(j["tickets"][0]["number"], late_);
  EXPECT_EQ(j["next_after"], nullptr);
  r = Get("boss", "/api/v1/kpi/received/tickets?from=2024-10-01&to=2024-10-31&limit=1");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["tickets"].size(), 1u);
  EXPECT_NE(r.Json()["next_after"], nullptr);
  EXPECT_EQ(Get("boss", "/api/v1/kpi/nope/tickets?from=2024-10-01&to=2024-10-31").status, 404);
}

TEST_F(KpiApiTest, DataScopeByRole) {
  // The township sees its own numbers only: one reply, on time.
  Reply r = Get("town", "/api/v1/kpi?from=2024-10-01&to=2024-10-31");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Kpi(r.Json()["kpis"], "replied")["value"], 1);
  EXPECT_EQ(Kpi(r.Json()["kpis"], "on_time_completion_rate")["value"], 100.0);
  EXPECT_EQ(Get("town", "/api/v1/kpi?from=2024-10-01&to=2024-10-31&unit=2").status, 403);
  // The county platform sees its county: the street's ticket, not the city's.
  r = Get("hub", "/api/v1/kpi?from=2024-10-01&to=2024-10-31");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Kpi(r.Json()["kpis"], "received")["value"], 1);
  EXPECT_EQ(Get("hub", "/api/v1/kpi?from=2024-10-01&to=2024-10-31&region=1").status, 403);
  for (const char* login : {"boss", "qa", "sup", "admin", "disp"}) {
    r = Get(login, "/api/v1/kpi?from=2024-10-01&to=2024-10-31");
    EXPECT_EQ(r.status, 200) << login;
    EXPECT_EQ(Kpi(r.Json()["kpis"], "received")["value"], 2) << login;
  }
  EXPECT_EQ(Get("op", "/api/v1/kpi?from=2024-10-01&to=2024-10-31").status, 403);
  EXPECT_EQ(Call(port_, "GET", "/api/v1/kpi?from=2024-10-01&to=2024-10-31").status, 401);
}

TEST_F(KpiApiTest, BadParametersAre400) {
  EXPECT_EQ(Get("boss", "/api/v1/kpi?from=2024-13-01&to=2024-10-31").status, 400);
  EXPECT_EQ(Get("boss", "/api/v1/kpi?from=2024-10-31&to=2024-10-01").status, 400);
  EXPECT_EQ(Get("boss", "/api/v1/kpi?from=2024-10-01&to=2024-10-31&unit=x").status, 400);
  EXPECT_EQ(Get("boss", "/api/v1/kpi?from=2024-10-01&to=2024-10-31&type=nope").status, 400);
  EXPECT_EQ(
      Get("boss", "/api/v1/kpi/received/tickets?from=2024-10-01&to=2024-10-31&limit=0").status,
      400);
}

TEST_F(KpiApiTest, RoutesAreInTheOpenApiDocument) {
  Reply r = Call(port_, "GET", "/api/openapi.json");
  ASSERT_EQ(r.status, 200);
  json paths = r.Json()["paths"];
  EXPECT_TRUE(paths.contains("/api/v1/kpi"));
  EXPECT_TRUE(paths.contains("/api/v1/kpi/{id}/tickets"));
}

// One route table serves and documents the routes: each documented route is answered, and
// a method the table does not list is not.
TEST_F(KpiApiTest, EveryDocumentedRouteIsServed) {
  ExpectRoutesServed(KpiApi(*service_, *store_).Routes(), "boss", {{"id", "received"}});
  ExpectError(Req("boss", "POST", "/api/v1/kpi", "{}"), 404, "not_found");
  ExpectError(Req("boss", "GET", "/api/v1/kpi/received"), 404, "not_found");
}

}  // namespace
}  // namespace hotline::adapters::http
