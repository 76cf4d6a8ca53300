// Small helpers shared by the API's handlers: JSON responses, the error shape, request
// bodies and query strings, and how tickets are shown to a viewer.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "adapters/http/http_types.h"
#include "app/ticket_service.h"
#include "common/result.h"
#include "common/time.h"
#include "domain/org.h"
#include "domain/ticket.h"

namespace hotline::adapters::http {

HttpResponse Json(int status, const nlohmann::json& body);
// The error shape with the HTTP status for the error's code.
HttpResponse FromError(const Error& e);
HttpResponse BadRequest(const std::string& message);
HttpResponse Forbidden(const std::string& message);
HttpResponse NotFoundResponse(const std::string& message);

// The error response (FromError) of the first of `results` (Result<T>s of parsed request
// fields or parameters) that holds an error, in argument order; nullopt when all hold values.
template <typename... Results>
std::optional<HttpResponse> FirstError(const Results&... results) {
  std::optional<HttpResponse> out;
  auto take = [&out](const auto& r) {
    if (!out && !r.has_value()) {
      out = FromError(r.error());
    }
  };
  (take(results), ...);
  return out;
}

std::vector<std::string> SplitPath(const std::string& path);
std::string UrlDecode(const std::string& s);
std::map<std::string, std::string> ParseQuery(const std::string& q);
std::string CookieValue(const std::string& header, const std::string& name);

// The body as a JSON object ({} when empty); kInvalidArgument for invalid UTF-8, malformed
// JSON or a non-object.
Result<nlohmann::json> ParseBody(const HttpRequest& req);

// Whether showing `t` to `actor` reveals a citizen's unmasked name or phone.
bool ReadsPersonalData(const domain::Actor& actor, const domain::Ticket& t);
// The ticket as `actor` may see it (masked, reporter hidden) for display.
nlohmann::json TicketJson(const domain::Ticket& t, const domain::Actor& actor,
                          const app::HotlineConfig& config, Instant now);

}  // namespace hotline::adapters::http
