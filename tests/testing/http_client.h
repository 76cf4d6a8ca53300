// A minimal HTTP/1.1 client for the server tests (real sockets, Connection: close): one
// request, the whole reply; and a keep-alive connection (KeepAlive) for benchmarks that send
// many requests one after another, as a browser does. Header-only so that any test or
// benchmark target can use it.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace hotline::testing {

struct Reply {
  int status = 0;
  std::string headers;
  std::string body;
  nlohmann::json Json() const { return nlohmann::json::parse(body, nullptr, false); }
};

// `s` percent-encoded for a query string: ASCII letters and digits stay, every other byte
// (UTF-8 included) becomes %XX.
inline std::string UrlEncode(const std::string& s) {
  std::string out;
  for (const unsigned char c : s) {
    if (std::isalnum(c) != 0) {
      out += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

// A socket connected to 127.0.0.1:port, or -1.
inline int ConnectLoopback(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (fd >= 0 && connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// The request's bytes; a body (or any POST) goes as JSON with its Content-Length.
inline std::string RequestText(const std::string& method, const std::string& path,
                               const std::string& body, const std::vector<std::string>& headers,
                               bool keep_alive) {
  std::string req = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n";
  if (!keep_alive) {
    req += "Connection: close\r\n";
  }
  for (const auto& h : headers) {
    req += h + "\r\n";
  }
  if (!body.empty() || method == "POST") {
    req +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  return req + "\r\n" + body;
}

// Sends all of `data`; false if the connection failed first.
inline bool SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      return false;
    }
    sent += static_cast<size_t>(n);
  }
  return true;
}

// A minimal HTTP/1.1 client over a plain socket (Connection: close).
inline Reply Call(uint16_t port, const std::string& method, const std::string& path,
                  const std::string& body = "", const std::vector<std::string>& headers = {}) {
  const int fd = ConnectLoopback(port);
  if (fd < 0) {
    return {};
  }
  (void)SendAll(fd, RequestText(method, path, body, headers, /*keep_alive=*/false));
  std::string raw;
  char buf[8192];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0) {
    raw.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  Reply r;
  if (raw.size() > 12) {
    r.status = std::stoi(raw.substr(9, 3));
  }
  size_t split = raw.find("\r\n\r\n");
  if (split != std::string::npos) {
    r.headers = raw.substr(0, split);
    r.body = raw.substr(split + 4);
  }
  return r;
}

// One keep-alive HTTP/1.1 connection to 127.0.0.1:port: requests one after another on the same
// socket, each reply read whole by its Content-Length (the server's replies have one). Opens
// the socket at the first request and again after the server closed it; a request that fails
// returns status 0. Not thread-safe: one connection per thread.
class KeepAlive {
 public:
  explicit KeepAlive(uint16_t port) : port_(port) {}
  ~KeepAlive() { Close(); }
  KeepAlive(const KeepAlive&) = delete;
  KeepAlive& operator=(const KeepAlive&) = delete;

  Reply Send(const std::string& method, const std::string& path, const std::string& body = "",
             const std::vector<std::string>& headers = {}) {
    const std::string req = RequestText(method, path, body, headers, /*keep_alive=*/true);
    // A kept connection the server has closed meanwhile fails at once: retry on a new one.
    for (int attempt = 0; attempt < 2; ++attempt) {
      const bool fresh = fd_ < 0;
      if (fresh && !Open()) {
        return {};
      }
      Reply r;
      if (SendAll(fd_, req) && ReadReply(&r)) {
        return r;
      }
      Close();
      if (fresh) {
        break;
      }
    }
    return {};
  }
  Reply Get(const std::string& path, const std::vector<std::string>& headers = {}) {
    return Send("GET", path, "", headers);
  }

 private:
  bool Open() {
    fd_ = ConnectLoopback(port_);
    buffer_.clear();
    return fd_ >= 0;
  }
  void Close() {
    if (fd_ >= 0) {
      close(fd_);
    }
    fd_ = -1;
  }
  // Reads until buffer_ holds at least `size` bytes; false if the connection ends first.
  bool Fill(size_t size) {
    char buf[16384];
    while (buffer_.size() < size) {
      const ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        return false;
      }
      buffer_.append(buf, static_cast<size_t>(n));
    }
    return true;
  }
  bool ReadReply(Reply* r) {
    size_t split;
    while ((split = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill(buffer_.size() + 1)) {
        return false;
      }
    }
    r->headers = buffer_.substr(0, split);
    if (r->headers.size() < 12) {
      return false;
    }
    r->status = std::atoi(r->headers.c_str() + 9);
    size_t length = 0;
    bool close_after = false;
    size_t line = r->headers.find("\r\n");
    while (line != std::string::npos) {
      const size_t next = r->headers.find("\r\n", line + 2);
      const std::string header = r->headers.substr(line + 2, next - line - 2);
      if (strncasecmp(header.c_str(), "content-length:", 15) == 0) {
        length = static_cast<size_t>(std::strtoull(header.c_str() + 15, nullptr, 10));
      } else if (strncasecmp(header.c_str(), "connection: close", 17) == 0) {
        close_after = true;
      }
      line = next;
    }
    if (!Fill(split + 4 + length)) {
      return false;
    }
    r->body = buffer_.substr(split + 4, length);
    buffer_.erase(0, split + 4 + length);
    if (close_after) {
      Close();
    }
    return true;
  }

  uint16_t port_;
  int fd_ = -1;
  std::string buffer_;
};

}  // namespace hotline::testing
