// fuzz_json_fields: bytes into the JSON decoding paths. The first four bytes choose what to
// do (each taken modulo the number of choices, so ASCII digits and letters work in seeds):
//   [0] mode: 0 codec only (FieldsFromJson and TicketFromJson, with round trips checked),
//             1 POST /api/v1/tickets, 2 POST /api/v1/tickets/{n}/actions/{a},
//             3 POST /api/v1/auth/login
//   [1] the action (mode 2), from domain::AllActions()
//   [2] the user whose bearer token is sent (modes 1 and 2)
//   [3] the ticket (mode 2), one of the tickets World created in several states
// and the rest is the request body.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "adapters/json/ticket_json.h"
#include "domain/lifecycle.h"
#include "fuzz_world.h"

namespace {

using hotline::fuzz::World;
using nlohmann::json;
namespace codec = hotline::adapters::json;
namespace http = hotline::adapters::http;

void CheckCodec(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) {
    return;
  }
  http::HttpRequest none;
  none.body = text;
  if (auto fields = codec::FieldsFromJson(j); fields.has_value()) {
    // Every field FieldsFromJson accepts comes back unchanged through FieldsToJson.
    auto again = codec::FieldsFromJson(codec::FieldsToJson(*fields));
    if (!again.has_value() || *again != *fields) {
      hotline::fuzz::Fail("FieldsFromJson(FieldsToJson(f)) != f", none, nullptr);
    }
  }
  if (auto t = codec::TicketFromJson(j); t.has_value()) {
    json back;
    try {
      back = codec::TicketToJson(*t);
      back.dump();  // throws on invalid UTF-8 in a text field
    } catch (const json::exception& e) {
      // TicketToJson of a decoded ticket must serialise: the store writes exactly this.
      hotline::fuzz::Fail(std::string("TicketToJson threw: ") + e.what(), none, nullptr);
    }
    auto again = codec::TicketFromJson(back);
    if (!again.has_value() || !codec::SameTicket(*t, *again)) {
      hotline::fuzz::Fail("TicketFromJson(TicketToJson(t)) differs from t", none, nullptr);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& world = World::Get();
  if (size < 4) {
    return 0;
  }
  std::string body(reinterpret_cast<const char*>(data) + 4, size - 4);
  const auto& actions = hotline::domain::AllActions();
  const std::string& login = world.logins()[data[2] % world.logins().size()];
  http::HttpRequest req;
  req.method = "POST";
  req.remote = "127.0.0.1";
  req.headers["content-type"] = "application/json";
  req.body = body;
  switch (data[0] % 4) {
    case 0:
      CheckCodec(body);
      return 0;
    case 1:
      req.target = "/api/v1/tickets";
      req.headers["authorization"] = "Bearer " + world.Token(login);
      break;
    case 2: {
      auto action = actions[data[1] % actions.size()];
      const std::string& number = world.tickets()[data[3] % world.tickets().size()];
      req.target =
          "/api/v1/tickets/" + number + "/actions/" + std::string(hotline::domain::Code(action));
      req.headers["authorization"] = "Bearer " + world.Token(login);
      break;
    }
    default:
      req.target = "/api/v1/auth/login";
      break;
  }
  world.Handle(req);
  return 0;
}
