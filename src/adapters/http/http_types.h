// Plain HTTP request/response values exchanged between the Beast server (http_server.cc,
// the only file that includes Beast) and the API handlers. Value types.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace hotline::adapters::http {

struct HttpRequest {
  std::string method;                          // "GET", "POST", ...
  std::string target;                          // path with query string
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote;  // peer address

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// A response body that goes on after the head (Server-Sent Events). The server writes the
// head, then whatever Pull() returns each time the stream calls the wake function, with a
// heartbeat comment when idle, until Pull() says the stream is over or the client leaves;
// then it calls Close(). No thread waits on a stream: an idle one costs its buffers only.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // Called once by the server before anything else; `wake` may be called from any thread.
  virtual void Start(std::function<void()> wake) = 0;
  // The bytes ready to send ("" when none); sets *done when nothing more will come.
  virtual std::string Pull(bool* done) = 0;
  // The client left or the server stops: release what the stream holds. Called once.
  virtual void Close() = 0;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::shared_ptr<ResponseStream> stream;  // set for a streamed body (then `body` is unused)
};

}  // namespace hotline::adapters::http
