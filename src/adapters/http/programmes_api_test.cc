// Themes and programmes through real HTTP on an ephemeral port, against a real SQLite store:
// campaigns and their indicators, leader days, difficult cases and agent QA, with roles (a
// unit cannot flag a difficult case, an agent sees only his own QA), bad input answered 4xx
// in the error shape with nothing written, and every change audited.
#include "adapters/http/programmes_api.h"

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
using hotline::testing::ExpectError;
using hotline::testing::Reply;
using nlohmann::json;

Instant At(const char* local) { return *ParseInstant(local); }

class ProgrammesApiTest : public hotline::testing::ApiFixture {
 protected:
  ProgrammesApiTest() {
    clock_.Set(At("2024-10-14 08:00:00"));
    save_routing_ = false;
    server_options_.threads = 2;
    reuse_sessions_ = true;
  }
  void AddModules(Api& api) override {
    api.AddModule(std::make_shared<ProgrammesApi>(*service_, *store_, *store_, clock_));
  }
  std::string Noise(const char* at, const char* content = "广场舞噪音") {
    SetNow(At(at));
    auto t = service_->Register(
        city_->Act("op"),
        {{"type", "投诉"},
         {"content", content},
         {"region", "3"},
         {"category",
          std::to_string(city_->categories.FindByPath("环境保护/污染防治/噪声污染")->id.value())}});
    EXPECT_OK(t);
    return t.has_value() ? t->number : "";
  }
  void Do(const char* login, const std::string& n, Action a, domain::Fields f, const char* at) {
    SetNow(At(at));
    ASSERT_OK(service_->Act(city_->Act(login), n, {a, std::move(f)}));
  }
  // Moves the clock; sessions expire on it, so everyone logs in again afterwards.
  void SetNow(Instant at) {
    clock_.Set(at);
    ForgetSessions();
  }
  std::vector<std::string> AuditActions() {
    std::vector<std::string> out;
    auto entries = store_->Entries(0, 1000);
    EXPECT_OK(entries);
    for (const auto& e : *entries) {
      if (e.record.action.rfind("programme.", 0) == 0) {
        out.push_back(e.record.action);
      }
    }
    return out;
  }
};

TEST_F(ProgrammesApiTest, CampaignCrudIndicatorsAndTagging) {
  std::string a = Noise("2024-10-14 09:00:00");
  Do("disp", a, Action::kDispatch, {{"lead_unit", "2"}}, "2024-10-14 09:30:00");
  Do("housing", a, Action::kSign, {}, "2024-10-14 10:00:00");
  Do("housing", a, Action::kReply, {{"reply", "已处理"}}, "2024-10-15 09:00:00");
  Do("disp", a, Action::kReviewPass, {}, "2024-10-15 10:00:00");
  Do("cb", a, Action::kCallback, {{"reached", "1"}, {"resolved", "1"}, {"satisfaction", "不满意"}},
     "2024-10-15 11:00:00");
  std::string other = Noise("2024-10-16 09:00:00", "工地夜间施工");

  // Bad input: 400 in the error shape, nothing written.
  ExpectError(Req("sup", "POST", "/api/v1/campaigns", "{not json"), 400, "invalid_argument");
  ExpectError(Req("sup", "POST", "/api/v1/campaigns",
                  R"({"name":"x","from":"2024-10-31","to":"2024-10-01"})"),
              400, "invalid_argument");
  ExpectError(Req("sup", "POST", "/api/v1/campaigns",
                  R"({"name":"x","from":"2024-10-01","to":"2024-10-31","colour":"red"})"),
              400, "invalid_argument");
  ExpectError(Req("sup", "POST", "/api/v1/campaigns",
                  R"({"name":"x","from":"2024-10-01","to":"2024-10-31","categories":"噪声"})"),
              400, "invalid_argument");
  ExpectError(
      Req("sup", "POST", "/api/v1/campaigns",
          R"({"name":"x","from":"2024-10-01","to":"2024-10-31","categories":["无此分类"]})"),
      400, "invalid_argument");
  // Roles: a unit handler and an operator may not create or see campaigns.
  std::string body =
      R"({"name":"秋季噪声治理","from":"2024-10-01","to":"2024-10-31","categories":["环境保护/污染防治/噪声污染"],"keywords":["广场舞"]})";
  ExpectError(Req("housing", "POST", "/api/v1/campaigns", body), 403, "permission_denied");
  ExpectError(Req("op", "GET", "/api/v1/campaigns"), 403, "permission_denied");
  Reply list = Req("boss", "GET", "/api/v1/campaigns");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(list.Json()["campaigns"].empty());

  Reply made = Req("sup", "POST", "/api/v1/campaigns", body);
  ASSERT_EQ(made.status, 201) << made.body;
  int64_t id = made.Json()["id"];
  EXPECT_EQ(made.Json()["tickets"], 1);  // the square dance, not the building site
  EXPECT_EQ(made.Json()["categories"][0]["path"], "环境保护/污染防治/噪声污染");
  ExpectError(Req("sup", "POST", "/api/v1/campaigns", body), 409, "already_exists");

  std::string base = "/api/v1/campaigns/" + std::to_string(id);
  Reply ind = Req("boss", "GET", base + "/indicators");
  ASSERT_EQ(ind.status, 200) << ind.body;
  json j = ind.Json();
  EXPECT_EQ(j["from"], "2024-10-01");
  EXPECT_EQ(j["tickets"], 1);
  EXPECT_EQ(Kpi(j["kpis"], "received")["value"], 1);
  EXPECT_EQ(Kpi(j["kpis"], "on_time_completion_rate")["numerator"], 1);
  EXPECT_EQ(Kpi(j["kpis"], "on_time_completion_rate")["denominator"], 1);
  EXPECT_EQ(Kpi(j["kpis"], "satisfaction_rate")["numerator"], 0);
  EXPECT_EQ(Kpi(j["kpis"], "satisfaction_rate")["denominator"], 1);
  EXPECT_EQ(Kpi(j["kpis"], "resolution_rate")["value"], 100.0);
  EXPECT_EQ(j["headline"].size(), 4u);
  ExpectError(Req("boss", "GET", base + "/indicators?from=2024-10-31&to=2024-10-01"), 400,
              "invalid_argument");
  ExpectError(Req("boss", "GET", "/api/v1/campaigns/999/indicators"), 404, "not_found");
  ExpectError(Req("boss", "GET", "/api/v1/campaigns/abc"), 400, "invalid_argument");

  // Tagging: an unknown number refuses the whole batch.
  ExpectError(
      Req("disp", "POST", base + "/tickets", json{{"numbers", {other, "SM20991231000001"}}}.dump()),
      404, "not_found");
  EXPECT_EQ(Req("boss", "GET", base).Json()["tickets"], 1);
  ExpectError(Req("housing", "POST", base + "/tickets", json{{"numbers", {other}}}.dump()), 403,
              "permission_denied");
  Reply tagged = Req("disp", "POST", base + "/tickets", json{{"numbers", {other}}}.dump());
  ASSERT_EQ(tagged.status, 200) << tagged.body;
  Reply tickets = Req("boss", "GET", base + "/tickets");
  ASSERT_EQ(tickets.status, 200) << tickets.body;
  ASSERT_EQ(tickets.Json()["tickets"].size(), 2u);
  EXPECT_EQ(tickets.Json()["tickets"][1]["number"], other);
  EXPECT_EQ(tickets.Json()["tickets"][1]["manual"], true);
  EXPECT_EQ(tickets.Json()["tickets"][1]["state"], "registered");
  ASSERT_EQ(Req("disp", "DELETE", base + "/tickets/" + other).status, 200);
  EXPECT_EQ(Req("boss", "GET", base).Json()["tickets"], 1);

  Reply patched = Req("sup", "PATCH", base, R"({"description":"噪声扰民专项整治"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.Json()["description"], "噪声扰民专项整治");
  EXPECT_EQ(patched.Json()["name"], "秋季噪声治理");
  ExpectError(Req("sup", "PATCH", base, R"({"to":"2023-01-01"})"), 400, "invalid_argument");
  EXPECT_EQ(Req("boss", "GET", base).Json()["to"], "2024-10-31");
  ASSERT_EQ(Req("sup", "DELETE", base).status, 200);
  ExpectError(Req("boss", "GET", base), 404, "not_found");

  std::vector<std::string> want{"programme.campaign.create", "programme.campaign.tag",
                                "programme.campaign.untag", "programme.campaign.update",
                                "programme.campaign.delete"};
  EXPECT_EQ(AuditActions(), want);
}

TEST_F(ProgrammesApiTest, LeaderDayWithItsTicketsFollowed) {
  Reply made = Req(
      "boss", "POST", "/api/v1/leader-days",
      R"({"date":"2024-10-14","leader":"市生态环境局局长","topic":"噪声扰民","units":["environment",4]})");
  ASSERT_EQ(made.status, 201) << made.body;
  int64_t id = made.Json()["id"];
  EXPECT_EQ(made.Json()["units"][0]["name"], "三明市生态环境局");
  ExpectError(
      Req("op", "POST", "/api/v1/leader-days", R"({"date":"2024-10-14","leader":"x","topic":"y"})"),
      403, "permission_denied");
  ExpectError(Req("boss", "POST", "/api/v1/leader-days",
                  R"({"date":"2024-10-14","leader":"x","topic":"y","units":["nope"]})"),
              400, "invalid_argument");
  ExpectError(Req("boss", "POST", "/api/v1/leader-days", R"({"date":"2024-10-14","leader":"x"})"),
              400, "invalid_argument");
  EXPECT_EQ(Req("boss", "GET", "/api/v1/leader-days").Json()["leader_days"].size(), 1u);

  std::string n = Noise("2024-10-14 09:00:00");
  Do("disp", n, Action::kDispatch, {{"lead_unit", "3"}}, "2024-10-14 09:30:00");
  std::string base = "/api/v1/leader-days/" + std::to_string(id);
  ASSERT_EQ(Req("op", "POST", base + "/tickets", json{{"number", n}}.dump()).status, 201);
  ExpectError(Req("op", "POST", base + "/tickets", json{{"number", n}}.dump()), 409,
              "already_exists");
  ExpectError(Req("env", "POST", base + "/tickets", json{{"number", n}}.dump()), 403,
              "permission_denied");
  SetNow(At("2024-11-15 09:00:00"));  // long past its 10 working days
  Reply detail = Req("boss", "GET", base);
  ASSERT_EQ(detail.status, 200) << detail.body;
  json j = detail.Json();
  ASSERT_EQ(j["tickets"].size(), 1u);
  EXPECT_EQ(j["tickets"][0]["number"], n);
  EXPECT_EQ(j["tickets"][0]["overdue"], true);
  EXPECT_EQ(j["tickets"][0]["lead_unit_name"], "三明市生态环境局");
  EXPECT_EQ(j["summary"]["open"], 1);
  EXPECT_EQ(j["summary"]["overdue"], 1);
  ExpectError(Req("boss", "PATCH", base, R"({"date":"2024-10-15"})"), 409, "failed_precondition");
}

TEST_F(ProgrammesApiTest, DifficultCasesOnlyByCentreRoles) {
  std::string n = Noise("2024-10-14 09:00:00");
  Do("disp", n, Action::kDispatch, {{"lead_unit", "3"}}, "2024-10-14 09:30:00");
  json flag{{"number", n},
            {"reason", "噪声源涉及多个部门"},
            {"owner", "sup"},
            {"next_review", "2024-10-21"},
            {"note", "先请环境局现场核查"}};
  // A unit may neither flag nor list difficult cases; an operator neither.
  ExpectError(Req("env", "POST", "/api/v1/difficult-cases", flag.dump()), 403, "permission_denied");
  ExpectError(Req("hub", "GET", "/api/v1/difficult-cases"), 403, "permission_denied");
  ExpectError(Req("op", "POST", "/api/v1/difficult-cases", flag.dump()), 403, "permission_denied");
  // Bad input, nothing written.
  json no_reason = flag;
  no_reason.erase("reason");
  ExpectError(Req("sup", "POST", "/api/v1/difficult-cases", no_reason.dump()), 400,
              "invalid_argument");
  json bad_owner = flag;
  bad_owner["owner"] = "ghost";
  ExpectError(Req("sup", "POST", "/api/v1/difficult-cases", bad_owner.dump()), 400,
              "invalid_argument");
  json bad_type = flag;
  bad_type["reason"] = 42;
  ExpectError(Req("sup", "POST", "/api/v1/difficult-cases", bad_type.dump()), 400,
              "invalid_argument");
  EXPECT_TRUE(Req("sup", "GET", "/api/v1/difficult-cases?status=all").Json()["cases"].empty());

  SetNow(At("2024-10-15 10:00:00"));
  Reply made = Req("sup", "POST", "/api/v1/difficult-cases", flag.dump());
  ASSERT_EQ(made.status, 201) << made.body;
  int64_t id = made.Json()["id"];
  EXPECT_EQ(made.Json()["notes"].size(), 1u);
  ExpectError(Req("disp", "POST", "/api/v1/difficult-cases", flag.dump()), 409, "already_exists");
  std::string base = "/api/v1/difficult-cases/" + std::to_string(id);
  ExpectError(Req("env", "PATCH", base, R"({"note":"x"})"), 403, "permission_denied");
  ExpectError(Req("sup", "PATCH", base, R"({"next_review":"soon"})"), 400, "invalid_argument");
  ASSERT_EQ(Req("disp", "PATCH", base, R"({"note":"三方会商，明确由环境局牵头"})").status, 200);

  SetNow(At("2024-10-25 10:00:00"));
  Reply open = Req("boss", "GET", "/api/v1/difficult-cases");
  ASSERT_EQ(open.status, 200) << open.body;
  ASSERT_EQ(open.Json()["cases"].size(), 1u);
  EXPECT_EQ(open.Json()["cases"][0]["age_days"], 10);
  EXPECT_EQ(open.Json()["cases"][0]["review_due"], true);
  EXPECT_EQ(open.Json()["cases"][0]["ticket"]["state"], "dispatched");
  Reply detail = Req("boss", "GET", base);
  ASSERT_EQ(detail.Json()["notes"].size(), 2u);
  EXPECT_EQ(detail.Json()["notes"][1]["by"], "disp");
  ASSERT_EQ(Req("sup", "PATCH", base, R"({"resolution":"已协调解决"})").status, 200);
  ExpectError(Req("sup", "PATCH", base, R"({"note":"再记一笔"})"), 409, "failed_precondition");
  EXPECT_TRUE(Req("boss", "GET", "/api/v1/difficult-cases").Json()["cases"].empty());
  EXPECT_EQ(Req("boss", "GET", "/api/v1/difficult-cases?status=resolved").Json()["cases"].size(),
            1u);
  ExpectError(Req("boss", "GET", "/api/v1/difficult-cases?status=maybe"), 400, "invalid_argument");
}

TEST_F(ProgrammesApiTest, QaByInspectorsAndAnAgentSeesOnlyHisOwn) {
  std::string sheet =
      R"({"name":"话务质检表","items":[{"name":"服务规范","max_points":40},{"name":"答复准确","max_points":60}]})";
  ExpectError(Req("op", "POST", "/api/v1/qa/sheets", sheet), 403, "permission_denied");
  ExpectError(Req("qa", "POST", "/api/v1/qa/sheets",
                  R"({"name":"x","items":[{"name":"a","max_points":0}]})"),
              400, "invalid_argument");
  ExpectError(Req("qa", "POST", "/api/v1/qa/sheets", R"({"name":"x","items":[]})"), 400,
              "invalid_argument");
  Reply made = Req("qa", "POST", "/api/v1/qa/sheets", sheet);
  ASSERT_EQ(made.status, 201) << made.body;
  int64_t sid = made.Json()["id"];
  EXPECT_EQ(made.Json()["max_total"], 100);
  EXPECT_EQ(Req("op", "GET", "/api/v1/qa/sheets").Json()["sheets"].size(), 1u);

  std::string t1 = Noise("2024-10-14 09:00:00");
  auto inspect = [&](const char* login, const std::string& target, json scores, const char* agent) {
    json b{{"sheet", sid}, {"target_kind", "ticket"}, {"target", target}, {"scores", scores}};
    if (agent != nullptr) {
      b["agent"] = agent;
    }
    return Req(login, "POST", "/api/v1/qa/inspections", b.dump());
  };
  SetNow(At("2024-10-16 10:00:00"));
  Reply i1 = inspect("qa", t1, {36, 54}, nullptr);  // op: 90
  ASSERT_EQ(i1.status, 201) << i1.body;
  EXPECT_EQ(i1.Json()["agent"], "op");
  EXPECT_EQ(i1.Json()["total"], 90);
  ASSERT_EQ(inspect("qa", t1, {30, 40}, nullptr).status, 201);  // op: 70
  ASSERT_EQ(inspect("qa", t1, {40, 55}, "cb").status, 201);     // cb: 95
  ExpectError(inspect("qa", t1, {41, 55}, nullptr), 400, "invalid_argument");
  ExpectError(inspect("qa", t1, {40}, nullptr), 400, "invalid_argument");
  ExpectError(inspect("qa", t1, {40, 55}, "housing"), 400, "invalid_argument");
  ExpectError(inspect("qa", "SM20991231000001", {40, 55}, nullptr), 404, "not_found");
  ExpectError(inspect("sup", t1, {40, 55}, nullptr), 403, "permission_denied");
  ExpectError(Req("qa", "POST", "/api/v1/qa/inspections",
                  json{{"sheet", sid}, {"target_kind", "email"}, {"target", t1}, {"scores", {1, 1}}}
                      .dump()),
              400, "invalid_argument");
  EXPECT_EQ(Req("qa", "GET", "/api/v1/qa/inspections").Json()["inspections"].size(), 3u);

  Reply all = Req("boss", "GET", "/api/v1/qa/ranking?from=2024-10-01&to=2024-10-31");
  ASSERT_EQ(all.status, 200) << all.body;
  json agents = all.Json()["agents"];
  ASSERT_EQ(agents.size(), 2u);
  EXPECT_EQ(agents[0]["agent"], "cb");
  EXPECT_EQ(agents[0]["average"], 95.0);
  EXPECT_EQ(agents[1]["agent"], "op");
  EXPECT_EQ(agents[1]["average"], 80.0);  // (90 + 70) / 2
  EXPECT_EQ(agents[1]["rank"], 2);

  // The operator: his own row and his own inspections; not another agent's.
  Reply mine = Req("op", "GET", "/api/v1/qa/ranking?from=2024-10-01&to=2024-10-31");
  ASSERT_EQ(mine.status, 200) << mine.body;
  ASSERT_EQ(mine.Json()["agents"].size(), 1u);
  EXPECT_EQ(mine.Json()["agents"][0]["agent"], "op");
  EXPECT_EQ(mine.Json()["ranked"], 2);
  EXPECT_EQ(Req("op", "GET", "/api/v1/qa/inspections").Json()["inspections"].size(), 2u);
  ExpectError(Req("op", "GET", "/api/v1/qa/inspections?agent=cb"), 403, "permission_denied");
  ExpectError(Req("housing", "GET", "/api/v1/qa/ranking"), 403, "permission_denied");
  ExpectError(Req("boss", "GET", "/api/v1/qa/ranking?from=2024-10-31&to=2024-10-01"), 400,
              "invalid_argument");

  // A used sheet keeps its items.
  ExpectError(Req("qa", "PATCH", "/api/v1/qa/sheets/" + std::to_string(sid),
                  R"({"items":[{"name":"服务规范","max_points":50}]})"),
              409, "failed_precondition");
  Reply off = Req("qa", "PATCH", "/api/v1/qa/sheets/" + std::to_string(sid), R"({"active":false})");
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(off.Json()["active"], false);
}

}  // namespace
}  // namespace hotline::adapters::http
