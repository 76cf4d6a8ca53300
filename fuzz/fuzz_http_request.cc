// fuzz_http_request: raw bytes as they arrive on a connection. Beast's request parser with the
// server's header and body limits reads one request after another (pipelining, as the
// server's keep-alive loop does); each request becomes an HttpRequest exactly as in
// http_server.cc and goes through Api::Handle; the response is serialised by Beast as the
// server does. A header "Authorization: Bearer <login>" (op, disp, housing, ...) is replaced
// by that user's real token so that inputs reach the authenticated routes.
#include <boost/asio/buffer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <cstdint>
#include <string>

#include "fuzz_world.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using hotline::fuzz::World;
namespace http = hotline::adapters::http;

constexpr int kMaxRequestsPerInput = 8;

// The same conversion as Connection::OnRead in src/adapters/http/http_server.cc.
http::HttpRequest FromBeast(const bhttp::request<bhttp::string_body>& msg) {
  http::HttpRequest req;
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
  req.remote = "127.0.0.1";
  return req;
}

// The same response as Connection::Reply, serialised to bytes.
void Serialise(http::HttpResponse res, bool keep_alive) {
  bhttp::response<bhttp::string_body> msg;
  msg.version(11);
  msg.result(static_cast<unsigned>(res.status));
  msg.set(bhttp::field::server, "hotline");
  msg.set(bhttp::field::content_type, res.content_type);
  msg.set(bhttp::field::cache_control, "no-store");
  msg.set("X-Content-Type-Options", "nosniff");
  for (const auto& [k, v] : res.headers) {
    msg.insert(k, v);
  }
  msg.body() = std::move(res.body);
  msg.keep_alive(keep_alive);
  msg.prepare_payload();
  bhttp::response_serializer<bhttp::string_body> sr(msg);
  beast::error_code ec;
  size_t bytes = 0;
  while (!sr.is_done() && !ec) {
    sr.next(ec, [&](beast::error_code&, const auto& buffers) {
      size_t n = asio::buffer_size(buffers);
      bytes += n;
      sr.consume(n);
    });
  }
  if (ec || bytes == 0) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& world = World::Get();
  asio::const_buffer input(data, size);
  for (int i = 0; i < kMaxRequestsPerInput && input.size() > 0; ++i) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(hotline::fuzz::kMaxBodyBytes);
    parser.header_limit(static_cast<uint32_t>(hotline::fuzz::kMaxHeaderBytes));
    parser.eager(true);
    beast::error_code ec;
    size_t used = parser.put(input, ec);
    input += used;
    if (ec == bhttp::error::need_more) {
      // The connection ends here (the input is all there is): what async_read does at EOF.
      ec = {};
      parser.put_eof(ec);
    }
    if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit || ec) {
      return 0;  // the server answers 413/431/400 and closes the connection
    }
    if (!parser.is_done()) {
      return 0;
    }
    http::HttpRequest req = FromBeast(parser.get());
    world.SubstituteToken(req);
    bool keep_alive = parser.get().keep_alive();
    Serialise(world.Handle(req), keep_alive);
    if (!keep_alive) {
      return 0;
    }
  }
  return 0;
}
