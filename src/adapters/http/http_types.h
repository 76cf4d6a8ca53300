// Plain HTTP request/response values exchanged between the Beast server (http_server.cc,
// the only file that includes Beast) and the API handlers. Value types.
#pragma once

#include <map>
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

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace hotline::adapters::http
