// bench/kpi: how fast the KPI engine answers a leader's dashboard, and how fast it ingests.
//
//   kpi_bench [--tickets N[,N...]] [--ingest N] [--daily-max N] [--repeat R] [--dir DIR]
//
// 1. Ingest: N tickets through the real TicketService on SQLite (durable commits), each through
//    register → dispatch → sign → reply → review → callback → archive, with the KPI facts,
//    daily aggregates and monthly roll-ups written in the same transactions: events/s.
// 2. Dashboard at scale: a megacity (16 counties, 320 townships, ~880 units, 1,000 leaf
//    categories) with N tickets spread over 2025, each contributing the facts a closed ticket
//    contributes (received, dispatched, signed, replied, handling time, callbacks,
//    satisfaction, closed, and some late / re-handled ones). The aggregates are bulk-loaded
//    directly (what the event path would have written, without the event log itself): the
//    daily table for N <= --daily-max, the roll-ups always. Then, R times each:
//      - the whole dashboard (KpiService::Report: every KPI, by county, by unit, by top
//        category, monthly trend) for the year, city-wide, and for one county (by township,
//        unit, top category, month: the county roll-ups of schema 012, also bulk-loaded);
//        each also as its five store reads one after another (before the parallel
//        breakdowns), and the county's from the daily rows alone when they are loaded;
//      - "every KPI for the year by county" read from the daily table alone (the path without
//        roll-ups), when the daily table was loaded;
//    printing p50 / p99 / max in ms, table rows and file size.
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/sqlite/sqlite_store.h"
#include "app/kpi_service.h"
#include "app/ticket_service.h"
#include "bench_util.h"
#include "testing/small_city.h"

namespace {

namespace fs = std::filesystem;
namespace kpi = hotline::domain::kpi;
using Clock = std::chrono::steady_clock;
using hotline::domain::CategoryId;
using hotline::domain::RegionId;
using hotline::domain::UnitId;
using hotline::domain::UnitKind;
using hotline::domain::UnitLevel;

constexpr int kCounties = 16;
constexpr int kTownshipsPerCounty = 20;
constexpr int kCityDepartments = 60;
constexpr int kCountyDepartments = 30;
constexpr int kTopCategories = 20;
constexpr int kSecondPerTop = 10;
constexpr int kLeavesPerSecond = 5;
constexpr int kDays = 365;
const char* const kTypes[] = {"consult", "help", "complaint", "report", "suggest"};
const char* const kChannels[] = {"phone", "web", "wechat", "app", "email", "sms"};

using hotline::bench::Ms;
using hotline::bench::PeakRssMb;
using hotline::bench::Percentile;

void Die(const std::string& what) {
  std::fprintf(stderr, "kpi_bench: %s\n", what.c_str());
  std::exit(1);
}

// ---- 1. ingest through the real service ------------------------------------------------

void Ingest(const std::string& dir, long tickets) {
  std::string path = dir + "/ingest.db";
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
  auto city = hotline::testing::MakeSmallCity();
  hotline::adapters::sqlite::SqliteOptions options;
  options.path = path;
  options.durable = true;
  auto store = hotline::adapters::sqlite::SqliteStore::Open(options);
  if (!store.has_value()) Die(store.error().ToString());
  auto config = std::make_shared<hotline::app::HotlineConfig>();
  config->org = city->org;
  config->categories = city->categories;
  config->routing = city->routing;
  hotline::ports::SystemClock clock;
  hotline::app::TicketService service(**store, clock, config);
  using hotline::domain::Action;
  const auto op = city->Act("op");
  const auto disp = city->Act("disp");
  const auto unit = city->Act("housing");
  const auto cb = city->Act("cb");
  const auto sys = city->Act("system");
  long events = 0;
  long failed = 0;
  std::vector<double> per_event;
  per_event.reserve(static_cast<size_t>(tickets) * 7);
  auto step = [&](auto&& call) {
    auto t0 = Clock::now();
    bool ok = call();
    per_event.push_back(Ms(Clock::now() - t0));
    ok ? ++events : ++failed;
  };
  auto start = Clock::now();
  for (long i = 0; i < tickets; ++i) {
    std::string number;
    step([&] {
      auto t = service.Register(op, {{"type", "投诉"},
                                     {"content", "小区门口道路破损，请尽快修复"},
                                     {"region", "3"},
                                     {"category", std::to_string(1 + i % 8)}});
      if (t.has_value()) number = t->number;
      return t.has_value();
    });
    if (number.empty()) continue;
    auto act = [&](const hotline::domain::Actor& who, Action a, hotline::domain::Fields f) {
      step([&] { return service.Act(who, number, {a, std::move(f)}).has_value(); });
    };
    act(disp, Action::kDispatch, {{"lead_unit", "2"}});
    act(unit, Action::kSign, {});
    act(unit, Action::kReply, {{"reply", "已修复"}});
    act(disp, Action::kReviewPass, {});
    act(cb, Action::kCallback, {{"reached", "1"}, {"resolved", "1"}, {"satisfaction", "满意"}});
    act(sys, Action::kArchive, {});
  }
  double secs = Ms(Clock::now() - start) / 1000.0;
  std::printf(
      "ingest: %ld tickets, %ld events (%ld refused) in %.1f s = %.0f events/s with facts, "
      "daily aggregates and roll-ups; per event p50 %.2f ms p99 %.2f ms; file %.1f MB\n",
      tickets, events, failed, secs, static_cast<double>(events) / secs, Percentile(per_event, 0.5),
      Percentile(per_event, 0.99), static_cast<double>(fs::file_size(path)) / 1e6);
}

// ---- 2. a megacity's aggregates ----------------------------------------------------------

struct Megacity {
  std::shared_ptr<hotline::app::HotlineConfig> config;
  std::vector<int64_t> townships;                  // region ids
  std::vector<int> county_of_township;             // index into counties
  std::vector<int64_t> counties;                   // region ids
  std::vector<int64_t> city_departments;           // unit ids
  std::vector<std::vector<int64_t>> county_units;  // per county: platform + departments
  std::vector<int64_t> township_units;             // per township
  std::vector<int64_t> leaves;                     // leaf category ids
  std::vector<int64_t> top_of;                     // by category id: its top-level category
};

Megacity BuildMegacity() {
  Megacity m;
  std::vector<hotline::domain::Region> regions;
  regions.push_back({RegionId{1}, "100000", "超大城市", UnitLevel::kCity, RegionId{}});
  int64_t rid = 2;
  for (int c = 0; c < kCounties; ++c) {
    int64_t county = rid++;
    m.counties.push_back(county);
    regions.push_back({RegionId{county}, std::to_string(100000 + county),
                       "区" + std::to_string(c + 1), UnitLevel::kCounty, RegionId{1}});
    for (int t = 0; t < kTownshipsPerCounty; ++t) {
      int64_t town = rid++;
      m.townships.push_back(town);
      m.county_of_township.push_back(c);
      regions.push_back({RegionId{town}, std::to_string(100000 + town),
                         "街道" + std::to_string(town), UnitLevel::kTownship, RegionId{county}});
    }
  }
  std::vector<hotline::domain::Unit> units;
  units.push_back({UnitId{1}, "centre", "12345热线中心", UnitLevel::kCity, UnitKind::kCentre,
                   UnitId{}, RegionId{1}, true});
  int64_t uid = 2;
  for (int d = 0; d < kCityDepartments; ++d) {
    m.city_departments.push_back(uid);
    units.push_back({UnitId{uid}, "city-" + std::to_string(d), "市直部门" + std::to_string(d),
                     UnitLevel::kCity, UnitKind::kDepartment, UnitId{1}, RegionId{1}, true});
    ++uid;
  }
  m.county_units.resize(kCounties);
  for (int c = 0; c < kCounties; ++c) {
    int64_t hub = uid++;
    m.county_units[c].push_back(hub);
    units.push_back({UnitId{hub}, "hub-" + std::to_string(c), "区分平台" + std::to_string(c),
                     UnitLevel::kCounty, UnitKind::kPlatform, UnitId{1}, RegionId{m.counties[c]},
                     true});
    for (int d = 0; d < kCountyDepartments; ++d) {
      int64_t u = uid++;
      m.county_units[c].push_back(u);
      units.push_back({UnitId{u}, "county-" + std::to_string(u), "区部门" + std::to_string(u),
                       UnitLevel::kCounty, UnitKind::kDepartment, UnitId{hub},
                       RegionId{m.counties[c]}, true});
    }
  }
  for (size_t t = 0; t < m.townships.size(); ++t) {
    int64_t u = uid++;
    m.township_units.push_back(u);
    int c = m.county_of_township[t];
    units.push_back({UnitId{u}, "town-" + std::to_string(u), "街道办" + std::to_string(u),
                     UnitLevel::kTownship, UnitKind::kDepartment, UnitId{m.county_units[c][0]},
                     RegionId{m.townships[t]}, true});
  }
  auto org = hotline::domain::OrgTree::Build(std::move(regions), std::move(units), {});
  if (!org.has_value()) Die("org: " + org.error().ToString());
  std::vector<hotline::domain::Category> cats;
  int64_t cid = 1;
  for (int a = 0; a < kTopCategories; ++a) {
    int64_t top = cid++;
    m.top_of.resize(static_cast<size_t>(cid), top);
    cats.push_back({CategoryId{top}, "大类" + std::to_string(a), CategoryId{}, 1});
    for (int b = 0; b < kSecondPerTop; ++b) {
      int64_t second = cid++;
      m.top_of.resize(static_cast<size_t>(cid), top);
      cats.push_back({CategoryId{second}, "中类" + std::to_string(second), CategoryId{top}, 2});
      for (int c = 0; c < kLeavesPerSecond; ++c) {
        int64_t leaf = cid++;
        m.top_of.resize(static_cast<size_t>(cid), top);
        m.leaves.push_back(leaf);
        cats.push_back({CategoryId{leaf}, "小类" + std::to_string(leaf), CategoryId{second}, 3});
      }
    }
  }
  auto tree = hotline::domain::CategoryTree::Build(std::move(cats));
  if (!tree.has_value()) Die("categories: " + tree.error().ToString());
  m.config = std::make_shared<hotline::app::HotlineConfig>();
  m.config->org = std::move(*org);
  m.config->categories = std::move(*tree);
  return m;
}

// A fact packed so that sorting the keys sorts them in kpi_daily's primary-key order
// (day, unit, category, region, type, channel, measure).
struct Packed {
  uint64_t key;
  int64_t value;
};
uint64_t Pack(int day, int64_t unit, int64_t cat, int64_t region, int type, int channel,
              int measure) {
  return (static_cast<uint64_t>(day) << 55) | (static_cast<uint64_t>(unit) << 44) |
         (static_cast<uint64_t>(cat) << 32) | (static_cast<uint64_t>(region) << 21) |
         (static_cast<uint64_t>(type) << 13) | (static_cast<uint64_t>(channel) << 5) |
         static_cast<uint64_t>(measure);
}

std::string DayText(int day) {
  static const int kMonthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int m = 0;
  while (day >= kMonthDays[m]) day -= kMonthDays[m++];
  char buf[32];
  std::snprintf(buf, sizeof buf, "2025-%02d-%02d", m + 1, day + 1);
  return buf;
}

void Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string e = err != nullptr ? err : "?";
    sqlite3_free(err);
    Die(std::string(sql) + ": " + e);
  }
}

struct LoadFigures {
  long daily_rows = 0;
  long rollup_rows = 0;
  long county_rollup_rows = 0;
  long facts = 0;
  double seconds = 0;
};

// Generates `tickets` tickets' facts; loads kpi_daily (when `daily`) and kpi_rollup.
LoadFigures Load(const std::string& path, const Megacity& m, long tickets, bool daily) {
  auto start = Clock::now();
  std::mt19937_64 rng(20251231);
  using M = kpi::Measure;
  std::vector<Packed> facts;
  // Roll-up sums in flat arrays: [dim][month][key][measure] (keys are below 4096; dims all,
  // unit, region, category, top_category).
  constexpr size_t kKeys = 4096;
  constexpr size_t kMeasures = kpi::kMeasureCount;
  std::vector<int64_t> rollup(5 * 12 * kKeys * kMeasures, 0);
  // County roll-ups (schemas 012, 015): [dim unit|category|top_category][county][month][key]
  // [measure]; unit and category ids are below kCountyKeys.
  constexpr size_t kCountyKeys = 1280;
  std::vector<int64_t> county_rollup(3 * kCounties * 12 * kCountyKeys * kMeasures, 0);
  auto county_cell = [&](int dim, int county, int month, int64_t key, int meas) -> int64_t& {
    return county_rollup[(((static_cast<size_t>(dim) * kCounties + static_cast<size_t>(county)) *
                               12 +
                           static_cast<size_t>(month)) *
                              kCountyKeys +
                          static_cast<size_t>(key)) *
                             kMeasures +
                         static_cast<size_t>(meas)];
  };
  auto cell = [&](int dim, int month, int64_t key, int meas) -> int64_t& {
    return rollup[((static_cast<size_t>(dim) * 12 + static_cast<size_t>(month)) * kKeys +
                   static_cast<size_t>(key)) *
                      kMeasures +
                  static_cast<size_t>(meas)];
  };
  static const int kMonthStart[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};
  auto month_of = [](int day) {
    int mo = 0;
    while (day >= kMonthStart[mo + 1]) ++mo;
    return mo;
  };
  LoadFigures out;
  int county = 0;  // of the ticket being generated (index into m.counties)
  auto add = [&](int day, int64_t unit, int64_t cat, int64_t region, int type, int channel, M mm,
                 int64_t value) {
    ++out.facts;
    int meas = static_cast<int>(mm);
    if (daily) facts.push_back({Pack(day, unit, cat, region, type, channel, meas), value});
    int mo = month_of(day);
    cell(0, mo, 0, meas) += value;
    cell(1, mo, unit, meas) += value;
    cell(2, mo, region, meas) += value;
    cell(3, mo, cat, meas) += value;
    const int64_t top = m.top_of[static_cast<size_t>(cat)];
    cell(4, mo, top, meas) += value;
    county_cell(0, county, mo, unit, meas) += value;
    county_cell(1, county, mo, cat, meas) += value;
    county_cell(2, county, mo, top, meas) += value;
  };
  if (daily) facts.reserve(static_cast<size_t>(tickets) * 13);
  for (long i = 0; i < tickets; ++i) {
    int day = static_cast<int>(rng() % kDays);
    size_t t = rng() % m.townships.size();
    int64_t region = m.townships[t];
    int c = m.county_of_township[t];
    county = c;
    uint64_t who = rng() % 10;
    int64_t unit = who < 3   ? m.city_departments[rng() % m.city_departments.size()]
                   : who < 7 ? m.county_units[c][rng() % m.county_units[c].size()]
                             : m.township_units[t];
    int64_t cat = m.leaves[rng() % m.leaves.size()];
    int type = static_cast<int>(rng() % 5);
    int channel = static_cast<int>(rng() % 6);
    int later = std::min(kDays - 1, day + static_cast<int>(rng() % 6));
    add(day, 0, cat, region, type, channel, M::kReceived, 1);
    if (rng() % 100 < 25) {  // answered at once by the operator
      add(day, 0, cat, region, type, channel, M::kAnsweredDirectly, 1);
      continue;
    }
    add(day, unit, cat, region, type, channel, M::kDispatched, 1);
    add(day, unit, cat, region, type, channel, M::kSigned, 1);
    add(later, unit, cat, region, type, channel, M::kReplied, 1);
    add(later, unit, cat, region, type, channel, M::kHandlingMilliDays,
        static_cast<int64_t>(500 + rng() % 5000));
    if (rng() % 100 < 4) add(later, unit, cat, region, type, channel, M::kRepliedLate, 1);
    add(later, unit, cat, region, type, channel, M::kCallbacks, 1);
    add(later, unit, cat, region, type, channel, M::kValidCallbacks, 1);
    uint64_t s = rng() % 100;
    add(later, unit, cat, region, type, channel,
        s < 85   ? M::kSatisfied
        : s < 95 ? M::kBasicSatisfied
                 : M::kUnsatisfied,
        1);
    if (s < 92) add(later, unit, cat, region, type, channel, M::kResolved, 1);
    add(later, unit, cat, region, type, channel, M::kClosed, 1);
    if (s < 90) add(later, unit, cat, region, type, channel, M::kFirstTimeClosed, 1);
  }

  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) Die("open " + path);
  Exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; BEGIN");
  if (daily) {
    std::sort(facts.begin(), facts.end(),
              [](const Packed& a, const Packed& b) { return a.key < b.key; });
    sqlite3_stmt* ins = nullptr;
    sqlite3_prepare_v2(db,
                       "INSERT INTO kpi_daily (day, unit, category, region, type, channel, "
                       "measure, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                       -1, &ins, nullptr);
    for (size_t i = 0; i < facts.size();) {
      uint64_t k = facts[i].key;
      int64_t v = 0;
      for (; i < facts.size() && facts[i].key == k; ++i) v += facts[i].value;
      std::string day = DayText(static_cast<int>(k >> 55));
      sqlite3_bind_text(ins, 1, day.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(ins, 2, static_cast<int64_t>((k >> 44) & 0x7FF));
      sqlite3_bind_int64(ins, 3, static_cast<int64_t>((k >> 32) & 0xFFF));
      sqlite3_bind_int64(ins, 4, static_cast<int64_t>((k >> 21) & 0x7FF));
      sqlite3_bind_text(ins, 5, kTypes[(k >> 13) & 0xFF], -1, SQLITE_STATIC);
      sqlite3_bind_text(ins, 6, kChannels[(k >> 5) & 0xFF], -1, SQLITE_STATIC);
      sqlite3_bind_int64(ins, 7, static_cast<int64_t>(k & 0x1F));
      sqlite3_bind_int64(ins, 8, v);
      if (sqlite3_step(ins) != SQLITE_DONE) Die(sqlite3_errmsg(db));
      sqlite3_reset(ins);
      ++out.daily_rows;
    }
    sqlite3_finalize(ins);
    std::vector<Packed>().swap(facts);
  }
  sqlite3_stmt* up = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO kpi_rollup (dim, month, key, measure, value) "
                     "VALUES (?1, ?2, ?3, ?4, ?5)",
                     -1, &up, nullptr);
  const char* const dims[] = {"all", "unit", "region", "category", "top_category"};
  for (int dim = 0; dim < 5; ++dim) {
    for (int mo = 0; mo < 12; ++mo) {
      for (size_t key = 0; key < kKeys; ++key) {
        for (size_t meas = 0; meas < kMeasures; ++meas) {
          int64_t v = cell(dim, mo, static_cast<int64_t>(key), static_cast<int>(meas));
          if (v == 0) continue;
          char month[16];
          std::snprintf(month, sizeof month, "2025-%02d", mo + 1);
          sqlite3_bind_text(up, 1, dims[dim], -1, SQLITE_STATIC);
          sqlite3_bind_text(up, 2, month, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64(up, 3, static_cast<int64_t>(key));
          sqlite3_bind_int64(up, 4, static_cast<int64_t>(meas));
          sqlite3_bind_int64(up, 5, v);
          if (sqlite3_step(up) != SQLITE_DONE) Die(sqlite3_errmsg(db));
          sqlite3_reset(up);
          ++out.rollup_rows;
        }
      }
    }
  }
  sqlite3_finalize(up);
  // The county roll-ups and the region -> county map they are keyed by (every township
  // has facts; the county regions themselves have none).
  sqlite3_prepare_v2(db,
                     "INSERT INTO kpi_county_rollup (dim, county, month, key, measure, value) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                     -1, &up, nullptr);
  const char* const county_dims[] = {"unit", "category", "top_category"};
  for (int dim = 0; dim < 3; ++dim) {
    for (int c = 0; c < kCounties; ++c) {
      for (int mo = 0; mo < 12; ++mo) {
        char month[16];
        std::snprintf(month, sizeof month, "2025-%02d", mo + 1);
        for (size_t key = 0; key < kCountyKeys; ++key) {
          for (size_t meas = 0; meas < kMeasures; ++meas) {
            int64_t v = county_cell(dim, c, mo, static_cast<int64_t>(key), static_cast<int>(meas));
            if (v == 0) continue;
            sqlite3_bind_text(up, 1, county_dims[dim], -1, SQLITE_STATIC);
            sqlite3_bind_int64(up, 2, m.counties[static_cast<size_t>(c)]);
            sqlite3_bind_text(up, 3, month, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(up, 4, static_cast<int64_t>(key));
            sqlite3_bind_int64(up, 5, static_cast<int64_t>(meas));
            sqlite3_bind_int64(up, 6, v);
            if (sqlite3_step(up) != SQLITE_DONE) Die(sqlite3_errmsg(db));
            sqlite3_reset(up);
            ++out.county_rollup_rows;
          }
        }
      }
    }
  }
  sqlite3_finalize(up);
  sqlite3_prepare_v2(db, "INSERT INTO kpi_region_county (region, county) VALUES (?1, ?2)", -1, &up,
                     nullptr);
  for (size_t t = 0; t < m.townships.size(); ++t) {
    sqlite3_bind_int64(up, 1, m.townships[t]);
    sqlite3_bind_int64(up, 2, m.counties[static_cast<size_t>(m.county_of_township[t])]);
    if (sqlite3_step(up) != SQLITE_DONE) Die(sqlite3_errmsg(db));
    sqlite3_reset(up);
  }
  sqlite3_finalize(up);
  // And the category -> top-level category map the top_category rows are keyed by (015).
  sqlite3_prepare_v2(db, "INSERT INTO kpi_category_top (category, top) VALUES (?1, ?2)", -1, &up,
                     nullptr);
  for (int64_t leaf : m.leaves) {
    sqlite3_bind_int64(up, 1, leaf);
    sqlite3_bind_int64(up, 2, m.top_of[static_cast<size_t>(leaf)]);
    if (sqlite3_step(up) != SQLITE_DONE) Die(sqlite3_errmsg(db));
    sqlite3_reset(up);
  }
  sqlite3_finalize(up);
  Exec(db, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE); ANALYZE");
  sqlite3_close(db);
  out.seconds = Ms(Clock::now() - start) / 1000.0;
  return out;
}

// CPU time (user + system, all threads) of this process so far, in ms.
double CpuMs() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

// The CPU time of each run of the last Time(): what the query costs whatever else the shared
// machine is doing (its wall-clock time also waits for the CPU).
std::vector<double> g_cpu;

template <typename F>
std::vector<double> Time(int repeat, F&& f) {
  std::vector<double> ms;
  g_cpu.clear();
  for (int i = 0; i < repeat; ++i) {
    double c0 = CpuMs();
    auto t0 = Clock::now();
    f();
    ms.push_back(Ms(Clock::now() - t0));
    g_cpu.push_back(CpuMs() - c0);
  }
  return ms;
}

// Prints the wall-clock times `ms` and the CPU time of the last Time().
void Print(const char* what, const std::vector<double>& ms) {
  std::printf("  %-58s p50 %8.1f ms  p99 %8.1f ms  max %8.1f ms  CPU p50 %7.1f ms\n", what,
              Percentile(ms, 0.5), Percentile(ms, 0.99), *std::max_element(ms.begin(), ms.end()),
              Percentile(g_cpu, 0.5));
}

void Dashboard(const std::string& dir, const Megacity& m, long tickets, long daily_max,
               int repeat) {
  std::string path = dir + "/kpi-" + std::to_string(tickets) + ".db";
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
  {
    hotline::adapters::sqlite::SqliteOptions options;
    options.path = path;
    auto store = hotline::adapters::sqlite::SqliteStore::Open(options);  // creates the schema
    if (!store.has_value()) Die(store.error().ToString());
    // The category tree, which the store checks kpi_category_top against.
    if (auto st = (*store)->SaveCategories(m.config->categories); !st.has_value()) {
      Die(st.error().ToString());
    }
  }
  const bool daily = tickets <= daily_max;
  LoadFigures load = Load(path, m, tickets, daily);
  std::printf(
      "store of %ld tickets: %ld facts -> %s kpi_daily rows, %ld kpi_rollup rows, %ld "
      "kpi_county_rollup rows, file %.1f MB, loaded in %.1f s\n",
      tickets, load.facts, daily ? std::to_string(load.daily_rows).c_str() : "(not loaded)",
      load.rollup_rows, load.county_rollup_rows, static_cast<double>(fs::file_size(path)) / 1e6,
      load.seconds);

  hotline::adapters::sqlite::SqliteOptions options;
  options.path = path;
  auto store = hotline::adapters::sqlite::SqliteStore::Open(options);
  if (!store.has_value()) Die(store.error().ToString());
  auto config = m.config;
  hotline::app::KpiService service(**store, [config] { return config; });
  hotline::app::KpiRequest year{"2025-01-01", "2025-12-31", {}};
  int64_t received = 0;
  auto city = Time(repeat, [&] {
    auto r = service.Report(year, true);
    if (!r.has_value()) Die(r.error().ToString());
    received = r->kpis.front().numerator;
    if (r->by_region.size() != kCounties) Die("by county: wrong row count");
  });
  Print("dashboard, year, city-wide (all KPIs, by county/unit/cat/month)", city);
  // The dashboard's five reads one after another (what Report did before its breakdowns ran
  // in parallel), to show what the parallel breakdowns buy on this machine.
  auto sequential = [&](const hotline::app::KpiRequest& req, bool daily_only) {
    hotline::ports::KpiQuery q{req.from, req.to, {}, {}, {}, {}, {}};
    if (req.scope.region) {
      for (const auto& r : config->org.regions()) {
        if (config->org.IsRegionWithin(r.id, *req.scope.region)) q.regions.push_back(r.id.value());
      }
    }
    q.daily_only = daily_only;
    for (auto g : {hotline::ports::KpiGroup::kNone, hotline::ports::KpiGroup::kRegion,
                   hotline::ports::KpiGroup::kUnit, hotline::ports::KpiGroup::kTopCategory,
                   hotline::ports::KpiGroup::kMonth}) {
      if (!(*store)->KpiSums(q, g).has_value()) Die("KpiSums failed");
    }
  };
  Print("  the same, its five reads one after another",
        Time(repeat, [&] { sequential(year, false); }));
  // A county's scope filters by its townships: its breakdowns by unit and by category read
  // the county roll-ups (schema 012), its total, by-township and monthly trend the region
  // roll-up.
  hotline::app::KpiRequest county = year;
  county.scope.region = RegionId{m.counties[3]};
  size_t county_units = 0;
  auto one = Time(repeat, [&] {
    auto r = service.Report(county, true);
    if (!r.has_value()) Die(r.error().ToString());
    county_units = r->by_unit.size();
    if (r->by_region.size() != kTownshipsPerCounty) Die("by township: wrong row count");
  });
  Print("dashboard, year, one county (by township/unit/cat/month)", one);
  Print("  the same, its five reads one after another",
        Time(repeat, [&] { sequential(county, false); }));
  std::printf("  (the county's dashboard lists %zu units)\n", county_units);
  if (daily) {
    Print("  the same five reads from the daily rows only (no roll-ups)",
          Time(std::max(1, repeat / 10), [&] { sequential(county, true); }));
  }
  if (daily) {
    hotline::ports::KpiQuery q{"2025-01-01", "2025-12-31", {}, {}, {}, {}, {}};
    q.daily_only = true;
    auto slow = Time(1, [&] {
      auto total = (*store)->KpiSums(q, hotline::ports::KpiGroup::kNone);
      auto by = (*store)->KpiSums(q, hotline::ports::KpiGroup::kRegion);
      if (!total.has_value() || !by.has_value()) Die("daily query failed");
    });
    Print("all KPIs, year, by township->county, daily table only", slow);
    hotline::app::KpiRequest odd{"2025-01-15", "2026-01-14", {}};
    auto edge = Time(std::max(1, repeat / 10), [&] {
      auto r = service.Report(odd, true);
      if (!r.has_value()) Die(r.error().ToString());
    });
    Print("dashboard, 2025-01-15..2026-01-14 (half months from daily)", edge);
  }
  std::printf("  (received in the year: %lld; peak RSS %ld MB)\n", static_cast<long long>(received),
              PeakRssMb());
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // figures appear as they are measured
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) == 3) {
    std::printf("load average at start: %.2f %.2f %.2f\n", load[0], load[1], load[2]);
  }
  std::vector<long> sizes = {1000000, 20000000};
  long ingest = 5000;
  long daily_max = 2000000;
  int repeat = 20;
  std::string dir = fs::temp_directory_path() / ("hotline-kpi-bench-" + std::to_string(getpid()));
  for (int i = 1; i < argc; i += 2) {
    std::string flag = argv[i];
    if (i + 1 >= argc) {  // a flag without its value (or --help) must not run the whole bench
      std::fprintf(stderr,
                   "usage: kpi_bench [--tickets N[,N...]] [--ingest N] [--daily-max N] "
                   "[--repeat R] [--dir DIR]\n");
      return 2;
    }
    std::string value = argv[i + 1];
    if (flag == "--tickets") {
      sizes.clear();
      std::stringstream ss(value);
      std::string part;
      while (std::getline(ss, part, ',')) sizes.push_back(std::atol(part.c_str()));
    } else if (flag == "--ingest") {
      ingest = std::atol(value.c_str());
    } else if (flag == "--daily-max") {
      daily_max = std::atol(value.c_str());
    } else if (flag == "--repeat") {
      repeat = std::atoi(value.c_str());
    } else if (flag == "--dir") {
      dir = value;
    } else {
      std::fprintf(stderr,
                   "usage: kpi_bench [--tickets N[,N...]] [--ingest N] [--daily-max N] "
                   "[--repeat R] [--dir DIR]\n");
      return 2;
    }
  }
  if (repeat <= 0 || ingest < 0 ||
      std::any_of(sizes.begin(), sizes.end(), [](long n) { return n <= 0; })) {
    std::fprintf(stderr, "kpi_bench: sizes, --repeat must be positive\n");
    return 2;
  }
  fs::create_directories(dir);
  if (ingest > 0) Ingest(dir, ingest);
  Megacity m = BuildMegacity();
  std::printf("megacity: %d counties, %zu townships, %zu units, %zu leaf categories\n", kCounties,
              m.townships.size(), m.config->org.units().size(), m.leaves.size());
  for (long n : sizes) Dashboard(dir, m, n, daily_max, repeat);
  fs::remove_all(dir);
  if (getloadavg(load, 3) == 3) {
    std::printf("load average at end: %.2f %.2f %.2f\n", load[0], load[1], load[2]);
  }
  return 0;
}
