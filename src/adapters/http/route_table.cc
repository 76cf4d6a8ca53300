#include "adapters/http/route_table.h"

#include <cctype>
#include <string>
#include <string_view>

#include "common/check.h"

namespace hotline::adapters::http {

bool RouteMatches(const RequestContext& ctx, const RouteDoc& doc) {
  constexpr std::string_view kPrefix = "/api/v1/";
  std::string_view path = doc.path;
  HOTLINE_ASSERT(path.starts_with(kPrefix), "a table route's path starts with /api/v1/");
  path.remove_prefix(kPrefix.size());
  size_t i = 0;
  while (!path.empty()) {
    size_t slash = path.find('/');
    std::string_view want = path.substr(0, slash);
    if (i >= ctx.parts.size() || (want.front() != '{' && ctx.parts[i] != want)) {
      return false;
    }
    ++i;
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  if (i != ctx.parts.size()) {
    return false;
  }
  std::string method = doc.method;
  for (auto& c : method) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return ctx.method() == method;
}

}  // namespace hotline::adapters::http
