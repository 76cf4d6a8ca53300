// bench/intake: registers and dispatches N tickets through the app layer (TicketService)
// on the SQLite store with durable commits (WAL, synchronous=FULL), from C concurrent
// clients, and prints throughput, latency percentiles and bytes per ticket.
//
//   intake_bench [--tickets N] [--clients C] [--dir DIR]
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

}  // namespace

int main(int argc, char** argv) {
  long tickets = 10000;
  int clients = 64;
  std::string dir = fs::temp_directory_path() / ("hotline-intake-" + std::to_string(getpid()));
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--tickets") {
      tickets = std::atol(argv[i + 1]);
    } else if (flag == "--clients") {
      clients = std::atoi(argv[i + 1]);
    } else if (flag == "--dir") {
      dir = argv[i + 1];
    } else {
      std::fprintf(stderr, "usage: intake_bench [--tickets N] [--clients C] [--dir DIR]\n");
      return 2;
    }
  }
  if (tickets <= 0 || clients <= 0) {
    std::fprintf(stderr, "--tickets and --clients must be positive\n");
    return 2;
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

  std::atomic<long> next{0};
  std::atomic<long> failed{0};
  std::vector<std::vector<double>> latencies(static_cast<size_t>(clients));
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      auto& lat = latencies[static_cast<size_t>(c)];
      while (true) {
        long i = next.fetch_add(1);
        if (i >= tickets) {
          return;
        }
        auto t0 = Clock::now();
        auto t = service.Register(
            op,
            {{"type", "投诉"},
             {"content", "三元区列东街" + std::to_string(i) + "号附近夜间施工噪音扰民，请求处理。"},
             {"citizen_phone", "138" + std::to_string(10000000 + i % 90000000)},
             {"region", "3"},
             {"category", "3"},
             {"address", "列东街" + std::to_string(i) + "号"}});
        if (!t.has_value()) {
          ++failed;
          continue;
        }
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
  std::vector<double> all;
  for (auto& l : latencies) {
    all.insert(all.end(), l.begin(), l.end());
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
  std::printf("intake: %ld tickets registered+dispatched by %d clients in %.2f s\n", tickets,
              clients, seconds);
  std::printf("  tickets/s          %.0f  (each ticket = 2 durable commits: register, dispatch)\n",
              static_cast<double>(all.size()) / seconds);
  std::printf("  latency p50        %.2f ms  (register + dispatch, one client)\n", p50);
  std::printf("  latency p99        %.2f ms\n", p99);
  std::printf("  bytes per ticket   %.0f  (database file incl. log and projections)\n",
              static_cast<double>(bytes) / static_cast<double>(tickets));
  std::printf("  peak RSS           %ld MiB\n", PeakRssKb() / 1024);
  std::printf("  failed             %ld\n", failed.load());
  std::printf(
      "{\"tickets\":%ld,\"clients\":%d,\"seconds\":%.3f,\"tickets_per_s\":%.1f,"
      "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"bytes_per_ticket\":%.1f,\"failed\":%ld}\n",
      tickets, clients, seconds, static_cast<double>(all.size()) / seconds, p50, p99,
      static_cast<double>(bytes) / static_cast<double>(tickets), failed.load());
  fs::remove_all(dir);
  return failed.load() == 0 ? 0 : 1;
}
