#include "common/time.h"

#include <cstdio>

namespace hotline {
namespace {

bool ParseInt(std::string_view s, int& out) {
  if (s.empty()) {
    return false;
  }
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

}  // namespace

std::string FormatLocal(Instant t) {
  using namespace std::chrono;  // NOLINT(google-build-using-namespace)
  auto local = t + kChinaUtcOffset;
  auto day = floor<days>(local);
  year_month_day ymd{day};
  hh_mm_ss hms{local - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d+08:00", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()));
  return buf;
}

std::string FormatLocalDate(Instant t) { return FormatLocal(t).substr(0, 10); }

std::optional<Instant> ParseInstant(std::string_view text) {
  using namespace std::chrono;  // NOLINT(google-build-using-namespace)
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!ParseInt(text.substr(0, 4), y) || !ParseInt(text.substr(5, 2), mo) ||
      !ParseInt(text.substr(8, 2), d)) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(10);
  minutes offset = duration_cast<minutes>(kChinaUtcOffset);
  if (!rest.empty()) {
    if (rest[0] != 'T' && rest[0] != ' ') {
      return std::nullopt;
    }
    rest.remove_prefix(1);
    if (rest.size() < 5 || rest[2] != ':' || !ParseInt(rest.substr(0, 2), h) ||
        !ParseInt(rest.substr(3, 2), mi)) {
      return std::nullopt;
    }
    rest.remove_prefix(5);
    if (rest.size() >= 3 && rest[0] == ':') {
      if (!ParseInt(rest.substr(1, 2), s)) {
        return std::nullopt;
      }
      rest.remove_prefix(3);
    }
    if (rest == "Z") {
      offset = minutes{0};
    } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
      int oh = 0, om = 0;
      if (!ParseInt(rest.substr(1, 2), oh) || !ParseInt(rest.substr(4, 2), om)) {
        return std::nullopt;
      }
      offset = minutes{oh * 60 + om} * (rest[0] == '-' ? -1 : 1);
    } else if (!rest.empty()) {
      return std::nullopt;
    }
  }
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59) {
    return std::nullopt;
  }
  auto local = sys_days{ymd} + hours{h} + minutes{mi} + seconds{s};
  return Instant{local - offset};
}

}  // namespace hotline
