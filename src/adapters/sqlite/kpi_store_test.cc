// KPI aggregates kept with the events equal a rebuild from the log; the deadline job fires
// each step once, across a restart, and catches up missed steps once, in ladder order.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <random>

#include "adapters/sqlite/sqlite_store.h"
#include "app/deadline_jobs.h"
#include "app/kpi_service.h"
#include "app/ticket_service.h"
#include "testing/matchers.h"
#include "testing/small_city.h"

namespace hotline::adapters::sqlite {
namespace {

namespace fs = std::filesystem;
using domain::Action;
using hotline::testing::SmallCity;

Instant At(const char* local) { return *ParseInstant(local); }

class KpiStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("hotline-kpi-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(dir_);
    Open();
    ASSERT_OK(store_->SaveOrg(city_->org));
    ASSERT_OK(store_->SaveCategories(city_->categories));
  }
  void TearDown() override {
    Close();
    fs::remove_all(dir_);
  }
  void Open() {
    SqliteOptions o;
    o.path = (dir_ / "k.db").string();
    auto store = SqliteStore::Open(o);
    ASSERT_OK(store);
    store_ = std::move(*store);
    auto config = std::make_shared<app::HotlineConfig>();
    config->org = city_->org;
    config->categories = city_->categories;
    config->routing = city_->routing;
    service_ = std::make_unique<app::TicketService>(*store_, clock_, config);
    jobs_ = std::make_unique<app::DeadlineJobs>(*service_, *store_, *store_);
  }
  void Close() {
    jobs_.reset();
    service_.reset();
    store_.reset();
  }
  std::string NewComplaint(const char* dispatched_at) {
    clock_.Set(At(dispatched_at) - std::chrono::minutes(5));
    auto t = service_->Register(city_->Act("op"),
                                {{"type", "投诉"}, {"content", "噪音扰民"}, {"region", "3"}});
    EXPECT_OK(t);
    clock_.Set(At(dispatched_at));
    EXPECT_OK(Do("disp", t->number, Action::kDispatch, {{"lead_unit", "5"}}));
    return t->number;
  }
  Result<domain::Ticket> Do(const char* login, const std::string& number, Action a,
                            domain::Fields f = {}) {
    return service_->Act(city_->Act(login), number, {a, std::move(f)});
  }
  Result<app::JobRunReport> Run(const char* now) {
    clock_.Set(At(now));
    return jobs_->RunOnce(At(now));
  }
  std::vector<std::string> JobEvents(const std::string& number) {
    std::vector<std::string> out;
    auto t = store_->FindByNumber(number);
    auto h = store_->History(t->id);
    for (const auto& e : *h) {
      if (e.type == "note" || e.type == "urge" || e.type == "supervise") {
        out.push_back(e.type + (e.type == "supervise" ? e.fields.at("level") : ""));
      }
    }
    return out;
  }

  std::unique_ptr<SmallCity> city_ = hotline::testing::MakeSmallCity();
  ports::FakeClock clock_{At("2024-10-14 08:00:00")};
  fs::path dir_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<app::TicketService> service_;
  std::unique_ptr<app::DeadlineJobs> jobs_;
};

// A complaint dispatched Mon 2024-10-14 09:00 to the township (under the county platform):
// reply due Mon 10-28 09:00; reminder from Fri 10-25 09:00; supervise1 Wed 10-30 09:00,
// supervise2 Mon 11-04 09:00.
TEST_F(KpiStoreTest, EachStepFiresOnceAcrossARestart) {
  std::string n = NewComplaint("2024-10-14 09:00:00");
  auto r = Run("2024-10-25 08:00:00");
  ASSERT_OK(r);
  EXPECT_EQ(r->steps.size(), 0u);
  r = Run("2024-10-25 10:00:00");
  ASSERT_OK(r);
  EXPECT_EQ(r->reminded, 1);
  r = Run("2024-10-25 10:01:00");
  ASSERT_OK(r);
  EXPECT_EQ(r->reminded, 0);
  EXPECT_EQ(r->skipped, 1);
  Close();
  Open();
  r = Run("2024-10-25 10:02:00");
  ASSERT_OK(r);
  EXPECT_TRUE(r->steps.empty());
  r = Run("2024-10-28 09:01:00");
  ASSERT_OK(r);
  EXPECT_EQ(r->urged, 1);
  Close();
  Open();
  r = Run("2024-10-28 09:02:00");
  ASSERT_OK(r);
  EXPECT_EQ(r->urged, 0);
  EXPECT_EQ(JobEvents(n), (std::vector<std::string>{"note", "urge"}));
  auto t = store_->FindByNumber(n);
  EXPECT_EQ(t->urge_count, 1);
  EXPECT_EQ(t->notes.size(), 1u);
  EXPECT_NE(t->notes[0].text.find("时限提醒"), std::string::npos);
}

TEST_F(KpiStoreTest, MissedStepsAreCaughtUpOnceInLadderOrder) {
  std::string n = NewComplaint("2024-10-14 09:00:00");
  // Down from before the reminder until after supervise2: one pass takes the three
  // escalation steps once each, in order, and not the stale reminder.
  auto r = Run("2024-11-05 09:00:00");
  ASSERT_OK(r);
  ASSERT_EQ(r->steps.size(), 3u);
  EXPECT_EQ(r->steps[0].step, "overdue");
  EXPECT_EQ(r->steps[1].step, "supervise1");
  EXPECT_EQ(r->steps[2].step, "supervise2");
  EXPECT_EQ(r->urged, 1);
  EXPECT_EQ(r->supervised, 2);
  r = Run("2024-11-05 09:01:00");
  ASSERT_OK(r);
  EXPECT_TRUE(r->steps.empty());
  EXPECT_EQ(JobEvents(n), (std::vector<std::string>{"urge", "supervise1", "supervise2"}));
  auto t = store_->FindByNumber(n);
  EXPECT_EQ(t->supervise_level, 2);
  auto h = store_->History(t->id);
  // Level 1 names the county platform above the township.
  bool named = false;
  for (const auto& e : *h) {
    if (e.type == "supervise" && e.fields.at("level") == "1") {
      named = e.fields.at("comment").find("三元区12345分平台") != std::string::npos;
    }
  }
  EXPECT_TRUE(named);
}

TEST_F(KpiStoreTest, AnInterruptedStepIsRecoveredNotRepeated) {
  std::string n = NewComplaint("2024-10-14 09:00:00");
  auto t = store_->FindByNumber(n);
  std::string key = "overdue@" + std::to_string(ToUnix(*t->reply_deadline));
  // A pass claimed the step, urged, and died before recording it.
  ASSERT_OK(store_->ClaimStep(t->id, key, At("2024-10-28 09:01:00")));
  clock_.Set(At("2024-10-28 09:01:00"));
  ASSERT_OK(Do("system", n, Action::kUrge, {{"comment", "【超期自动催办】已超过答复期限"}}));
  auto r = Run("2024-10-28 09:02:00");
  ASSERT_OK(r);
  EXPECT_EQ(r->recovered, 1);
  EXPECT_EQ(r->urged, 0);
  EXPECT_EQ(store_->FindByNumber(n)->urge_count, 1);
  // One that claimed and died before acting is taken by the next pass.
  std::string m = NewComplaint("2024-10-14 09:00:00");
  auto u = store_->FindByNumber(m);
  ASSERT_OK(store_->ClaimStep(u->id, "overdue@" + std::to_string(ToUnix(*u->reply_deadline)),
                              At("2024-10-28 09:01:00")));
  r = Run("2024-10-28 09:03:00");
  ASSERT_OK(r);
  EXPECT_EQ(r->urged, 1);
  EXPECT_EQ(store_->FindByNumber(m)->urge_count, 1);
}

TEST_F(KpiStoreTest, ANewDeadlineStartsANewRound) {
  std::string n = NewComplaint("2024-10-14 09:00:00");
  ASSERT_OK(Run("2024-10-28 10:00:00"));
  clock_.Set(At("2024-10-28 11:00:00"));
  ASSERT_OK(Do("sup", n, Action::kChangeDeadline,
               {{"reply_deadline", "2024-10-31 09:00:00"}, {"reason", "协调中"}}));
  auto r = Run("2024-10-28 11:01:00");
  ASSERT_OK(r);
  EXPECT_TRUE(r->steps.empty());
  r = Run("2024-10-31 09:01:00");
  ASSERT_OK(r);
  EXPECT_EQ(r->urged, 1);
  EXPECT_EQ(store_->FindByNumber(n)->urge_count, 2);
}

TEST_F(KpiStoreTest, IncrementalAggregatesEqualARebuildFromTheLog) {
  std::mt19937 rng(12345);
  std::vector<std::string> numbers;
  Instant now = At("2024-10-14 08:00:00");
  const char* units[] = {"2", "3", "4", "5", "6"};
  const char* types[] = {"咨询", "求助", "投诉", "举报", "建议"};
  for (int i = 0; i < 400; ++i) {
    now += std::chrono::minutes(20 + rng() % 300);
    clock_.Set(now);
    if (numbers.empty() || rng() % 3 == 0) {
      auto t = service_->Register(city_->Act("op"), {{"type", types[rng() % 5]},
                                                     {"content", "诉求"},
                                                     {"region", std::to_string(1 + rng() % 3)},
                                                     {"category", std::to_string(1 + rng() % 8)}});
      if (t.has_value()) {
        numbers.push_back(t->number);
      }
      continue;
    }
    const std::string& n = numbers[rng() % numbers.size()];
    auto t = store_->FindByNumber(n);
    ASSERT_OK(t);
    std::string lead = std::to_string(t->lead_unit.value());
    const domain::Unit* unit = city_->org.FindUnit(t->lead_unit);
    std::string handler = "housing";
    for (const auto& u : city_->org.users()) {
      if (unit != nullptr && u.unit == unit->id) {
        handler = u.login;
        break;
      }
    }
    switch (t->state) {
      case domain::TicketState::kRegistered:
        switch (rng() % 5) {
          case 0:
            (void)Do("op", n, Action::kAnswer, {{"answer", "已答"}});
            break;
          case 1:
            (void)Do("op", n, Action::kReject, {{"reason", "不受理"}});
            break;
          default:
            (void)Do("disp", n, Action::kDispatch, {{"lead_unit", units[rng() % 5]}});
        }
        break;
      case domain::TicketState::kDispatched:
        switch (rng() % 4) {
          case 0:
            (void)Do("disp", n, Action::kRedispatch,
                     {{"lead_unit", units[rng() % 5]}, {"reason", "改派"}});
            break;
          case 1:
            (void)Do("system", n, Action::kUrge);
            break;
          default:
            (void)Do(handler.c_str(), n, Action::kSign);
        }
        break;
      case domain::TicketState::kSigned:
        switch (rng() % 4) {
          case 0:
            (void)Do(handler.c_str(), n, Action::kRequestReturn, {{"reason", "非本单位"}});
            break;
          default:
            (void)Do(handler.c_str(), n, Action::kReply, {{"reply", "已办"}});
        }
        break;
      case domain::TicketState::kReturnRequested:
        (void)Do("disp", n, rng() % 2 ? Action::kApproveReturn : Action::kRejectReturn,
                 {{"comment", "意见"}});
        break;
      case domain::TicketState::kReplied:
        (void)Do("disp", n, rng() % 5 ? Action::kReviewPass : Action::kReviewFail,
                 {{"reason", "不完整"}});
        break;
      case domain::TicketState::kReviewed: {
        const char* sat[] = {"满意", "基本满意", "不满意"};
        (void)Do("cb", n, Action::kCallback,
                 {{"reached", rng() % 6 ? "1" : "0"},
                  {"resolved", rng() % 3 ? "1" : "0"},
                  {"satisfaction", sat[rng() % 3]}});
        break;
      }
      case domain::TicketState::kCallbackDone:
        if (t->satisfaction == domain::Satisfaction::kUnsatisfied || !t->resolved.value_or(true)) {
          (void)Do("cb", n, Action::kRehandle, {{"reason", "不满意"}});
        } else {
          (void)Do("system", n, Action::kArchive);
        }
        break;
      default:
        break;
    }
  }
  auto incremental = store_->KpiAggregateDump();
  ASSERT_OK(incremental);
  EXPECT_GT(incremental->size(), 50u);
  ASSERT_OK(store_->RebuildKpi());
  auto rebuilt = store_->KpiAggregateDump();
  ASSERT_OK(rebuilt);
  EXPECT_EQ(*incremental, *rebuilt);

  // The monthly roll-ups answer exactly what the daily aggregates answer, for whole months,
  // partial months at either end, each grouping and each single-dimension filter (and a
  // two-dimension filter, which the daily rows answer alone). The county roll-ups (012)
  // answer a county's regions (2 and its township 3) with or without a unit or category
  // filter; part of a county (3 alone) is answered by the daily rows.
  const std::pair<const char*, const char*> periods[] = {{"2024-10-01", "2025-12-31"},
                                                         {"2024-10-20", "2024-11-30"},
                                                         {"2024-10-20", "2024-12-10"},
                                                         {"2024-11-01", "2024-11-30"},
                                                         {"2024-11-03", "2024-11-20"}};
  const ports::KpiGroup groups[] = {ports::KpiGroup::kNone,       ports::KpiGroup::kDay,
                                    ports::KpiGroup::kUnit,       ports::KpiGroup::kRegion,
                                    ports::KpiGroup::kCategory,   ports::KpiGroup::kMonth,
                                    ports::KpiGroup::kTopCategory};
  int compared = 0;
  for (const auto& [from, to] : periods) {
    for (int filter = 0; filter < 10; ++filter) {
      ports::KpiQuery q{from, to, {}, {}, {}, {}, {}};
      if (filter == 1) q.units = {2, 3};
      if (filter == 2) q.regions = {1};
      if (filter == 3) q.categories = {1, 2, 5};
      if (filter == 4) {
        q.units = {2, 3, 4};
        q.regions = {1, 2};
      }
      if (filter >= 5 && filter <= 7) q.regions = {2, 3};
      if (filter == 6) q.units = {2, 4, 5};
      if (filter == 7) q.categories = {1, 3, 6};
      if (filter == 8) q.regions = {3};
      if (filter == 9) q.regions = {1, 2, 3};
      for (auto group : groups) {
        auto fast = store_->KpiSums(q, group);
        ports::KpiQuery slow_q = q;
        slow_q.daily_only = true;
        auto slow = store_->KpiSums(slow_q, group);
        ASSERT_OK(fast);
        ASSERT_OK(slow);
        ASSERT_EQ(fast->size(), slow->size()) << from << ".." << to << " filter " << filter;
        for (size_t i = 0; i < fast->size(); ++i) {
          EXPECT_EQ((*fast)[i].key, (*slow)[i].key);
          EXPECT_EQ((*fast)[i].sums, (*slow)[i].sums)
              << from << ".." << to << " filter " << filter << " group " << static_cast<int>(group)
              << " key " << (*fast)[i].key;
        }
        if (std::string(from) == "2024-11-01" && filter == 0 && group == ports::KpiGroup::kNone) {
          // The whole month of November is answered by the roll-up and is not empty.
          EXPECT_GT((*fast)[0].sums[0], 0);
        }
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 350);

  // The report's totals are the sums of its daily trend; drill-down pages through them.
  app::KpiService kpis(*store_, [this] { return service_->config(); });
  auto report = kpis.Report({"2024-10-01", "2025-12-31", {}});
  ASSERT_OK(report);
  int64_t received = 0;
  for (const auto& day : report->trend) {
    received += day.kpis[0].numerator;
  }
  EXPECT_EQ(report->kpis[0].id, "received");
  EXPECT_EQ(report->kpis[0].numerator, received);
  EXPECT_EQ(received, static_cast<int64_t>(numbers.size()));
  int64_t seen = 0;
  int64_t after = 0;
  do {
    auto page = kpis.Tickets({"2024-10-01", "2025-12-31", {}}, "received", after, 7);
    ASSERT_OK(page);
    seen += static_cast<int64_t>(page->tickets.size());
    after = page->next_after;
  } while (after != 0);
  EXPECT_EQ(seen, received);
}

TEST_F(KpiStoreTest, CountyScopedBreakdownsReadTheCountyRollups) {
  // Three complaints in the county (two in its township 3, one in the county region 2 itself),
  // one in the city's own region 1, in November; then the daily rows are wiped behind the store's
  // back: what a whole-month county query still answers can only come from the roll-ups.
  for (const char* region : {"3", "3", "2", "1"}) {
    clock_.Set(At("2024-11-05 09:00:00"));
    auto t = service_->Register(
        city_->Act("op"),
        {{"type", "投诉"}, {"content", "诉求"}, {"region", region}, {"category", "1"}});
    ASSERT_OK(t);
    ASSERT_OK(Do("disp", t->number, Action::kDispatch, {{"lead_unit", "2"}}));
  }
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "k.db").string().c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "DELETE FROM kpi_daily", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  const auto received = static_cast<size_t>(domain::kpi::Measure::kReceived);
  const auto dispatched = static_cast<size_t>(domain::kpi::Measure::kDispatched);
  ports::KpiQuery county{"2024-11-01", "2024-11-30", {}, {2, 3}, {}, {}, {}};
  auto by_unit = store_->KpiSums(county, ports::KpiGroup::kUnit);
  ASSERT_OK(by_unit);
  ASSERT_EQ(by_unit->size(), 2u);  // 0 (intake, the centre's) and unit 2
  EXPECT_EQ((*by_unit)[0].key, "0");
  EXPECT_EQ((*by_unit)[0].sums[received], 3);
  EXPECT_EQ((*by_unit)[1].key, "2");
  EXPECT_EQ((*by_unit)[1].sums[dispatched], 3);
  auto by_category = store_->KpiSums(county, ports::KpiGroup::kCategory);
  ASSERT_OK(by_category);
  ASSERT_EQ(by_category->size(), 1u);
  EXPECT_EQ((*by_category)[0].sums[received], 3);
  // Part of a county (3 without 2), or a day within the month, is not in the roll-ups: the
  // daily rows answer (gone).
  ports::KpiQuery township = county;
  township.regions = {3};
  auto part = store_->KpiSums(township, ports::KpiGroup::kUnit);
  ASSERT_OK(part);
  EXPECT_TRUE(part->empty());
  ports::KpiQuery days = county;
  days.to = "2024-11-29";
  auto partial = store_->KpiSums(days, ports::KpiGroup::kUnit);
  ASSERT_OK(partial);
  EXPECT_TRUE(partial->empty());
}

TEST_F(KpiStoreTest, TopCategoryBreakdownsReadTheTopCategoryRollups) {
  // Four complaints in November, in four leaf categories under three top-level ones: two in
  // the county's township 3, one in the county region 2, one in the city's region 1.
  const char* const paths[] = {"城乡建设/住房保障/物业管理", "城乡建设/住房保障/房屋质量",
                               "环境保护/污染防治/噪声污染", "交通运输/公共交通/公交线路"};
  const char* const regions[] = {"3", "3", "2", "1"};
  for (int i = 0; i < 4; ++i) {
    const domain::Category* leaf = city_->categories.FindByPath(paths[i]);
    ASSERT_NE(leaf, nullptr) << paths[i];
    clock_.Set(At("2024-11-05 09:00:00"));
    auto t = service_->Register(city_->Act("op"), {{"type", "投诉"},
                                                   {"content", "诉求"},
                                                   {"region", regions[i]},
                                                   {"category", std::to_string(leaf->id.value())}});
    ASSERT_OK(t);
    ASSERT_OK(Do("disp", t->number, Action::kDispatch, {{"lead_unit", "2"}}));
  }
  // The leaf breakdowns from the daily rows, folded by hand to the top-level categories.
  auto folded = [&](const ports::KpiQuery& q) {
    ports::KpiQuery slow = q;
    slow.daily_only = true;
    auto leaves = store_->KpiSums(slow, ports::KpiGroup::kCategory);
    EXPECT_OK(leaves);
    std::map<std::string, domain::kpi::Sums> out;
    for (const auto& row : *leaves) {
      auto chain = city_->categories.Ancestry(domain::CategoryId{std::stoll(row.key)});
      std::string top = chain.empty() ? row.key : std::to_string(chain.back().value());
      for (size_t i = 0; i < row.sums.size(); ++i) {
        out[top][i] += row.sums[i];
      }
    }
    return out;
  };
  const ports::KpiQuery city{"2024-11-01", "2024-11-30", {}, {}, {}, {}, {}};
  const ports::KpiQuery county{"2024-11-01", "2024-11-30", {}, {2, 3}, {}, {}, {}};
  const auto city_expected = folded(city);
  const auto county_expected = folded(county);
  ASSERT_EQ(city_expected.size(), 3u);
  ASSERT_EQ(county_expected.size(), 2u);
  // Wipe the daily rows behind the store's back: what still answers are the roll-ups.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "k.db").string().c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "DELETE FROM kpi_daily", nullptr, nullptr, nullptr), SQLITE_OK);
  const auto received = static_cast<size_t>(domain::kpi::Measure::kReceived);
  for (const auto& [q, expected] :
       {std::make_pair(city, city_expected), std::make_pair(county, county_expected)}) {
    auto tops = store_->KpiSums(q, ports::KpiGroup::kTopCategory);
    ASSERT_OK(tops);
    std::map<std::string, domain::kpi::Sums> got;
    for (const auto& row : *tops) {
      got[row.key] = row.sums;
    }
    EXPECT_EQ(got, expected);
  }
  const std::string housing = std::to_string(city_->categories.FindByPath("城乡建设")->id.value());
  EXPECT_EQ(city_expected.at(housing)[received], 2);
  // A leaf moved to another top-level category: the stored tops disagree with the tree, so
  // the daily rows answer (gone), never roll-up rows keyed by the old top.
  const domain::Category* moved = city_->categories.FindByPath("城乡建设/住房保障/物业管理");
  const domain::Category* pollution = city_->categories.FindByPath("环境保护/污染防治");
  const std::string sql = fmt::format("UPDATE categories SET parent = {} WHERE id = {}",
                                      pollution->id.value(), moved->id.value());
  ASSERT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  auto after_move = store_->KpiSums(city, ports::KpiGroup::kTopCategory);
  ASSERT_OK(after_move);
  EXPECT_TRUE(after_move->empty());
  // The leaf roll-ups still answer a leaf breakdown.
  auto leaves = store_->KpiSums(city, ports::KpiGroup::kCategory);
  ASSERT_OK(leaves);
  EXPECT_EQ(leaves->size(), 4u);
}

TEST_F(KpiStoreTest, ScopesByRoleAndUnit) {
  std::string n = NewComplaint("2024-10-14 09:00:00");
  ASSERT_OK(Do("town", n, Action::kSign));
  app::KpiService kpis(*store_, [this] { return service_->config(); });
  auto town = kpis.ScopeFor(city_->Act("town"), {});
  ASSERT_OK(town);
  EXPECT_EQ(town->unit, SmallCity::kTownship);
  app::KpiScope housing;
  housing.unit = SmallCity::kHousing;
  EXPECT_THAT(kpis.ScopeFor(city_->Act("town"), housing),
              hotline::testing::HasErrorCode(ErrorCode::kPermissionDenied));
  auto hub = kpis.ScopeFor(city_->Act("hub"), {});
  ASSERT_OK(hub);
  EXPECT_EQ(hub->region, SmallCity::kCounty);
  EXPECT_THAT(kpis.ScopeFor(city_->Act("op"), {}),
              hotline::testing::HasErrorCode(ErrorCode::kPermissionDenied));
  auto r = kpis.Report({"2024-10-14", "2024-10-14", *town});
  ASSERT_OK(r);
  EXPECT_EQ(r->kpis[0].numerator, 0);  // intake is the centre's, not the township's
  for (const auto& k : r->kpis) {
    if (k.id == "on_time_sign_rate") {
      EXPECT_EQ(k.numerator, 1);
      EXPECT_EQ(k.denominator, 1);
    }
  }
  auto county = kpis.Report({"2024-10-14", "2024-10-14", *hub});
  ASSERT_OK(county);
  EXPECT_EQ(county->kpis[0].numerator, 1);
  EXPECT_THAT(kpis.Report({"2024-10-15", "2024-10-14", {}}),
              hotline::testing::HasErrorCode(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace hotline::adapters::sqlite
