// The assessment and report routes through real HTTP on an ephemeral port, against a real
// SQLite store (adapters/report/report_test_store.h): who sees what, the JSON's evidence,
// HTML and xlsx bodies.
#include "adapters/http/report_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "adapters/http/api.h"
#include "adapters/http/programmes_api.h"
#include "adapters/pdf/pdf.h"
#include "adapters/report/report_test_store.h"
#include "testing/api_fixture.h"
#include "testing/http_client.h"

namespace hotline::adapters::http {
namespace {

using hotline::testing::Call;
using hotline::testing::ExpectError;
using hotline::testing::Reply;
using nlohmann::json;

// The API over the report tests' own store and clock (ReportStore) instead of the fixture's.
class ReportApiTest : public hotline::testing::ApiFixture {
 protected:
  ReportApiTest() { server_options_.threads = 2; }
  void OpenStore() override {
    ASSERT_NO_FATAL_FAILURE(s_.Open());
    ASSERT_NO_FATAL_FAILURE(hotline::testing::SetTestPasswords(*s_.store, s_.city->org));
    s_.Seed();
  }
  ApiDeps Deps() override {
    return {*s_.service, *s_.store, *s_.store, s_.clock, s_.store.get(), s_.store.get()};
  }
  void AddModules(Api& api) override {
    api.AddModule(std::make_shared<ReportApi>(*s_.service, *s_.store, *s_.store));
  }

  report::testing::ReportStore s_;
};

TEST_F(ReportApiTest, AssessmentForCentreRolesHasEveryUnitWithEvidence) {
  for (const char* login : {"boss", "sup", "qa", "admin"}) {
    Reply r = Get(login, "/api/v1/assessment?period=2024-10");
    ASSERT_EQ(r.status, 200) << login << r.body;
    json j = r.Json();
    EXPECT_EQ(j["period"], "2024-10");
    EXPECT_EQ(j["units"].size(), 5u) << login;  // every unit but the centre
  }
  json j = Get("boss", "/api/v1/assessment?period=2024Q4").Json();
  EXPECT_EQ(j["from"], "2024-10-01");
  bool found = false;
  for (const auto& u : j["units"]) {
    if (u["code"] == "housing") {
      found = true;
      EXPECT_EQ(u["score"], 27.05);
      EXPECT_EQ(u["rank"], 1);
      EXPECT_EQ(u["level"], "city_department");
      EXPECT_EQ(u["components"][1]["kpi"]["numerator"], 0);
      EXPECT_EQ(u["components"][1]["kpi"]["denominator"], 1);
      EXPECT_EQ(u["deductions"][0]["tickets"][0], s_.b);
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(ReportApiTest, AUnitSeesItsOwnScoreAndRankOnly) {
  Reply r = Get("housing", "/api/v1/assessment?period=2024-10");
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.Json();
  ASSERT_EQ(j["units"].size(), 1u);
  EXPECT_EQ(j["units"][0]["code"], "housing");
  EXPECT_EQ(j["units"][0]["rank_of"], 1);
  EXPECT_EQ(Get("op", "/api/v1/assessment?period=2024-10").status, 403);
  EXPECT_EQ(Get("boss", "/api/v1/assessment?period=2024-13").status, 400);
  EXPECT_EQ(Call(port_, "GET", "/api/v1/assessment?period=2024-10").status, 401);
}

TEST_F(ReportApiTest, ReportsAsHtmlAndXlsx) {
  Reply r = Get("boss", "/api/v1/reports/monthly?date=2024-10-15");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.headers.find("text/html"), std::string::npos);
  EXPECT_NE(r.body.find("考核排名"), std::string::npos);
  EXPECT_NE(r.body.find("@media print"), std::string::npos);
  r = Get("sup", "/api/v1/reports/weekly?date=2024-10-16&format=xlsx");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_NE(r.headers.find("attachment; filename=\"report-weekly-2024-10-14.xlsx\""),
            std::string::npos)
      << r.headers;
  std::string cat = s_.Cat("城乡建设");
  r = Get("qa", "/api/v1/reports/theme?date=2024-10-01&category=" + cat);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("专题报告"), std::string::npos);
  EXPECT_EQ(Get("admin", "/api/v1/reports/theme?date=2024-10-01").status, 400);
  EXPECT_EQ(Get("admin", "/api/v1/reports/daily?date=2024-10-14&format=doc").status, 400);
  EXPECT_EQ(Get("admin", "/api/v1/reports/yearly?date=2024-10-14").status, 404);
  EXPECT_EQ(Get("housing", "/api/v1/reports/daily?date=2024-10-14").status, 403);
  EXPECT_EQ(Get("disp", "/api/v1/reports/daily?date=2024-10-14").status, 403);
}

TEST_F(ReportApiTest, ReportsAsPdfPrintedByTheBrowser) {
  if (auto b = pdf::FindBrowser(); !b.has_value()) {
    GTEST_SKIP() << "chromium is not installed: " << b.error().message;
  }
  Reply r = Get("boss", "/api/v1/reports/monthly?date=2024-10-15&format=pdf");
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  EXPECT_NE(r.headers.find("application/pdf"), std::string::npos) << r.headers;
  EXPECT_EQ(r.body.rfind("%PDF-", 0), 0u);
  EXPECT_NE(r.headers.find("report-monthly-2024-10-01.pdf"), std::string::npos) << r.headers;
  // Same access rules as the other formats.
  EXPECT_EQ(Get("housing", "/api/v1/reports/daily?date=2024-10-14&format=pdf").status, 403);
}

TEST_F(ReportApiTest, RoutesAreInTheOpenApiDocument) {
  Reply r = Call(port_, "GET", "/api/openapi.json");
  ASSERT_EQ(r.status, 200);
  json paths = r.Json()["paths"];
  EXPECT_TRUE(paths.contains("/api/v1/assessment"));
  EXPECT_TRUE(paths.contains("/api/v1/reports/{kind}"));
}

// One route table serves and documents the routes: each documented route is answered, and
// a path or method the table does not list is not.
TEST_F(ReportApiTest, EveryDocumentedRouteIsServed) {
  ExpectRoutesServed(ReportApi(*s_.service, *s_.store, *s_.store).Routes(), "boss",
                     {{"kind", "daily"}});
  ExpectError(Req("boss", "POST", "/api/v1/assessment", "{}"), 404, "not_found");
  ExpectError(Req("boss", "GET", "/api/v1/reports/daily/x"), 404, "not_found");
}

// The same API with campaigns enabled for the reports, and the campaigns' own routes.
class ReportCampaignApiTest : public ReportApiTest {
 protected:
  void AddModules(Api& api) override {
    auto reports = std::make_shared<ReportApi>(*s_.service, *s_.store, *s_.store);
    reports->EnableCampaigns(*s_.store, *s_.store, s_.clock);
    api.AddModule(reports);
    api.AddModule(std::make_shared<ProgrammesApi>(*s_.service, *s_.store, *s_.store, s_.clock));
  }
};

TEST_F(ReportCampaignApiTest, ACampaignsThematicReportHasItsTicketsIndicators) {
  Reply made = Req("sup", "POST", "/api/v1/campaigns",
                   R"({"name":"物业服务专项","from":"2024-10-01","to":"2024-10-31",)"
                   R"("categories":["城乡建设/住房保障/物业管理"]})");
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string id = std::to_string(made.Json()["id"].get<int64_t>());
  Reply ind = Get("boss", "/api/v1/campaigns/" + id + "/indicators");
  ASSERT_EQ(ind.status, 200) << ind.body;
  const int64_t received = Kpi(ind.Json()["kpis"], "received")["numerator"];
  EXPECT_EQ(received, 2);  // A and C of the seed (D is September's, B is noise)

  Reply html = Get("boss", "/api/v1/reports/theme?campaign=" + id);
  ASSERT_EQ(html.status, 200) << html.body.substr(0, 300);
  EXPECT_NE(html.headers.find("text/html"), std::string::npos);
  for (const std::string& part : std::vector<std::string>{
           "专题报告：物业服务专项", "<h2>专题概况</h2>", "统计期间：2024-10-01 至 2024-10-31",
           "分类：城乡建设/住房保障/物业管理",
           "<td>登记量</td><td class=\"n\">" + std::to_string(received) + "</td>"}) {
    EXPECT_NE(html.body.find(part), std::string::npos) << part;
  }
  // "thematic" names the same kind; xlsx as an attachment; an explicit period.
  Reply xlsx = Get("qa", "/api/v1/reports/thematic?campaign=" + id + "&format=xlsx");
  ASSERT_EQ(xlsx.status, 200) << xlsx.body.substr(0, 300);
  EXPECT_EQ(xlsx.body.rfind("PK", 0), 0u);
  EXPECT_NE(xlsx.headers.find("report-theme-2024-10-01.xlsx"), std::string::npos) << xlsx.headers;
  Reply day =
      Get("boss", "/api/v1/reports/theme?campaign=" + id + "&from=2024-10-15&to=2024-10-15");
  ASSERT_EQ(day.status, 200);
  EXPECT_NE(day.body.find("<td>登记量</td><td class=\"n\">1</td>"), std::string::npos);  // C

  ExpectError(Get("boss", "/api/v1/reports/theme?campaign=abc"), 400, "invalid_argument");
  ExpectError(Get("boss", "/api/v1/reports/theme?campaign=999"), 404, "not_found");
  ExpectError(Get("boss", "/api/v1/reports/theme?campaign=" + id + "&category=1"), 400,
              "invalid_argument");
  ExpectError(Get("boss", "/api/v1/reports/monthly?date=2024-10-01&campaign=" + id), 400,
              "invalid_argument");
  ExpectError(Get("disp", "/api/v1/reports/theme?campaign=" + id), 403, "permission_denied");
}

TEST_F(ReportApiTest, ACampaignReportNeedsCampaignsEnabled) {
  ExpectError(Get("boss", "/api/v1/reports/theme?campaign=1"), 409, "failed_precondition");
}

}  // namespace
}  // namespace hotline::adapters::http
