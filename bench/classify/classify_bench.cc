// classify_bench: how fast the request classifier is. Trains a model (on
// ../shared/data/classify_train.tsv when present, else on a synthetic corpus), saves and
// reloads it, then measures single-thread latency (mean, p50, p99), throughput on 1 and 2
// threads, model file size and resident memory. Last line: one JSON object.
//   classify_bench [--data TRAIN.tsv] [--model EXISTING_MODEL] [--n PREDICTIONS]
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "adapters/classify/dataset.h"
#include "adapters/classify/fasttext_model.h"
#include "adapters/classify/synthetic_corpus.h"

namespace cls = hotline::adapters::classify;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kSyntheticPerLabel = 500;
constexpr double kTestFraction = 0.3;
constexpr uint64_t kSplitSeed = 20240601;

// Resident set size of this process in MB (from /proc/self/status).
double RssMb() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      double kb = 0;
      status >> kb;
      return kb / 1024.0;
    }
    status.ignore(1 << 16, '\n');
  }
  return 0.0;
}

std::string DefaultDataPath() {
  if (const char* dir = std::getenv("HOTLINE_SHARED_DATA")) {
    return std::string(dir) + "/classify_train.tsv";
  }
  return std::string(HOTLINE_SOURCE_ROOT_DIR) + "/../shared/data/classify_train.tsv";
}

// CPU time of the calling thread: unlike wall time, not inflated by a busy machine.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double Percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  std::string data_path = DefaultDataPath();
  std::string model_path;
  int n = 5000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--data") {
      data_path = argv[i + 1];
    } else if (flag == "--model") {
      model_path = argv[i + 1];
    } else if (flag == "--n") {
      n = std::max(1, std::atoi(argv[i + 1]));
    } else {
      std::fprintf(stderr, "usage: classify_bench [--data TSV] [--model FILE] [--n N]\n");
      return 2;
    }
  }
  std::vector<cls::LabelledText> rows;
  std::string source = "synthetic";
  if (std::filesystem::exists(data_path)) {
    auto read = cls::ReadLabelledTsv(data_path);
    if (!read.has_value()) {
      std::fprintf(stderr, "%s\n", read.error().ToString().c_str());
      return 1;
    }
    rows = std::move(read).value();
    source = data_path;
  } else {
    std::printf("no %s: using a synthetic corpus\n", data_path.c_str());
    rows = cls::SyntheticCorpus(kSyntheticPerLabel, 1);
  }
  const cls::Split split = cls::StratifiedSplit(rows, kTestFraction, kSplitSeed);
  const bool trained_here = model_path.empty();
  std::vector<std::string> texts;
  if (trained_here) {
    for (size_t i : split.test) {
      texts.push_back(rows[i].text);
    }
  } else {
    for (const cls::LabelledText& row : rows) {  // a given model: every row is unseen
      texts.push_back(row.text);
    }
  }

  double train_seconds = 0.0;
  if (trained_here) {
    std::vector<cls::LabelledText> train;
    for (size_t i : split.train) {
      train.push_back(rows[i]);
    }
    auto model = cls::FastTextModel::Train(train, cls::TrainOptions{});
    if (!model.has_value()) {
      std::fprintf(stderr, "%s\n", model.error().ToString().c_str());
      return 1;
    }
    train_seconds = (*model)->info().train_seconds;
    model_path = (std::filesystem::temp_directory_path() /
                  ("classify_bench_" + std::to_string(getpid()) + ".bin"))
                     .string();
    if (auto saved = (*model)->Save(model_path); !saved.has_value()) {
      std::fprintf(stderr, "%s\n", saved.error().ToString().c_str());
      return 1;
    }
  }
  const double rss_before_load = RssMb();
  const auto load_start = Clock::now();
  auto loaded = cls::FastTextModel::Load(model_path);
  const double load_seconds = std::chrono::duration<double>(Clock::now() - load_start).count();
  if (!loaded.has_value()) {
    std::fprintf(stderr, "%s\n", loaded.error().ToString().c_str());
    return 1;
  }
  const double rss_loaded = RssMb();
  const auto model_bytes = std::filesystem::file_size(model_path);
  if (trained_here) {
    std::filesystem::remove(model_path);
  }
  const cls::FastTextModel& model = **loaded;

  // Single thread: per-prediction latency.
  for (size_t i = 0; i < std::min<size_t>(100, texts.size()); ++i) {
    (void)model.Predict(texts[i], 3);  // warm-up
  }
  std::vector<double> latency_ms;
  latency_ms.reserve(static_cast<size_t>(n));
  const auto single_start = Clock::now();
  const double cpu_start = ThreadCpuSeconds();
  for (int i = 0; i < n; ++i) {
    const auto t0 = Clock::now();
    (void)model.Predict(texts[static_cast<size_t>(i) % texts.size()], 3);
    latency_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  const double single_seconds = std::chrono::duration<double>(Clock::now() - single_start).count();
  const double cpu_ms = (ThreadCpuSeconds() - cpu_start) * 1e3 / n;

  // Two threads sharing one model.
  constexpr int kThreads = 2;
  std::atomic<int> next{0};
  const auto multi_start = Clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&] {
      for (int i = next.fetch_add(1); i < n; i = next.fetch_add(1)) {
        (void)model.Predict(texts[static_cast<size_t>(i) % texts.size()], 3);
      }
    });
  }
  for (std::thread& w : workers) {
    w.join();
  }
  const double multi_seconds = std::chrono::duration<double>(Clock::now() - multi_start).count();
  double mean_chars = 0;
  for (const std::string& t : texts) {
    mean_chars += static_cast<double>(t.size()) / 3.0 / static_cast<double>(texts.size());
  }

  const double p50 = Percentile(latency_ms, 0.50);
  const double p99 = Percentile(latency_ms, 0.99);
  std::printf("data: %s (%zu test texts, ~%.0f characters each)\n", source.c_str(), texts.size(),
              mean_chars);
  if (trained_here) {
    std::printf("train: %.1f s on %zu rows (default options, 2 threads)\n", train_seconds,
                split.train.size());
  }
  std::printf("model: %.1f MB on disk, load %.2f s, RSS +%.1f MB (process %.1f MB)\n",
              static_cast<double>(model_bytes) / 1e6, load_seconds, rss_loaded - rss_before_load,
              rss_loaded);
  std::printf(
      "latency (1 thread, top-3): mean %.3f ms, p50 %.3f ms, p99 %.3f ms; CPU %.3f ms per "
      "prediction\n",
      single_seconds * 1e3 / n, p50, p99, cpu_ms);
  std::printf("throughput: %.0f predictions/s on 1 thread, %.0f on %d threads\n",
              n / single_seconds, n / multi_seconds, kThreads);
  std::printf(
      "{\"predictions\":%d,\"predictions_per_second\":%.0f,\"predictions_per_second_2threads\":"
      "%.0f,\"p50_ms\":%.4f,\"p99_ms\":%.4f,\"model_bytes\":%llu,\"rss_mb\":%.1f,"
      "\"model_rss_mb\":%.1f,\"train_seconds\":%.2f,\"cpu_ms_per_prediction\":%.4f}\n",
      n, n / single_seconds, n / multi_seconds, p50, p99,
      static_cast<unsigned long long>(model_bytes), rss_loaded, rss_loaded - rss_before_load,
      train_seconds, cpu_ms);
  return 0;
}
