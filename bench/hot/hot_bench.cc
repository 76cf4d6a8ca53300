// bench/hot: the time of one hot-topics call (GET /api/v1/hot-topics: the whole city, the 7
// days up to today) over a large store, computed per call from the store
// (FindTicketHotTopics: read the period and its 4 baseline periods, index the period and the
// one before) and from the long-lived HotTopicIndex (loaded once, kept by the change feed).
//
//   hot_bench [--tickets N] [--days D] [--repeat R] [--dir DIR] [--threads T]
//             [--store-runs S] [--text-days K] [--load-threads L] [--full 0|1]
//             [--register-only 0|1]
//
// N tickets (default 1,000,000) are registered over the D days (default 35: a weekly
// period and its 4 baseline periods) up to "today" through domain::DecideRegister and the
// real SqliteStore (T writer threads, group commit), with templated texts: 400 issues
// (a problem × a place), each reported at its own rate, plus one issue that surges in the
// last 3 days. The index is built in full from the store (L threads for the neighbour
// lookups; --full 0 skips it when DIR/hot.snapshot exists), its snapshot written, then a
// second index loaded from that snapshot as `hotline serve` does at start; the calls are
// timed on the second and its answers compared with the first's (city week topics,
// clusters, and the similar-report lookups of every 50th of the week's first 10,000 tickets).
// Prints p50 / max per way in ms, the load times by stage, peak RSS and the load average, then a
// JSON line.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "adapters/sqlite/sqlite_store.h"
#include "adapters/text/ticket_topics.h"
#include "adapters/text/tokenizer.h"
#include "bench_util.h"
#include "domain/lifecycle.h"
#include "testing/small_city.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using hotline::FromUnix;
using hotline::Instant;
using hotline::ParseInstant;
using hotline::ToUnix;

using hotline::bench::Ms;
using hotline::bench::PeakRssMb;
using hotline::bench::Percentile;

// CPU seconds (user + system) this process has used so far, all threads.
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// The machine's load average (1, 5, 15 minutes), as /proc/loadavg gives it.
std::string LoadAverage() {
  std::FILE* f = std::fopen("/proc/loadavg", "r");
  char buffer[64] = {0};
  if (f != nullptr) {
    if (std::fgets(buffer, sizeof buffer, f) == nullptr) buffer[0] = 0;
    std::fclose(f);
  }
  std::string s(buffer);
  size_t spaces = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ' && ++spaces == 3) return s.substr(0, i);
  }
  return s;
}

void Die(const std::string& what) {
  std::fprintf(stderr, "hot_bench: %s\n", what.c_str());
  std::exit(1);
}

const char* const kProblems[][2] = {
    {"工地夜间施工噪音扰民", "工地每天晚上施工到凌晨，噪音很大，影响休息。"},
    {"小区垃圾清运不及时", "小区垃圾桶满了好几天没人清运，气味很大。"},
    {"路灯不亮", "路段的路灯坏了很久，晚上走路不安全。"},
    {"下水道堵塞污水外溢", "下水道堵塞，污水流到路面上。"},
    {"占道经营", "流动摊贩占道经营，影响通行。"},
    {"共享单车乱停放", "共享单车堆在人行道上，行人无法通过。"},
    {"公交车到站不准时", "公交车经常晚点，等了四十分钟还没来。"},
    {"小区停车位不足", "小区停车位太少，车辆乱停堵住消防通道。"},
    {"餐馆油烟扰民", "楼下餐馆油烟直排，家里窗户都不敢开。"},
    {"道路破损坑洼", "道路上有很多坑，下雨天积水，车辆容易出事。"},
    {"物业服务差", "物业不作为，电梯坏了一个月没人修。"},
    {"违章搭建", "邻居在楼顶违章搭建，存在安全隐患。"},
    {"广场舞音响太吵", "每天晚上广场舞音响声音很大。"},
    {"自来水水质发黄", "家里自来水发黄，有异味。"},
    {"供暖温度不达标", "暖气不热，室内温度只有十几度。"},
    {"拖欠工资", "公司拖欠工资三个月，老板联系不上。"},
    {"宠物狗扰民", "邻居养狗不拴绳，晚上一直叫。"},
    {"井盖缺失", "路口井盖丢了，很危险。"},
    {"绿化带被毁", "绿化带被人铲掉种菜。"},
    {"电动车充电隐患", "楼道里有人给电动车充电，存在火灾隐患。"},
};
const char* const kPlaces[] = {"幸福路",   "人民路",   "建设路",   "解放街",   "中山路",
                               "丽发新城", "阳光花园", "龙岗新村", "东安小区", "城关街道",
                               "列东街",   "江滨路",   "新市路",   "梅岭路",   "碧桂园",
                               "万达广场", "下洋村",   "富兴堡",   "白沙街道", "徐碧街道"};

}  // namespace

int main(int argc, char** argv) {
  size_t tickets = 1000000;
  int days = 35;
  int repeat = 3;
  int threads = 4;
  int store_runs = 1;
  hotline::adapters::text::HotTopicIndexOptions index_options;
  std::string dir = "/tmp/hot_bench";
  bool full = true;            // --full 0: no full build when the snapshot file exists
  bool register_only = false;  // --register-only 1: stop after registering
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--tickets") {
      tickets = std::stoul(value);
    } else if (flag == "--days") {
      days = std::stoi(value);
    } else if (flag == "--repeat") {
      repeat = std::stoi(value);
    } else if (flag == "--dir") {
      dir = value;
    } else if (flag == "--threads") {
      threads = std::stoi(value);
    } else if (flag == "--text-days") {
      index_options.text_days = std::stoi(value);
    } else if (flag == "--store-runs") {
      store_runs = std::stoi(value);
    } else if (flag == "--load-threads") {
      index_options.load_threads = static_cast<unsigned>(std::stoul(value));
    } else if (flag == "--full") {
      full = value == "1";
    } else if (flag == "--register-only") {
      register_only = value == "1";
    } else {
      Die("unknown flag " + flag);
    }
  }
  auto city = hotline::testing::MakeSmallCity();
  fs::create_directories(dir);
  const std::string path = dir + "/hot.db";
  const bool reuse = fs::exists(path);
  auto store = hotline::adapters::sqlite::SqliteStore::Open({.path = path});
  if (!store.has_value()) Die(store.error().message);
  auto& db = **store;
  const Instant today = *ParseInstant("2026-03-31");  // local midnight of "today"
  const int64_t start = ToUnix(today) - int64_t{days - 1} * 86400;
  const int64_t span = int64_t{days} * 86400;
  // Leaf categories and regions of the test city.
  std::vector<hotline::domain::CategoryId> leaves;
  for (const auto& c : city->categories.all()) {
    if (c.level == 3) leaves.push_back(c.id);
  }
  std::vector<hotline::domain::RegionId> regions;
  for (const auto& r : city->org.regions()) regions.push_back(r.id);
  if (!reuse) {
    if (auto st = db.SaveOrg(city->org); !st.has_value()) Die(st.error().message);
    if (auto st = db.SaveCategories(city->categories); !st.has_value()) Die(st.error().message);
    if (auto st = db.SaveRouting(city->routing); !st.has_value()) Die(st.error().message);
    const auto actor = city->Act("op");
    std::atomic<size_t> next{0};
    std::atomic<bool> failed{false};
    const auto t0 = Clock::now();
    auto work = [&](unsigned seed) {
      std::mt19937_64 rng(seed);
      while (true) {
        const size_t i = next.fetch_add(1);
        if (i >= tickets || failed) return;
        // Issue k of 400 reported at a rate falling with k (a few common, many rare); one
        // issue (k = 7) surges in the last 3 days.
        const size_t issue = std::min<size_t>(
            399, static_cast<size_t>(std::exponential_distribution<>(1.0 / 60)(rng)));
        int64_t when = start + static_cast<int64_t>(rng() % static_cast<uint64_t>(span));
        size_t k = issue;
        if (rng() % 50 == 0) {
          k = 7;
          when = ToUnix(today) - 2 * 86400 + static_cast<int64_t>(rng() % (3 * 86400));
        }
        const auto& problem = kProblems[k % 20];
        const std::string place = kPlaces[k / 20 % 20];
        hotline::domain::Fields fields = {
            {"type", "投诉"},
            {"title", place + problem[0]},
            {"content", place + "附近" + problem[1] + "（第" + std::to_string(i % 97) + "次反映）"},
            {"address", place + std::to_string(rng() % 200 + 1) + "号"},
            {"region", std::to_string(regions[k % regions.size()].value())},
            {"category", std::to_string(leaves[k % leaves.size()].value())}};
        hotline::domain::DecisionContext ctx{FromUnix(when), city->org, city->calendar,
                                             city->policies};
        auto event = hotline::domain::DecideRegister(fields, actor, ctx);
        if (!event.has_value()) {
          std::fprintf(stderr, "%s\n", event.error().message.c_str());
          failed = true;
          return;
        }
        hotline::domain::Ticket t;
        hotline::domain::Apply(t, *event);
        if (auto created = db.Create(std::move(t), {std::move(*event)}); !created.has_value()) {
          std::fprintf(stderr, "%s\n", created.error().message.c_str());
          failed = true;
          return;
        }
      }
    };
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(work, 1234u + static_cast<unsigned>(t));
    for (auto& t : pool) t.join();
    if (failed) Die("registration failed");
    std::printf("registered %zu tickets over %d days in %.1f s\n", tickets, days,
                Ms(Clock::now() - t0) / 1000);
  }
  if (register_only) {
    return 0;
  }
  auto tokenizer = hotline::adapters::text::Tokenizer::CreateDefault();
  if (!tokenizer.has_value()) Die(tokenizer.error().message);
  hotline::adapters::text::TicketTopicRequest request;
  request.from = today - hotline::Duration(6 * 86400);
  request.to = today + hotline::Duration(86400);
  request.max_tickets = SIZE_MAX;
  const Instant now = today + hotline::Duration(9 * 3600);

  // Before: per call from the store.
  std::vector<double> store_ms;
  size_t store_topics = 0;
  size_t reports = 0;
  std::vector<std::string> store_labels;
  for (int r = 0; r < store_runs; ++r) {
    const auto t0 = Clock::now();
    auto found = hotline::adapters::text::FindTicketHotTopics(db, city->org, city->categories,
                                                              **tokenizer, request);
    store_ms.push_back(Ms(Clock::now() - t0));
    if (!found.has_value()) Die(found.error().message);
    store_topics = found->topics.size();
    reports = found->reports + found->baseline_reports;
    store_labels.clear();
    for (const auto& t : found->topics) store_labels.push_back(t.label);
  }
  // After: from the index, built in full from the store (then its snapshot written), and
  // loaded from that snapshot as `hotline serve` does at its next start.
  using hotline::adapters::text::HotTopicIndex;
  using hotline::adapters::text::TicketCluster;
  using hotline::adapters::text::TicketHotTopics;
  index_options.snapshot_path = dir + "/hot.snapshot";
  const auto print_stages = [](const char* what, const HotTopicIndex::Stats& s) {
    std::printf(
        "  %s by stage: snapshot read+check %.0f ms, finder refill %.0f ms (%zu texts from their "
        "saved analysis, %zu tokenized); store rows read %.0f "
        "ms (%zu rows), counts+finder insert %.0f ms, neighbours %.0f ms, terms %.0f ms; caught "
        "up %zu; total %.0f ms\n",
        what, s.load.snapshot_read_ms, s.load.snapshot_finder_ms, s.load.snapshot_analysed,
        s.load.snapshot_tokenized, s.load.read_ms, s.load.rows, s.load.index_ms,
        s.load.neighbours_ms, s.load.terms_ms, s.load.caught_up, s.load.total_ms);
  };
  // What a full build answers, kept to compare the snapshot's answers with.
  std::optional<TicketHotTopics> full_topics;
  std::optional<std::vector<TicketCluster>> full_clusters;
  // Similar-report lookups through the full build's finder for a sample of the week's
  // tickets (every 50th of the first 10,000: List's most), compared with the snapshot's
  // finder below.
  std::vector<hotline::adapters::text::Report> sample;
  std::vector<std::vector<hotline::adapters::text::SimilarMatch>> full_similar;
  {
    hotline::ports::TicketFilter week;
    week.created_from = request.from;
    week.limit = 1000000;
    auto listed = db.List(week);
    if (!listed.has_value()) Die(listed.error().message);
    for (size_t i = 0; i < listed->size(); i += 50) {
      const auto& t = (*listed)[i];
      sample.push_back({t.number, t.title, t.content, t.address, std::to_string(t.region.value()),
                        ToUnix(t.created_at)});
    }
  }
  double load_ms = -1;
  double write_ms = -1;
  if (full || !fs::exists(index_options.snapshot_path)) {
    fs::remove(index_options.snapshot_path);
    HotTopicIndex built(db, **tokenizer, index_options);
    const auto l0 = Clock::now();
    const double cpu0 = CpuSeconds();
    if (auto st = built.Load(now); !st.has_value()) Die(st.error().message);
    load_ms = Ms(Clock::now() - l0);
    std::printf(
        "index full build at start: %.0f ms wall, %.1f s CPU (%zu tickets kept, %zu texts "
        "indexed; load average %s)\n",
        load_ms, CpuSeconds() - cpu0, built.stats().tickets, built.stats().texts,
        LoadAverage().c_str());
    print_stages("full build", built.stats());
    auto topics = built.Find(city->org, city->categories, request, now);
    if (!topics.has_value() || !topics->has_value()) Die("the built index did not answer");
    full_topics = std::move(**topics);
    auto clusters = built.FindClusters(city->org, request, now);
    if (!clusters.has_value() || !clusters->has_value()) Die("no clusters from the built index");
    full_clusters = std::move(**clusters);
    for (const auto& report : sample) {
      auto similar = built.FindSimilar(report, 10, now);
      if (!similar.has_value()) Die("no similar lookup from the built index");
      full_similar.push_back(std::move(*similar));
    }
    const auto w0 = Clock::now();
    if (auto st = built.WriteSnapshot(now); !st.has_value()) Die(st.error().message);
    write_ms = Ms(Clock::now() - w0);
  }
  const double snapshot_mb =
      static_cast<double>(fs::file_size(index_options.snapshot_path)) / (1024.0 * 1024.0);
  std::printf("snapshot written in %.0f ms, %.1f MB\n", write_ms, snapshot_mb);
  HotTopicIndex index(db, **tokenizer, index_options);
  const auto s0 = Clock::now();
  const double cpu1 = CpuSeconds();
  if (auto st = index.Load(now); !st.has_value()) Die(st.error().message);
  const double snapshot_load_ms = Ms(Clock::now() - s0);
  if (!index.stats().load.from_snapshot) {
    Die("snapshot not used: " + index.stats().load.snapshot_note);
  }
  std::printf("index load from the snapshot: %.0f ms wall, %.1f s CPU (load average %s)\n",
              snapshot_load_ms, CpuSeconds() - cpu1, LoadAverage().c_str());
  print_stages("snapshot load", index.stats());
  // After: from the index.
  std::vector<double> index_ms;
  size_t index_topics = 0;
  std::vector<std::string> index_labels;
  for (int r = 0; r < repeat; ++r) {
    const auto t0 = Clock::now();
    auto found = index.Find(city->org, city->categories, request, now);
    index_ms.push_back(Ms(Clock::now() - t0));
    if (!found.has_value() || !found->has_value()) Die("the index did not answer");
    index_topics = (*found)->topics.size();
    index_labels.clear();
    for (const auto& t : (*found)->topics) index_labels.push_back(t.label);
    reports = (*found)->reports + (*found)->baseline_reports;
  }
  // A county: the index, but the window indexed for the call.
  hotline::adapters::text::TicketTopicRequest county = request;
  county.region = city->org.regions().size() > 1 ? city->org.regions()[1].id : regions[0];
  const auto c0 = Clock::now();
  auto county_found = index.Find(city->org, city->categories, county, now);
  const double county_ms = Ms(Clock::now() - c0);
  if (!county_found.has_value() || !county_found->has_value()) Die("no county answer");
  // A category (level 1 of the first leaf) and the dispatcher's clusters of the week.
  hotline::adapters::text::TicketTopicRequest category = request;
  category.category = city->categories.Ancestry(leaves[0]).back();
  const auto k0 = Clock::now();
  auto category_found = index.Find(city->org, city->categories, category, now);
  const double category_ms = Ms(Clock::now() - k0);
  if (!category_found.has_value() || !category_found->has_value()) Die("no category answer");
  std::vector<double> cluster_ms;
  size_t clusters = 0;
  for (int r = 0; r < repeat; ++r) {
    const auto t0 = Clock::now();
    auto found = index.FindClusters(city->org, request, now);
    cluster_ms.push_back(Ms(Clock::now() - t0));
    if (!found.has_value() || !found->has_value()) Die("no clusters from the index");
    clusters = (*found)->size();
  }
  const auto stats = index.stats();
  // The snapshot's answers against the full build's: identical topics and clusters.
  std::string snapshot_same = "not compared (no full build)";
  if (full_topics.has_value()) {
    auto again = index.Find(city->org, city->categories, request, now);
    auto listed = index.FindClusters(city->org, request, now);
    bool equal = again.has_value() && again->has_value() && listed.has_value() &&
                 listed->has_value() && (**again).topics.size() == full_topics->topics.size() &&
                 (**listed).size() == full_clusters->size();
    for (size_t i = 0; equal && i < full_topics->topics.size(); ++i) {
      const auto& x = full_topics->topics[i];
      const auto& y = (**again).topics[i];
      equal = x.label == y.label && x.ids == y.ids && x.explanation == y.explanation;
    }
    for (size_t i = 0; equal && i < full_clusters->size(); ++i) {
      const auto& x = (*full_clusters)[i];
      const auto& y = (**listed)[i];
      equal = x.tickets.size() == y.tickets.size() && x.master == y.master &&
              x.mergeable == y.mergeable && x.top_terms == y.top_terms;
      for (size_t j = 0; equal && j < x.tickets.size(); ++j) {
        equal = x.tickets[j].number == y.tickets[j].number;
      }
    }
    size_t same_similar = 0;
    for (size_t i = 0; i < sample.size() && i < full_similar.size(); ++i) {
      auto similar = index.FindSimilar(sample[i], 10, now);
      bool same = similar.has_value() && similar->size() == full_similar[i].size();
      for (size_t j = 0; same && j < similar->size(); ++j) {
        same = (*similar)[j].id == full_similar[i][j].id &&
               (*similar)[j].score == full_similar[i][j].score;
      }
      same_similar += same ? 1 : 0;
    }
    std::printf(
        "snapshot vs full build, similar-report lookups (10 each, ids and scores): %zu of %zu "
        "identical\n",
        same_similar, full_similar.size());
    equal = equal && same_similar == full_similar.size();
    snapshot_same = equal ? "identical" : "DIFFERENT";
    std::printf(
        "snapshot vs full build, city week topics and clusters and similar lookups: %s (%zu "
        "topics, %zu clusters)\n",
        snapshot_same.c_str(), full_topics->topics.size(), full_clusters->size());
  }
  std::printf("loaded periods: %zu tickets; index: %zu tickets kept, %zu texts\n", reports,
              stats.tickets, stats.texts);
  if (!store_ms.empty()) {
    std::printf("store, per call:     p50 %.0f ms  max %.0f ms  (%zu topics)\n",
                Percentile(store_ms, 0.5), Percentile(store_ms, 1.0), store_topics);
  }
  std::printf("index, city week:    p50 %.0f ms  max %.0f ms  (%zu topics)\n",
              Percentile(index_ms, 0.5), Percentile(index_ms, 1.0), index_topics);
  std::printf("index, one county:   %.0f ms\n", county_ms);
  std::printf("index, one category: %.0f ms\n", category_ms);
  std::printf("index, clusters:     p50 %.0f ms  (%zu clusters)\n", Percentile(cluster_ms, 0.5),
              clusters);
  if (!store_labels.empty()) {
    size_t same = 0;
    for (size_t i = 0; i < store_labels.size() && i < index_labels.size(); ++i) {
      same += store_labels[i] == index_labels[i] ? 1 : 0;
    }
    std::printf("same topic at the same rank, store vs index: %zu of %zu\n", same,
                store_labels.size());
    for (size_t i = 0; i < store_labels.size() && i < index_labels.size(); ++i) {
      if (store_labels[i] != index_labels[i]) {
        std::printf("  #%zu store「%s」 index「%s」\n", i + 1, store_labels[i].c_str(),
                    index_labels[i].c_str());
      }
    }
  }
  std::printf("peak RSS %ld MB\n", PeakRssMb());
  std::printf(
      "{\"tickets\":%zu,\"loaded\":%zu,\"store_ms\":%.0f,\"index_load_ms\":%.0f,"
      "\"snapshot_write_ms\":%.0f,\"snapshot_mb\":%.1f,\"snapshot_load_ms\":%.0f,"
      "\"snapshot_same\":\"%s\",\"index_p50_ms\":%.1f,\"index_max_ms\":%.1f,"
      "\"county_ms\":%.1f,\"category_ms\":%.1f,\"clusters_p50_ms\":%.1f,"
      "\"peak_rss_mb\":%ld,\"loadavg\":\"%s\"}\n",
      tickets, reports, store_ms.empty() ? -1.0 : Percentile(store_ms, 0.5), load_ms, write_ms,
      snapshot_mb, snapshot_load_ms, snapshot_same.c_str(), Percentile(index_ms, 0.5),
      Percentile(index_ms, 1.0), county_ms, category_ms, Percentile(cluster_ms, 0.5), PeakRssMb(),
      LoadAverage().c_str());
  return 0;
}
