// Hot topics and clusters of similar reports over real HTTP, on a real SQLite store with the
// real tokenizer, from a hand-built month of tickets whose topics the test works out.
#include "adapters/http/hot_topics_api.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <tuple>

#include "adapters/http/api.h"
#include "adapters/report/render.h"
#include "adapters/sqlite/sqlite_store.h"
#include "adapters/text/lexicon.h"
#include "domain/lifecycle.h"
#include "testing/api_fixture.h"
#include "testing/http_client.h"
#include "testing/matchers.h"

namespace hotline::adapters::http {
namespace {

using hotline::testing::Call;
using hotline::testing::Reply;
using hotline::testing::SmallCity;
using nlohmann::json;

// The week under study: Monday 2024-03-11 to Sunday 2024-03-17.
constexpr char kFrom[] = "2024-03-11";
constexpr char kTo[] = "2024-03-17";

class HotTopicsApiTest : public hotline::testing::ApiFixture {
 protected:
  HotTopicsApiTest() {
    clock_.Set(*ParseInstant("2024-02-10 09:00"));
    bearer_ = true;
  }

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(ApiFixture::SetUp());
    BuildMonth();
  }
  void OpenServices() override {
    auto tokenizer = text::Tokenizer::CreateDefault();
    ASSERT_OK(tokenizer);
    tokenizer_ = std::move(*tokenizer);
  }
  void AddModules(Api& api) override {
    auto module = std::make_shared<HotTopicsApi>(*store_, *tokenizer_);
    module->SetIndex(index_);  // null unless a test sets one
    if (live_ != nullptr) {
      module->SetIndex(live_);
    }
    api.AddModule(module);
  }

  std::string Register(const std::string& when, const char* category, domain::RegionId region,
                       const std::string& title, const std::string& content,
                       const std::string& address = "") {
    clock_.Set(*ParseInstant(when));
    const domain::Category* c = city_->categories.FindByPath(category);
    EXPECT_NE(c, nullptr) << category;
    auto t = service_->Register(city_->Act("op"), {{"type", "投诉"},
                                                   {"title", title},
                                                   {"content", content},
                                                   {"address", address},
                                                   {"region", std::to_string(region.value())},
                                                   {"category", std::to_string(c->id.value())}});
    EXPECT_OK(t);
    return t.has_value() ? t->number : "";
  }

  // Four weeks of steady background (2 bus, 1 housing a week, one unrelated noise report in
  // the third week), then in the week under study six reports of one building site's night
  // work near 丽发新城 in 城关街道 (三元区) besides the same background.
  void BuildMonth() {
    // The store's first ticket: the four weeks before the period all hold data.
    Register("2024-02-10 10:00", "交通运输/公共交通/公交线路", SmallCity::kCounty,
             "公交站牌信息过期", "火车站公交站牌上的线路信息还是去年的。");
    for (int week = 0; week < 5; ++week) {
      const std::string monday[] = {"2024-02-12", "2024-02-19", "2024-02-26", "2024-03-04",
                                    "2024-03-11"};
      const std::string& d = monday[week];
      Register(d + " 09:00", "交通运输/公共交通/公交线路", SmallCity::kCounty,
               "希望增加公交班次" + std::to_string(week), "早高峰公交车太挤，希望增加班次。");
      Register(d + " 15:00", "交通运输/公共交通/公交线路", SmallCity::kCounty,
               "公交车到站不准时" + std::to_string(week), "等了四十分钟公交车还没来。");
      Register(d + " 11:00", "城乡建设/住房保障/房屋质量", SmallCity::kCounty,
               "房屋墙体开裂" + std::to_string(week), "新买的房子墙体出现裂缝，开发商不处理。");
    }
    Register("2024-02-28 20:00", "环境保护/污染防治/噪声污染", SmallCity::kStreet, "广场舞音响太吵",
             "每天晚上广场舞音响声音很大。");
    const char* noise[][2] = {
        {"丽发新城工地夜间施工噪音扰民", "丽发新城旁工地每天晚上施工到凌晨，噪音很大。"},
        {"丽发新城附近工地半夜还在施工", "丽发新城小区旁工地夜里打桩，吵得睡不着。"},
        {"投诉丽发新城工地噪声", "晚上十二点了丽发新城的工地还在施工扰民。"},
        {"丽发新城工地噪音太大", "丽发新城工地深夜施工，噪音扰民严重。"},
        {"丽发新城工地凌晨打桩", "丽发新城工地凌晨两点还在打桩，噪音扰民。"},
        {"丽发新城夜间施工扰民", "丽发新城边上的工地夜间施工，噪音吵得孩子睡不着。"},
    };
    for (int i = 0; i < 6; ++i) {
      noise_.push_back(Register(fmt::format("2024-03-{:02d} 23:{:02d}", 11 + i, 10 + i),
                                "环境保护/污染防治/噪声污染", SmallCity::kStreet, noise[i][0],
                                noise[i][1], "丽发新城"));
    }
    clock_.Set(*ParseInstant("2024-03-18 09:00"));
  }

  json Get(const std::string& path, const std::string& login, int status = 200) {
    Reply r = Call(port_, "GET", path, "", As(login));
    EXPECT_EQ(r.status, status) << path << " " << r.body;
    return r.status == 200 ? r.Json() : json::parse(r.body, nullptr, false);
  }

  static const json* FindKind(const json& topics, const std::string& kind) {
    for (const auto& t : topics) {
      if (t["kind"] == kind) {
        return &t;
      }
    }
    return nullptr;
  }

  std::unique_ptr<text::Tokenizer> tokenizer_;
  std::shared_ptr<text::HotTopicIndex> index_;
  std::shared_ptr<text::LiveHotTopicIndex> live_;
  std::vector<std::string> noise_;  // the building-site reports, oldest first
};

// P(X ≥ k) for X ~ Poisson(lambda), the plain way.
double Tail(int k, double lambda) {
  double below = 0;
  double term = std::exp(-lambda);
  for (int j = 0; j < k; ++j) {
    below += term;
    term *= lambda / (j + 1);
  }
  return 1 - below;
}

TEST_F(HotTopicsApiTest, TheLeaderSeesTheNewClusterAndTheRiseOfNoiseInTheCounty) {
  json j = Get(fmt::format("/api/v1/hot-topics?from={}&to={}", kFrom, kTo), "boss");
  EXPECT_EQ(j["reports"], 9);  // 6 noise + 2 bus + 1 housing
  EXPECT_EQ(j["baseline_periods"], 4);
  EXPECT_EQ(j["previous_from"], "2024-03-04");
  const json& topics = j["topics"];
  ASSERT_FALSE(topics.empty()) << j.dump(1);

  // The building site: one new cluster of the six reports, explained with counts and numbers.
  const json* cluster = FindKind(topics, "cluster");
  ASSERT_NE(cluster, nullptr) << j.dump(1);
  EXPECT_EQ((*cluster)["count"], 6);
  EXPECT_EQ((*cluster)["before"], 0);
  EXPECT_TRUE((*cluster)["new"].get<bool>());
  std::vector<std::string> numbers = (*cluster)["numbers"];
  std::sort(numbers.begin(), numbers.end());
  std::vector<std::string> want = noise_;
  std::sort(want.begin(), want.end());
  EXPECT_EQ(numbers, want);
  const std::string explanation = (*cluster)["explanation"];
  EXPECT_NE(explanation.find("新出现"), std::string::npos) << explanation;
  EXPECT_NE(explanation.find(noise_.back()), std::string::npos) << "most recent example first";
  EXPECT_EQ((*cluster)["examples"][0]["number"], noise_.back());

  // The category in the county: 6 this week against 1 in the four weeks before. The other
  // categories kept their volume (3 a week), so the expected count is (1 + 0.5) / 4.
  const json* growth = FindKind(topics, "growth");
  ASSERT_NE(growth, nullptr) << j.dump(1);
  EXPECT_EQ((*growth)["category"], "环境保护/污染防治");
  EXPECT_EQ((*growth)["area"], "三元区");
  EXPECT_EQ((*growth)["count"], 6);
  const double expected = (1 + 0.5) / 4;
  EXPECT_NEAR((*growth)["expected"].get<double>(), expected, 0.01);
  EXPECT_NEAR((*growth)["p_value"].get<double>(), Tail(6, expected), 1e-9);
  const std::string why = (*growth)["explanation"];
  EXPECT_NE(why.find("本期 6 件"), std::string::npos) << why;
  EXPECT_NE(why.find("泊松检验"), std::string::npos) << why;

  // The steady bus and housing reports are not topics; neither is 丽发新城 as a place, which
  // the cluster already tells.
  for (const auto& t : topics) {
    EXPECT_EQ(t["label"].get<std::string>().find("公交"), std::string::npos) << t.dump();
    EXPECT_NE(t["kind"], "place") << t.dump();
  }
  // Ranked best first.
  for (size_t i = 1; i < topics.size(); ++i) {
    EXPECT_GE(topics[i - 1]["score"].get<double>(), topics[i]["score"].get<double>());
  }
}

TEST_F(HotTopicsApiTest, ScopeFollowsTheRole) {
  const std::string week = fmt::format("from={}&to={}", kFrom, kTo);
  // A county platform sees its county, by township: the rise is in 城关街道.
  json hub = Get("/api/v1/hot-topics?" + week, "hub");
  EXPECT_EQ(hub["scope"]["region_name"], "三元区");
  const json* growth = FindKind(hub["topics"], "growth");
  ASSERT_NE(growth, nullptr) << hub.dump(1);
  EXPECT_EQ((*growth)["area"], "城关街道");
  Get(fmt::format("/api/v1/hot-topics?{}&region={}", week, SmallCity::kCity.value()), "hub", 403);
  // A department sees only its own tickets (none dispatched to it): never the city's topics.
  json housing = Get("/api/v1/hot-topics?" + week, "housing");
  EXPECT_EQ(housing["reports"], 0);
  EXPECT_TRUE(housing["topics"].empty()) << housing.dump(1);
  Get("/api/v1/hot-topics?" + week, "op", 403);
  Get("/api/v1/tickets/clusters?" + week, "cb", 403);
  // A category filter keeps its sub-categories only.
  const domain::Category* transport = city_->categories.FindByPath("交通运输");
  json bus =
      Get(fmt::format("/api/v1/hot-topics?{}&category={}", week, transport->id.value()), "boss");
  EXPECT_EQ(bus["reports"], 2);
  EXPECT_TRUE(bus["topics"].empty()) << bus.dump(1);
  EXPECT_EQ(Call(port_, "GET", "/api/v1/hot-topics").status, 401);
}

TEST_F(HotTopicsApiTest, BadParametersAreRefusedClearly) {
  for (const char* q : {"from=2024-13-01", "to=2024-3-1", "from=2024-03-12&to=2024-03-11",
                        "limit=0", "limit=x", "category=-1", "from=2023-01-01&to=2024-03-01"}) {
    json e = Get(std::string("/api/v1/hot-topics?") + q, "boss", 400);
    EXPECT_TRUE(e.contains("error")) << q;
    EXPECT_FALSE(e["error"]["message"].get<std::string>().empty()) << q;
  }
  Get("/api/v1/hot-topics?region=999", "boss", 404);
  Get("/api/v1/hot-topics?category=999", "boss", 404);
  Get("/api/v1/tickets/clusters?min_size=1", "disp", 400);
  Get("/api/v1/tickets/clusters?from=2024-03-01&to=2024-02-01", "disp", 400);
}

TEST_F(HotTopicsApiTest, TooManyTicketsToReadIsRefusedNotServedSlowly) {
  // A server whose module reads at most 5 tickets: the week under study alone holds 9.
  Api small(ApiDeps{*service_, *store_, *store_, clock_, store_.get(), store_.get()}, ApiOptions());
  small.AddModule(std::make_shared<HotTopicsApi>(*store_, *tokenizer_, 5));
  ServerOptions so;
  so.port = 0;
  HttpServer server(so, [&small](const HttpRequest& r) { return small.Handle(r); });
  auto port = server.Start();
  ASSERT_OK(port);
  const auto login = [&](const std::string& who) {
    Reply r = Call(*port, "POST", "/api/v1/auth/login",
                   json{{"login", who}, {"password", "secret-pass"}}.dump());
    return std::vector<std::string>{"Authorization: Bearer " + r.Json().value("token", "")};
  };
  Reply r = Call(*port, "GET", fmt::format("/api/v1/hot-topics?from={}&to={}", kFrom, kTo), "",
                 login("boss"));
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_NE(r.body.find("请缩短期间"), std::string::npos) << r.body;
  r = Call(*port, "GET", fmt::format("/api/v1/tickets/clusters?from={}&to={}", kFrom, kTo), "",
           login("disp"));
  EXPECT_EQ(r.status, 429) << r.body;
  // A day with fewer tickets is served.
  r = Call(*port, "GET", "/api/v1/tickets/clusters?from=2024-03-11&to=2024-03-11", "",
           login("disp"));
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(HotTopicsApiTest, TheDispatcherMergesAClusterFromTheList) {
  const std::string path = fmt::format("/api/v1/tickets/clusters?from={}&to={}", kFrom, kTo);
  json j = Get(path, "disp");
  const json& clusters = j["clusters"];
  ASSERT_EQ(clusters.size(), 1U) << j.dump(1);  // the bus reports are two, below min_size 3
  const json& c = clusters[0];
  EXPECT_EQ(c["size"], 6);
  EXPECT_EQ(c["open"], 6);
  EXPECT_EQ(c["master"], noise_.front());  // the oldest
  std::vector<std::string> mergeable = c["mergeable"];
  EXPECT_EQ(mergeable, std::vector<std::string>(noise_.begin() + 1, noise_.end()));
  ASSERT_EQ(c["tickets"].size(), 6U);
  EXPECT_EQ(c["tickets"][0]["number"], noise_.front());
  EXPECT_EQ(c["tickets"][0]["region_name"], "城关街道");

  // Merge one with the ticket action; the list then shows it merged and no longer mergeable.
  Reply merged = Call(port_, "POST", "/api/v1/tickets/" + noise_[1] + "/actions/merge",
                      json{{"into", noise_.front()}}.dump(), As("disp"));
  ASSERT_EQ(merged.status, 200) << merged.body;
  json after = Get(path, "disp");
  ASSERT_EQ(after["clusters"].size(), 1U);
  EXPECT_EQ(after["clusters"][0]["open"], 5);
  EXPECT_EQ(after["clusters"][0]["mergeable"].size(), 4U);
  // Smaller clusters appear when asked for.
  json pairs = Get(path + "&min_size=2", "disp");
  EXPECT_GE(pairs["clusters"].size(), 1U);
}

TEST_F(HotTopicsApiTest, TheWeeklyReportCarriesTheTextHotTopics) {
  app::ReportService reports(
      *store_, [this] { return service_->config(); },
      [] { return domain::assessment::Scheme::Default(); });
  reports.SetHotTopicProvider(MakeReportHotTopicProvider(
      *store_, [this] { return service_->config(); }, *tokenizer_));
  auto weekly = reports.Build({app::ReportKind::kWeekly, "2024-03-13", std::nullopt, "", ""});
  ASSERT_TRUE(weekly.has_value()) << weekly.error().message;
  ASSERT_TRUE(weekly->text_topics.has_value());
  ASSERT_FALSE(weekly->text_topics->empty());
  bool cluster = false;
  for (const auto& t : *weekly->text_topics) {
    cluster = cluster || (t.kind == "相似诉求聚集" && t.count == 6);
  }
  EXPECT_TRUE(cluster);
  const std::string html = report::RenderReportHtml(*weekly);
  EXPECT_NE(html.find("<h2>热点诉求</h2>"), std::string::npos);
  EXPECT_NE(html.find(noise_.back()), std::string::npos) << "an example ticket by number";
  EXPECT_NE(html.find("三元区明显增多"), std::string::npos);
}

// The same topics, whether computed from the store or from the long-lived index.
void ExpectSameTopics(const text::TicketHotTopics& a, const text::TicketHotTopics& b,
                      const std::string& what) {
  EXPECT_EQ(a.reports, b.reports) << what;
  EXPECT_EQ(a.baseline_reports, b.baseline_reports) << what;
  EXPECT_EQ(a.baseline_periods, b.baseline_periods) << what;
  ASSERT_EQ(a.topics.size(), b.topics.size()) << what;
  for (size_t i = 0; i < a.topics.size(); ++i) {
    EXPECT_EQ(a.topics[i].kind, b.topics[i].kind) << what << " #" << i;
    EXPECT_EQ(a.topics[i].label, b.topics[i].label) << what << " #" << i;
    EXPECT_EQ(a.topics[i].count, b.topics[i].count) << what << " #" << i;
    EXPECT_EQ(a.topics[i].before, b.topics[i].before) << what << " #" << i;
    EXPECT_EQ(a.topics[i].ids, b.topics[i].ids) << what << " #" << i;
    EXPECT_EQ(a.topics[i].explanation, b.topics[i].explanation) << what << " #" << i;
  }
}

TEST_F(HotTopicsApiTest, TheIndexAnswersAsTheStoreDoesAndFollowsTheChangeFeed) {
  auto index = std::make_shared<text::HotTopicIndex>(*store_, *tokenizer_);
  const int64_t subscription =
      service_->feed().Subscribe([index](const app::TicketChange& c) { index->Apply(c.ticket); });
  ASSERT_OK(index->Load(clock_.Now()));
  const auto& org = city_->org;
  const auto& categories = city_->categories;
  const auto day = [](const char* d) { return *ParseInstant(d); };
  const auto compare = [&](text::TicketTopicRequest request, const std::string& what, bool served) {
    auto from_index = index->Find(org, categories, request, clock_.Now());
    ASSERT_EQ(from_index.has_value(), served) << what;
    auto from_store = text::FindTicketHotTopics(*store_, org, categories, *tokenizer_, request);
    ASSERT_OK(from_store);
    if (served) {
      ASSERT_OK(*from_index);
      ExpectSameTopics(**from_index, *from_store, what);
    }
  };
  // The default week up to today (2024-03-18), the whole city: the long-lived finder.
  text::TicketTopicRequest week;
  week.from = day("2024-03-12");
  week.to = day("2024-03-19");
  compare(week, "week", true);
  EXPECT_EQ(index->stats().live_finder_calls, 1U);
  auto found = index->Find(org, categories, week, clock_.Now());
  ASSERT_TRUE(found.has_value());
  ASSERT_OK(*found);
  EXPECT_FALSE((*found)->topics.empty());  // the building site rises
  // A county, a category, a single day: indexed for the call from memory.
  text::TicketTopicRequest county = week;
  county.region = SmallCity::kCounty;
  compare(county, "county", true);
  text::TicketTopicRequest noise = week;
  noise.category = categories.FindByPath("环境保护/污染防治")->id;
  compare(noise, "category", true);
  text::TicketTopicRequest one_day;
  one_day.from = day("2024-03-16");
  one_day.to = day("2024-03-17");
  compare(one_day, "day", true);
  // Beyond the kept days, or a unit's own tickets: left to the store.
  text::TicketTopicRequest month;
  month.from = day("2024-02-19");
  month.to = day("2024-03-18");
  compare(month, "month", false);
  text::TicketTopicRequest own = week;
  own.visible = [](const domain::Ticket&) { return true; };
  EXPECT_FALSE(index->Find(org, categories, own, clock_.Now()).has_value());

  // New reports reach the index through the feed, without reloading.
  for (int i = 0; i < 3; ++i) {
    Register(fmt::format("2024-03-18 1{}:00", i), "环境保护/污染防治/噪声污染", SmallCity::kStreet,
             "丽发新城工地又在夜间施工", "丽发新城工地昨晚又施工到凌晨，噪音扰民。", "丽发新城");
  }
  compare(week, "week after new reports", true);
  // The next day the kept days move on: the oldest texts leave the finder.
  const size_t texts_before = index->stats().texts;
  clock_.Set(*ParseInstant("2024-03-25 09:00"));
  text::TicketTopicRequest next_week;
  next_week.from = day("2024-03-19");
  next_week.to = day("2024-03-26");
  compare(next_week, "next week", true);
  EXPECT_LT(index->stats().texts, texts_before);
  service_->feed().Unsubscribe(subscription);
}

TEST_F(HotTopicsApiTest, TheApiSaysWhereTheTopicsCameFrom) {
  EXPECT_EQ(Get("/api/v1/hot-topics", "boss")["source"], "store");
  index_ = std::make_shared<text::HotTopicIndex>(*store_, *tokenizer_);
  ASSERT_OK(index_->Load(clock_.Now()));
  ASSERT_NO_FATAL_FAILURE(RestartApi());
  const json from_index = Get("/api/v1/hot-topics", "boss");
  EXPECT_EQ(from_index["source"], "index");
  EXPECT_FALSE(from_index["topics"].empty());
  EXPECT_EQ(Get(fmt::format("/api/v1/hot-topics?from={}&to={}", "2024-02-01", "2024-03-17"),
                "boss")["source"],
            "store");
}

// Clusters as the dispatcher sees them: numbers, master, mergeable and label.
void ExpectSameClusters(const std::vector<text::TicketCluster>& a,
                        const std::vector<text::TicketCluster>& b, const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i) {
    std::vector<std::string> numbers_a;
    std::vector<std::string> numbers_b;
    for (const auto& t : a[i].tickets) {
      numbers_a.push_back(t.number);
    }
    for (const auto& t : b[i].tickets) {
      numbers_b.push_back(t.number);
    }
    EXPECT_EQ(numbers_a, numbers_b) << what << " #" << i;
    EXPECT_EQ(a[i].master, b[i].master) << what << " #" << i;
    EXPECT_EQ(a[i].mergeable, b[i].mergeable) << what << " #" << i;
    EXPECT_EQ(a[i].open, b[i].open) << what << " #" << i;
    EXPECT_EQ(a[i].top_terms, b[i].top_terms) << what << " #" << i;
  }
}

TEST_F(HotTopicsApiTest, TheIndexListsTheSameClustersAsTheStoreAndFollowsMerges) {
  index_ = std::make_shared<text::HotTopicIndex>(*store_, *tokenizer_);
  const int64_t subscription = service_->feed().Subscribe(
      [index = index_](const app::TicketChange& c) { index->Apply(c.ticket); });
  ASSERT_OK(index_->Load(clock_.Now()));
  const auto& org = city_->org;
  const auto compare = [&](const text::TicketTopicRequest& request, const std::string& what) {
    auto from_index = index_->FindClusters(org, request, clock_.Now());
    ASSERT_TRUE(from_index.has_value()) << what;
    ASSERT_OK(*from_index);
    auto from_store = text::FindTicketClusters(*store_, *tokenizer_, org, request);
    ASSERT_OK(from_store);
    ExpectSameClusters(**from_index, *from_store, what);
  };
  text::TicketTopicRequest week;
  week.from = *ParseInstant("2024-03-11");
  week.to = *ParseInstant("2024-03-18");
  compare(week, "week");
  text::TicketTopicRequest pairs = week;
  pairs.min_size = 2;
  compare(pairs, "pairs");
  text::TicketTopicRequest county = week;
  county.region = SmallCity::kCounty;
  compare(county, "county");
  auto found = index_->FindClusters(org, week, clock_.Now());
  ASSERT_TRUE(found.has_value());
  ASSERT_OK(*found);
  ASSERT_EQ((*found)->size(), 1U);
  EXPECT_EQ((*found)->front().tickets.size(), 6U);
  // Before the kept text days, or a unit's own tickets: the store answers.
  text::TicketTopicRequest old = week;
  old.from = *ParseInstant("2024-02-12");
  EXPECT_FALSE(index_->FindClusters(org, old, clock_.Now()).has_value());

  // Over HTTP: the same list, from the index; a merge reaches it through the feed.
  ASSERT_NO_FATAL_FAILURE(RestartApi());
  const std::string path = fmt::format("/api/v1/tickets/clusters?from={}&to={}", kFrom, kTo);
  json j = Get(path, "disp");
  EXPECT_EQ(j["source"], "index");
  ASSERT_EQ(j["clusters"].size(), 1U) << j.dump(1);
  EXPECT_EQ(j["clusters"][0]["master"], noise_.front());
  EXPECT_EQ(j["clusters"][0]["tickets"][0]["region_name"], "城关街道");
  Reply merged = Call(port_, "POST", "/api/v1/tickets/" + noise_[1] + "/actions/merge",
                      json{{"into", noise_.front()}}.dump(), As("disp"));
  ASSERT_EQ(merged.status, 200) << merged.body;
  json after = Get(path, "disp");
  EXPECT_EQ(after["source"], "index");
  ASSERT_EQ(after["clusters"].size(), 1U);
  EXPECT_EQ(after["clusters"][0]["open"], 5);
  EXPECT_EQ(after["clusters"][0]["mergeable"].size(), 4U);
  compare(week, "week after a merge");
  service_->feed().Unsubscribe(subscription);
}

TEST_F(HotTopicsApiTest, TheReportsTakeTheirTopicsFromTheIndexAsFromTheStore) {
  auto index = std::make_shared<text::HotTopicIndex>(*store_, *tokenizer_);
  ASSERT_OK(index->Load(clock_.Now()));
  const auto build = [&](bool with_index) {
    app::ReportService reports(
        *store_, [this] { return service_->config(); },
        [] { return domain::assessment::Scheme::Default(); });
    reports.SetHotTopicProvider(MakeReportHotTopicProvider(
        *store_, [this] { return service_->config(); }, *tokenizer_,
        with_index
            ? std::function<std::shared_ptr<text::HotTopicIndex>()>([index] { return index; })
            : nullptr,
        [this] { return clock_.Now(); }));
    return reports.Build({app::ReportKind::kWeekly, "2024-03-13", std::nullopt, "", ""});
  };
  auto from_store = build(false);
  ASSERT_TRUE(from_store.has_value()) << from_store.error().message;
  EXPECT_EQ(index->stats().live_finder_calls, 0U);
  auto from_index = build(true);
  ASSERT_TRUE(from_index.has_value()) << from_index.error().message;
  EXPECT_EQ(index->stats().live_finder_calls, 1U) << "the weekly report asked the index";
  ASSERT_TRUE(from_store->text_topics.has_value());
  ASSERT_TRUE(from_index->text_topics.has_value());
  ASSERT_FALSE(from_index->text_topics->empty());
  ASSERT_EQ(from_index->text_topics->size(), from_store->text_topics->size());
  for (size_t i = 0; i < from_store->text_topics->size(); ++i) {
    const auto& a = (*from_index->text_topics)[i];
    const auto& b = (*from_store->text_topics)[i];
    EXPECT_EQ(a.kind, b.kind) << i;
    EXPECT_EQ(a.label, b.label) << i;
    EXPECT_EQ(a.count, b.count) << i;
    EXPECT_EQ(a.explanation, b.explanation) << i;
  }
}

TEST_F(HotTopicsApiTest, ALexiconChangeRebuildsTheIndexAsideAndSwapsIt) {
  live_ = std::make_shared<text::LiveHotTopicIndex>(
      *store_, std::shared_ptr<const text::Tokenizer>(tokenizer_.get(), [](const auto*) {}),
      [this] { return clock_.Now(); });
  auto live = live_;
  const int64_t subscription =
      service_->feed().Subscribe([live](const app::TicketChange& c) { live->Apply(c.ticket); });
  live->Start();
  ASSERT_NO_FATAL_FAILURE(RestartApi());
  const auto label = [&]() -> std::string {
    // Wait for the index in use to be loaded (the first load runs in the background).
    for (int i = 0; i < 600 && !live->current()->stats().loaded; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    text::TicketTopicRequest week;
    week.from = *ParseInstant(kFrom);
    week.to = *ParseInstant("2024-03-18");
    auto found = live->current()->FindClusters(city_->org, week, clock_.Now());
    EXPECT_TRUE(found.has_value());
    if (!found.has_value() || !found->has_value() || (*found)->empty()) {
      return "";
    }
    std::string out;
    for (const auto& term : (*found)->front().top_terms) {
      out += term + " ";
    }
    return out;
  };
  const std::string before = label();
  EXPECT_EQ(before.find("丽发新城工地"), std::string::npos) << before;
  // The admin adds 丽发新城工地 as a word: the index is rebuilt with it while the old one
  // answers, then swapped in; a report registered meanwhile is in the new one too.
  text::Lexicon lexicon = text::Lexicon::Default();
  ASSERT_OK(lexicon.AddDictionary("丽发新城工地\n"));
  auto with_word = text::Tokenizer::Create(lexicon);
  ASSERT_OK(with_word);
  std::shared_ptr<const text::Tokenizer> fresh = std::move(*with_word);
  live->Rebuild(fresh);
  live->Rebuild(fresh);  // the same tokenizer again: nothing more
  Register("2024-03-17 22:00", "环境保护/污染防治/噪声污染", SmallCity::kStreet,
           "丽发新城工地又在夜间施工", "丽发新城工地晚上又施工到凌晨，噪音扰民。", "丽发新城");
  for (int i = 0; i < 600 && live->rebuilds() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(live->rebuilds(), 1U);
  EXPECT_EQ(&live->current()->tokenizer(), fresh.get());
  const std::string after = label();
  EXPECT_NE(after.find("丽发新城工地"), std::string::npos) << after;
  text::TicketTopicRequest week;
  week.from = *ParseInstant(kFrom);
  week.to = *ParseInstant("2024-03-18");
  auto found = live->current()->FindClusters(city_->org, week, clock_.Now());
  ASSERT_TRUE(found.has_value());
  ASSERT_OK(*found);
  ASSERT_FALSE((*found)->empty());
  EXPECT_EQ((*found)->front().tickets.size(), 7U) << "the report registered during the rebuild";
  // Over HTTP, from the new index.
  json j = Get(fmt::format("/api/v1/tickets/clusters?from={}&to={}", kFrom, kTo), "disp");
  EXPECT_EQ(j["source"], "index");
  ASSERT_FALSE(j["clusters"].empty());
  EXPECT_NE(j["clusters"][0]["label"].get<std::string>().find("丽发新城工地"), std::string::npos)
      << j["clusters"][0]["label"];
  live->Stop();
  service_->feed().Unsubscribe(subscription);
}

TEST_F(HotTopicsApiTest, ALoadInProgressIsCancelledPromptly) {
  // Enough reports in the kept days that loading takes a while: each is looked up once.
  const auto actor = city_->Act("op");
  const auto* category = city_->categories.FindByPath("环境保护/污染防治/噪声污染");
  ASSERT_NE(category, nullptr);
  const char* problems[] = {"工地夜间施工", "垃圾清运不及时", "路灯不亮", "下水道堵塞",
                            "占道经营",     "共享单车乱停放", "油烟扰民", "道路破损"};
  const char* places[] = {"幸福路", "人民路", "建设路", "解放街", "中山路", "江滨路"};
  const int64_t start = ToUnix(*ParseInstant("2024-03-06"));
  for (int i = 0; i < 400; ++i) {
    const std::string title =
        std::string(places[i % 6]) + problems[(i / 6) % 8] + std::to_string(i % 13);
    domain::Fields fields = {{"type", "投诉"},
                             {"title", title},
                             {"content", title + "，已经好几天了，请尽快处理。"},
                             {"region", std::to_string(SmallCity::kStreet.value())},
                             {"category", std::to_string(category->id.value())}};
    domain::DecisionContext ctx{FromUnix(start + i * 900), city_->org, city_->calendar,
                                city_->policies};
    auto event = domain::DecideRegister(fields, actor, ctx);
    ASSERT_OK(event);
    domain::Ticket t;
    domain::Apply(t, *event);
    ASSERT_OK(store_->Create(std::move(t), {std::move(*event)}));
  }
  // The load is held at its first neighbour lookup, cancelled there, then let go: it must
  // stop after the lookup in hand (one thread), not finish the other texts first.
  std::mutex mu;
  std::condition_variable cv;
  bool held = false;
  bool released = false;
  std::atomic<int> lookups{0};
  text::HotTopicIndexOptions options;
  options.load_threads = 1;
  options.before_lookup = [&] {
    if (lookups++ == 0) {
      std::unique_lock lock(mu);
      held = true;
      cv.notify_all();
      cv.wait(lock, [&] { return released; });
    }
  };
  auto index = std::make_unique<text::HotTopicIndex>(*store_, *tokenizer_, options);
  Status result = OkStatus();
  std::atomic<bool> finished{false};
  index->LoadInBackground(clock_.Now(), [&](const Status& s) {
    result = s;
    finished = true;
  });
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(120), [&] { return held; }))
        << "the load never reached its neighbour lookups";
  }
  index->Cancel();
  {
    std::lock_guard lock(mu);
    released = true;
  }
  cv.notify_all();
  index.reset();  // joins, as `hotline serve` does when it stops
  EXPECT_TRUE(finished);
  ASSERT_FALSE(result.has_value()) << "the load was cancelled, not finished";
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(lookups.load(), 1) << "lookups went on after the cancel";
  {  // Without the cancel the same load looks up every text: 400 lookups, not 1.
    std::atomic<int> all{0};
    text::HotTopicIndexOptions counting;
    counting.load_threads = 1;
    counting.before_lookup = [&] { ++all; };
    text::HotTopicIndex full(*store_, *tokenizer_, counting);
    ASSERT_OK(full.Load(clock_.Now()));
    EXPECT_GE(all.load(), 400);
  }
  // Cancelled before it starts: Load says so and the index never answers.
  text::HotTopicIndex cancelled(*store_, *tokenizer_);
  cancelled.Cancel();
  const Status refused = cancelled.Load(clock_.Now());
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  text::TicketTopicRequest week;
  week.from = *ParseInstant(kFrom);
  week.to = *ParseInstant("2024-03-18");
  EXPECT_FALSE(cancelled.Find(city_->org, city_->categories, week, clock_.Now()).has_value());
}

}  // namespace
}  // namespace hotline::adapters::http

namespace hotline::adapters::http {
namespace {

// Snapshots of the index (docs/hot_topics.md): loading one gives what the index held, then
// the tickets changed since are caught up from the store; a bad or foreign file is ignored.
class HotTopicSnapshotTest : public HotTopicsApiTest {
 protected:
  std::string SnapshotPath() const { return (dir_ / "hot.snapshot").string(); }
  text::HotTopicIndexOptions WithSnapshot() const {
    text::HotTopicIndexOptions options;
    options.snapshot_path = SnapshotPath();
    return options;
  }
  // The same topics and clusters from both indexes for the week, a county, a category, a day
  // and the dispatcher's clusters (pairs too).
  void ExpectSameAnswers(text::HotTopicIndex& a, text::HotTopicIndex& b, const std::string& what,
                         const std::string& week_from = "2024-03-12",
                         const std::string& week_to = "2024-03-19", bool some_topics = true) {
    const auto& org = city_->org;
    const auto& categories = city_->categories;
    text::TicketTopicRequest week;
    week.from = *ParseInstant(week_from);
    week.to = *ParseInstant(week_to);
    text::TicketTopicRequest county = week;
    county.region = SmallCity::kCounty;
    text::TicketTopicRequest category = week;
    category.category = categories.FindByPath("环境保护/污染防治")->id;
    text::TicketTopicRequest day = week;
    day.from = week.to - Duration(2 * 86400);
    day.to = week.to - Duration(86400);
    size_t topics = 0;
    for (const auto& [name, request] : {std::pair{"week", week}, std::pair{"county", county},
                                        std::pair{"category", category}, std::pair{"day", day}}) {
      auto x = a.Find(org, categories, request, clock_.Now());
      auto y = b.Find(org, categories, request, clock_.Now());
      ASSERT_TRUE(x.has_value() && y.has_value()) << what << " " << name;
      ASSERT_OK(*x);
      ASSERT_OK(*y);
      ExpectSameTopics(**x, **y, what + " " + name);
      topics += (*x)->topics.size();
    }
    if (some_topics) {
      EXPECT_GT(topics, 0U) << what << ": nothing compared";
    }
    text::TicketTopicRequest pairs = week;
    pairs.min_size = 2;
    for (const auto& [name, request] : {std::pair{"clusters", week}, std::pair{"pairs", pairs}}) {
      auto x = a.FindClusters(org, request, clock_.Now());
      auto y = b.FindClusters(org, request, clock_.Now());
      ASSERT_TRUE(x.has_value() && y.has_value()) << what << " " << name;
      ASSERT_OK(*x);
      ASSERT_OK(*y);
      ExpectSameClusters(**x, **y, what + " " + name);
    }
  }
  // The same similar reports (ids, scores, in order) from both indexes' finders, for every
  // ticket of the store and a new text none of them holds; returns the lookups compared.
  size_t ExpectSameSimilar(text::HotTopicIndex& a, text::HotTopicIndex& b,
                           const std::string& what) {
    ports::TicketFilter every;
    every.limit = 100000;
    auto all = store_->List(every);
    EXPECT_TRUE(all.has_value());
    std::vector<text::Report> reports;
    for (const auto& t : all.has_value() ? *all : std::vector<domain::Ticket>{}) {
      reports.push_back({t.number, t.title, t.content, t.address, std::to_string(t.region.value()),
                         ToUnix(t.created_at)});
    }
    reports.push_back({"", "丽发新城工地半夜施工", "工地半夜还在施工，噪音很大，睡不着。",
                       "丽发新城", std::to_string(SmallCity::kStreet.value()),
                       ToUnix(clock_.Now())});
    size_t matches = 0;
    for (const auto& report : reports) {
      auto x = a.FindSimilar(report, 10, clock_.Now());
      auto y = b.FindSimilar(report, 10, clock_.Now());
      EXPECT_TRUE(x.has_value() && y.has_value()) << what;
      if (!x.has_value() || !y.has_value()) {
        return matches;
      }
      EXPECT_EQ(x->size(), y->size()) << what << ": " << report.id << " " << report.title;
      for (size_t i = 0; i < x->size() && i < y->size(); ++i) {
        EXPECT_EQ((*x)[i].id, (*y)[i].id) << what << ": " << report.id << " #" << i;
        EXPECT_DOUBLE_EQ((*x)[i].score, (*y)[i].score) << what << ": " << report.id << " #" << i;
        EXPECT_DOUBLE_EQ((*x)[i].text, (*y)[i].text) << what << ": " << report.id << " #" << i;
      }
      matches += x->size();
    }
    return matches;
  }
  void Register(const std::string& when, int i) {
    HotTopicsApiTest::Register(when, "环境保护/污染防治/噪声污染", SmallCity::kStreet,
                               "丽发新城工地又在夜间施工" + std::to_string(i),
                               "丽发新城工地昨晚又施工到凌晨，噪音扰民。", "丽发新城");
  }
};

TEST_F(HotTopicSnapshotTest, ASnapshotLoadsTheSameTopicsAndClustersAsAFullBuild) {
  text::HotTopicIndex built(*store_, *tokenizer_, WithSnapshot());
  ASSERT_OK(built.Load(clock_.Now()));
  EXPECT_FALSE(built.stats().load.from_snapshot);  // none yet
  EXPECT_TRUE(built.stats().load.snapshot_note.empty()) << built.stats().load.snapshot_note;
  ASSERT_OK(built.WriteSnapshot(clock_.Now()));
  ASSERT_TRUE(std::filesystem::exists(SnapshotPath()));
  EXPECT_FALSE(std::filesystem::exists(SnapshotPath() + ".tmp" + std::to_string(::getpid())));

  text::HotTopicIndex restored(*store_, *tokenizer_, WithSnapshot());
  ASSERT_OK(restored.Load(clock_.Now()));
  const auto s = restored.stats();
  EXPECT_TRUE(s.load.from_snapshot) << s.load.snapshot_note;
  EXPECT_EQ(s.load.caught_up, 0U);
  EXPECT_EQ(s.load.looked_up, 0U) << "no neighbour looked up again";
  EXPECT_EQ(s.tickets, built.stats().tickets);
  EXPECT_EQ(s.texts, built.stats().texts);
  // The finder was filled from the saved analyses: no text tokenized again.
  EXPECT_GT(s.texts, 0U);
  EXPECT_EQ(s.load.snapshot_analysed, s.texts);
  EXPECT_EQ(s.load.snapshot_tokenized, 0U);
  ExpectSameAnswers(built, restored, "snapshot");
  // Similar-report lookups through the restored finder: the full build's, score for score.
  EXPECT_GT(ExpectSameSimilar(built, restored, "similar, snapshot"), 0U);
  // And the same as a fresh build with no snapshot at all.
  text::HotTopicIndex fresh(*store_, *tokenizer_);
  ASSERT_OK(fresh.Load(clock_.Now()));
  ExpectSameAnswers(fresh, restored, "fresh");
  ExpectSameSimilar(fresh, restored, "similar, fresh");
  // A restored index takes new reports like a built one: the finder was filled again.
  for (int i = 0; i < 3; ++i) {
    Register(fmt::format("2024-03-18 1{}:00", i), i);
  }
  ports::TicketFilter today;
  today.created_from = *ParseInstant("2024-03-18");
  auto added = store_->List(today);
  ASSERT_OK(added);
  ASSERT_EQ(added->size(), 3U);
  for (const auto& t : *added) {
    restored.Apply(t);
    built.Apply(t);
  }
  ExpectSameAnswers(built, restored, "after new reports", "2024-03-12", "2024-03-19");
  EXPECT_GT(ExpectSameSimilar(built, restored, "similar, after new reports"), 0U);
  // A text changed and a state changed since: the analysed text leaves the finder (removed
  // by its tokens, as any text) and comes back with the new wording.
  auto reworded = store_->FindByNumber(noise_[2]);
  ASSERT_OK(reworded);
  reworded->content = "丽发新城工地的塔吊夜里还在作业，灯光和噪音都很扰民。";
  ++reworded->version;
  auto closed = store_->FindByNumber(noise_[3]);
  ASSERT_OK(closed);
  closed->state = domain::TicketState::kClosed;
  ++closed->version;
  for (const auto* t : {&*reworded, &*closed}) {
    restored.Apply(*t);
    built.Apply(*t);
  }
  ExpectSameAnswers(built, restored, "after a change of text and of state", "2024-03-12",
                    "2024-03-19");
  EXPECT_GT(ExpectSameSimilar(built, restored, "similar, after a change of text and of state"), 0U);
  auto found = restored.FindSimilar(
      {"", "塔吊夜里作业", "丽发新城工地的塔吊夜里还在作业", "", "", ToUnix(clock_.Now())}, 3,
      clock_.Now());
  ASSERT_TRUE(found.has_value());
  ASSERT_FALSE(found->empty());
  EXPECT_EQ(found->front().id, noise_[2]) << "the new wording is found";
  EXPECT_EQ(restored.stats().texts, built.stats().texts);
}

TEST_F(HotTopicSnapshotTest, AnOlderFormatVersionIsIgnoredWithALineOnStderr) {
  text::HotTopicIndex built(*store_, *tokenizer_, WithSnapshot());
  ASSERT_OK(built.Load(clock_.Now()));
  ASSERT_OK(built.WriteSnapshot(clock_.Now()));
  std::string bytes;
  {
    std::ifstream in(SnapshotPath(), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_GT(bytes.size(), 12U);
  ASSERT_EQ(bytes.substr(0, 8), "HLHOTIDX");
  ASSERT_GE(static_cast<unsigned char>(bytes[8]), 2) << "the version that saves the analyses";
  bytes[8] = 1;  // format version 1: without the finder's analyses
  {
    std::ofstream out(SnapshotPath(), std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  text::HotTopicIndex index(*store_, *tokenizer_, WithSnapshot());
  ::testing::internal::CaptureStderr();
  const Status loaded = index.Load(clock_.Now());
  const std::string err = ::testing::internal::GetCapturedStderr();
  ASSERT_OK(loaded);
  const auto s = index.stats();
  EXPECT_FALSE(s.load.from_snapshot);
  EXPECT_NE(s.load.snapshot_note.find("快照格式版本 1"), std::string::npos) << s.load.snapshot_note;
  EXPECT_NE(err.find("热点索引快照 " + SnapshotPath() + " 未使用（快照格式版本 1"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("从库中全量加载"), std::string::npos) << err;
  EXPECT_EQ(s.load.looked_up, s.texts) << "built in full";
  EXPECT_EQ(s.load.snapshot_analysed, 0U);
  ExpectSameAnswers(built, index, "after an old snapshot");
  EXPECT_GT(ExpectSameSimilar(built, index, "similar, after an old snapshot"), 0U);
}

TEST_F(HotTopicSnapshotTest, TicketsChangedAfterTheSnapshotAreCaughtUp) {
  auto live = std::make_shared<text::HotTopicIndex>(*store_, *tokenizer_, WithSnapshot());
  const int64_t subscription =
      service_->feed().Subscribe([live](const app::TicketChange& c) { live->Apply(c.ticket); });
  ASSERT_OK(live->Load(clock_.Now()));
  ASSERT_OK(live->WriteSnapshot(clock_.Now()));
  // After the snapshot: new reports of the building site, one merged, one re-worded.
  for (int i = 0; i < 3; ++i) {
    Register(fmt::format("2024-03-18 1{}:00", i), i);
  }
  clock_.Set(*ParseInstant("2024-03-18 15:00"));
  ASSERT_OK(service_->Act(city_->Act("disp"), noise_[1],
                          {domain::Action::kMerge, {{"into", noise_.front()}}}));
  service_->feed().Unsubscribe(subscription);

  text::HotTopicIndex restored(*store_, *tokenizer_, WithSnapshot());
  ASSERT_OK(restored.Load(clock_.Now()));
  const auto s = restored.stats();
  ASSERT_TRUE(s.load.from_snapshot) << s.load.snapshot_note;
  EXPECT_GE(s.load.caught_up, 5U);  // 3 new, the merged ticket and its master
  EXPECT_LE(s.load.caught_up, 6U);
  EXPECT_EQ(s.load.looked_up, 3U) << "only the new texts are looked up; a merge changes no text";
  ExpectSameAnswers(*live, restored, "caught up");
  text::HotTopicIndex fresh(*store_, *tokenizer_);
  ASSERT_OK(fresh.Load(clock_.Now()));
  ExpectSameAnswers(fresh, restored, "caught up, against a full build");
  text::TicketTopicRequest fortnight;
  fortnight.from = *ParseInstant("2024-03-11");
  fortnight.to = *ParseInstant("2024-03-19");
  auto clusters = restored.FindClusters(city_->org, fortnight, clock_.Now());
  ASSERT_TRUE(clusters.has_value());
  ASSERT_OK(*clusters);
  ASSERT_FALSE((*clusters)->empty());
  EXPECT_EQ((*clusters)->front().tickets.size(), 9U) << "the 3 new reports joined the cluster";
  EXPECT_EQ((*clusters)->front().open, 8U) << "the merged one is no longer open";

  // A week later the window has moved: the snapshot's oldest days are dropped on loading.
  clock_.Set(*ParseInstant("2024-03-25 09:00"));
  text::HotTopicIndex later(*store_, *tokenizer_, WithSnapshot());
  ASSERT_OK(later.Load(clock_.Now()));
  EXPECT_TRUE(later.stats().load.from_snapshot) << later.stats().load.snapshot_note;
  text::HotTopicIndex later_fresh(*store_, *tokenizer_);
  ASSERT_OK(later_fresh.Load(clock_.Now()));
  EXPECT_EQ(later.stats().tickets, later_fresh.stats().tickets);
  EXPECT_EQ(later.stats().texts, later_fresh.stats().texts);
  ExpectSameAnswers(later_fresh, later, "a week later", "2024-03-18", "2024-03-25",
                    /*some_topics=*/false);
  text::TicketTopicRequest pairs;
  pairs.from = *ParseInstant("2024-03-18");
  pairs.to = *ParseInstant("2024-03-25");
  pairs.min_size = 2;
  auto later_pairs = later.FindClusters(city_->org, pairs, clock_.Now());
  ASSERT_TRUE(later_pairs.has_value());
  ASSERT_OK(*later_pairs);
  EXPECT_FALSE((*later_pairs)->empty()) << "the 3 reports of 2024-03-18, caught up, still link";
}

TEST_F(HotTopicSnapshotTest, ABadSnapshotIsIgnoredAndTheIndexIsBuiltInFull) {
  text::HotTopicIndex fresh(*store_, *tokenizer_, WithSnapshot());
  ASSERT_OK(fresh.Load(clock_.Now()));
  ASSERT_OK(fresh.WriteSnapshot(clock_.Now()));
  std::string good;
  {
    std::ifstream in(SnapshotPath(), std::ios::binary);
    good.assign(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_GT(good.size(), 200U);
  std::string flipped = good;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x20);
  std::string other_version = good;
  other_version[8] = 99;  // the format version after the 8-byte magic
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"a flipped byte", flipped, "校验和"},
      {"truncated", good.substr(0, good.size() / 2), "校验和"},
      {"another format version", other_version, "版本"},
      {"empty", "", "不是"},
      {"not a snapshot", "hello, world", "不是"},
  };
  for (const auto& [what, bytes, reason] : cases) {
    {
      std::ofstream out(SnapshotPath(), std::ios::binary | std::ios::trunc);
      out << bytes;
    }
    text::HotTopicIndex index(*store_, *tokenizer_, WithSnapshot());
    ASSERT_OK(index.Load(clock_.Now())) << what;
    const auto s = index.stats();
    EXPECT_FALSE(s.load.from_snapshot) << what;
    EXPECT_NE(s.load.snapshot_note.find(reason), std::string::npos)
        << what << ": " << s.load.snapshot_note;
    EXPECT_EQ(s.load.looked_up, s.texts) << what << ": built in full";
    ExpectSameAnswers(fresh, index, what);
  }
  // A snapshot of another store (another first ticket) is not taken for this one.
  {
    std::ofstream out(SnapshotPath(), std::ios::binary | std::ios::trunc);
    out << good;
  }
  auto other = sqlite::SqliteStore::Open({.path = (dir_ / "other.db").string()});
  ASSERT_OK(other);
  ASSERT_OK((*other)->SaveOrg(city_->org));
  ASSERT_OK((*other)->SaveCategories(city_->categories));
  {
    domain::DecisionContext ctx{*ParseInstant("2024-03-12 10:00"), city_->org, city_->calendar,
                                city_->policies};
    auto event = domain::DecideRegister(
        {{"type", "投诉"},
         {"title", "另一个库的工单"},
         {"content", "内容"},
         {"region", std::to_string(SmallCity::kStreet.value())},
         {"category",
          std::to_string(city_->categories.FindByPath("环境保护/污染防治/噪声污染")->id.value())}},
        city_->Act("op"), ctx);
    ASSERT_OK(event);
    domain::Ticket t;
    domain::Apply(t, *event);
    ASSERT_OK((*other)->Create(std::move(t), {std::move(*event)}));
  }
  text::HotTopicIndex foreign(**other, *tokenizer_, WithSnapshot());
  ASSERT_OK(foreign.Load(clock_.Now()));
  EXPECT_FALSE(foreign.stats().load.from_snapshot);
  EXPECT_NE(foreign.stats().load.snapshot_note.find("另一个数据库"), std::string::npos)
      << foreign.stats().load.snapshot_note;
  EXPECT_EQ(foreign.stats().tickets, 1U);
}

TEST_F(HotTopicSnapshotTest, ALexiconChangeInvalidatesTheSnapshot) {
  text::HotTopicIndex before(*store_, *tokenizer_, WithSnapshot());
  ASSERT_OK(before.Load(clock_.Now()));
  ASSERT_OK(before.WriteSnapshot(clock_.Now()));
  text::Lexicon lexicon = text::Lexicon::Default();
  ASSERT_OK(lexicon.AddDictionary("夜间施工 word\n"));
  auto changed = text::Tokenizer::Create(lexicon);
  ASSERT_OK(changed);
  EXPECT_NE((*changed)->fingerprint(), tokenizer_->fingerprint());
  auto same = text::Tokenizer::CreateDefault();
  ASSERT_OK(same);
  EXPECT_EQ((*same)->fingerprint(), tokenizer_->fingerprint());
  text::HotTopicIndex after(*store_, **changed, WithSnapshot());
  ASSERT_OK(after.Load(clock_.Now()));
  EXPECT_FALSE(after.stats().load.from_snapshot);
  EXPECT_NE(after.stats().load.snapshot_note.find("词库"), std::string::npos)
      << after.stats().load.snapshot_note;
  // With the tokenizer it was written with, the same file is still good.
  text::HotTopicIndex again(*store_, **same, WithSnapshot());
  ASSERT_OK(again.Load(clock_.Now()));
  EXPECT_TRUE(again.stats().load.from_snapshot) << again.stats().load.snapshot_note;
}

TEST_F(HotTopicSnapshotTest, TheLiveIndexWritesItsSnapshotWhenItStops) {
  auto live = std::make_unique<text::LiveHotTopicIndex>(
      *store_, std::shared_ptr<const text::Tokenizer>(tokenizer_.get(), [](auto*) {}),
      [this] { return clock_.Now(); }, WithSnapshot());
  live->Start();
  for (int i = 0; i < 3000 && !live->current()->stats().loaded; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(live->current()->stats().loaded);
  EXPECT_FALSE(std::filesystem::exists(SnapshotPath()));
  live.reset();  // Stop: written
  ASSERT_TRUE(std::filesystem::exists(SnapshotPath()));
  text::HotTopicIndex restored(*store_, *tokenizer_, WithSnapshot());
  ASSERT_OK(restored.Load(clock_.Now()));
  EXPECT_TRUE(restored.stats().load.from_snapshot) << restored.stats().load.snapshot_note;
}

}  // namespace
}  // namespace hotline::adapters::http
