// The world the fuzz targets run against: a small city (tests/testing/small_city) in a
// SQLite store in a temporary directory, the TicketService and the Api with the store as
// audit log, every user logged in once (bearer tokens), and a few tickets in different
// states. Built once per process; inputs share it (the store grows as inputs create tickets).
// No Beast here: only the fuzz_http_request.cc includes it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "adapters/http/api.h"
#include "adapters/http/http_types.h"
#include "adapters/sqlite/sqlite_store.h"
#include "app/ticket_service.h"
#include "ports/clock.h"
#include "testing/small_city.h"

namespace hotline::fuzz {

namespace http = hotline::adapters::http;

// The server's defaults (ServerOptions in src/adapters/http/http_server.h).
inline constexpr size_t kMaxBodyBytes = 1 << 20;
inline constexpr size_t kMaxHeaderBytes = 16 << 10;
// The password of every user in the fuzz store (hashed with libsodium's minimal Argon2id
// cost so that a fuzzed login does not spend 50 ms per attempt).
inline constexpr char kPassword[] = "fuzz";

class World {
 public:
  static World& Get();
  ~World();

  // Api::Handle, checking what must hold for any input: no exception escapes, no 5xx, the
  // body of a JSON response is JSON, an error has the one error shape, no header value
  // carries CR/LF. Aborts (a libFuzzer crash) otherwise.
  http::HttpResponse Handle(const http::HttpRequest& request);

  // The bearer token of a logged-in user ("op", "disp", "housing", ... see small_city.cc).
  const std::string& Token(const std::string& login) const { return tokens_.at(login); }
  // "Bearer <login>" becomes "Bearer <token of login>" so that inputs can name a user.
  void SubstituteToken(http::HttpRequest& request) const;

  const std::vector<std::string>& logins() const { return logins_; }
  const std::vector<std::string>& tickets() const { return tickets_; }

 private:
  World();
  std::string NewTicket(const std::vector<std::pair<std::string, std::string>>& steps);

  std::unique_ptr<hotline::testing::SmallCity> city_;
  std::unique_ptr<ports::FakeClock> clock_;
  std::string dir_;
  std::unique_ptr<adapters::sqlite::SqliteStore> store_;
  std::unique_ptr<app::TicketService> service_;
  std::unique_ptr<http::Api> api_;
  std::map<std::string, std::string> tokens_;
  std::vector<std::string> logins_;
  std::vector<std::string> tickets_;
};

// Aborts with a message on stderr (libFuzzer then saves the input as a crash).
[[noreturn]] void Fail(const std::string& what, const http::HttpRequest& request,
                       const http::HttpResponse* response);

}  // namespace hotline::fuzz
