// bench/http: a load generator of ours (Boost.Asio, loopback) against a real `hotline serve`
// process. It measures, with C concurrent keep-alive connections, the throughput and p50/p99
// latency of ticket creation (POST /api/v1/tickets as op1, bearer token) and of a unit's
// queue listing (GET /api/v1/queues/in_progress as a unit login), the server's memory (RSS
// from /proc), and the same latencies with N idle live-update streams (GET /api/v1/events,
// Server-Sent Events) held open.
//
//   http_bench --hotline BIN --store DB [--tickets N] [--connections C] [--seconds S]
//              [--streams 0,1000,5000,10000] [--server-threads T] [--port P]
//              [--unit-login LOGIN] [--base N] [--build-only 1]
//
// A missing store is built first: `hotline demo --tickets N` when N <= --base (100,000),
// else `hotline demo --tickets BASE` and the tickets replicated in SQL up to N (copies get
// the number prefixes S1, S2, ... and new ids; the demo itself would take over an hour for
// 1,000,000 on 2 cores). An existing store with fewer than N tickets is grown the same way.
// The creation runs add tickets to the store.
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Args {
  std::string hotline;
  std::string store;
  long tickets = 1000000;
  long base = 100000;
  int connections = 16;
  double seconds = 10;
  std::vector<int> streams;
  int server_threads = 8;
  int port = 18080;
  std::string op_login = "op1";
  std::string unit_login = "city-housing";
  std::string password = "hotline12345";
  bool build_only = false;
};

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) {
    return 0;
  }
  size_t k = static_cast<size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      auto colon = line.find(':');
      return colon == std::string::npos ? line : line.substr(colon + 2);
    }
  }
  return "unknown";
}

// VmRSS and VmHWM of a process, in KiB.
std::pair<long, long> Rss(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  long rss = 0;
  long hwm = 0;
  while (std::getline(in, line)) {
    std::sscanf(line.c_str(), "VmRSS: %ld kB", &rss);
    std::sscanf(line.c_str(), "VmHWM: %ld kB", &hwm);
  }
  return {rss, hwm};
}

// ---- Building the store -------------------------------------------------------------------

int Run(const std::vector<std::string>& argv) {
  std::fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> av;
    for (const auto& a : argv) {
      av.push_back(const_cast<char*>(a.c_str()));
    }
    av.push_back(nullptr);
    execv(av[0], av.data());
    std::perror("execv");
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

bool Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::fprintf(stderr, "sqlite: %s\n  in: %.200s\n", err != nullptr ? err : "?", sql.c_str());
    sqlite3_free(err);
    return false;
  }
  return true;
}

long QueryLong(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  long v = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    v = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  return v;
}

std::vector<std::string> Columns(sqlite3* db, const std::string& table) {
  std::vector<std::string> cols;
  sqlite3_stmt* st = nullptr;
  std::string sql = "PRAGMA table_info(" + table + ")";
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      cols.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)));
    }
  }
  sqlite3_finalize(st);
  return cols;
}

// Copies the demo's tickets (with their events and every row keyed by ticket_id) until the
// store holds `target` tickets. Copy k has ids shifted by k * max_id and numbers prefixed
// "S<k>" instead of the demo's two-letter prefix.
bool Replicate(const std::string& path, long target) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    std::fprintf(stderr, "cannot open %s\n", path.c_str());
    return false;
  }
  bool ok = Exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;");
  long base = QueryLong(db, "SELECT count(*) FROM tickets");
  long max_id = QueryLong(db, "SELECT max(id) FROM tickets");
  // Every table with a ticket_id column (events, unit links, ...), whatever the schema adds.
  std::vector<std::string> linked;
  {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE "
                       "'sqlite_%' AND name <> 'tickets' AND name NOT LIKE 'audit%'",
                       -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::string name = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
      auto cols = Columns(db, name);
      if (std::find(cols.begin(), cols.end(), "ticket_id") != cols.end()) {
        linked.push_back(name);
      }
    }
    sqlite3_finalize(st);
  }
  auto select_list = [&](const std::string& table, long shift, long k) {
    std::string out;
    for (const auto& c : Columns(db, table)) {
      if (!out.empty()) {
        out += ", ";
      }
      if (c == "ticket_id" || (table == "tickets" && c == "id")) {
        out += c + " + " + std::to_string(shift);
      } else if (table == "tickets" && c == "number") {
        out += "'S" + std::to_string(k) + "' || substr(number, 3)";
      } else {
        out += c;
      }
    }
    return out;
  };
  for (long k = 1; ok && base * k < target; ++k) {
    long take = std::min(base, target - base * k);  // the last copy may be partial
    long shift = k * max_id;
    std::string limit_ids = "(SELECT id FROM tickets WHERE id <= " + std::to_string(max_id) +
                            " ORDER BY id LIMIT " + std::to_string(take) + ")";
    ok = Exec(db, "BEGIN");
    ok = ok && Exec(db, "INSERT INTO tickets SELECT " + select_list("tickets", shift, k) +
                            " FROM tickets WHERE id IN " + limit_ids);
    for (const auto& t : linked) {
      ok = ok && Exec(db, "INSERT INTO " + t + " SELECT " + select_list(t, shift, k) + " FROM " +
                              t + " WHERE ticket_id IN " + limit_ids);
    }
    ok = ok && Exec(db, "COMMIT");
    std::printf("  copy %ld: %ld tickets\n", k, take);
    std::fflush(stdout);
  }
  ok = ok && Exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_close(db);
  return ok;
}

bool BuildStore(const Args& a) {
  long demo = std::min(a.tickets, a.base);
  std::printf("building %s: hotline demo --tickets %ld%s\n", a.store.c_str(), demo,
              a.tickets > demo ? " then SQL replication" : "");
  std::fflush(stdout);
  auto t0 = Clock::now();
  if (Run({a.hotline, "demo", "--store", a.store, "--tickets", std::to_string(demo)}) != 0) {
    return false;
  }
  double demo_s = Seconds(t0);
  auto t1 = Clock::now();
  if (a.tickets > demo && !Replicate(a.store, a.tickets)) {
    return false;
  }
  std::printf("  store built: demo %.0f s, replication %.0f s\n", demo_s, Seconds(t1));
  return true;
}

// ---- A keep-alive HTTP/1.1 client over a blocking socket ----------------------------------

struct Response {
  int status = 0;
  std::string body;
};

class Client {
 public:
  Client(int port) : socket_(ioc_) {
    socket_.connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port)));
    socket_.set_option(tcp::no_delay(true));
  }

  Response Call(const std::string& method, const std::string& target, const std::string& token,
                const std::string& body = "") {
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!token.empty()) {
      req += "Authorization: Bearer " + token + "\r\n";
    }
    if (method == "POST") {
      req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
             "\r\n";
    }
    req += "\r\n" + body;
    asio::write(socket_, asio::buffer(req));
    size_t head = asio::read_until(socket_, buf_, "\r\n\r\n");
    std::string headers(asio::buffers_begin(buf_.data()),
                        asio::buffers_begin(buf_.data()) + static_cast<long>(head));
    buf_.consume(head);
    Response r;
    r.status = headers.size() > 12 ? std::atoi(headers.c_str() + 9) : 0;
    size_t length = 0;
    for (const char* name : {"Content-Length: ", "content-length: "}) {
      if (auto p = headers.find(name); p != std::string::npos) {
        length = std::strtoul(headers.c_str() + p + std::strlen(name), nullptr, 10);
      }
    }
    if (buf_.size() < length) {
      asio::read(socket_, buf_, asio::transfer_exactly(length - buf_.size()));
    }
    r.body.assign(asio::buffers_begin(buf_.data()),
                  asio::buffers_begin(buf_.data()) + static_cast<long>(length));
    buf_.consume(length);
    return r;
  }

 private:
  asio::io_context ioc_;
  tcp::socket socket_;
  asio::streambuf buf_;
};

std::string JsonString(const std::string& body, const std::string& key) {
  std::string k = "\"" + key + "\":\"";
  auto p = body.find(k);
  if (p == std::string::npos) {
    return "";
  }
  p += k.size();
  return body.substr(p, body.find('"', p) - p);
}

size_t Count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + what.size())) {
    ++n;
  }
  return n;
}

// ---- The load --------------------------------------------------------------------------------

struct Load {
  long ok = 0;
  long failed = 0;
  double seconds = 0;
  double p50 = 0;
  double p99 = 0;
  size_t items = 0;  // tickets in the last queue response
  std::string last_error;
};

enum class Kind { kCreate, kQueue };

// C connections, each sending requests back to back for `seconds`.
Load RunLoad(const Args& a, Kind kind, const std::string& token, double seconds) {
  std::vector<std::vector<double>> lat(static_cast<size_t>(a.connections));
  std::atomic<long> ok{0};
  std::atomic<long> failed{0};
  std::atomic<size_t> items{0};
  std::mutex mu;
  std::string last_error;
  std::atomic<long> seq{0};
  auto start = Clock::now();
  auto end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<std::thread> threads;
  for (int c = 0; c < a.connections; ++c) {
    threads.emplace_back([&, c] {
      try {
        Client client(a.port);
        auto& l = lat[static_cast<size_t>(c)];
        while (Clock::now() < end) {
          auto t0 = Clock::now();
          Response r;
          if (kind == Kind::kCreate) {
            long i = seq.fetch_add(1);
            std::string body = R"({"type":"投诉","content":"三元区列东街)" + std::to_string(i) +
                               R"(号附近夜间施工噪音扰民，请求处理。","citizen_phone":"138)" +
                               std::to_string(10000000 + i % 90000000) + R"(","address":"列东街)" +
                               std::to_string(i) + R"(号"})";
            r = client.Call("POST", "/api/v1/tickets", token, body);
          } else {
            r = client.Call("GET", "/api/v1/queues/in_progress", token);
          }
          double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
          if (r.status == (kind == Kind::kCreate ? 201 : 200)) {
            ++ok;
            l.push_back(ms);
            if (kind == Kind::kQueue) {
              items = Count(r.body, "\"number\":");
            }
          } else {
            ++failed;
            std::lock_guard lock(mu);
            last_error = std::to_string(r.status) + " " + r.body.substr(0, 200);
          }
        }
      } catch (const std::exception& e) {
        ++failed;
        std::lock_guard lock(mu);
        last_error = e.what();
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  Load out;
  out.seconds = Seconds(start);
  std::vector<double> all;
  for (auto& l : lat) {
    all.insert(all.end(), l.begin(), l.end());
  }
  out.ok = ok;
  out.failed = failed;
  out.p50 = Percentile(all, 0.50);
  out.p99 = Percentile(all, 0.99);
  out.items = items;
  out.last_error = last_error;
  return out;
}

// ---- Idle live-update streams ------------------------------------------------------------------

// N idle SSE connections on one thread (async): connect, send the request, read the head,
// then keep reading (heartbeats, events) and discard. At most 256 connects in flight, so the
// listen backlog never overflows.
class Streams {
 public:
  Streams(int port, std::string token) : port_(port), token_(std::move(token)) {}
  ~Streams() { Stop(); }

  // Opens n streams; returns how many got a 200 head within the timeout.
  int Open(int n, std::chrono::seconds timeout) {
    want_ = n;
    work_.emplace(ioc_.get_executor());
    thread_ = std::thread([this] { ioc_.run(); });
    asio::post(ioc_, [this] {
      for (int i = 0; i < 256 && started_ < want_; ++i) {
        StartOne();
      }
    });
    auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline && ready_ + failed_ < want_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return ready_;
  }
  int failed() const { return failed_; }
  std::string error() {
    std::lock_guard lock(mu_);
    return error_;
  }

  void Stop() {
    if (!thread_.joinable()) {
      return;
    }
    asio::post(ioc_, [this] {
      for (auto& c : conns_) {
        boost::system::error_code ec;
        c->socket.close(ec);
      }
    });
    work_.reset();
    thread_.join();
    conns_.clear();
  }

 private:
  struct Conn {
    explicit Conn(asio::io_context& ioc) : socket(ioc) {}
    tcp::socket socket;
    asio::streambuf buf;
    std::string request;
    char sink[4096];
  };

  void StartOne() {
    ++started_;
    auto c = std::make_shared<Conn>(ioc_);
    conns_.push_back(c);
    c->request =
        "GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
        "Authorization: Bearer " +
        token_ + "\r\n\r\n";
    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port_));
    c->socket.async_connect(ep, [this, c](boost::system::error_code ec) {
      if (ec) {
        return Fail(ec.message());
      }
      asio::async_write(
          c->socket, asio::buffer(c->request), [this, c](boost::system::error_code wec, size_t) {
            if (wec) {
              return Fail(wec.message());
            }
            asio::async_read_until(c->socket, c->buf, "\r\n\r\n",
                                   [this, c](boost::system::error_code rec, size_t) {
                                     if (rec) {
                                       return Fail(rec.message());
                                     }
                                     std::string head(asio::buffers_begin(c->buf.data()),
                                                      asio::buffers_begin(c->buf.data()) + 12);
                                     if (head.find(" 200") == std::string::npos) {
                                       std::string all(asio::buffers_begin(c->buf.data()),
                                                       asio::buffers_end(c->buf.data()));
                                       return Fail("status " + all.substr(9, 3));
                                     }
                                     ++ready_;
                                     Next();
                                     Drain(c);
                                   });
          });
    });
  }

  void Drain(const std::shared_ptr<Conn>& c) {
    c->socket.async_read_some(asio::buffer(c->sink),
                              [this, c](boost::system::error_code ec, size_t) {
                                if (!ec) {
                                  Drain(c);
                                }
                              });
  }

  void Fail(const std::string& why) {
    ++failed_;
    {
      std::lock_guard lock(mu_);
      error_ = why;
    }
    Next();
  }

  void Next() {
    if (started_ < want_) {
      StartOne();
    }
  }

  int port_;
  std::string token_;
  asio::io_context ioc_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::thread thread_;
  std::vector<std::shared_ptr<Conn>> conns_;
  int want_ = 0;
  int started_ = 0;  // io thread only
  std::atomic<int> ready_{0};
  std::atomic<int> failed_{0};
  std::mutex mu_;
  std::string error_;
};

// ---- The server process -------------------------------------------------------------------------

pid_t StartServer(const Args& a) {
  std::fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    std::string log = a.store + ".serve.log";
    FILE* f = std::freopen(log.c_str(), "w", stdout);
    (void)f;
    dup2(STDOUT_FILENO, STDERR_FILENO);
    std::string listen = "127.0.0.1:" + std::to_string(a.port);
    std::string threads = std::to_string(a.server_threads);
    execl(a.hotline.c_str(), a.hotline.c_str(), "serve", "--store", a.store.c_str(), "--listen",
          listen.c_str(), "--threads", threads.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

bool WaitHealthy(const Args& a, pid_t pid) {
  auto deadline = Clock::now() + std::chrono::seconds(120);
  while (Clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      return false;
    }
    try {
      Client c(a.port);
      if (c.Call("GET", "/healthz", "").status == 200) {
        return true;
      }
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

std::string Login(const Args& a, const std::string& login) {
  Client c(a.port);
  auto r = c.Call("POST", "/api/v1/auth/login", "",
                  R"({"login":")" + login + R"(","password":")" + a.password + R"("})");
  if (r.status != 200) {
    std::fprintf(stderr, "login %s: %d %s\n", login.c_str(), r.status, r.body.c_str());
    return "";
  }
  return JsonString(r.body, "token");
}

void PrintLoad(const char* what, const Load& l) {
  std::printf("  %-22s %7.0f req/s  p50 %7.2f ms  p99 %7.2f ms  (%ld ok, %ld failed)\n", what,
              static_cast<double>(l.ok) / l.seconds, l.p50, l.p99, l.ok, l.failed);
  if (l.failed > 0) {
    std::printf("    last error: %s\n", l.last_error.c_str());
  }
}

std::string JsonLoad(const char* name, const Load& l) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "\"%s\":{\"rps\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"ok\":%ld,\"failed\":%ld}",
                name, static_cast<double>(l.ok) / l.seconds, l.p50, l.p99, l.ok, l.failed);
  return buf;
}

std::vector<int> ParseList(const std::string& s) {
  std::vector<int> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) {
      out.push_back(std::atoi(item.c_str()));
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    std::string v = argv[i + 1];
    if (flag == "--hotline") {
      a.hotline = v;
    } else if (flag == "--store") {
      a.store = v;
    } else if (flag == "--tickets") {
      a.tickets = std::atol(v.c_str());
    } else if (flag == "--base") {
      a.base = std::atol(v.c_str());
    } else if (flag == "--connections") {
      a.connections = std::atoi(v.c_str());
    } else if (flag == "--seconds") {
      a.seconds = std::atof(v.c_str());
    } else if (flag == "--streams") {
      a.streams = ParseList(v);
    } else if (flag == "--server-threads") {
      a.server_threads = std::atoi(v.c_str());
    } else if (flag == "--port") {
      a.port = std::atoi(v.c_str());
    } else if (flag == "--unit-login") {
      a.unit_login = v;
    } else if (flag == "--build-only") {
      a.build_only = v == "1";
    } else {
      a.hotline.clear();
      break;
    }
  }
  if (a.hotline.empty() || a.store.empty() || a.connections <= 0 || a.seconds <= 0 ||
      a.tickets <= 0 || a.base <= 0) {
    std::fprintf(stderr,
                 "usage: http_bench --hotline BIN --store DB [--tickets N] [--connections C] "
                 "[--seconds S] [--streams 0,1000,5000,10000] [--server-threads T] [--port P] "
                 "[--unit-login LOGIN] [--base N] [--build-only 1]\n");
    return 2;
  }
  // Streams need descriptors on both sides: raise the soft limit to the hard one (the server,
  // a child, inherits it).
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  signal(SIGPIPE, SIG_IGN);

  if (!fs::exists(a.store) && !BuildStore(a)) {
    std::fprintf(stderr, "could not build the store\n");
    return 1;
  }
  auto count_tickets = [&] {
    long n = 0;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(a.store.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      n = QueryLong(db, "SELECT count(*) FROM tickets");
    }
    sqlite3_close(db);
    return n;
  };
  long tickets = count_tickets();
  if (tickets < a.tickets) {
    // A smaller store (e.g. a copy of a 100k demo store) is grown by replication.
    std::printf("growing %s from %ld to %ld tickets by replication\n", a.store.c_str(), tickets,
                a.tickets);
    auto tr = Clock::now();
    if (!Replicate(a.store, a.tickets)) {
      return 1;
    }
    std::printf("  replication %.0f s\n", Seconds(tr));
    tickets = count_tickets();
  }
  if (a.build_only) {
    std::printf("%s: %ld tickets\n", a.store.c_str(), tickets);
    return 0;
  }
  uintmax_t store_bytes = fs::file_size(a.store);

  std::printf(
      "http: hotline serve (%d threads) on 127.0.0.1:%d, a store of %ld tickets (%.0f MiB)\n",
      a.server_threads, a.port, tickets, static_cast<double>(store_bytes) / (1 << 20));
  std::printf("  machine            %u cores, %s; load generator on the same machine\n",
              std::thread::hardware_concurrency(), CpuModel().c_str());
  std::printf("  connections        %d keep-alive, %.0f s per measurement, fd limit %lu\n",
              a.connections, a.seconds, static_cast<unsigned long>(rl.rlim_cur));

  auto t0 = Clock::now();
  pid_t server = StartServer(a);
  if (!WaitHealthy(a, server)) {
    std::fprintf(stderr, "the server did not start (log: %s.serve.log)\n", a.store.c_str());
    kill(server, SIGKILL);
    return 1;
  }
  std::printf("  server start       %.2f s to /healthz\n", Seconds(t0));
  std::string op = Login(a, a.op_login);
  std::string unit = Login(a, a.unit_login);
  if (op.empty() || unit.empty()) {
    kill(server, SIGTERM);
    return 1;
  }
  auto [rss_idle, hwm_idle] = Rss(server);
  std::printf("  server RSS idle    %ld MiB\n", rss_idle / 1024);
  std::fflush(stdout);

  int failures = 0;
  std::string json = "{\"tickets\":" + std::to_string(tickets) +
                     ",\"connections\":" + std::to_string(a.connections) +
                     ",\"rss_idle_mib\":" + std::to_string(rss_idle / 1024);
  // Warm up (page cache, statement caches) without recording.
  RunLoad(a, Kind::kQueue, unit, 1);
  Load create = RunLoad(a, Kind::kCreate, op, a.seconds);
  Load queue = RunLoad(a, Kind::kQueue, unit, a.seconds);
  auto [rss, hwm] = Rss(server);
  PrintLoad("create ticket", create);
  PrintLoad("queue in_progress", queue);
  std::printf("  queue size         %zu tickets per response (%s)\n", queue.items,
              a.unit_login.c_str());
  std::printf("  server RSS         %ld MiB now, %ld MiB peak\n", rss / 1024, hwm / 1024);
  failures += create.failed + queue.failed > 0;
  json += "," + JsonLoad("create", create) + "," + JsonLoad("queue", queue) +
          ",\"queue_items\":" + std::to_string(queue.items) +
          ",\"rss_mib\":" + std::to_string(rss / 1024) +
          ",\"rss_peak_mib\":" + std::to_string(hwm / 1024);
  std::fflush(stdout);

  std::string streams_json;
  for (int n : a.streams) {
    if (n <= 0) {
      continue;
    }
    auto before = Rss(server).first;
    Streams s(a.port, unit);
    auto ts = Clock::now();
    int ready = s.Open(n, std::chrono::seconds(120));
    double open_s = Seconds(ts);
    auto with_rss = Rss(server).first;
    std::printf(
        "  %d idle streams: %d open in %.1f s (%d failed%s%s), server RSS %ld MiB (%+ld MiB; "
        "freed heap of the loads before is reused)\n",
        n, ready, open_s, s.failed(), s.failed() > 0 ? ": " : "", s.error().c_str(),
        with_rss / 1024, (with_rss - before) / 1024);
    std::fflush(stdout);
    Load sq = RunLoad(a, Kind::kQueue, unit, a.seconds);
    Load sc = RunLoad(a, Kind::kCreate, op, a.seconds);
    PrintLoad("  queue in_progress", sq);
    PrintLoad("  create ticket", sc);
    std::fflush(stdout);
    failures += (ready < n) + (sq.failed + sc.failed > 0);
    streams_json += std::string(streams_json.empty() ? "" : ",") +
                    "{\"streams\":" + std::to_string(n) + ",\"open\":" + std::to_string(ready) +
                    ",\"rss_delta_mib\":" + std::to_string((with_rss - before) / 1024) + "," +
                    JsonLoad("queue", sq) + "," + JsonLoad("create", sc) + "}";
    s.Stop();
  }
  if (!streams_json.empty()) {
    json += ",\"with_streams\":[" + streams_json + "]";
  }
  kill(server, SIGTERM);
  int status = 0;
  waitpid(server, &status, 0);
  std::printf("%s}\n", json.c_str());
  return failures == 0 ? 0 : 1;
}
