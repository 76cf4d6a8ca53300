// bench/intake: registers and dispatches N tickets through the app layer (TicketService)
// on the SQLite store with durable commits (WAL, synchronous=FULL), from C concurrent
// clients, and prints throughput, latency percentiles and bytes per ticket.
//
//   intake_bench [--tickets N] [--clients C] [--dir DIR] [--suggest off|server|cli --model FILE]
//
// --suggest: the classifier's suggestion recorded for every ticket (docs/classify.md,
// "Suggestion accuracy"), to measure what it costs the registration path:
//   off     no suggestion (the default; the figures before suggestions existed);
//   server  as `hotline serve`: a SuggestionRecorder on the service's change feed, predicting
//           on its own worker thread, off the request path, and writing what is pending in
//           one transaction per batch; after the run the bench waits for the worker to drain
//           and reports how long that took and how many transactions it wrote;
//   cli     as `hotline ticket create`: the suggestion predicted and written on the caller's
//           thread right after the registration commit (a third durable commit per ticket).
// The model is loaded once (--model, a `hotline classify train` file). Texts rotate over a
// few realistic messages (80-220 characters) so prediction costs what it does at intake.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "adapters/classify/model_registry.h"
#include "adapters/classify/suggestion_recorder.h"
#include "adapters/classify/swappable_classifier.h"
#include "adapters/sqlite/sqlite_store.h"
#include "app/ticket_service.h"
#include "testing/small_city.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

long PeakRssKb() {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) {
    return 0;
  }
  char line[256];
  long kb = 0;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::sscanf(line, "VmHWM: %ld kB", &kb) == 1) {
      break;
    }
  }
  std::fclose(f);
  return kb;
}

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) {
    return 0;
  }
  size_t k = static_cast<size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

// Citizen messages of the kinds a centre gets (the demo's and the shared data's topics).
const char* const kTexts[] = {
    "三元区列东街{}"
    "号附近工地夜间施工到凌晨，噪音严重影响周边居民休息，多次劝说无果，请相关部门尽快处理。",
    "我家小区门口的路灯坏了一个多月，晚上出行很不方便，老人小孩容易摔倒，希望尽快派人维修。地址：列"
    "西街{}号。",
    "反映梅列区{}"
    "号小区物业不作为，电梯经常故障，楼道垃圾无人清理，业主多次投诉没有结果，请求住建部门督促整改"
    "。",
    "咨询公租房申请条件和需要准备的材料，本人在三明工作{}"
    "年，外地户口，没有自有住房，想了解是否符合条件。",
    "某公司拖欠我们{}"
    "名工人三个月工资，老板联系不上，请劳动监察部门帮助追讨，我们都是农民工，生活很困难。",
    "公交{}"
    "路早上班次太少，经常等半个多小时，车上非常拥挤，希望交通部门增加早高峰班次并公布准确时刻表。",
    "孩子今年{}"
    "岁，户籍在三元区，想咨询小学入学的划片范围和报名时间，需要提供哪些证明材料，在哪里办理。",
    "医院挂号难，{}号窗口排队两个多小时，网上预约总是约不上，建议卫健部门增加号源并规范预约系统。",
};

std::string Text(long i) {
  std::string t = kTexts[static_cast<size_t>(i) % std::size(kTexts)];
  t.replace(t.find("{}"), 2, std::to_string(1 + i % 300));
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  long tickets = 10000;
  int clients = 64;
  std::string suggest = "off";
  std::string model_file;
  std::string dir = fs::temp_directory_path() / ("hotline-intake-" + std::to_string(getpid()));
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--tickets") {
      tickets = std::atol(argv[i + 1]);
    } else if (flag == "--clients") {
      clients = std::atoi(argv[i + 1]);
    } else if (flag == "--dir") {
      dir = argv[i + 1];
    } else if (flag == "--suggest") {
      suggest = argv[i + 1];
    } else if (flag == "--model") {
      model_file = argv[i + 1];
    } else {
      std::fprintf(stderr,
                   "usage: intake_bench [--tickets N] [--clients C] [--dir DIR] "
                   "[--suggest off|server|cli --model FILE]\n");
      return 2;
    }
  }
  if (argc % 2 == 0) {
    std::fprintf(stderr, "%s needs a value\n", argv[argc - 1]);
    return 2;
  }
  if (tickets <= 0 || clients <= 0) {
    std::fprintf(stderr, "--tickets and --clients must be positive\n");
    return 2;
  }
  if (suggest != "off" && suggest != "server" && suggest != "cli") {
    std::fprintf(stderr, "--suggest is off, server or cli\n");
    return 2;
  }
  if (suggest != "off" && model_file.empty()) {
    std::fprintf(stderr, "--suggest %s needs --model FILE (hotline classify train)\n",
                 suggest.c_str());
    return 2;
  }
  hotline::adapters::classify::SwappableClassifier classifier;
  double load_ms = 0;
  if (!model_file.empty()) {
    auto l0 = Clock::now();
    if (auto st = classifier.LoadAndSwap(model_file); !st.has_value()) {
      std::fprintf(stderr, "model: %s\n", st.error().ToString().c_str());
      return 1;
    }
    load_ms = std::chrono::duration<double, std::milli>(Clock::now() - l0).count();
  }
  fs::create_directories(dir);
  std::string path = dir + "/intake.db";
  fs::remove(path);
  fs::remove(path + "-wal");
  fs::remove(path + "-shm");

  auto city = hotline::testing::MakeSmallCity();
  hotline::adapters::sqlite::SqliteOptions options;
  options.path = path;
  options.durable = true;
  auto store = hotline::adapters::sqlite::SqliteStore::Open(options);
  if (!store.has_value()) {
    std::fprintf(stderr, "open: %s\n", store.error().ToString().c_str());
    return 1;
  }
  auto config = std::make_shared<hotline::app::HotlineConfig>();
  config->org = city->org;
  config->categories = city->categories;
  config->routing = city->routing;
  hotline::ports::SystemClock clock;
  hotline::app::TicketService service(**store, clock, config);
  const hotline::domain::Actor op = city->Act("op");
  const hotline::domain::Actor disp = city->Act("disp");
  hotline::adapters::classify::SuggestionRecorder recorder(service, **store, classifier, clock);
  if (suggest == "server") {
    recorder.Start();
  }
  std::atomic<long> sync_recorded{0};

  std::atomic<long> next{0};
  std::atomic<long> failed{0};
  std::vector<std::vector<double>> latencies(static_cast<size_t>(clients));
  std::vector<std::vector<double>> reg_latencies(static_cast<size_t>(clients));
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      auto& lat = latencies[static_cast<size_t>(c)];
      auto& reg_lat = reg_latencies[static_cast<size_t>(c)];
      while (true) {
        long i = next.fetch_add(1);
        if (i >= tickets) {
          return;
        }
        auto t0 = Clock::now();
        auto t = service.Register(
            op, {{"type", "投诉"},
                 {"content", Text(i)},
                 {"citizen_phone", "138" + std::to_string(10000000 + i % 90000000)},
                 {"region", "3"},
                 {"category", "3"},
                 {"address", "列东街" + std::to_string(i) + "号"}});
        if (!t.has_value()) {
          ++failed;
          continue;
        }
        if (suggest == "cli") {
          // As the CLI: predicted and written right after the ticket's own commit.
          if (recorder
                  .Record(t->id, hotline::adapters::classify::TicketText(t->title, t->content),
                          t->region)
                  .has_value()) {
            ++sync_recorded;
          }
        }
        reg_lat.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        auto d = service.Act(disp, t->number,
                             {hotline::domain::Action::kDispatch, {{"lead_unit", "3"}}});
        if (!d.has_value()) {
          ++failed;
          continue;
        }
        lat.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  // The server's recorder may still have queued tickets: the time to drain them.
  auto d0 = Clock::now();
  recorder.WaitIdle();
  double drain_s = std::chrono::duration<double>(Clock::now() - d0).count();
  recorder.Stop();
  const long recorded =
      suggest == "server" ? static_cast<long>(recorder.recorded()) : sync_recorded.load();
  std::vector<double> all;
  for (auto& l : latencies) {
    all.insert(all.end(), l.begin(), l.end());
  }
  std::vector<double> reg;
  for (auto& l : reg_latencies) {
    reg.insert(reg.end(), l.begin(), l.end());
  }
  store->reset();  // closes the store; WAL checkpointed on close
  uintmax_t bytes = 0;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::error_code ec;
    auto size = fs::file_size(path + suffix, ec);
    bytes += ec ? 0 : size;
  }
  double p50 = Percentile(all, 0.50);
  double p99 = Percentile(all, 0.99);
  double reg_p50 = Percentile(reg, 0.50);
  double reg_p99 = Percentile(reg, 0.99);
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) < 0) {
    load[0] = load[1] = load[2] = -1;
  }
  std::printf("intake: %ld tickets registered+dispatched by %d clients in %.2f s (suggest %s)\n",
              tickets, clients, seconds, suggest.c_str());
  std::printf("  machine            %u hardware threads, load average %.2f %.2f %.2f at the end\n",
              std::thread::hardware_concurrency(), load[0], load[1], load[2]);
  std::printf("  tickets/s          %.0f  (each ticket = 2 durable commits: register, dispatch)\n",
              static_cast<double>(all.size()) / seconds);
  std::printf("  latency p50        %.2f ms  (register + dispatch, one client)\n", p50);
  std::printf("  latency p99        %.2f ms\n", p99);
  std::printf("  register p50/p99   %.2f / %.2f ms  (registration alone%s)\n", reg_p50, reg_p99,
              suggest == "cli" ? ", with the suggestion" : "");
  if (suggest != "off") {
    std::printf("  suggestions        %ld recorded (model loaded in %.0f ms)", recorded, load_ms);
    if (suggest == "server") {
      std::printf(
          "; worker drained %.2f s after the last ticket; %lld transactions; dropped %lld, "
          "failed %lld",
          drain_s, static_cast<long long>(recorder.batches()),
          static_cast<long long>(recorder.dropped()), static_cast<long long>(recorder.failed()));
    }
    std::printf("\n");
  }
  std::printf("  bytes per ticket   %.0f  (database file incl. log and projections)\n",
              static_cast<double>(bytes) / static_cast<double>(tickets));
  std::printf("  peak RSS           %ld MiB\n", PeakRssKb() / 1024);
  std::printf("  failed             %ld\n", failed.load());
  std::printf(
      "{\"suggest\":\"%s\",\"tickets\":%ld,\"clients\":%d,\"seconds\":%.3f,"
      "\"tickets_per_s\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"register_p50_ms\":%.3f,"
      "\"register_p99_ms\":%.3f,\"suggestions\":%ld,\"drain_s\":%.3f,\"batches\":%lld,"
      "\"dropped\":%lld,"
      "\"bytes_per_ticket\":%.1f,\"load1\":%.2f,\"failed\":%ld}\n",
      suggest.c_str(), tickets, clients, seconds, static_cast<double>(all.size()) / seconds, p50,
      p99, reg_p50, reg_p99, recorded, drain_s, static_cast<long long>(recorder.batches()),
      static_cast<long long>(recorder.dropped()),
      static_cast<double>(bytes) / static_cast<double>(tickets), load[0], failed.load());
  fs::remove_all(dir);
  return failed.load() == 0 ? 0 : 1;
}
