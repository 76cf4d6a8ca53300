#include "adapters/http/http_server.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>
#include <vector>

namespace hotline::adapters::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message) {
  HttpResponse r;
  r.status = status;
  // Messages may echo what the client sent: invalid UTF-8 is replaced, never thrown on.
  r.body = nlohmann::json{{"error", {{"code", code}, {"message", message}}}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

namespace {

class Connection;

struct Shared {
  ServerOptions options;
  Handler handler;
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::set<Connection*> live;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {}

  void Start() {
    {
      std::lock_guard lock(shared_.mu);
      shared_.live.insert(this);
    }
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

  ~Connection() {
    std::lock_guard lock(shared_.mu);
    shared_.live.erase(this);
  }

  // Called at shutdown: an idle connection closes now, a busy one after its response.
  void CloseIfIdle() {
    // Called under shared.mu: a connection whose last owner is gone may be waiting in its
    // destructor for that lock, so it cannot be shared any more; it is closing anyway.
    auto self_or_null = weak_from_this().lock();
    if (self_or_null == nullptr) {
      return;
    }
    asio::post(stream_.get_executor(), [self = std::move(self_or_null)] {
      if (!self->busy_) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.close();
      }
    });
  }

 private:
  void Read() {
    if (shared_.stopping) {
      return Close();
    }
    parser_.emplace();
    // No body limit while the head is read: the route's own is applied once the target is
    // known (OnHeader).
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    parser_->header_limit(static_cast<uint32_t>(shared_.options.max_header_bytes));
    stream_.expires_after(shared_.options.read_timeout);
    busy_ = false;
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  size_t BodyLimitFor(std::string_view target) const {
    const std::string_view path = target.substr(0, target.find('?'));
    for (const auto& r : shared_.options.route_body_limits) {
      if (path == r.path) {
        return r.max_bytes;
      }
    }
    return shared_.options.max_body_bytes;
  }

  void OnHeader(beast::error_code ec) {
    if (ec) {
      return OnRead(ec);
    }
    const auto target = parser_->get().target();
    const size_t limit = BodyLimitFor(std::string_view(target.data(), target.size()));
    const auto length = parser_->content_length();
    if (length.has_value() && *length > limit) {
      busy_ = true;
      return TooLarge(limit);
    }
    parser_->body_limit(limit);  // a chunked body is counted as it comes
    if (parser_->is_done()) {
      return OnRead({});
    }
    auto read_body = [self = shared_from_this(), limit] {
      bhttp::async_read(self->stream_, self->buffer_, *self->parser_,
                        [self, limit](beast::error_code e, size_t) { self->OnRead(e, limit); });
    };
    // A client that waits for "100 Continue" before a large upload (curl does) gets it now
    // that the body is known to fit.
    if (beast::iequals(parser_->get()[bhttp::field::expect], "100-continue")) {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      return asio::async_write(stream_, asio::buffer(kContinue),
                               [self = shared_from_this(), read_body](beast::error_code e, size_t) {
                                 if (e) {
                                   return self->Close();
                                 }
                                 read_body();
                               });
    }
    read_body();
  }

  // 413, then the rest of the upload is read and dropped for a while before closing, so that
  // a client still sending sees the answer rather than a reset connection.
  void TooLarge(size_t limit) {
    linger_ = true;
    Reply(ErrorResponse(413, "payload_too_large",
                        "请求体过大（此接口上限 " + std::to_string(limit) + " 字节）"),
          false);
  }

  void Linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::chrono::seconds(5));
    Drain();
  }

  void Drain() {
    stream_.async_read_some(asio::buffer(peer_buf_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) {
                                return self->stream_.close();
                              }
                              self->Drain();
                            });
  }

  void OnRead(beast::error_code ec, size_t limit = 0) {
    busy_ = true;
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
        ec == asio::error::eof) {
      return Close();
    }
    if (ec == bhttp::error::body_limit) {
      return TooLarge(limit != 0 ? limit : shared_.options.max_body_bytes);
    }
    if (ec == bhttp::error::header_limit) {
      return Reply(ErrorResponse(431, "headers_too_large", "请求头过大"), false);
    }
    if (ec) {
      return Reply(ErrorResponse(400, "bad_request", "无法解析的 HTTP 请求"), false);
    }
    const auto& msg = parser_->get();
    HttpRequest req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    for (const auto& field : msg) {
      std::string name(field.name_string());
      for (auto& c : name) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      req.headers[name] = std::string(field.value());
    }
    req.body = msg.body();
    beast::error_code rec;
    auto endpoint = stream_.socket().remote_endpoint(rec);
    req.remote = rec ? std::string() : endpoint.address().to_string();
    bool keep_alive = msg.keep_alive();
    HttpResponse res;
    try {
      res = shared_.handler(req);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "hotline serve: internal error on %s %s: %s\n", req.method.c_str(),
                   req.target.c_str(), e.what());
      res = ErrorResponse(500, "internal", "服务器内部错误");
    }
    if (res.stream != nullptr && res.status == 200) {
      return StartStream(std::move(res));
    }
    Reply(std::move(res), keep_alive && !shared_.stopping);
  }

  // A streamed response: the head, then whatever the source has, as it comes, with a
  // heartbeat when idle. Nothing blocks: the connection waits in asio like any idle one.
  void StartStream(HttpResponse res) {
    busy_ = false;  // an idle stream closes at shutdown at once
    source_ = std::move(res.stream);
    pending_ = "HTTP/1.1 200 OK\r\nServer: hotline\r\nContent-Type: " + res.content_type +
               "\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
               "X-Accel-Buffering: no\r\nConnection: close\r\n";
    for (const auto& [k, v] : res.headers) {
      pending_ += k + ": " + v + "\r\n";
    }
    pending_ += "\r\n";
    stream_.expires_never();
    std::weak_ptr<Connection> weak = shared_from_this();
    auto exec = stream_.get_executor();
    source_->Start([weak, exec] {
      asio::post(exec, [weak] {
        if (auto self = weak.lock()) {
          self->PumpStream();
        }
      });
    });
    heartbeat_.emplace(exec);
    ArmHeartbeat();
    WatchPeer();
    PumpStream();
  }

  void ArmHeartbeat() {
    heartbeat_->expires_after(shared_.options.stream_heartbeat);
    heartbeat_->async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->ended_) {
        return;
      }
      self->pending_ += ": ping\n\n";
      self->PumpStream();
      self->ArmHeartbeat();
    });
  }

  // The client sends nothing on an event stream: a read completes only when it leaves.
  void WatchPeer() {
    stream_.async_read_some(asio::buffer(peer_buf_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) {
                                return self->EndStream();
                              }
                              self->WatchPeer();
                            });
  }

  void PumpStream() {
    if (ended_) {
      return;
    }
    bool done = false;
    pending_ += source_->Pull(&done);
    finishing_ = finishing_ || done;
    if (writing_) {
      return;
    }
    if (pending_.empty()) {
      if (finishing_) {
        EndStream();
      }
      return;
    }
    writing_ = true;
    out_ = std::exchange(pending_, std::string());
    asio::async_write(stream_, asio::buffer(out_),
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        self->writing_ = false;
                        if (ec) {
                          return self->EndStream();
                        }
                        self->PumpStream();
                      });
  }

  void EndStream() {
    if (ended_) {
      return;
    }
    ended_ = true;
    source_->Close();
    if (heartbeat_) {
      heartbeat_->cancel();
    }
    Close();
  }

  void Reply(HttpResponse res, bool keep_alive) {
    auto msg = std::make_shared<bhttp::response<bhttp::string_body>>();
    msg->version(11);
    msg->result(static_cast<unsigned>(res.status));
    msg->set(bhttp::field::server, "hotline");
    msg->set(bhttp::field::content_type, res.content_type);
    bool own_cache_control = false;
    for (const auto& h : res.headers) {
      own_cache_control = own_cache_control || beast::iequals(h.first, "cache-control");
    }
    if (!own_cache_control) {
      msg->set(bhttp::field::cache_control, "no-store");
    }
    msg->set("X-Content-Type-Options", "nosniff");
    for (const auto& [k, v] : res.headers) {
      msg->insert(k, v);
    }
    msg->body() = std::move(res.body);
    msg->keep_alive(keep_alive);
    msg->prepare_payload();
    stream_.expires_after(shared_.options.read_timeout);
    bhttp::async_write(stream_, *msg,
                       [self = shared_from_this(), msg, keep_alive](beast::error_code ec, size_t) {
                         if (ec || !keep_alive) {
                           return self->linger_ && !ec ? self->Linger() : self->Close();
                         }
                         self->Read();
                       });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Shared& shared_;
  bool busy_ = false;
  bool linger_ = false;  // close after draining what the client still sends (TooLarge)
  // Streamed responses (all touched on the connection's strand only).
  std::shared_ptr<ResponseStream> source_;
  std::optional<asio::steady_timer> heartbeat_;
  std::string pending_;
  std::string out_;
  char peer_buf_[512];
  bool writing_ = false;
  bool finishing_ = false;
  bool ended_ = false;
};

}  // namespace

struct HttpServer::Impl {
  Shared shared;
  asio::io_context ioc;
  std::optional<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;

  void Accept() {
    acceptor->async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket s) {
      if (ec) {
        if (ec == asio::error::operation_aborted || shared.stopping) {
          return;
        }
      } else {
        std::make_shared<Connection>(std::move(s), shared)->Start();
      }
      if (!shared.stopping) {
        Accept();
      }
    });
  }
};

HttpServer::HttpServer(ServerOptions options, Handler handler) : impl_(std::make_unique<Impl>()) {
  impl_->shared.options = std::move(options);
  impl_->shared.handler = std::move(handler);
}

HttpServer::~HttpServer() { Shutdown(std::chrono::seconds(2)); }

Result<uint16_t> HttpServer::Start() {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->shared.options.address, ec);
  if (ec) {
    return InvalidArgument("监听地址无效: " + impl_->shared.options.address);
  }
  tcp::endpoint endpoint(address, impl_->shared.options.port);
  impl_->acceptor.emplace(impl_->ioc);
  impl_->acceptor->open(endpoint.protocol(), ec);
  if (!ec) {
    impl_->acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  }
  if (!ec) {
    impl_->acceptor->bind(endpoint, ec);
  }
  if (!ec) {
    impl_->acceptor->listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return Unavailable("无法监听 " + impl_->shared.options.address + ":" +
                       std::to_string(impl_->shared.options.port) + ": " + ec.message());
  }
  uint16_t port = impl_->acceptor->local_endpoint().port();
  impl_->work.emplace(impl_->ioc.get_executor());
  impl_->Accept();
  int n = std::max(1, impl_->shared.options.threads);
  for (int i = 0; i < n; ++i) {
    impl_->threads.emplace_back([this] { impl_->ioc.run(); });
  }
  return port;
}

void HttpServer::Shutdown(std::chrono::seconds grace) {
  if (impl_ == nullptr || impl_->threads.empty()) {
    return;
  }
  impl_->shared.stopping = true;
  asio::post(impl_->ioc, [this] {
    beast::error_code ec;
    if (impl_->acceptor) {
      impl_->acceptor->close(ec);
    }
  });
  {
    std::lock_guard lock(impl_->shared.mu);
    for (Connection* c : impl_->shared.live) {
      c->CloseIfIdle();
    }
  }
  impl_->work.reset();
  // Requests in flight finish; when no connection is left, run() returns by itself.
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(impl_->shared.mu);
      if (impl_->shared.live.empty()) {
        break;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  impl_->ioc.stop();
  for (auto& t : impl_->threads) {
    if (t.joinable()) {
      t.join();
    }
  }
  impl_->threads.clear();
}

void HttpServer::RunUntilSignalled() {
  asio::io_context signals_ioc;
  asio::signal_set signals(signals_ioc, SIGINT, SIGTERM);
  signals.async_wait([](beast::error_code, int) {});
  signals_ioc.run();
  Shutdown();
}

}  // namespace hotline::adapters::http
