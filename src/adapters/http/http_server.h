// HttpServer: an asynchronous HTTP/1.1 server on Boost.Beast/Asio with keep-alive, body and
// header limits, read timeouts for slow clients, and graceful shutdown that finishes the
// requests in flight. Requests are handed to one Handler on a pool of I/O threads, so the
// handler must be thread-safe. Beast stays inside http_server.cc.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "adapters/http/http_types.h"
#include "common/result.h"

namespace hotline::adapters::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;  // 0 = an ephemeral port (tests)
  int threads = 8;       // handlers may block on the store, so more threads than cores
  size_t max_body_bytes = 1 << 20;
  // Routes with their own body limit (e.g. file imports, larger than max_body_bytes): the
  // first whose path equals the request's path (the target without its query) applies.
  struct RouteBodyLimit {
    std::string path;
    size_t max_bytes = 0;
  };
  std::vector<RouteBodyLimit> route_body_limits;
  size_t max_header_bytes = 16 << 10;
  std::chrono::seconds read_timeout{30};
  // A comment line sent on idle event streams, so that dead clients are noticed.
  std::chrono::seconds stream_heartbeat{15};
};

using Handler = std::function<HttpResponse(const HttpRequest&)>;

class HttpServer {
 public:
  HttpServer(ServerOptions options, Handler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the I/O threads; returns the bound port.
  // kUnavailable if the address cannot be bound.
  Result<uint16_t> Start();
  // Stops accepting, lets requests in flight finish (up to `grace`), then stops.
  void Shutdown(std::chrono::seconds grace = std::chrono::seconds(10));
  // Blocks until SIGTERM or SIGINT arrives, then shuts down gracefully.
  void RunUntilSignalled();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A JSON error body in the one shape the API uses everywhere.
HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message);

}  // namespace hotline::adapters::http
