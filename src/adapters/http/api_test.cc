// The API through real HTTP on an ephemeral port, against a real SQLite store.
#include "adapters/http/api.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "adapters/http/openapi.h"
#include "testing/api_fixture.h"
#include "testing/http_client.h"
#include "testing/matchers.h"

namespace hotline::adapters::http {
namespace {

using hotline::testing::Call;
using hotline::testing::ExpectError;
using hotline::testing::Reply;
using nlohmann::json;
namespace fs = std::filesystem;

class ApiTest : public hotline::testing::ApiFixture {
 protected:
  ApiTest() {
    server_options_.threads = 4;
    server_options_.max_body_bytes = 64 * 1024;
    server_options_.read_timeout = std::chrono::seconds(2);
  }

  Reply Post(const std::string& login, const std::string& path, const json& body) {
    return Call(port_, "POST", path, body.dump(), As(login));
  }

  std::string NewTicket(const json& extra = json::object()) {
    json body = {{"type", "投诉"},
                 {"content", "小区夜间施工噪音"},
                 {"citizen_name", "张三"},
                 {"citizen_phone", "13812345678"}};
    body.update(extra);
    Reply r = Post("op", "/api/v1/tickets", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.Json().value("number", "");
  }

  Reply Act(const std::string& login, const std::string& number, const std::string& action,
            const json& body = json::object()) {
    return Post(login, "/api/v1/tickets/" + number + "/actions/" + action, body);
  }
};

TEST_F(ApiTest, LifecycleEndToEndByTheRolesThatOwnEachStep) {
  std::string n = NewTicket();
  ASSERT_FALSE(n.empty());
  EXPECT_EQ(Act("disp", n, "dispatch", {{"lead_unit", 2}}).status, 200);
  EXPECT_EQ(Act("housing", n, "sign").status, 200);
  EXPECT_EQ(Act("housing", n, "reply", {{"reply", "已责令停工"}}).status, 200);
  EXPECT_EQ(Act("disp", n, "review_pass").status, 200);
  Reply cb = Act("cb", n, "callback",
                 {{"reached", true}, {"resolved", false}, {"satisfaction", "不满意"}});
  EXPECT_EQ(cb.status, 200) << cb.body;
  EXPECT_EQ(Act("cb", n, "rehandle", {{"reason", "仍有噪音"}}).status, 200);
  EXPECT_EQ(Act("housing", n, "sign").status, 200);
  EXPECT_EQ(Act("housing", n, "reply", {{"reply", "已联合执法"}}).status, 200);
  EXPECT_EQ(Act("disp", n, "review_pass").status, 200);
  EXPECT_EQ(
      Act("cb", n, "callback", {{"reached", true}, {"resolved", true}, {"satisfaction", "满意"}})
          .status,
      200);
  Reply done = Act("system", n, "archive");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.Json()["state"], "archived");
  EXPECT_EQ(done.Json()["rehandle_count"], 1);
  Reply show = Call(port_, "GET", "/api/v1/tickets/" + n, "", As("disp"));
  ASSERT_EQ(show.status, 200);
  EXPECT_EQ(show.Json()["history"].size(), 12u);
}

TEST_F(ApiTest, AuthenticationThrottlingAndCsrf) {
  ExpectError(Call(port_, "GET", "/api/v1/tickets"), 401, "unauthenticated");
  ExpectError(Call(port_, "POST", "/api/v1/auth/login",
                   json{{"login", "op"}, {"password", "wrong-pass"}}.dump()),
              401, "unauthenticated");
  for (int i = 0; i < 5; ++i) {
    (void)Call(port_, "POST", "/api/v1/auth/login",
               json{{"login", "sup"}, {"password", "guess" + std::to_string(i)}}.dump());
  }
  ExpectError(Call(port_, "POST", "/api/v1/auth/login",
                   json{{"login", "sup"}, {"password", "secret-pass"}}.dump()),
              429, "resource_exhausted");
  auto headers = As("op");
  // A cookie without the CSRF header cannot change anything.
  ExpectError(Call(port_, "POST", "/api/v1/tickets",
                   json{{"type", "咨询"}, {"content", "x"}}.dump(), {headers[0]}),
              403, "permission_denied");
  Reply login = Call(port_, "POST", "/api/v1/auth/login",
                     json{{"login", "op"}, {"password", "secret-pass"}}.dump());
  EXPECT_NE(login.headers.find("HttpOnly"), std::string::npos);
  EXPECT_NE(login.headers.find("SameSite=Strict"), std::string::npos);
  // A bearer token needs no CSRF header.
  Reply bearer = Call(port_, "POST", "/api/v1/tickets",
                      json{{"type", "咨询"}, {"content", "社保卡怎么办"}}.dump(),
                      {"Authorization: Bearer " + login.Json()["token"].get<std::string>()});
  EXPECT_EQ(bearer.status, 201) << bearer.body;
  EXPECT_EQ(Call(port_, "POST", "/api/v1/auth/logout", "", headers).status, 200);
  ExpectError(Call(port_, "GET", "/api/v1/me", "", headers), 401, "unauthenticated");
}

TEST_F(ApiTest, DataScopeAndMasking) {
  std::string n = NewTicket();
  ASSERT_EQ(Act("disp", n, "dispatch", {{"lead_unit", 2}}).status, 200);
  Reply unit = Call(port_, "GET", "/api/v1/tickets/" + n, "", As("housing"));
  ASSERT_EQ(unit.status, 200);
  EXPECT_EQ(unit.Json()["citizen_phone"], "138****5678");
  EXPECT_EQ(unit.Json()["citizen_name"], "张*");
  Reply callback = Call(port_, "GET", "/api/v1/tickets/" + n, "", As("cb"));
  EXPECT_EQ(callback.Json()["citizen_phone"], "13812345678");
  // Another unit cannot see it, nor act on it, nor list it.
  ExpectError(Call(port_, "GET", "/api/v1/tickets/" + n, "", As("env")), 404, "not_found");
  ExpectError(Act("env", n, "sign"), 404, "not_found");
  Reply list = Call(port_, "GET", "/api/v1/tickets", "", As("env"));
  ASSERT_EQ(list.status, 200);
  EXPECT_TRUE(list.Json()["tickets"].empty());
  EXPECT_EQ(Call(port_, "GET", "/api/v1/tickets", "", As("housing")).Json()["tickets"].size(), 1u);
  ExpectError(Call(port_, "GET", "/api/v1/tickets?unit=3", "", As("housing")), 403,
              "permission_denied");
  // A whistle-blower is never shown to the unit reported on.
  std::string report = NewTicket({{"type", "举报"}, {"content", "非法排污"}});
  ASSERT_EQ(Act("disp", report, "dispatch", {{"lead_unit", 3}}).status, 200);
  Reply r = Call(port_, "GET", "/api/v1/tickets/" + report, "", As("env"));
  EXPECT_EQ(r.Json()["citizen_name"], "（保密）");
  EXPECT_EQ(r.Json()["citizen_phone"], "（保密）");
  EXPECT_EQ(r.body.find("13812345678"), std::string::npos);
}

TEST_F(ApiTest, BadInputGetsAClearErrorAndWritesNothing) {
  auto op = As("op");
  ExpectError(Call(port_, "POST", "/api/v1/tickets", "{not json", op), 400, "invalid_argument");
  ExpectError(Call(port_, "POST", "/api/v1/tickets", "[1,2]", op), 400, "invalid_argument");
  ExpectError(
      Call(port_, "POST", "/api/v1/tickets", "{\"type\":\"投诉\",\"content\":\"\xff\xfe\"}", op),
      400, "invalid_argument");
  ExpectError(Call(port_, "POST", "/api/v1/tickets",
                   json{{"type", "投诉"}, {"content", {{"nested", 1}}}}.dump(), op),
              400, "invalid_argument");
  ExpectError(Call(port_, "POST", "/api/v1/tickets", json{{"content", "x"}}.dump(), op), 400,
              "invalid_argument");
  ExpectError(Call(port_, "POST", "/api/v1/tickets",
                   json{{"type", "投诉"}, {"content", std::string(100000, 'a')}}.dump(), op),
              413, "payload_too_large");
  ExpectError(Call(port_, "GET", "/api/v1/nothing-here", "", op), 404, "not_found");
  ExpectError(Call(port_, "GET", "/elsewhere"), 404, "not_found");
  std::string n = NewTicket();
  ExpectError(Act("op", n, "fly"), 404, "not_found");
  ExpectError(Act("disp", n, "sign"), 409, "failed_precondition");
  ExpectError(Act("disp", n, "dispatch", {{"lead_unit", "abc"}}), 400, "invalid_argument");
  ExpectError(Act("disp", n, "dispatch", {{"lead_unit", 2}, {"version", "x"}}), 400,
              "invalid_argument");
  ExpectError(Act("disp", n, "dispatch", {{"lead_unit", 2}, {"version", 7}}), 409, "aborted");
  ExpectError(Act("disp", "SM-none", "dispatch", {{"lead_unit", 2}}), 404, "not_found");
  // Only the one valid ticket was written.
  auto summary = store_->Summary();
  ASSERT_OK(summary);
  EXPECT_EQ(summary->tickets, 1);
  EXPECT_EQ(summary->events, 1);
  // The server still answers after all that.
  EXPECT_EQ(Call(port_, "GET", "/healthz").status, 200);
}

TEST_F(ApiTest, ChangesAndPersonalDataReadsAreAudited) {
  std::string n = NewTicket();
  ASSERT_EQ(Act("disp", n, "dispatch", {{"lead_unit", 2}}).status, 200);
  (void)Call(port_, "GET", "/api/v1/tickets/" + n, "", As("cb"));       // unmasked: audited
  (void)Call(port_, "GET", "/api/v1/tickets/" + n, "", As("housing"));  // masked: not
  (void)Call(port_, "POST", "/api/v1/auth/login",
             json{{"login", "op"}, {"password", "bad-password"}}.dump());
  auto entries = store_->Entries(0, 1000);
  ASSERT_OK(entries);
  std::vector<std::string> seen;
  for (const auto& e : *entries) {
    if (e.record.action != "auth.login") {
      seen.push_back(e.record.login + " " + e.record.action + " " + e.record.target);
    }
  }
  std::vector<std::string> want = {"op ticket.register " + n, "disp ticket.dispatch " + n,
                                   "cb personal_data.read " + n, "op auth.login_failed "};
  EXPECT_EQ(seen, want);
  auto v = store_->Verify();
  ASSERT_OK(v);
  EXPECT_TRUE(v->problems.empty());
}

TEST_F(ApiTest, UnitWorkQueues) {
  std::string a = NewTicket();
  std::string b = NewTicket();
  ASSERT_EQ(Act("disp", a, "dispatch", {{"lead_unit", 2}}).status, 200);
  ASSERT_EQ(Act("disp", b, "dispatch", {{"lead_unit", 2}}).status, 200);
  ASSERT_EQ(Act("housing", b, "sign").status, 200);
  auto numbers = [&](const std::string& queue) {
    std::vector<std::string> out;
    // A fresh login each time: the clock jumps by days, past the session's lifetime.
    Reply r = Call(port_, "GET", "/api/v1/queues/" + queue, "", As("housing"));
    EXPECT_EQ(r.status, 200) << r.body;
    const json body = r.Json();  // kept alive: the loop walks into it
    for (const auto& t : body["tickets"]) {
      out.push_back(t["number"]);
    }
    return out;
  };
  EXPECT_EQ(numbers("to_sign"), std::vector<std::string>{a});
  EXPECT_EQ(numbers("in_progress"), std::vector<std::string>{b});
  EXPECT_TRUE(numbers("overdue").empty());
  EXPECT_TRUE(numbers("due_soon").empty());
  // 投诉 has 10 working days: 9 working days later it is due soon, 11 later overdue.
  clock_.Advance(std::chrono::hours(24 * 13));
  EXPECT_EQ(numbers("due_soon").size(), 2u);
  clock_.Advance(std::chrono::hours(24 * 3));
  EXPECT_EQ(numbers("overdue").size(), 2u);
  EXPECT_TRUE(numbers("due_soon").empty());
  auto housing = As("housing");
  ExpectError(Call(port_, "GET", "/api/v1/queues/nope", "", housing), 404, "not_found");
  ExpectError(Call(port_, "GET", "/api/v1/queues/to_sign?unit=3", "", housing), 403,
              "permission_denied");
  EXPECT_EQ(Call(port_, "GET", "/api/v1/queues/to_sign?unit=2", "", As("sup")).status, 200);
}

// Every role against every ticket endpoint, on a ticket of another unit and of its own:
// the expected status of each cell is written out here, independently of the code.
TEST_F(ApiTest, AuthorisationMatrix) {
  std::string t = NewTicket();  // dispatched to 住建局 (housing) by the centre
  ASSERT_EQ(Act("disp", t, "dispatch", {{"lead_unit", 2}}).status, 200);
  struct Row {
    const char* login;
    int show;    // GET /tickets/{t}
    int create;  // POST /tickets
    int note;    // POST /tickets/{t}/actions/note
    int sign;    // POST /tickets/{t}/actions/sign (the ticket stays dispatched: nobody signs)
  };
  const Row rows[] = {
      // login            show create note sign
      {"op", 200, 201, 200, 403},    {"disp", 200, 201, 200, 403},   {"cb", 200, 403, 200, 403},
      {"sup", 200, 403, 200, 403},   {"qa", 200, 403, 200, 403},     {"boss", 200, 403, 200, 403},
      {"admin", 200, 403, 200, 403}, {"system", 200, 201, 200, 403}, {"env", 404, 403, 404, 404},
      {"hub", 404, 403, 404, 404},   {"town", 404, 403, 404, 404},
  };
  for (const Row& row : rows) {
    auto h = As(row.login);
    EXPECT_EQ(Call(port_, "GET", "/api/v1/tickets/" + t, "", h).status, row.show) << row.login;
    EXPECT_EQ(Call(port_, "POST", "/api/v1/tickets",
                   json{{"type", "咨询"}, {"content", "权限矩阵"}}.dump(), h)
                  .status,
              row.create)
        << row.login;
    EXPECT_EQ(Call(port_, "POST", "/api/v1/tickets/" + t + "/actions/note",
                   json{{"text", "备注"}}.dump(), h)
                  .status,
              row.note)
        << row.login;
    EXPECT_EQ(Call(port_, "POST", "/api/v1/tickets/" + t + "/actions/sign", "{}", h).status,
              row.sign)
        << row.login;
    EXPECT_EQ(Call(port_, "GET", "/api/v1/tickets", "", h).status, 200) << row.login;
    EXPECT_EQ(Call(port_, "GET", "/api/v1/queues/to_sign", "", h).status, 200) << row.login;
  }
  // The owning unit's staff: both may see and annotate; the admin signs last.
  EXPECT_EQ(Call(port_, "GET", "/api/v1/tickets/" + t, "", As("housing")).status, 200);
  EXPECT_EQ(Act("housing", t, "note", {{"text", "承办人备注"}}).status, 200);
  EXPECT_EQ(Act("housing-admin", t, "sign").status, 200);
  ExpectError(Act("housing", t, "sign"), 409, "failed_precondition");
}

// The OpenAPI document lists exactly the routes the server answers.
TEST_F(ApiTest, OpenApiDocumentIsTrue) {
  Reply doc = Call(port_, "GET", "/api/openapi.json");
  ASSERT_EQ(doc.status, 200);
  auto j = doc.Json();
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["openapi"], "3.0.3");
  auto headers = As("disp");
  std::string n = NewTicket();
  size_t operations = 0;
  for (const auto& [path, methods] : j["paths"].items()) {
    for (const auto& [method, op] : methods.items()) {
      ++operations;
      std::string concrete = path;
      for (auto [name, value] :
           {std::pair{"{number}", n}, std::pair{"{action}", std::string("note")},
            std::pair{"{queue}", std::string("to_sign")}, std::pair{"{id}", std::string("999")}}) {
        if (auto pos = concrete.find(name); pos != std::string::npos) {
          concrete.replace(pos, std::string(name).size(), value);
        }
      }
      std::string body = method == "post" ? json{{"text", "x"}}.dump() : "";
      if (concrete == "/api/v1/auth/logout" || concrete == "/api/v1/events") {
        continue;  // would end the session the other calls use; a stream never ends
      }
      std::string verb = method;
      for (auto& c : verb) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      Reply r = Call(port_, verb, concrete, body, headers);
      EXPECT_EQ(r.body.find("没有这个接口"), std::string::npos) << method << " " << concrete;
      EXPECT_NE(r.status, 405) << method << " " << concrete;
    }
  }
  EXPECT_EQ(operations, api_->AllRoutes().size());
  // And a route that is not in the document is not served.
  ExpectError(Call(port_, "GET", "/api/v1/undocumented", "", headers), 404, "not_found");
}

TEST_F(ApiTest, HealthReadinessAndMetrics) {
  EXPECT_EQ(Call(port_, "GET", "/healthz").Json()["status"], "ok");
  EXPECT_EQ(Call(port_, "GET", "/readyz").Json()["status"], "ready");
  (void)Call(port_, "GET", "/api/v1/tickets");
  Reply m = Call(port_, "GET", "/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_NE(m.body.find("hotline_http_requests_total"), std::string::npos);
  EXPECT_NE(m.body.find("hotline_http_errors_total 1"), std::string::npos) << m.body;
}

TEST_F(ApiTest, MalformedHttpIsAnsweredAndTheServerSurvives) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::string junk = "THIS IS NOT HTTP\r\n\r\n";
  ASSERT_GT(send(fd, junk.data(), junk.size(), MSG_NOSIGNAL), 0);
  char buf[1024];
  ssize_t n = recv(fd, buf, sizeof buf, 0);
  close(fd);
  ASSERT_GT(n, 12);
  EXPECT_EQ(std::string(buf, 12), "HTTP/1.1 400");
  std::string big_header(20000, 'x');
  ExpectError(Call(port_, "GET", "/healthz", "", {"X-Big: " + big_header}), 431,
              "headers_too_large");
  // Invalid UTF-8 in the path or a query is refused with the error shape, not a 500 (the
  // message quotes the path: found by fuzz_http_request).
  ExpectError(Call(port_, "GET", "/x\xff"), 404, "not_found");
  ExpectError(Call(port_, "GET", "/api/v1/tickets?state=%FF", "", As("disp")), 400,
              "invalid_argument");
  EXPECT_EQ(Call(port_, "GET", "/healthz").status, 200);
}

}  // namespace
}  // namespace hotline::adapters::http

namespace hotline::adapters::http {
namespace {

// An open live-update stream read with a deadline.
class StreamReader {
 public:
  StreamReader(uint16_t port, const std::string& path, const std::vector<std::string>& headers) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      return;
    }
    std::string req =
        "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n";
    for (const auto& h : headers) {
      req += h + "\r\n";
    }
    req += "\r\n";
    (void)send(fd_, req.data(), req.size(), MSG_NOSIGNAL);
  }
  ~StreamReader() { close(fd_); }

  // Reads until `needle` has arrived or `timeout` passed; returns everything read so far.
  const std::string& ReadUntil(const std::string& needle,
                               std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (data_.find(needle) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      timeval tv{0, 100 * 1000};
      setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      char buf[4096];
      ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n > 0) {
        data_.append(buf, static_cast<size_t>(n));
      } else if (n == 0) {
        break;
      }
    }
    return data_;
  }

 private:
  int fd_ = -1;
  std::string data_;
};

TEST_F(ApiTest, LiveUpdatesReachTheUnitThatMaySeeThemOnly) {
  StreamReader housing(port_, "/api/v1/events", As("housing"));
  StreamReader env(port_, "/api/v1/events", As("env"));
  StreamReader disp(port_, "/api/v1/events", As("disp"));
  ASSERT_NE(housing.ReadUntil("retry:").find("text/event-stream"), std::string::npos);
  ASSERT_NE(env.ReadUntil("retry:").find("200 OK"), std::string::npos);
  std::string n = NewTicket();
  // The centre's dispatcher sees the registration; the unit only once it is dispatched there.
  EXPECT_NE(disp.ReadUntil(n).find("\"action\":\"register\""), std::string::npos);
  ASSERT_EQ(Act("disp", n, "dispatch", {{"lead_unit", 2}}).status, 200);
  const std::string& got = housing.ReadUntil("\"action\":\"dispatch\"");
  EXPECT_NE(got.find("event: ticket"), std::string::npos) << got;
  EXPECT_NE(got.find(n), std::string::npos) << got;
  EXPECT_EQ(got.find("13812345678"), std::string::npos) << "no personal data in events";
  // Another unit hears nothing of it.
  EXPECT_EQ(env.ReadUntil(n, std::chrono::milliseconds(500)).find(n), std::string::npos);
  Reply m = Call(port_, "GET", "/metrics");
  EXPECT_NE(m.body.find("hotline_live_streams 3"), std::string::npos) << m.body;
  // Without a login there is no stream.
  ExpectError(Call(port_, "GET", "/api/v1/events"), 401, "unauthenticated");
}

TEST_F(ApiTest, ApiKeysActAsTheirUserUntilRevoked) {
  auto admin = As("admin");
  ExpectError(Call(port_, "POST", "/api/v1/admin/api-keys",
                   json{{"name", "电话系统"}, {"login", "system"}}.dump(), As("disp")),
              403, "permission_denied");
  ExpectError(Call(port_, "POST", "/api/v1/admin/api-keys",
                   json{{"name", "电话系统"}, {"login", "nobody"}}.dump(), admin),
              404, "not_found");
  Reply created = Call(port_, "POST", "/api/v1/admin/api-keys",
                       json{{"name", "电话系统"}, {"login", "system"}}.dump(), admin);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string key = created.Json()["key"];
  // A system registers a ticket with its key, no session and no CSRF token.
  Reply t = Call(port_, "POST", "/api/v1/tickets",
                 json{{"type", "咨询"}, {"content", "来自电话系统"}, {"channel", "电话"}}.dump(),
                 {"X-API-Key: " + key});
  EXPECT_EQ(t.status, 201) << t.body;
  EXPECT_EQ(Call(port_, "GET", "/api/v1/me", "", {"Authorization: ApiKey " + key}).Json()["role"],
            "system");
  Reply list = Call(port_, "GET", "/api/v1/admin/api-keys", "", admin);
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.Json()["api_keys"].size(), 1u);
  EXPECT_EQ(list.body.find(key), std::string::npos) << "the key itself is never listed";
  int64_t id = list.Json()["api_keys"][0]["id"];
  ASSERT_EQ(Call(port_, "DELETE", "/api/v1/admin/api-keys/" + std::to_string(id), "", admin).status,
            200);
  ExpectError(Call(port_, "GET", "/api/v1/me", "", {"X-API-Key: " + key}), 401, "unauthenticated");
  ExpectError(Call(port_, "GET", "/api/v1/me", "", {"X-API-Key: hk_forged"}), 401,
              "unauthenticated");
}

TEST_F(ApiTest, SessionsSurviveARestartAndExpire) {
  auto headers = As("disp");
  // A new server process over the same store: the session is still good.
  server_options_ = {};
  ASSERT_NO_FATAL_FAILURE(RestartApi());
  EXPECT_EQ(Call(port_, "GET", "/api/v1/me", "", headers).status, 200);
  // Logged out: gone from the store as well.
  ASSERT_EQ(Call(port_, "POST", "/api/v1/auth/logout", "", headers).status, 200);
  ExpectError(Call(port_, "GET", "/api/v1/me", "", headers), 401, "unauthenticated");
  // Expired after its lifetime on the injected clock.
  auto fresh = As("disp");
  clock_.Advance(std::chrono::hours(9));
  ExpectError(Call(port_, "GET", "/api/v1/me", "", fresh), 401, "unauthenticated");
  auto removed = store_->DeleteExpiredSessions(clock_.Now());
  ASSERT_OK(removed);
  EXPECT_GE(*removed, 1);
}

TEST_F(ApiTest, CitizenPortalSubmitTrackAndRate) {
  Reply sub =
      Call(port_, "POST", "/api/v1/public/requests",
           json{{"phone", "13900001111"}, {"content", "路灯不亮"}, {"name", "李四"}}.dump());
  ASSERT_EQ(sub.status, 201) << sub.body;
  std::string n = sub.Json()["number"];
  ExpectError(Call(port_, "POST", "/api/v1/public/requests", json{{"content", "x"}}.dump()), 400,
              "invalid_argument");
  ExpectError(Call(port_, "POST", "/api/v1/public/requests",
                   json{{"phone", "13900001111"}, {"content", 5}}.dump()),
              400, "invalid_argument");
  // Tracking needs the phone it was submitted with; a wrong one looks like a wrong number.
  ExpectError(Call(port_, "GET", "/api/v1/public/requests/" + n + "?phone=13900002222"), 404,
              "not_found");
  Reply track = Call(port_, "GET", "/api/v1/public/requests/" + n + "?phone=13900001111");
  ASSERT_EQ(track.status, 200) << track.body;
  EXPECT_EQ(track.Json()["state"], "registered");
  EXPECT_EQ(track.Json()["can_rate"], false);
  // The centre handles it; the citizen reads the reply and rates it.
  ASSERT_EQ(Act("disp", n, "dispatch", {{"lead_unit", 2}}).status, 200);
  ASSERT_EQ(Act("housing", n, "sign").status, 200);
  ASSERT_EQ(Act("housing", n, "reply", {{"reply", "已修复路灯"}}).status, 200);
  EXPECT_FALSE(Call(port_, "GET", "/api/v1/public/requests/" + n + "?phone=13900001111")
                   .Json()
                   .contains("reply"))
      << "not before the centre reviewed it";
  ASSERT_EQ(Act("disp", n, "review_pass").status, 200);
  track = Call(port_, "GET", "/api/v1/public/requests/" + n + "?phone=13900001111");
  EXPECT_EQ(track.Json()["reply"], "已修复路灯");
  EXPECT_EQ(track.Json()["can_rate"], true);
  ExpectError(Call(port_, "POST", "/api/v1/public/requests/" + n + "/rating",
                   json{{"phone", "13900001111"}, {"satisfaction", "满意"}}.dump()),
              400, "invalid_argument");
  Reply rated =
      Call(port_, "POST", "/api/v1/public/requests/" + n + "/rating",
           json{{"phone", "13900001111"}, {"satisfaction", "满意"}, {"resolved", true}}.dump());
  ASSERT_EQ(rated.status, 200) << rated.body;
  EXPECT_EQ(rated.Json()["state"], "callback_done");
  // Rated once only.
  ExpectError(
      Call(port_, "POST", "/api/v1/public/requests/" + n + "/rating",
           json{{"phone", "13900001111"}, {"satisfaction", "不满意"}, {"resolved", false}}.dump()),
      409, "failed_precondition");
}

TEST_F(ApiTest, PublicRoutesAreRateLimitedPerAddress) {
  api_options_.public_requests_per_minute = 5;
  server_options_ = {};
  ASSERT_NO_FATAL_FAILURE(RestartApi());
  int ok = 0;
  int limited = 0;
  for (int i = 0; i < 8; ++i) {
    Reply r = Call(port_, "GET", "/api/v1/public/requests/SM1?phone=1");
    (r.status == 429 ? limited : ok) += 1;
    if (r.status == 429) {
      ExpectError(r, 429, "resource_exhausted");
    }
  }
  EXPECT_EQ(ok, 5);
  EXPECT_EQ(limited, 3);
  // Signed-in staff are not limited by it.
  EXPECT_EQ(Call(port_, "GET", "/healthz").status, 200);
}

TEST_F(ApiTest, ListFiltersSortingAndPaging) {
  std::string a = NewTicket({{"type", "咨询"}});
  std::string b = NewTicket({{"type", "投诉"}});
  std::string c = NewTicket({{"type", "投诉"}});
  auto h = As("disp");
  auto numbers = [&](const std::string& query) {
    Reply r = Call(port_, "GET", "/api/v1/tickets" + query, "", h);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    const json body = r.Json();
    for (const auto& t : body["tickets"]) {
      out.push_back(t["number"]);
    }
    return out;
  };
  EXPECT_EQ(numbers("?type=complaint"), (std::vector<std::string>{b, c}));
  EXPECT_EQ(numbers("?type=%E6%8A%95%E8%AF%89&sort=newest"), (std::vector<std::string>{c, b}));
  EXPECT_EQ(numbers("?from=2024-03-04&to=2024-03-04").size(), 3u);
  EXPECT_TRUE(numbers("?from=2024-03-05").empty());
  // Paging: two at a time, following next_after.
  Reply page = Call(port_, "GET", "/api/v1/tickets?limit=2", "", h);
  ASSERT_EQ(page.Json()["tickets"].size(), 2u);
  auto after = page.Json()["next_after"].get<int64_t>();
  EXPECT_EQ(numbers("?limit=2&after=" + std::to_string(after)), std::vector<std::string>{c});
  Reply last = Call(port_, "GET", "/api/v1/tickets?limit=2&after=" + std::to_string(after), "", h);
  EXPECT_TRUE(last.Json()["next_after"].is_null());
  ExpectError(Call(port_, "GET", "/api/v1/tickets?type=nope", "", h), 400, "invalid_argument");
  ExpectError(Call(port_, "GET", "/api/v1/tickets?from=yesterday", "", h), 400, "invalid_argument");
  ExpectError(Call(port_, "GET", "/api/v1/tickets?sort=sideways", "", h), 400, "invalid_argument");
  (void)a;
  Reply m = Call(port_, "GET", "/metrics");
  EXPECT_NE(m.body.find("hotline_tickets{state=\"registered\"} 3"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("hotline_tickets_overdue 0"), std::string::npos) << m.body;
}

TEST_F(ApiTest, WebConsoleFilesWithTheSinglePageFallback) {
  fs::path web = dir_ / "web";
  fs::create_directories(web / "assets");
  std::ofstream(web / "index.html") << "<!doctype html><title>12345</title>";
  std::ofstream(web / "assets" / "app-1.js") << "console.log(1)";
  api_options_.web_root = web.string();
  server_options_ = {};
  ASSERT_NO_FATAL_FAILURE(RestartApi());
  Reply index = Call(port_, "GET", "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_NE(index.headers.find("text/html"), std::string::npos);
  Reply js = Call(port_, "GET", "/assets/app-1.js");
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_NE(js.headers.find("immutable"), std::string::npos) << js.headers;
  // A route of the browser's router gets the page; a missing asset is a 404.
  EXPECT_NE(Call(port_, "GET", "/unit/queues").body.find("12345"), std::string::npos);
  ExpectError(Call(port_, "GET", "/assets/missing.js"), 404, "not_found");
  EXPECT_EQ(Call(port_, "GET", "/../../etc/passwd").status / 100, 4);
  // The API is still the API.
  ExpectError(Call(port_, "GET", "/api/v1/nothing"), 401, "unauthenticated");
}

}  // namespace
}  // namespace hotline::adapters::http
