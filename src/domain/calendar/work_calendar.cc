#include "domain/calendar/work_calendar.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <utility>

namespace hotline::domain {
namespace {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::sys_days;
using std::chrono::weekday;
using std::chrono::year;
using std::chrono::year_month_day;

constexpr Duration kDay = std::chrono::days{1};
constexpr int kMinutesPerDay = 24 * 60;
constexpr int kDaysPerWeek = 7;
constexpr int kWorkdaysPerWeek = 5;
// A single holiday or make-up line may span at most this many days (catches typos such
// as 2024-02-10..2025-02-17 while allowing any real holiday block).
constexpr int kMaxRangeDays = 62;

// A position in China local time: the local date and the offset into it, [0, 24h).
struct LocalPos {
  sys_days day;
  Duration offset;
};

LocalPos ToLocal(Instant t) {
  auto local = t + kChinaUtcOffset;
  sys_days day = floor<days>(local);
  return {day, local - day};
}

Instant FromLocal(sys_days day, Duration offset) { return Instant{day} + offset - kChinaUtcOffset; }

bool IsWeekend(sys_days d) {
  weekday wd{d};
  return wd == std::chrono::Saturday || wd == std::chrono::Sunday;
}

Duration Minutes(int m) { return std::chrono::minutes{m}; }

// --- small text helpers for Parse -------------------------------------------------

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// Splits off the first whitespace-separated token of `s` (which must be trimmed).
std::string_view NextToken(std::string_view& s) {
  size_t end = s.find_first_of(" \t");
  std::string_view token = s.substr(0, end);
  s = end == std::string_view::npos ? std::string_view{} : Trim(s.substr(end));
  return token;
}

std::optional<int> ParseDigits(std::string_view s) {
  if (s.empty() || s.size() > 4) {
    return std::nullopt;
  }
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    v = v * 10 + (c - '0');
  }
  return v;
}

// Strict "YYYY-MM-DD".
std::optional<year_month_day> ParseDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
    return std::nullopt;
  }
  auto y = ParseDigits(s.substr(0, 4));
  auto m = ParseDigits(s.substr(5, 2));
  auto d = ParseDigits(s.substr(8, 2));
  if (!y || !m || !d) {
    return std::nullopt;
  }
  year_month_day ymd{year{*y}, std::chrono::month{static_cast<unsigned>(*m)},
                     std::chrono::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  return ymd;
}

// Strict "HH:MM" with 00:00 <= t <= 24:00, as minutes.
std::optional<int> ParseClock(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') {
    return std::nullopt;
  }
  auto h = ParseDigits(s.substr(0, 2));
  auto m = ParseDigits(s.substr(3, 2));
  if (!h || !m || *m > 59 || *h * 60 + *m > kMinutesPerDay) {
    return std::nullopt;
  }
  return *h * 60 + *m;
}

std::string FormatDate(year_month_day d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

std::string FormatClock(int minutes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

Status ValidateOfficeHours(const std::vector<OfficeInterval>& intervals) {
  if (intervals.empty()) {
    return InvalidArgument("office hours need at least one interval");
  }
  int previous_end = 0;
  for (const OfficeInterval& i : intervals) {
    if (i.start_minute < previous_end || i.end_minute <= i.start_minute ||
        i.end_minute > kMinutesPerDay) {
      return InvalidArgument("office hours " + FormatClock(i.start_minute) + "-" +
                             FormatClock(i.end_minute) +
                             " must be ascending, non-empty and non-overlapping within a day");
    }
    previous_end = i.end_minute;
  }
  return OkStatus();
}

Error LineError(int line, const std::string& what) {
  return InvalidArgument("calendar line " + std::to_string(line) + ": " + what);
}

}  // namespace

// --- TimeLimit ------------------------------------------------------------------------

std::string_view Code(LimitUnit unit) {
  switch (unit) {
    case LimitUnit::kWorkingDays:
      return "wd";
    case LimitUnit::kWorkingHours:
      return "wh";
    case LimitUnit::kNaturalHours:
      return "h";
  }
  return "?";
}

Result<TimeLimit> ParseTimeLimit(std::string_view text) {
  std::string_view s = Trim(text);
  size_t digits = 0;
  while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') {
    ++digits;
  }
  std::string_view unit_text = s.substr(digits);
  auto bad = [&] {
    return InvalidArgument("invalid time limit '" + std::string(text) +
                           "': expected a number and a unit, e.g. 10wd (working days), "
                           "2wh (working hours) or 4h (natural hours)");
  };
  if (digits == 0) {
    return bad();
  }
  auto amount = ParseDigits(s.substr(0, digits));
  if (!amount) {
    return InvalidArgument("time limit '" + std::string(text) + "' is too large (at most " +
                           std::to_string(kMaxLimitAmount) + ")");
  }
  TimeLimit limit{LimitUnit::kWorkingDays, *amount};
  if (unit_text == "wd") {
    limit.unit = LimitUnit::kWorkingDays;
  } else if (unit_text == "wh") {
    limit.unit = LimitUnit::kWorkingHours;
  } else if (unit_text == "h") {
    limit.unit = LimitUnit::kNaturalHours;
  } else {
    return bad();
  }
  return limit;
}

std::string FormatTimeLimit(const TimeLimit& limit) {
  return std::to_string(limit.amount) + std::string(Code(limit.unit));
}

std::string ChineseTimeLimit(const TimeLimit& limit) {
  std::string n = std::to_string(limit.amount);
  switch (limit.unit) {
    case LimitUnit::kWorkingDays:
      return n + "个工作日";
    case LimitUnit::kWorkingHours:
      return n + "个工作小时";
    case LimitUnit::kNaturalHours:
      return n + "小时";
  }
  return n;
}

Duration LimitDuration(const TimeLimit& limit) {
  if (limit.unit == LimitUnit::kWorkingDays) {
    return std::chrono::hours{24} * limit.amount;
  }
  return std::chrono::hours{limit.amount};
}

year_month_day LocalDate(Instant t) { return year_month_day{ToLocal(t).day}; }

// --- WorkCalendar: parsing and editing -------------------------------------------------

Result<WorkCalendar> WorkCalendar::Parse(std::string_view text) {
  constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";  // editors on Windows add one
  if (text.starts_with(kUtf8Bom)) {
    text.remove_prefix(kUtf8Bom.size());
  }
  WorkCalendar cal;
  std::map<sys_days, int> line_of;  // where each date was declared, for error messages
  std::optional<std::pair<int, int>> covers;
  int covers_line = 0;
  bool seen_hours = false;
  int line_no = 0;
  while (!text.empty() || line_no == 0) {
    ++line_no;
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (size_t hash = line.find('#'); hash != std::string_view::npos) {
      line = line.substr(0, hash);
    }
    line = Trim(line);
    if (line.empty()) {
      continue;
    }
    std::string_view keyword = NextToken(line);
    if (keyword == "holiday" || keyword == "workday") {
      bool working = keyword == "workday";
      std::string_view range = NextToken(line);
      if (range.empty()) {
        return LineError(line_no, "missing date after '" + std::string(keyword) + "'");
      }
      std::string_view from_text = range;
      std::string_view to_text = range;
      if (size_t dots = range.find(".."); dots != std::string_view::npos) {
        from_text = range.substr(0, dots);
        to_text = range.substr(dots + 2);
      }
      auto from = ParseDate(from_text);
      auto to = ParseDate(to_text);
      if (!from || !to) {
        return LineError(line_no, "invalid date '" + std::string(range) +
                                      "' (expected YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD)");
      }
      sys_days first{*from};
      sys_days last{*to};
      if (last < first) {
        return LineError(line_no, "range '" + std::string(range) + "' ends before it starts");
      }
      if ((last - first).count() >= kMaxRangeDays) {
        return LineError(line_no, "range '" + std::string(range) + "' is longer than " +
                                      std::to_string(kMaxRangeDays) + " days");
      }
      if (line.empty()) {
        return LineError(line_no,
                         "missing name after '" + std::string(range) + "' (e.g. 春节 or 春节调休)");
      }
      for (sys_days d = first; d <= last; d += days{1}) {
        if (auto it = line_of.find(d); it != line_of.end()) {
          return LineError(line_no, FormatDate(year_month_day{d}) +
                                        " is already declared on line " +
                                        std::to_string(it->second));
        }
        line_of[d] = line_no;
        cal.overrides_[d] = {working, std::string(line)};
      }
    } else if (keyword == "hours") {
      if (seen_hours) {
        return LineError(line_no, "duplicate 'hours' line");
      }
      seen_hours = true;
      std::vector<OfficeInterval> intervals;
      while (!line.empty()) {
        std::string_view token = NextToken(line);
        size_t dash = token.find('-');
        auto start = ParseClock(token.substr(0, dash));
        auto end =
            dash == std::string_view::npos ? std::nullopt : ParseClock(token.substr(dash + 1));
        if (!start || !end) {
          return LineError(line_no, "invalid office interval '" + std::string(token) +
                                        "' (expected HH:MM-HH:MM)");
        }
        intervals.push_back({*start, *end});
      }
      if (Status s = ValidateOfficeHours(intervals); !s) {
        return LineError(line_no, s.error().message);
      }
      cal.office_hours_ = std::move(intervals);
    } else if (keyword == "covers") {
      if (covers) {
        return LineError(line_no, "duplicate 'covers' line");
      }
      std::string_view range = NextToken(line);
      size_t dots = range.find("..");
      auto first = ParseDigits(range.substr(0, dots));
      auto last = dots == std::string_view::npos ? first : ParseDigits(range.substr(dots + 2));
      if (!first || !last || range.substr(0, dots).size() != 4 || *last < *first || !line.empty()) {
        return LineError(line_no, "invalid covers '" + std::string(range) +
                                      "' (expected YYYY..YYYY, e.g. 2023..2027)");
      }
      covers = {*first, *last};
      covers_line = line_no;
    } else {
      return LineError(line_no, "unknown keyword '" + std::string(keyword) +
                                    "' (expected holiday, workday, hours or covers)");
    }
  }
  if (covers) {
    cal.first_year_ = covers->first;
    cal.last_year_ = covers->second;
    for (const auto& [day, line] : line_of) {
      int y = static_cast<int>(year_month_day{day}.year());
      if (y < cal.first_year_ || y > cal.last_year_) {
        return LineError(line, FormatDate(year_month_day{day}) + " lies outside 'covers " +
                                   std::to_string(cal.first_year_) + ".." +
                                   std::to_string(cal.last_year_) + "' (line " +
                                   std::to_string(covers_line) + ")");
      }
    }
  } else if (!cal.overrides_.empty()) {
    cal.first_year_ = static_cast<int>(year_month_day{cal.overrides_.begin()->first}.year());
    cal.last_year_ = static_cast<int>(year_month_day{cal.overrides_.rbegin()->first}.year());
  }
  return cal;
}

WorkCalendar WorkCalendar::PlainWeeks() { return WorkCalendar{}; }

void WorkCalendar::SetHoliday(year_month_day day, std::string name) {
  overrides_[sys_days{day}] = {false, std::move(name)};
  int y = static_cast<int>(day.year());
  if (first_year_ > last_year_) {
    first_year_ = last_year_ = y;
  }
  first_year_ = std::min(first_year_, y);
  last_year_ = std::max(last_year_, y);
}

void WorkCalendar::SetWorkday(year_month_day day, std::string name) {
  SetHoliday(day, std::move(name));
  overrides_[sys_days{day}].first = true;
}

void WorkCalendar::ClearOverride(year_month_day day) { overrides_.erase(sys_days{day}); }

Status WorkCalendar::SetOfficeHours(std::vector<OfficeInterval> intervals) {
  HOTLINE_RETURN_IF_ERROR(ValidateOfficeHours(intervals));
  office_hours_ = std::move(intervals);
  return OkStatus();
}

Status WorkCalendar::SetCovers(int first_year, int last_year) {
  if (first_year > last_year) {
    return InvalidArgument("covered years " + std::to_string(first_year) + ".." +
                           std::to_string(last_year) + " are reversed");
  }
  for (const auto& [day, entry] : overrides_) {
    int y = static_cast<int>(year_month_day{day}.year());
    if (y < first_year || y > last_year) {
      return InvalidArgument(FormatDate(year_month_day{day}) + " lies outside " +
                             std::to_string(first_year) + ".." + std::to_string(last_year));
    }
  }
  first_year_ = first_year;
  last_year_ = last_year;
  return OkStatus();
}

std::string WorkCalendar::Serialise() const {
  std::string out = "# Chinese official working calendar (format: data/calendar/README.md)\n";
  if (first_year_ <= last_year_) {
    out += "covers ";
    out += std::to_string(first_year_);
    out += "..";
    out += std::to_string(last_year_);
    out += '\n';
  }
  out += "hours";
  for (const OfficeInterval& i : office_hours_) {
    // Appended piece by piece: GCC 12's -Wrestrict misfires on a chain of operator+ here.
    out += ' ';
    out += FormatClock(i.start_minute);
    out += '-';
    out += FormatClock(i.end_minute);
  }
  out += "\n";
  // Runs of consecutive days with the same kind and name become one range line.
  for (auto it = overrides_.begin(); it != overrides_.end();) {
    auto run_end = std::next(it);
    sys_days last = it->first;
    while (run_end != overrides_.end() && run_end->first == last + days{1} &&
           run_end->second == it->second && (run_end->first - it->first).count() < kMaxRangeDays) {
      last = run_end->first;
      ++run_end;
    }
    out += it->second.first ? "workday " : "holiday ";
    out += FormatDate(year_month_day{it->first});
    if (last != it->first) {
      out += ".." + FormatDate(year_month_day{last});
    }
    out += " " + it->second.second + "\n";
    it = run_end;
  }
  return out;
}

// --- WorkCalendar: queries ---------------------------------------------------------------

bool WorkCalendar::IsWorkingDay(year_month_day day) const {
  sys_days d{day};
  if (auto it = overrides_.find(d); it != overrides_.end()) {
    return it->second.first;
  }
  return !IsWeekend(d);
}

std::string WorkCalendar::DayName(year_month_day day) const {
  if (auto it = overrides_.find(sys_days{day}); it != overrides_.end()) {
    return it->second.second;
  }
  return {};
}

bool WorkCalendar::Covers(year y) const {
  int v = static_cast<int>(y);
  return v >= first_year_ && v <= last_year_;
}

std::vector<CalendarDay> WorkCalendar::Entries(year y) const {
  std::vector<CalendarDay> out;
  auto it = overrides_.lower_bound(sys_days{y / std::chrono::January / 1});
  auto end =
      overrides_.lower_bound(sys_days{(y + std::chrono::years{1}) / std::chrono::January / 1});
  for (; it != end; ++it) {
    out.push_back({year_month_day{it->first}, it->second.first, it->second.second});
  }
  return out;
}

// --- WorkCalendar: working-time arithmetic ------------------------------------------------
//
// Both working clocks are "per working date": a working date contributes the part of
// [from, to) that lies in its counted periods (the whole day, or the office intervals) and a
// rest date contributes nothing. So the arithmetic splits into a partial first day, whole
// days (counted in O(1) per week plus the calendar entries in the span) and a partial last
// day.

namespace {

// The counted time of a working date within [from, to) (offsets into the day).
Duration DaySpan(const std::vector<OfficeInterval>& hours, LimitUnit unit, Duration from,
                 Duration to) {
  if (to <= from) {
    return Duration{0};
  }
  if (unit == LimitUnit::kWorkingDays) {
    return to - from;
  }
  Duration total{0};
  for (const OfficeInterval& i : hours) {
    Duration a = std::max(from, Minutes(i.start_minute));
    Duration b = std::min(to, Minutes(i.end_minute));
    if (b > a) {
      total += b - a;
    }
  }
  return total;
}

// The earliest offset t >= from with DaySpan(from, t) == r; requires 0 < r <= DaySpan(from, 24h).
Duration ForwardInDay(const std::vector<OfficeInterval>& hours, LimitUnit unit, Duration from,
                      Duration r) {
  if (unit == LimitUnit::kWorkingDays) {
    return from + r;
  }
  for (const OfficeInterval& i : hours) {
    Duration a = std::max(from, Minutes(i.start_minute));
    Duration b = Minutes(i.end_minute);
    if (b <= a) {
      continue;
    }
    if (r <= b - a) {
      return a + r;
    }
    r -= b - a;
  }
  HOTLINE_ASSERT(false, "ForwardInDay past the day's counted time");
  return kDay;
}

// The latest offset t <= to with DaySpan(t, to) == r; requires 0 < r <= DaySpan(0, to).
Duration BackwardInDay(const std::vector<OfficeInterval>& hours, LimitUnit unit, Duration to,
                       Duration r) {
  if (unit == LimitUnit::kWorkingDays) {
    return to - r;
  }
  for (auto i = hours.rbegin(); i != hours.rend(); ++i) {
    Duration a = Minutes(i->start_minute);
    Duration b = std::min(to, Minutes(i->end_minute));
    if (b <= a) {
      continue;
    }
    if (r <= b - a) {
      return b - r;
    }
    r -= b - a;
  }
  HOTLINE_ASSERT(false, "BackwardInDay before the day's counted time");
  return Duration{0};
}

}  // namespace

int64_t WorkCalendar::CountWorkingDays(sys_days from, sys_days to) const {
  if (to <= from) {
    return 0;
  }
  int64_t n = (to - from).count();
  int64_t weeks = n / kDaysPerWeek;
  int64_t count = weeks * kWorkdaysPerWeek;
  for (sys_days d = from + days{weeks * kDaysPerWeek}; d < to; d += days{1}) {
    count += IsWeekend(d) ? 0 : 1;
  }
  for (auto it = overrides_.lower_bound(from); it != overrides_.end() && it->first < to; ++it) {
    bool natural = !IsWeekend(it->first);
    if (it->second.first != natural) {
      count += it->second.first ? 1 : -1;
    }
  }
  return count;
}

bool WorkCalendar::IsWorking(sys_days d) const {
  if (auto it = overrides_.find(d); it != overrides_.end()) {
    return it->second.first;
  }
  return !IsWeekend(d);
}

Instant WorkCalendar::Deadline(Instant start, TimeLimit limit) const {
  return Advance(start, LimitDuration(limit), limit.unit);
}

Duration WorkCalendar::Elapsed(Instant a, Instant b, LimitUnit unit) const {
  if (b <= a) {
    return Duration{0};
  }
  if (unit == LimitUnit::kNaturalHours) {
    return b - a;
  }
  LocalPos pa = ToLocal(a);
  LocalPos pb = ToLocal(b);
  if (pa.day == pb.day) {
    return IsWorking(pa.day) ? DaySpan(office_hours_, unit, pa.offset, pb.offset) : Duration{0};
  }
  Duration total{0};
  if (IsWorking(pa.day)) {
    total += DaySpan(office_hours_, unit, pa.offset, kDay);
  }
  total +=
      DaySpan(office_hours_, unit, Duration{0}, kDay) * CountWorkingDays(pa.day + days{1}, pb.day);
  if (IsWorking(pb.day)) {
    total += DaySpan(office_hours_, unit, Duration{0}, pb.offset);
  }
  return total;
}

Instant WorkCalendar::Advance(Instant start, Duration amount, LimitUnit unit) const {
  if (amount <= Duration{0}) {
    return start;
  }
  if (unit == LimitUnit::kNaturalHours) {
    return start + amount;
  }
  HOTLINE_CHECK(!office_hours_.empty(), "office hours must not be empty");
  LocalPos p = ToLocal(start);
  Duration remaining = amount;
  if (IsWorking(p.day)) {
    Duration available = DaySpan(office_hours_, unit, p.offset, kDay);
    if (remaining <= available) {
      return FromLocal(p.day, ForwardInDay(office_hours_, unit, p.offset, remaining));
    }
    remaining -= available;
  }
  const Duration per_day = DaySpan(office_hours_, unit, Duration{0}, kDay);
  sys_days day = p.day + days{1};
  // Skip whole weeks while the limit ends beyond them. This terminates because only finitely
  // many dates are declared, and beyond them every week has five working days.
  for (;;) {
    Duration week = per_day * CountWorkingDays(day, day + days{kDaysPerWeek});
    if (week >= remaining) {
      break;
    }
    remaining -= week;
    day += days{kDaysPerWeek};
  }
  for (;; day += days{1}) {
    if (!IsWorking(day)) {
      continue;
    }
    if (remaining <= per_day) {
      return FromLocal(day, ForwardInDay(office_hours_, unit, Duration{0}, remaining));
    }
    remaining -= per_day;
  }
}

Instant WorkCalendar::Rewind(Instant end, Duration amount, LimitUnit unit) const {
  if (amount <= Duration{0}) {
    return end;
  }
  if (unit == LimitUnit::kNaturalHours) {
    return end - amount;
  }
  HOTLINE_CHECK(!office_hours_.empty(), "office hours must not be empty");
  LocalPos p = ToLocal(end);
  Duration remaining = amount;
  if (IsWorking(p.day)) {
    Duration available = DaySpan(office_hours_, unit, Duration{0}, p.offset);
    if (remaining <= available) {
      return FromLocal(p.day, BackwardInDay(office_hours_, unit, p.offset, remaining));
    }
    remaining -= available;
  }
  const Duration per_day = DaySpan(office_hours_, unit, Duration{0}, kDay);
  sys_days day = p.day - days{1};
  for (;;) {
    sys_days week_start = day - days{kDaysPerWeek - 1};
    Duration week = per_day * CountWorkingDays(week_start, day + days{1});
    if (week >= remaining) {
      break;
    }
    remaining -= week;
    day -= days{kDaysPerWeek};
  }
  for (;; day -= days{1}) {
    if (!IsWorking(day)) {
      continue;
    }
    if (remaining <= per_day) {
      return FromLocal(day, BackwardInDay(office_hours_, unit, kDay, remaining));
    }
    remaining -= per_day;
  }
}

}  // namespace hotline::domain
