// The admin routes through real HTTP on an ephemeral port, against a real SQLite store:
// every route works for the admin, is persisted and takes effect at once; every route is
// refused to everyone else; bad input is refused with nothing written; the routing
// directory keeps its history.
#include "adapters/http/admin_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "adapters/http/api.h"
#include "testing/api_fixture.h"
#include "testing/http_client.h"
#include "testing/matchers.h"

namespace hotline::adapters::http {
namespace {

using hotline::testing::Call;
using hotline::testing::ExpectError;
using hotline::testing::Reply;
using hotline::testing::SmallCity;
using nlohmann::json;

class AdminApiTest : public hotline::testing::ApiFixture {
 protected:
  AdminApiTest() {
    api_options_.public_requests_per_minute = 1000;  // many logins in one test
    server_options_.threads = 4;
    server_options_.read_timeout = std::chrono::seconds(2);
    reuse_sessions_ = true;  // logged in once per test
  }

  void AddModules(Api& api) override {
    admin_ = std::make_shared<AdminApi>(*service_, *store_);
    api.AddModule(admin_);
  }

  Reply Req(const std::string& login, const std::string& method, const std::string& path,
            const json& body = nullptr) {
    return Call(port_, method, path, body.is_null() ? "" : body.dump(), As(login));
  }
  Reply Admin(const std::string& method, const std::string& path, const json& body = nullptr) {
    return Req("admin", method, path, body);
  }

  json Suggest(int64_t category, int64_t region) {
    Reply r = Req("disp", "GET",
                  "/api/v1/routing/suggest?category=" + std::to_string(category) +
                      "&region=" + std::to_string(region));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json();
  }

  int64_t CategoryId(const char* path) const {
    const domain::Category* c = service_->config()->categories.FindByPath(path);
    return c != nullptr ? c->id.value() : 0;
  }

  size_t HistorySize() {
    auto h = store_->RoutingHistory();
    EXPECT_OK(h);
    return h.has_value() ? h->size() : 0;
  }

  std::shared_ptr<AdminApi> admin_;
};

std::string Concrete(std::string path) {
  for (auto [name, value] : {std::pair{"{login}", "op"}, std::pair{"{id}", "1"}}) {
    if (auto pos = path.find(name); pos != std::string::npos) {
      path.replace(pos, std::string(name).size(), value);
    }
  }
  return path;
}

std::string Verb(const char* method) {
  std::string verb = method;
  for (auto& c : verb) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return verb;
}

TEST_F(AdminApiTest, EveryAdminRouteIsRefusedToOtherRolesAndWritesNothing) {
  auto before_org = store_->LoadOrg();
  ASSERT_OK(before_org);
  for (const char* login : {"op", "disp", "sup", "boss", "hub", "housing-admin", "housing"}) {
    for (const auto& route : admin_->Routes()) {
      if (std::string_view(route.path).rfind("/api/v1/admin/", 0) != 0) {
        continue;  // the read-only calendar is for every member of staff
      }
      Reply r = Req(login, Verb(route.method), Concrete(route.path),
                    json{{"name", "x"}, {"unit", 1}, {"active", false}});
      ExpectError(r, 403, "permission_denied");
    }
  }
  EXPECT_EQ(HistorySize(), 0u);
  auto org = store_->LoadOrg();
  ASSERT_OK(org);
  EXPECT_EQ(org->users().size(), before_org->users().size());
  EXPECT_TRUE(org->FindUserByLogin("op")->active);
  // Without a login at all: 401.
  ExpectError(Call(port_, "GET", "/api/v1/admin/users"), 401, "unauthenticated");
}

TEST_F(AdminApiTest, EveryDocumentedRouteIsServed) {
  auto all = api_->AllRoutes();
  for (const auto& route : admin_->Routes()) {
    EXPECT_TRUE(std::any_of(all.begin(), all.end(), [&](const RouteDoc& d) {
      return std::string(d.path) == route.path && std::string(d.method) == route.method;
    })) << route.path;
    // An empty body: each route answers (200 or a 4xx about the body), never "no such route".
    Reply r = Admin(Verb(route.method), Concrete(route.path), json::object());
    EXPECT_EQ(r.body.find("没有这个接口"), std::string::npos) << route.method << " " << route.path;
    EXPECT_NE(r.status, 405) << route.method << " " << route.path;
    EXPECT_NE(r.status, 500) << route.method << " " << route.path << " " << r.body;
  }
  Reply doc = Call(port_, "GET", "/api/openapi.json");
  ASSERT_EQ(doc.status, 200);
  EXPECT_TRUE(doc.Json()["paths"].contains("/api/v1/admin/routing/check"));
  ExpectError(Admin("PUT", "/api/v1/admin/users"), 405, "method_not_allowed");
}

TEST_F(AdminApiTest, UsersAreCreatedChangedAndDeactivated) {
  Reply list = Admin("GET", "/api/v1/admin/users");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.Json()["users"].size(), city_->org.users().size());
  json first = list.Json()["users"][0];
  for (const char* key :
       {"id", "login", "name", "role", "role_name", "unit", "unit_name", "active"}) {
    EXPECT_TRUE(first.contains(key)) << key;
  }

  json good = {{"login", "op2"},
               {"name", "新来的话务员"},
               {"role", "operator"},
               {"unit", 1},
               {"password", "new-password-1"}};
  // Bad input: 400 (or 409 for a taken login) and nothing written.
  for (auto [change, status] : std::vector<std::pair<json, int>>{
           {{{"password", "short"}}, 400},
           {{{"role", "wizard"}}, 400},
           {{{"role", "system"}}, 400},
           {{{"unit", 999}}, 400},
           {{{"unit", "one"}}, 400},
           {{{"login", "has space"}}, 400},
           {{{"login", ""}}, 400},
           {{{"name", 42}}, 400},
           {{{"extra", 1}}, 400},
           {{{"login", "op"}}, 409},
       }) {
    json body = good;
    body.update(change);
    Reply r = Admin("POST", "/api/v1/admin/users", body);
    EXPECT_EQ(r.status, status) << change.dump() << " " << r.body;
    EXPECT_TRUE(r.Json().contains("error")) << r.body;
  }
  json missing = good;
  missing.erase("password");
  ExpectError(Admin("POST", "/api/v1/admin/users", missing), 400, "invalid_argument");
  ExpectError(Call(port_, "POST", "/api/v1/admin/users", "{not json", As("admin")), 400,
              "invalid_argument");
  EXPECT_EQ(store_->LoadOrg()->users().size(), city_->org.users().size());
  ExpectError(Login("op2", "new-password-1"), 401, "unauthenticated");

  Reply created = Admin("POST", "/api/v1/admin/users", good);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Json()["role"], "operator");
  EXPECT_EQ(created.Json()["unit_name"], "三明市12345热线中心");
  // Persisted, in effect at once (the new user logs in), audited without the password.
  EXPECT_NE(store_->LoadOrg()->FindUserByLogin("op2"), nullptr);
  EXPECT_EQ(Login("op2", "new-password-1").status, 200);
  passwords_["op2"] = "new-password-1";
  EXPECT_TRUE(Audited("admin.user.create", "op2"));
  auto entries = store_->Entries(0, 100000);
  ASSERT_OK(entries);
  for (const auto& e : *entries) {
    EXPECT_EQ(e.record.detail.find("new-password-1"), std::string::npos);
  }
  EXPECT_EQ(Req("op2", "GET", "/api/v1/me").Json()["role"], "operator");

  // Changes: role, then deactivation (no more logins, the open session stops working).
  Reply changed = Admin("PATCH", "/api/v1/admin/users/op2", {{"role", "dispatcher"}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(Req("op2", "GET", "/api/v1/me").Json()["role"], "dispatcher");
  ASSERT_EQ(Admin("PATCH", "/api/v1/admin/users/op2", {{"active", false}}).status, 200);
  ExpectError(Login("op2", "new-password-1"), 401, "unauthenticated");
  EXPECT_NE(Req("op2", "GET", "/api/v1/me").status, 200);
  EXPECT_FALSE(store_->LoadOrg()->FindUserByLogin("op2")->active);
  EXPECT_TRUE(Audited("admin.user.update", "op2"));

  // Reactivated with a new password: the new one works, the old one no longer.
  ASSERT_EQ(
      Admin("PATCH", "/api/v1/admin/users/op2", {{"active", true}, {"password", "another-pass-2"}})
          .status,
      200);
  EXPECT_EQ(Login("op2", "another-pass-2").status, 200);
  ExpectError(Login("op2", "new-password-1"), 401, "unauthenticated");

  // Bad changes.
  ExpectError(Admin("PATCH", "/api/v1/admin/users/nobody", {{"name", "x"}}), 404, "not_found");
  ExpectError(Admin("PATCH", "/api/v1/admin/users/op2", {{"password", "short"}}), 400,
              "invalid_argument");
  ExpectError(Admin("PATCH", "/api/v1/admin/users/op2", {{"active", "no"}}), 400,
              "invalid_argument");
  ExpectError(Admin("PATCH", "/api/v1/admin/users/op2", {{"unit", 999}}), 400, "invalid_argument");
  ExpectError(Admin("PATCH", "/api/v1/admin/users/admin", {{"active", false}}), 400,
              "invalid_argument");
  ExpectError(Admin("PATCH", "/api/v1/admin/users/admin", {{"role", "operator"}}), 400,
              "invalid_argument");
  EXPECT_EQ(store_->LoadOrg()->FindUserByLogin("op2")->role, domain::Role::kDispatcher);
}

TEST_F(AdminApiTest, UnitsAreCreatedAndChangedWithTheTreeKeptValid) {
  json good = {{"code", "city-water"}, {"name", "三明市水利局"},
               {"level", "city"},      {"kind", "department"},
               {"parent", 1},          {"region", 1}};
  for (auto [change, status] : std::vector<std::pair<json, int>>{
           {{{"level", "galaxy"}}, 400},
           {{{"kind", "club"}}, 400},
           {{{"parent", 999}}, 400},
           {{{"region", 999}}, 400},
           {{{"name", ""}}, 400},
           {{{"code", "with space"}}, 400},
           {{{"code", "housing"}}, 409},
       }) {
    json body = good;
    body.update(change);
    Reply r = Admin("POST", "/api/v1/admin/units", body);
    EXPECT_EQ(r.status, status) << change.dump() << " " << r.body;
  }
  EXPECT_EQ(store_->LoadOrg()->units().size(), city_->org.units().size());

  Reply created = Admin("POST", "/api/v1/admin/units", good);
  ASSERT_EQ(created.status, 201) << created.body;
  int64_t id = created.Json()["id"];
  EXPECT_EQ(id, 7);
  EXPECT_NE(store_->LoadOrg()->FindUnitByCode("city-water"), nullptr);
  json units = Req("disp", "GET", "/api/v1/org/units").Json()["units"];
  EXPECT_TRUE(std::any_of(units.begin(), units.end(),
                          [](const json& u) { return u["code"] == "city-water"; }));
  EXPECT_TRUE(Audited("admin.unit.create", "city-water"));

  // A cycle (the centre under its own township) is refused and nothing is written.
  ExpectError(Admin("PATCH", "/api/v1/admin/units/1", {{"parent", 5}}), 400, "invalid_argument");
  EXPECT_FALSE(store_->LoadOrg()->FindUnit(SmallCity::kCentre)->parent.valid());
  ExpectError(Admin("PATCH", "/api/v1/admin/units/7", {{"parent", 7}}), 400, "invalid_argument");
  ExpectError(Admin("PATCH", "/api/v1/admin/units/7", {{"code", "other"}}), 400,
              "invalid_argument");
  ExpectError(Admin("PATCH", "/api/v1/admin/units/99", {{"name", "x"}}), 404, "not_found");
  // A unit the routing directory still names cannot be deactivated.
  ExpectError(Admin("PATCH", "/api/v1/admin/units/2", {{"active", false}}), 400,
              "invalid_argument");

  Reply changed = Admin("PATCH", "/api/v1/admin/units/7",
                        {{"name", "三明市水利局（新）"}, {"region", 2}, {"active", false}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  auto stored_org = store_->LoadOrg();
  ASSERT_OK(stored_org);
  const domain::Unit* stored = stored_org->FindUnit(domain::UnitId{7});
  ASSERT_NE(stored, nullptr);
  EXPECT_EQ(stored->name, "三明市水利局（新）");
  EXPECT_EQ(stored->region, SmallCity::kCounty);
  EXPECT_FALSE(stored->active);
  EXPECT_FALSE(service_->config()->org.FindUnit(domain::UnitId{7})->active);
  // An inactive unit cannot lead a routing rule.
  ExpectError(Admin("POST", "/api/v1/admin/routing", {{"lead_unit", 7}}), 400, "invalid_argument");
}

// Creating and changing a unit read the body alike: a bad field is refused with the same
// message by both, and nothing is written.
TEST_F(AdminApiTest, UnitCreateAndUpdateRefuseABadFieldAlike) {
  const json good = {{"code", "city-water"}, {"name", "三明市水利局"},
                     {"level", "city"},      {"kind", "department"},
                     {"parent", 1},          {"region", 1}};
  for (const json& change : std::vector<json>{
           {{"name", ""}},
           {{"name", 7}},
           {{"name", std::string(65 * 3, 'x')}},
           {{"level", 3}},
           {{"level", "galaxy"}},
           {{"kind", "club"}},
           {{"parent", -1}},
           {{"region", "north"}},
           {{"active", "yes"}},
           {{"colour", "blue"}},
       }) {
    json body = good;
    body.update(change);
    Reply created = Admin("POST", "/api/v1/admin/units", body);
    Reply updated = Admin("PATCH", "/api/v1/admin/units/5", change);
    ExpectError(created, 400, "invalid_argument");
    ExpectError(updated, 400, "invalid_argument");
    EXPECT_EQ(created.Json()["error"]["message"], updated.Json()["error"]["message"])
        << change.dump();
  }
  auto org = store_->LoadOrg();
  ASSERT_OK(org);
  EXPECT_EQ(org->units().size(), city_->org.units().size());
  EXPECT_EQ(org->FindUnit(domain::UnitId{5})->name, city_->org.FindUnit(domain::UnitId{5})->name);
}

TEST_F(AdminApiTest, CategoriesAreCreatedAndRenamed) {
  int64_t housing = CategoryId("城乡建设/住房保障");
  int64_t leaf = CategoryId("城乡建设/住房保障/物业管理");
  ASSERT_GT(housing, 0);
  for (auto [body, status] : std::vector<std::pair<json, int>>{
           {{{"name", "供水"}, {"parent", leaf}}, 400},  // a fourth level
           {{{"name", "供水"}, {"parent", 999}}, 400},
           {{{"name", "供/水"}, {"parent", housing}}, 400},
           {{{"name", ""}, {"parent", housing}}, 400},
           {{{"name", "物业管理"}, {"parent", housing}}, 409},
       }) {
    Reply r = Admin("POST", "/api/v1/admin/categories", body);
    EXPECT_EQ(r.status, status) << body.dump() << " " << r.body;
  }
  EXPECT_EQ(store_->LoadCategories()->all().size(), city_->categories.all().size());

  Reply created =
      Admin("POST", "/api/v1/admin/categories", {{"name", "供水"}, {"parent", housing}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Json()["level"], 3);
  EXPECT_EQ(created.Json()["path"], "城乡建设/住房保障/供水");
  int64_t id = created.Json()["id"];
  Reply top = Admin("POST", "/api/v1/admin/categories", {{"name", "民生服务"}, {"parent", 0}});
  ASSERT_EQ(top.status, 201) << top.body;
  EXPECT_EQ(top.Json()["level"], 1);

  json cats = Req("op", "GET", "/api/v1/categories").Json()["categories"];
  EXPECT_TRUE(std::any_of(cats.begin(), cats.end(),
                          [](const json& c) { return c["path"] == "城乡建设/住房保障/供水"; }));

  Reply renamed =
      Admin("PATCH", "/api/v1/admin/categories/" + std::to_string(id), {{"name", "城市供水"}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_NE(store_->LoadCategories()->FindByPath("城乡建设/住房保障/城市供水"), nullptr);
  EXPECT_NE(service_->config()->categories.FindByPath("城乡建设/住房保障/城市供水"), nullptr);
  ExpectError(
      Admin("PATCH", "/api/v1/admin/categories/" + std::to_string(id), {{"name", "物业管理"}}), 409,
      "already_exists");
  ExpectError(Admin("PATCH", "/api/v1/admin/categories/999", {{"name", "x"}}), 404, "not_found");
  EXPECT_TRUE(Audited("admin.category.update", std::to_string(id)));
  // Creating and renaming check the name alike.
  for (const json& name : {json("供/水"), json(""), json(5), json(std::string(33 * 3, 'x'))}) {
    Reply bad_create =
        Admin("POST", "/api/v1/admin/categories", {{"name", name}, {"parent", housing}});
    Reply bad_rename =
        Admin("PATCH", "/api/v1/admin/categories/" + std::to_string(id), {{"name", name}});
    ExpectError(bad_create, 400, "invalid_argument");
    ExpectError(bad_rename, 400, "invalid_argument");
    EXPECT_EQ(bad_create.Json()["error"]["message"], bad_rename.Json()["error"]["message"])
        << name.dump();
  }
  EXPECT_NE(store_->LoadCategories()->FindByPath("城乡建设/住房保障/城市供水"), nullptr);
}

TEST_F(AdminApiTest, PoliciesAreReadAndChanged) {
  Reply got = Admin("GET", "/api/v1/admin/policies");
  ASSERT_EQ(got.status, 200) << got.body;
  json doc = got.Json();
  ASSERT_EQ(doc["policies"].size(), 18u);

  for (const json& bad : {
           json{{"policies", {{{"type", "complaint"}, {"urgency", "normal"}, {"reply", "7xx"}}}}},
           json{{"policies", {{{"type", "gossip"}, {"urgency", "normal"}, {"reply", "7wd"}}}}},
           json{{"policies", {{{"type", "complaint"}, {"urgency", "normal"}, {"sign", "0wh"}}}}},
           json{{"policies",
                 {{{"type", "complaint"}, {"urgency", "normal"}, {"reply", "7wd"}},
                  {{"type", "投诉"}, {"urgency", "普通"}, {"reply", "8wd"}}}}},
           json{{"policies", "all"}},
           json{{"text", "complaint normal 2wh"}},
       }) {
    ExpectError(Admin("PUT", "/api/v1/admin/policies", bad), 400, "invalid_argument");
  }
  EXPECT_FALSE(store_->GetSetting(app::kPoliciesSetting)->has_value());

  Reply put =
      Admin("PUT", "/api/v1/admin/policies",
            {{"policies", {{{"type", "complaint"}, {"urgency", "normal"}, {"reply", "7wd"}}}}});
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.Json()["changed"], 1);
  auto in_effect =
      service_->config()->policies.For(domain::RequestType::kComplaint, domain::Urgency::kNormal);
  EXPECT_EQ(domain::FormatTimeLimit(in_effect.reply), "7wd");
  auto stored = store_->GetSetting(app::kPoliciesSetting);
  ASSERT_OK(stored);
  ASSERT_TRUE(stored->has_value());
  auto parsed = domain::TimeLimitPolicies::Parse(**stored);
  ASSERT_OK(parsed);
  EXPECT_EQ(*parsed, service_->config()->policies);
  EXPECT_TRUE(Audited("admin.policies.update", "time_limit_policies"));

  // The console sends back the document it read: accepted unchanged.
  Reply again = Admin("GET", "/api/v1/admin/policies");
  Reply round = Admin("PUT", "/api/v1/admin/policies", again.Json());
  ASSERT_EQ(round.status, 200) << round.body;
  EXPECT_EQ(round.Json()["changed"], 0);
}

TEST_F(AdminApiTest, CalendarYearIsReadAndReplaced) {
  Reply got = Admin("GET", "/api/v1/admin/calendar?year=2024");
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.Json()["year"], 2024);
  EXPECT_TRUE(got.Json()["holidays"].empty());

  json year = {{"holidays",
                {{{"date", "2024-10-01"}, {"name", "国庆节"}},
                 {{"from", "2024-10-02"}, {"to", "2024-10-07"}, {"name", "国庆节"}}}},
               {"workdays", {{{"date", "2024-09-29"}, {"name", "国庆节调休"}}}}};
  for (const auto& [path, body] : std::vector<std::pair<std::string, json>>{
           {"?year=2024", {{"holidays", {{{"date", "2024-13-01"}}}}, {"workdays", json::array()}}},
           {"?year=2024", {{"holidays", {{{"date", "2025-01-01"}}}}, {"workdays", json::array()}}},
           {"?year=2024",
            {{"holidays", {"2024-10-01", "2024-10-01"}}, {"workdays", json::array()}}},
           {"?year=2024", {{"holidays", json::array()}}},
           {"?year=2024",
            {{"year", 2025}, {"holidays", json::array()}, {"workdays", json::array()}}},
           {"", {{"holidays", json::array()}, {"workdays", json::array()}}},
           {"", {{"text", "holiday 2024-99-01 x"}}},
       }) {
    ExpectError(Admin("PUT", "/api/v1/admin/calendar" + path, body), 400, "invalid_argument");
  }
  EXPECT_FALSE(store_->GetSetting(app::kCalendarSetting)->has_value());

  Reply put = Admin("PUT", "/api/v1/admin/calendar?year=2024", year);
  ASSERT_EQ(put.status, 200) << put.body;
  using std::chrono::year_month_day;
  using namespace std::chrono_literals;
  const auto& cal = service_->config()->calendar;
  EXPECT_FALSE(cal.IsWorkingDay(year_month_day{2024y / 10 / 1}));
  EXPECT_FALSE(cal.IsWorkingDay(year_month_day{2024y / 10 / 7}));
  EXPECT_TRUE(cal.IsWorkingDay(year_month_day{2024y / 9 / 29}));  // a Sunday, made up
  auto stored = store_->GetSetting(app::kCalendarSetting);
  ASSERT_OK(stored);
  ASSERT_TRUE(stored->has_value());
  auto parsed = domain::WorkCalendar::Parse(**stored);
  ASSERT_OK(parsed);
  EXPECT_EQ(*parsed, cal);
  EXPECT_TRUE(Audited("admin.calendar.update", "calendar"));

  Reply read = Admin("GET", "/api/v1/admin/calendar?year=2024");
  EXPECT_EQ(read.Json()["holidays"].size(), 7u);
  EXPECT_EQ(read.Json()["workdays"].size(), 1u);
  EXPECT_EQ(read.Json()["workdays"][0]["name"], "国庆节调休");
  // Every member of staff reads it (the console's countdowns), nobody but the admin edits it.
  Reply unit_read = Req("housing", "GET", "/api/v1/calendar?year=2024");
  ASSERT_EQ(unit_read.status, 200) << unit_read.body;
  EXPECT_EQ(unit_read.Json()["holidays"], read.Json()["holidays"]);
  ExpectError(Req("housing", "PUT", "/api/v1/calendar", read.Json()), 404, "not_found");
  // The console sends back the document it read (with the year in it).
  EXPECT_EQ(Admin("PUT", "/api/v1/admin/calendar?year=2024", read.Json()).status, 200);
  // Replacing the year with fewer days removes the others.
  ASSERT_EQ(Admin("PUT", "/api/v1/admin/calendar",
                  {{"year", 2024},
                   {"holidays", {{{"date", "2024-10-01"}, {"name", "国庆节"}}}},
                   {"workdays", json::array()}})
                .status,
            200);
  EXPECT_TRUE(service_->config()->calendar.IsWorkingDay(year_month_day{2024y / 10 / 2}));
  EXPECT_FALSE(service_->config()->calendar.IsWorkingDay(year_month_day{2024y / 9 / 29}));
}

TEST_F(AdminApiTest, RoutingRulesTakeEffectAtOnceAndKeepTheirHistory) {
  int64_t transport = CategoryId("交通运输");
  int64_t bus = CategoryId("交通运输/公共交通/公交线路");
  int64_t housing = CategoryId("城乡建设");
  ASSERT_GT(bus, 0);
  json s = Suggest(bus, SmallCity::kStreet.value());
  EXPECT_TRUE(s["fallback"].get<bool>()) << s.dump();

  // Bad rules: 400 and nothing written.
  for (const json& bad : {
           json{{"category", transport}},                                     // no lead unit
           json{{"category", transport}, {"lead_unit", 999}},                 // unknown unit
           json{{"category", 999}, {"lead_unit", 6}},                         // unknown category
           json{{"category", transport}, {"region", 999}, {"lead_unit", 6}},  // unknown region
           json{{"category", transport}, {"lead_unit", 6}, {"co_units", {6}}},
           json{{"category", transport}, {"lead_unit", 6}, {"co_units", {2, 2}}},
           json{{"category", transport}, {"lead_unit", 6}, {"priority", "high"}},
           json{{"category", transport},
                {"lead_unit", 6},
                {"valid_from", "2024-05-01"},
                {"valid_to", "2024-04-01"}},
           json{{"category", transport}, {"lead_unit", 6}, {"valid_from", "tomorrow"}},
           json{{"category", transport}, {"lead_unit", 6}, {"colour", "red"}},
           // The same category, region and priority as rule #1 with another unit: a conflict.
           json{{"category", housing}, {"lead_unit", 3}},
       }) {
    ExpectError(Admin("POST", "/api/v1/admin/routing", bad), 400, "invalid_argument");
  }
  EXPECT_EQ(HistorySize(), 0u);
  EXPECT_EQ(store_->LoadRouting()->rules().size(), 3u);

  Reply created = Admin("POST", "/api/v1/admin/routing",
                        {{"category", transport},
                         {"lead_unit", SmallCity::kTransport.value()},
                         {"co_units", {SmallCity::kHousing.value()}},
                         {"note", "交通类诉求"}});
  ASSERT_EQ(created.status, 201) << created.body;
  int64_t id = created.Json()["id"];
  EXPECT_EQ(id, 4);
  EXPECT_EQ(created.Json()["lead_unit_name"], "三明市交通运输局");
  // In effect at once: the suggestion for a bus-line request now names the rule's unit.
  s = Suggest(bus, SmallCity::kStreet.value());
  EXPECT_EQ(s["lead_unit"], SmallCity::kTransport.value()) << s.dump();
  EXPECT_FALSE(s["fallback"].get<bool>());
  EXPECT_EQ(s["co_units"].size(), 1u);
  EXPECT_EQ(store_->LoadRouting()->rules().size(), 4u);

  std::string path = "/api/v1/admin/routing/" + std::to_string(id);
  Reply updated = Admin(
      "PATCH", path,
      {{"lead_unit", SmallCity::kHousing.value()}, {"co_units", json::array()}, {"priority", 5}});
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(Suggest(bus, SmallCity::kStreet.value())["lead_unit"], SmallCity::kHousing.value());
  ExpectError(Admin("PATCH", path, {{"lead_unit", 999}}), 400, "invalid_argument");
  ExpectError(Admin("PATCH", "/api/v1/admin/routing/99", {{"priority", 1}}), 404, "not_found");

  Reply rules = Admin("GET", "/api/v1/admin/routing");
  ASSERT_EQ(rules.status, 200);
  EXPECT_EQ(rules.Json()["rules"].size(), 4u);
  EXPECT_EQ(rules.Json()["fallback_unit"], SmallCity::kCountyHub.value());

  ASSERT_EQ(Admin("DELETE", path).status, 200);
  EXPECT_TRUE(Suggest(bus, SmallCity::kStreet.value())["fallback"].get<bool>());
  ExpectError(Admin("DELETE", path), 404, "not_found");

  ExpectError(Admin("PUT", "/api/v1/admin/routing/fallback", {{"unit", 999}}), 400,
              "invalid_argument");
  ASSERT_EQ(Admin("PUT", "/api/v1/admin/routing/fallback", {{"unit", 1}}).status, 200);
  s = Suggest(bus, SmallCity::kStreet.value());
  EXPECT_EQ(s["lead_unit"], 1);
  EXPECT_TRUE(s["fallback"].get<bool>());
  EXPECT_EQ(store_->LoadRouting()->fallback_unit(), SmallCity::kCentre);

  // History: newest first, who, when, before and after.
  Reply history = Admin("GET", "/api/v1/admin/routing/history");
  ASSERT_EQ(history.status, 200) << history.body;
  json h = history.Json()["history"];
  ASSERT_EQ(h.size(), 4u) << h.dump();
  EXPECT_EQ(h[0]["action"], "fallback");
  EXPECT_EQ(h[0]["before"]["fallback_unit"], SmallCity::kCountyHub.value());
  EXPECT_EQ(h[0]["after"]["fallback_unit"], 1);
  EXPECT_EQ(h[1]["action"], "delete");
  EXPECT_TRUE(h[1]["after"].is_null());
  EXPECT_EQ(h[1]["before"]["lead_unit"], SmallCity::kHousing.value());
  EXPECT_EQ(h[2]["action"], "update");
  EXPECT_EQ(h[2]["before"]["lead_unit"], SmallCity::kTransport.value());
  EXPECT_EQ(h[2]["after"]["lead_unit"], SmallCity::kHousing.value());
  EXPECT_EQ(h[2]["after"]["priority"], 5);
  EXPECT_EQ(h[3]["action"], "create");
  EXPECT_TRUE(h[3]["before"].is_null());
  for (const auto& e : h) {
    EXPECT_EQ(e["login"], "admin");
    EXPECT_EQ(e["at"], "2024-03-04T09:00:00+08:00");
  }
  EXPECT_EQ(Admin("GET", "/api/v1/admin/routing/history?rule=4").Json()["history"].size(), 3u);
  EXPECT_TRUE(Audited("admin.routing.create", "rule:4"));
  EXPECT_TRUE(Audited("admin.routing.delete", "rule:4"));

  // A deleted rule's id is never reused.
  Reply again = Admin("POST", "/api/v1/admin/routing", {{"category", bus}, {"lead_unit", 6}});
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.Json()["id"], 5);

  // What the service runs on is what a restart would load.
  auto reloaded = app::LoadConfig(*store_, "");
  ASSERT_OK(reloaded);
  ASSERT_EQ(reloaded->routing.rules().size(), service_->config()->routing.rules().size());
  EXPECT_EQ(reloaded->routing.fallback_unit(), service_->config()->routing.fallback_unit());
}

TEST_F(AdminApiTest, RoutingCheckListsGapsAndConflicts) {
  Reply check = Admin("GET", "/api/v1/admin/routing/check");
  ASSERT_EQ(check.status, 200) << check.body;
  json j = check.Json();
  // The bus-line category has no rule: a gap in the county and in the township.
  ASSERT_EQ(j["gaps"].size(), 2u) << j.dump();
  EXPECT_EQ(j["gaps"][0]["category_path"], "交通运输/公共交通/公交线路");
  EXPECT_TRUE(j["conflicts"].empty());
  EXPECT_FALSE(j["ok"].get<bool>());

  ASSERT_EQ(Admin("POST", "/api/v1/admin/routing",
                  {{"category", CategoryId("交通运输")}, {"lead_unit", 6}})
                .status,
            201);
  j = Admin("GET", "/api/v1/admin/routing/check").Json();
  EXPECT_TRUE(j["gaps"].empty()) << j.dump();
  EXPECT_TRUE(j["ok"].get<bool>());

  // A conflict that came in another way (an import) is listed.
  auto next = std::make_shared<app::HotlineConfig>(*service_->config());
  auto rules = next->routing.rules();
  domain::RoutingRule twin = rules[0];
  twin.id = domain::RuleId{50};
  twin.lead_unit = SmallCity::kEnvironment;
  rules.push_back(twin);
  next->routing = domain::RoutingDirectory(rules, next->routing.fallback_unit());
  service_->SwapConfig(next);
  j = Admin("GET", "/api/v1/admin/routing/check").Json();
  ASSERT_EQ(j["conflicts"].size(), 1u) << j.dump();
  EXPECT_EQ(j["conflicts"][0]["a"], 1);
  EXPECT_EQ(j["conflicts"][0]["b"], 50);
}

}  // namespace
}  // namespace hotline::adapters::http
