#include "adapters/http/api_support.h"

#include "adapters/http/error_mapping.h"
#include "adapters/http/http_server.h"
#include "adapters/json/ticket_json.h"
#include "common/utf8.h"
#include "domain/privacy.h"

namespace hotline::adapters::http {

using nlohmann::json;
namespace codec = hotline::adapters::json;

HttpResponse Json(int status, const json& body) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

HttpResponse FromError(const Error& e) {
  return ErrorResponse(HttpStatusFor(e.code), std::string(ErrorCodeName(e.code)), e.message);
}

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> parts;
  size_t pos = 1;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string::npos) {
      end = path.size();
    }
    if (end > pos) {
      parts.push_back(path.substr(pos, end - pos));
    }
    pos = end + 1;
  }
  return parts;
}

std::string UrlDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else if (s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

std::map<std::string, std::string> ParseQuery(const std::string& q) {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos < q.size()) {
    size_t end = q.find('&', pos);
    if (end == std::string::npos) {
      end = q.size();
    }
    std::string kv = q.substr(pos, end - pos);
    size_t eq = kv.find('=');
    if (eq != std::string::npos) {
      out[UrlDecode(kv.substr(0, eq))] = UrlDecode(kv.substr(eq + 1));
    } else if (!kv.empty()) {
      out[UrlDecode(kv)] = "";
    }
    pos = end + 1;
  }
  return out;
}

std::string CookieValue(const std::string& header, const std::string& name) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) {
      end = header.size();
    }
    std::string part = header.substr(pos, end - pos);
    while (!part.empty() && part.front() == ' ') {
      part.erase(0, 1);
    }
    if (part.rfind(name + "=", 0) == 0) {
      return part.substr(name.size() + 1);
    }
    pos = end + 1;
  }
  return "";
}

Result<json> ParseBody(const HttpRequest& req) {
  if (req.body.empty()) {
    return json::object();
  }
  if (!IsValidUtf8(req.body)) {
    return InvalidArgument("请求体不是有效的 UTF-8 文本");
  }
  auto j = json::parse(req.body, nullptr, false);
  if (j.is_discarded()) {
    return InvalidArgument("请求体不是有效的 JSON");
  }
  if (!j.is_object()) {
    return InvalidArgument("请求体应为 JSON 对象");
  }
  return j;
}

// Whether showing `t` to `actor` reveals a citizen's unmasked name or phone.
bool ReadsPersonalData(const domain::Actor& actor, const domain::Ticket& t) {
  return domain::SeesPersonalData(actor, t) &&
         (!t.citizen_phone.empty() || !t.citizen_name.empty());
}

json TicketJson(const domain::Ticket& t, const domain::Actor& actor,
                const app::HotlineConfig& config, Instant now) {
  return codec::TicketForDisplay(domain::ForViewer(actor, t), config.org, config.categories, now);
}

HttpResponse BadRequest(const std::string& message) {
  return ErrorResponse(400, "invalid_argument", message);
}

HttpResponse Forbidden(const std::string& message) {
  return ErrorResponse(403, "permission_denied", message);
}

HttpResponse NotFoundResponse(const std::string& message) {
  return ErrorResponse(404, "not_found", message);
}

}  // namespace hotline::adapters::http
