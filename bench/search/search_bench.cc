// search_bench: prints p50/p99 latency of a knowledge-base search over N articles and of a
// similar-request lookup over M open tickets, the index build rate and the index size.
// Text is synthetic (places, issues and filler drawn from fixed vocabularies with a skewed,
// Zipf-like distribution), so the benchmark needs no data files.
//
//   search_bench [--articles 100000] [--tickets 1000000] [--queries 1000] [--seed 1]
//                [--fusion-depth N]  (KB search: BM25F hits re-scored by fusion; 0 = off)
//                [--store 0|1]  (KB search also through the SQLite knowledge-base store)
//                [--server 0|1]  (and through the server's path: SharedKb with its in-memory
//                                 index, as `hotline serve` runs GET /api/v1/kb/search)
//                [--clients N]  (server path: also N threads searching at once; 0 = off)
//                [--http BIN[,BIN2...]]  (and over real HTTP: BIN is the `hotline` executable; the
//                store
//                               is made a whole hotline store with `BIN demo --tickets 0`,
//                               `BIN serve` runs on a loopback port, and --clients keep-alive
//                               connections logged in as op1 send GET /api/v1/kb/search)
//                [--http-threads T] [--http-rounds R]  (server threads, default 8; each
//                               query sent R times per measurement, default 3)
//                [--http-wait S]  (a server without the hotline_kb_memory_index_ready metric:
//                               seconds after its start to wait for the index, default 60)
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "adapters/sqlite/kb_store.h"
#include "adapters/sqlite/shared_kb.h"
#include "adapters/text/inverted_index.h"
#include "adapters/text/similar.h"
#include "adapters/text/tokenizer.h"
#include "testing/http_client.h"

namespace {

namespace text = hotline::adapters::text;
using Clock = std::chrono::steady_clock;

constexpr std::array kNameChars = {
    "丽", "发", "新", "景", "蓉", "华", "洋", "湖", "金", "鼎", "春", "天", "米", "兰", "桂", "花",
    "坪", "暮", "云", "含", "浦", "楚", "龙", "泉", "塘", "星", "沙", "松", "雅", "万", "家", "梅",
    "溪", "岳", "麓", "谷", "东", "西", "南", "北", "中", "和", "平", "安", "康", "福", "瑞", "祥",
    "锦", "绣", "翠", "园", "山", "水", "湾", "城", "林", "枫", "荷", "竹", "明", "光", "阳", "晨"};
constexpr std::array kPlaceSuffixes = {"小区", "路",   "新城", "花苑", "街道",
                                       "村",   "社区", "广场", "家园", "大道"};
constexpr std::array kIssues = {
    "夜间施工噪音扰民", "物业乱收停车费", "小区停水停电",   "道路坑洼积水",       "垃圾站臭味严重",
    "违章搭建无人管",   "油烟扰民",       "公交线路调整",   "购房补贴申请不通过", "社保补缴办理",
    "公积金提取困难",   "学区划分不合理", "幼儿园乱收费",   "拖欠农民工工资",     "广场舞噪声扰民",
    "路灯不亮",         "井盖破损",       "开发商逾期交房", "电梯故障频繁",       "二次供水水质差",
    "渣土车抛洒",       "占道经营",       "无证黑诊所",     "出租车拒载",         "网约车乱收费",
    "绿化带被占用",     "排水管网堵塞",   "噪声超标",       "不动产证办理慢",     "医保报销问题"};
constexpr std::array kFiller = {"请有关部门尽快处理",   "严重影响居民生活", "多次反映没有结果",
                                "希望领导重视",         "已经持续一个月",   "居民意见很大",
                                "存在安全隐患",         "请尽快给予答复",   "给出行带来不便",
                                "恳请政府解决",         "相关部门互相推诿", "老人小孩深受其害",
                                "多次拨打电话无人处理", "希望早日解决"};
constexpr std::array kAnswerFiller = {
    "根据相关规定",   "请携带身份证原件",   "到政务服务中心窗口办理", "办理时限为五个工作日",
    "不收取任何费用", "可通过网上平台申请", "如有疑问请咨询",         "由区住房和城乡建设局负责",
    "经调查核实",     "已责令限期整改",     "将加强日常巡查",         "感谢您对我们工作的支持"};
constexpr int kRegions = 20;

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  std::string Place() {
    std::string place;
    const int length = 2 + static_cast<int>(Zipf(2));
    for (int i = 0; i < length; ++i) {
      place += kNameChars[Zipf(kNameChars.size())];
    }
    return place + kPlaceSuffixes[Zipf(kPlaceSuffixes.size())];
  }
  std::string Region() {
    std::string region = "A";
    region.append(std::to_string(1 + Zipf(kRegions)));
    region.append("区");
    return region;
  }
  const char* Issue() { return kIssues[Zipf(kIssues.size())]; }
  const char* Filler() { return kFiller[Zipf(kFiller.size())]; }
  const char* AnswerFiller() { return kAnswerFiller[Zipf(kAnswerFiller.size())]; }
  size_t Uniform(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

 private:
  // Index in [0, n) with probability ~ 1 / (i + 1).
  size_t Zipf(size_t n) {
    const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
    const auto i = static_cast<size_t>(std::exp(u * std::log(static_cast<double>(n) + 1.0))) - 1;
    return std::min(i, n - 1);
  }
  std::mt19937 rng_;
};

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) {
    return 0;
  }
  std::sort(values.begin(), values.end());
  const auto index = static_cast<size_t>(p * static_cast<double>(values.size() - 1));
  return values[index];
}

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

long MaxRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

size_t ArgOr(int argc, char** argv, const char* name, size_t fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) {
      return static_cast<size_t>(std::strtoull(argv[i + 1], nullptr, 10));
    }
  }
  return fallback;
}

// The 1-minute load average and the number of CPUs, printed with each figure.
std::string Load() {
  std::ifstream in("/proc/loadavg");
  std::string one = "?";
  in >> one;
  return "load " + one + " on " + std::to_string(std::thread::hardware_concurrency()) + " CPUs";
}

void Report(const char* what, const std::vector<double>& ms) {
  std::printf("%-36s p50 %7.2f ms   p99 %7.2f ms   max %7.2f ms   (%zu queries; %s)\n", what,
              Percentile(ms, 0.5), Percentile(ms, 0.99), Percentile(ms, 1.0), ms.size(),
              Load().c_str());
}

namespace sqlite = hotline::adapters::sqlite;

// The server's path for GET /api/v1/kb/search (the call its handler makes: SharedKb::Search,
// answered from the in-memory index with filters and snippets), checked against the store's
// results, and timed alone and with `clients` threads searching at once.
bool ServerPath(const std::string& path, const std::vector<std::string>& queries,
                sqlite::SqliteKbStore& store, size_t clients) {
  auto kb = sqlite::SharedKb::Open(path, false);
  if (!kb.has_value()) {
    std::fprintf(stderr, "search_bench: %s\n", kb.error().message.c_str());
    return false;
  }
  const auto load_start = Clock::now();
  if (const auto enabled = (*kb)->EnableMemoryIndex(); !enabled.has_value()) {
    std::fprintf(stderr, "search_bench: %s\n", enabled.error().message.c_str());
    return false;
  }
  while ((*kb)->memory_index_info().loads < 1) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const auto info = (*kb)->memory_index_info();
  std::printf(
      "KB server index (SharedKb, in memory): %zu articles loaded in %.1f s (in the background; "
      "first index answer %.1f s after start; %s)\n",
      info.articles, info.load_seconds, Seconds(load_start), Load().c_str());
  // Published only, as for operators; then also a region filter (about 1 article in 7).
  for (const bool filtered : {false, true}) {
    std::vector<double> ms;
    size_t same = 0;
    size_t scores_equal = 0;
    for (const auto& text_query : queries) {
      hotline::ports::KbSearchQuery query{text_query, {}, 10};
      query.filter.published_only = true;
      if (filtered) {
        query.filter.region = "A1区";
      }
      const auto t0 = Clock::now();
      const auto hits = (*kb)->Search(query);
      ms.push_back(Seconds(t0) * 1e3);
      const auto expected = store.Search(query);
      if (!hits.has_value() || !expected.has_value()) {
        std::fprintf(stderr, "search_bench: search failed\n");
        return false;
      }
      bool ids = hits->size() == expected->size();
      bool scores = ids;
      for (size_t i = 0; ids && i < hits->size(); ++i) {
        ids = (*hits)[i].article.id == (*expected)[i].article.id &&
              (*hits)[i].snippet == (*expected)[i].snippet;
        scores = scores && std::fabs((*hits)[i].score - (*expected)[i].score) <= 1e-9;
      }
      same += ids ? 1 : 0;
      scores_equal += ids && scores ? 1 : 0;
    }
    Report(filtered ? "KB search, server (region filter)" : "KB search, server (top 10+snippets)",
           ms);
    std::printf(
        "  equal to the store's (ids, order, snippets): %zu of %zu; scores within 1e-9: %zu\n",
        same, queries.size(), scores_equal);
  }
  const auto now = (*kb)->memory_index_info();
  std::printf("  answered from the index: %lld, from the store: %lld\n",
              static_cast<long long>(now.index_searches),
              static_cast<long long>(now.store_searches));
  if (clients > 1) {
    std::vector<std::vector<double>> per_client(clients);
    std::vector<std::thread> threads;
    const auto start = Clock::now();
    for (size_t c = 0; c < clients; ++c) {
      threads.emplace_back([&, c] {
        for (size_t q = c; q < queries.size(); q += clients) {
          hotline::ports::KbSearchQuery query{queries[q], {}, 10};
          query.filter.published_only = true;
          const auto t0 = Clock::now();
          (void)(*kb)->Search(query);
          per_client[c].push_back(Seconds(t0) * 1e3);
        }
      });
    }
    for (auto& t : threads) {
      t.join();
    }
    const double wall = Seconds(start);
    std::vector<double> all;
    for (const auto& v : per_client) {
      all.insert(all.end(), v.begin(), v.end());
    }
    const std::string label = "KB search, server, " + std::to_string(clients) + " threads";
    Report(label.c_str(), all);
    std::printf("  throughput %.0f searches/s\n", static_cast<double>(all.size()) / wall);
  }
  return true;
}

// ---- Over real HTTP: `hotline serve` on a loopback port ------------------------------------

namespace http = hotline::testing;

std::string ArgString(int argc, char** argv, const char* name) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) {
      return argv[i + 1];
    }
  }
  return "";
}

// Starts `argv` with its output appended to `log`; returns its pid.
pid_t Spawn(const std::vector<std::string>& argv, const std::string& log) {
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid == 0) {
    if (std::freopen(log.c_str(), "a", stdout) != nullptr) {
      dup2(fileno(stdout), STDERR_FILENO);
    }
    std::vector<char*> args;
    for (const auto& a : argv) {
      args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    execv(args[0], args.data());
    std::perror("execv");
    _exit(127);
  }
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

// A loopback port free now (the kernel's choice for port 0).
uint16_t FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof addr;
  uint16_t port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

// User plus system CPU seconds a process has used (/proc/PID/stat), 0 if unknown.
double CpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos) {
    return 0;
  }
  std::istringstream fields(stat.substr(paren + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i >= 14) {
      ticks += std::strtod(field.c_str(), nullptr);  // utime (14), stime (15)
    }
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// The value of a sample line "NAME VALUE" of the server's /metrics; -1 if there is none.
double Metric(uint16_t port, const std::string& name) {
  const http::Reply r = http::Call(port, "GET", "/metrics");
  const std::string prefix = name + " ";
  size_t at = 0;
  while (at < r.body.size()) {
    const size_t end = std::min(r.body.find('\n', at), r.body.size());
    if (r.body.compare(at, prefix.size(), prefix) == 0) {
      return std::strtod(r.body.c_str() + at + prefix.size(), nullptr);
    }
    at = end + 1;
  }
  return -1;
}

std::string SearchPath(const std::string& query, bool filtered) {
  std::string path = "/api/v1/kb/search?q=" + http::UrlEncode(query) + "&limit=10";
  if (filtered) {
    path += "&region=" + http::UrlEncode("A1区");
  }
  return path;
}

// GET /api/v1/kb/search on a real `hotline serve` over loopback, as an operator's console
// sends it (keep-alive, bearer token): first one connection, each reply checked against the
// store; then `clients` connections at once, each query `rounds` times. Without and with a
// region filter; the server's CPU per search from /proc.
bool HttpPath(const std::string& bin, const std::string& path,
              const std::vector<std::string>& queries, sqlite::SqliteKbStore& store, size_t clients,
              size_t threads, size_t rounds, size_t wait_seconds) {
  const uint16_t port = FreePort();
  const std::string log = path + ".serve.log";
  const auto start = Clock::now();
  const pid_t server =
      Spawn({bin, "serve", "--store", path, "--listen", "127.0.0.1:" + std::to_string(port),
             "--threads", std::to_string(threads), "--jobs-interval", "0", "--hot-snapshot", "off"},
            log);
  const auto fail = [&](const std::string& why) {
    std::fprintf(stderr, "search_bench: %s (server log: %s)\n", why.c_str(), log.c_str());
    kill(server, SIGTERM);
    Wait(server);
    return false;
  };
  bool up = false;
  while (!up && Seconds(start) < 60) {
    up = http::Call(port, "GET", "/healthz").status == 200;
    if (!up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  if (!up) {
    return fail("the server did not answer /healthz within 60 s");
  }
  double ready = 0;
  while ((ready = Metric(port, "hotline_kb_memory_index_ready")) == 0 && Seconds(start) < 600) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (ready < 0) {
    // An older server without the metric: wait as long as a load takes on this machine.
    const auto wait = static_cast<double>(wait_seconds);
    std::printf("  (no hotline_kb_memory_index_ready metric: waiting %.0f s for the index)\n",
                wait);
    std::this_thread::sleep_for(
        std::chrono::duration<double>(std::max(0.0, wait - Seconds(start))));
  } else if (ready != 1) {
    return fail("the server's memory index was not ready within 600 s");
  }
  std::printf(
      "KB search over HTTP: hotline serve (%zu threads) on 127.0.0.1:%u, memory index ready "
      "%.1f s after start (%s)\n",
      threads, port, Seconds(start), Load().c_str());
  const http::Reply login = http::Call(port, "POST", "/api/v1/auth/login",
                                       R"({"login":"op1","password":"hotline12345"})");
  const auto token = login.Json().value("token", std::string());
  if (login.status != 200 || token.empty()) {
    return fail("login as op1: " + std::to_string(login.status) + " " + login.body);
  }
  const std::vector<std::string> headers = {"Authorization: Bearer " + token};
  const double index_before = Metric(port, "hotline_kb_searches_total{source=\"index\"}");
  size_t sent = 0;
  for (const bool filtered : {false, true}) {
    http::KeepAlive connection(port);
    std::vector<double> ms;
    size_t same = 0;
    size_t failed = 0;
    const double cpu = CpuSeconds(server);
    double wall = 0;
    for (const auto& text_query : queries) {
      const auto t0 = Clock::now();
      const http::Reply r = connection.Get(SearchPath(text_query, filtered), headers);
      const double seconds = Seconds(t0);
      wall += seconds;
      ms.push_back(seconds * 1e3);
      ++sent;
      if (r.status != 200) {
        ++failed;
        continue;
      }
      hotline::ports::KbSearchQuery query{text_query, {}, 10};
      query.filter.published_only = true;
      if (filtered) {
        query.filter.region = "A1区";
      }
      const auto expected = store.Search(query);
      const auto hits = r.Json().value("hits", nlohmann::json::array());
      bool equal = expected.has_value() && hits.size() == expected->size();
      for (size_t i = 0; equal && i < hits.size(); ++i) {
        equal = hits[i].value("id", "") == (*expected)[i].article.id &&
                hits[i].value("snippet", "") == (*expected)[i].snippet &&
                std::fabs(hits[i].value("score", -1.0) - (*expected)[i].score) <= 1e-9;
      }
      same += equal ? 1 : 0;
    }
    const double server_cpu = CpuSeconds(server) - cpu;
    Report(filtered ? "KB search, HTTP, 1 conn (region)" : "KB search, HTTP, 1 connection", ms);
    std::printf(
        "  equal to the store's (ids, order, snippets, scores within 1e-9): %zu of %zu; "
        "failed %zu; server CPU %.2f ms per search\n",
        same, queries.size(), failed, server_cpu * 1e3 / static_cast<double>(queries.size()));
    (void)wall;
  }
  for (const bool filtered : {false, true}) {
    std::vector<std::vector<double>> per_client(clients);
    std::atomic<size_t> failed{0};
    std::vector<std::thread> workers;
    const double cpu = CpuSeconds(server);
    const auto t0 = Clock::now();
    for (size_t c = 0; c < clients; ++c) {
      workers.emplace_back([&, c] {
        http::KeepAlive connection(port);
        for (size_t round = 0; round < rounds; ++round) {
          for (size_t q = c; q < queries.size(); q += clients) {
            const auto t1 = Clock::now();
            if (connection.Get(SearchPath(queries[q], filtered), headers).status != 200) {
              ++failed;
            }
            per_client[c].push_back(Seconds(t1) * 1e3);
          }
        }
      });
    }
    for (auto& t : workers) {
      t.join();
    }
    const double wall = Seconds(t0);
    const double server_cpu = CpuSeconds(server) - cpu;
    std::vector<double> all;
    for (const auto& v : per_client) {
      all.insert(all.end(), v.begin(), v.end());
    }
    sent += all.size();
    const std::string label =
        "KB search, HTTP, " + std::to_string(clients) + " conns" + (filtered ? " (region)" : "");
    std::printf("%-36s p50 %7.2f ms   p95 %7.2f ms   p99 %7.2f ms   max %7.2f ms   (%zu; %s)\n",
                label.c_str(), Percentile(all, 0.5), Percentile(all, 0.95), Percentile(all, 0.99),
                Percentile(all, 1.0), all.size(), Load().c_str());
    std::printf("  throughput %.0f searches/s; failed %zu; server CPU %.2f ms per search\n",
                static_cast<double>(all.size()) / wall, failed.load(),
                server_cpu * 1e3 / static_cast<double>(all.size()));
  }
  const double index_after = Metric(port, "hotline_kb_searches_total{source=\"index\"}");
  if (index_after >= 0) {  // a server with the metric
    std::printf("  answered from the server's memory index: %.0f of %zu\n",
                index_after - index_before, sent);
  }
  kill(server, SIGTERM);
  Wait(server);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const size_t articles = ArgOr(argc, argv, "--articles", 100000);
  const size_t tickets = ArgOr(argc, argv, "--tickets", 1000000);
  const size_t queries = ArgOr(argc, argv, "--queries", 1000);
  Generator gen(static_cast<uint32_t>(ArgOr(argc, argv, "--seed", 1)));

  auto tokenizer_or = text::Tokenizer::CreateDefault();
  if (!tokenizer_or.has_value()) {
    std::fprintf(stderr, "search_bench: %s\n", tokenizer_or.error().message.c_str());
    return 1;
  }
  const text::Tokenizer& tokenizer = **tokenizer_or;
  std::vector<std::string> places;
  for (int i = 0; i < 20000; ++i) {
    places.push_back(gen.Place());
  }

  // Knowledge base: title = place/issue question, body = an answer of ~150 characters.
  // Searched twice: in the in-memory index, and through the product's path, the SQLite
  // knowledge-base store (FTS5 + the shared ranking), unless --store 0.
  {
    text::IndexOptions kb_options;
    kb_options.fusion_depth = ArgOr(argc, argv, "--fusion-depth", kb_options.fusion_depth);
    text::InvertedIndex index(tokenizer, kb_options);
    std::vector<hotline::domain::kb::Article> kb_articles;
    const bool with_store = ArgOr(argc, argv, "--store", 1) != 0;
    size_t chars = 0;
    const auto start = Clock::now();
    for (size_t i = 0; i < articles; ++i) {
      std::string title = std::string(gen.Issue()) + "怎么办理" + places[gen.Uniform(2000)];
      std::string body;
      for (int s = 0; s < 8; ++s) {
        body += gen.AnswerFiller();
        body += s % 3 == 0 ? gen.Issue() : "";
        body += "，";
      }
      chars += title.size() / 3 + body.size() / 3;
      std::string id = "kb-";
      id.append(std::to_string(i));
      if (with_store) {
        hotline::domain::kb::Article article;
        article.id = id;
        article.title = title;
        article.answer = body;
        article.status = hotline::domain::kb::ArticleStatus::kPublished;
        kb_articles.push_back(std::move(article));
      }
      std::string region = gen.Region();
      if (with_store) {
        kb_articles.back().region = region;
      }
      text::IndexDocument doc{
          std::move(id), {std::move(title), std::move(body)}, {{"region", std::move(region)}}, 0};
      if (!index.Upsert(std::move(doc)).has_value()) {
        return 1;
      }
    }
    const double build = Seconds(start);
    index.RefreshStatistics();  // exact averages, as the store's
    const auto stats = index.Stats();
    std::printf(
        "KB index: %zu articles in %.1f s = %.0f docs/s (%.1f M chars/s); %zu terms, "
        "%zu postings, ~%.0f MB\n",
        articles, build, static_cast<double>(articles) / build,
        static_cast<double>(chars) / build / 1e6, stats.terms, stats.postings,
        static_cast<double>(stats.memory_bytes) / 1e6);
    std::vector<std::string> kb_queries;
    for (size_t q = 0; q < queries; ++q) {
      kb_queries.push_back(std::string(places[gen.Uniform(2000)]) + gen.Issue() + "怎么办");
    }
    std::vector<double> ms;
    std::vector<std::vector<std::string>> index_ids;
    for (const auto& text_query : kb_queries) {
      text::SearchQuery query;
      query.parts = {{text_query, 1.0}};
      query.with_snippets = true;
      const auto t0 = Clock::now();
      const auto hits = index.Search(query);
      ms.push_back(Seconds(t0) * 1e3);
      index_ids.emplace_back();
      for (const auto& hit : hits) {
        index_ids.back().push_back(hit.id);
      }
    }
    Report("KB search, index (top 10 + snippets)", ms);
    if (with_store) {
      namespace sqlite = hotline::adapters::sqlite;
      const std::string path = (std::filesystem::temp_directory_path() /
                                ("search_bench_kb_" + std::to_string(::getpid()) + ".db"))
                                   .string();
      const auto remove = [&path] {
        std::error_code ignored;
        for (const char* suffix : {"", "-wal", "-shm", ".demo.log", ".serve.log"}) {
          std::filesystem::remove(path + suffix, ignored);
        }
      };
      remove();
      // Over HTTP the server needs a whole hotline store (users, org): the demo's, no tickets.
      const std::string hotline_bin = ArgString(argc, argv, "--http");
      const std::string demo_bin = hotline_bin.substr(0, hotline_bin.find(','));
      if (!hotline_bin.empty() && Wait(Spawn({demo_bin, "demo", "--store", path, "--tickets", "0"},
                                             path + ".demo.log")) != 0) {
        std::fprintf(stderr, "search_bench: %s demo failed (log: %s.demo.log)\n", demo_bin.c_str(),
                     path.c_str());
        return 1;
      }
      auto store = sqlite::SqliteKbStore::Open(path, /*create=*/true, tokenizer);
      if (!store.has_value()) {
        std::fprintf(stderr, "search_bench: %s\n", store.error().message.c_str());
        return 1;
      }
      text::IndexOptions ranking = sqlite::SqliteKbStore::DefaultRankingOptions();
      ranking.fusion_depth = kb_options.fusion_depth;
      (*store)->SetRankingOptions(ranking);
      const auto store_start = Clock::now();
      constexpr size_t kBatch = 10000;  // articles per transaction (an import)
      for (size_t i = 0; i < kb_articles.size(); i += kBatch) {
        const std::vector<hotline::domain::kb::Article> batch(
            kb_articles.begin() + static_cast<ptrdiff_t>(i),
            kb_articles.begin() + static_cast<ptrdiff_t>(std::min(i + kBatch, kb_articles.size())));
        if (const auto saved = (*store)->Save(batch, "bench", 0); !saved.has_value()) {
          std::fprintf(stderr, "search_bench: %s\n", saved.error().message.c_str());
          return 1;
        }
      }
      const double store_build = Seconds(store_start);
      std::error_code size_error;
      const auto bytes = std::filesystem::file_size(path, size_error) +
                         std::filesystem::file_size(path + "-wal", size_error);
      std::printf(
          "KB store (SQLite, FTS5 + term statistics): %zu articles in %.1f s = %.0f "
          "docs/s; database %.0f MB\n",
          articles, store_build, static_cast<double>(articles) / store_build,
          static_cast<double>(bytes) / 1e6);
      std::vector<double> store_ms;
      size_t same = 0;
      for (size_t q = 0; q < kb_queries.size(); ++q) {
        const auto t0 = Clock::now();
        const auto hits = (*store)->Search({kb_queries[q], {}, 10});
        store_ms.push_back(Seconds(t0) * 1e3);
        if (!hits.has_value()) {
          std::fprintf(stderr, "search_bench: %s\n", hits.error().message.c_str());
          return 1;
        }
        std::vector<std::string> ids;
        for (const auto& hit : *hits) {
          ids.push_back(hit.article.id);
        }
        same += ids == index_ids[q] ? 1 : 0;
      }
      Report("KB search, store (top 10 + snippets)", store_ms);
      std::printf("  store top 10 equal to the index's (ids and order): %zu of %zu queries\n", same,
                  kb_queries.size());
      if (ArgOr(argc, argv, "--server", 1) != 0) {
        if (!ServerPath(path, kb_queries, **store, ArgOr(argc, argv, "--clients", 4))) {
          return 1;
        }
      }
      // --http A,B: each executable in turn on the same store (before/after a change).
      std::vector<std::string> servers;
      for (size_t at = 0; !hotline_bin.empty() && at <= hotline_bin.size();) {
        const size_t comma = std::min(hotline_bin.find(',', at), hotline_bin.size());
        servers.push_back(hotline_bin.substr(at, comma - at));
        at = comma + 1;
      }
      for (const auto& server : servers) {
        std::printf("-- %s\n", server.c_str());
        if (!HttpPath(server, path, kb_queries, **store, ArgOr(argc, argv, "--clients", 4),
                      ArgOr(argc, argv, "--http-threads", 8), ArgOr(argc, argv, "--http-rounds", 3),
                      ArgOr(argc, argv, "--http-wait", 60))) {
          return 1;
        }
      }
      store->reset();
      remove();
    }
  }

  // Open tickets: title + ~60 characters of text, region and time.
  {
    text::SimilarityFinder finder(tokenizer);
    const auto start = Clock::now();
    size_t chars = 0;
    const auto make = [&](size_t i) {
      const std::string& place = places[gen.Uniform(places.size())];
      text::Report report;
      report.id = "t-";
      report.id.append(std::to_string(i));
      report.region = gen.Region();
      report.title = report.region + place + gen.Issue();
      report.text = std::string(place) + gen.Issue() + "，" + gen.Filler() + "，" + gen.Filler() +
                    "。联系电话138";
      report.text.append(std::to_string(10000000 + gen.Uniform(89999999)));
      report.time = static_cast<int64_t>(1700000000 + gen.Uniform(180 * 86400));
      return report;
    };
    for (size_t i = 0; i < tickets; ++i) {
      text::Report report = make(i);
      chars += (report.title.size() + report.text.size()) / 3;
      if (!finder.Upsert(report).has_value()) {
        return 1;
      }
      if ((i + 1) % 200000 == 0) {
        std::fprintf(stderr, "  %zu tickets indexed, %.0f s\n", i + 1, Seconds(start));
      }
    }
    const double build = Seconds(start);
    const auto stats = finder.index().Stats();
    std::printf(
        "Ticket index: %zu tickets in %.1f s = %.0f docs/s (%.1f M chars/s); %zu terms, "
        "%zu postings, ~%.0f MB\n",
        tickets, build, static_cast<double>(tickets) / build,
        static_cast<double>(chars) / build / 1e6, stats.terms, stats.postings,
        static_cast<double>(stats.memory_bytes) / 1e6);
    std::vector<double> ms;
    for (size_t q = 0; q < queries; ++q) {
      text::Report incoming = make(tickets + q);
      incoming.id.clear();
      const auto t0 = Clock::now();
      const auto matches = finder.FindSimilar(incoming, 10);
      ms.push_back(Seconds(t0) * 1e3);
    }
    Report("Similar-request lookup (top 10)", ms);
  }
  std::printf("Peak resident memory: %ld MB\n", MaxRssMb());
  return 0;
}
