// WorkCalendar: the official Chinese working calendar (weekends, statutory holidays,
// make-up working days 调休) and working-time arithmetic on it. Immutable after
// construction, so it is safe to share between threads.
//
// Two clocks count working time (see docs/time_limits.md):
//  - the working-day clock counts every second of a working date (China local time), so
//    "2 working days" from Friday 10:00 ends Tuesday 10:00, and from Saturday it ends at the
//    end of Tuesday;
//  - the office-hours clock counts only the office hours of working dates (default
//    08:30-12:00 and 14:30-17:30), for limits such as "sign within 2 working hours".
// Natural time is also supported for limits such as "特急: 2 hours, day and night".
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/time.h"

namespace hotline::domain {

enum class LimitUnit : uint8_t {
  kWorkingDays,   // working-day clock, amount in days
  kWorkingHours,  // office-hours clock, amount in hours
  kNaturalHours,  // wall-clock hours
};

struct TimeLimit {
  LimitUnit unit = LimitUnit::kWorkingDays;
  int amount = 0;
  friend bool operator==(const TimeLimit&, const TimeLimit&) = default;
};

std::string_view Code(LimitUnit unit);  // "wd", "wh", "h"
// "10wd", "2wh", "4h" -> TimeLimit; kInvalidArgument otherwise.
Result<TimeLimit> ParseTimeLimit(std::string_view text);
std::string FormatTimeLimit(const TimeLimit& limit);  // inverse of ParseTimeLimit
std::string ChineseTimeLimit(const TimeLimit& limit); // "10个工作日", "2个工作小时", "4小时"

// One office-hours interval within a day, as minutes after local midnight.
struct OfficeInterval {
  int start_minute = 0;
  int end_minute = 0;
};

class WorkCalendar {
 public:
  // Parses the calendar file format (see data/calendar/README.md): lines of
  //   holiday  2024-02-10..2024-02-17  春节
  //   workday  2024-02-04              春节调休
  //   hours    08:30-12:00 14:30-17:30
  //   covers   2023..2027
  // '#' starts a comment. kInvalidArgument naming the line on any malformed line.
  static Result<WorkCalendar> Parse(std::string_view text);

  // Weekends as rest days, no holidays, default office hours; for tests.
  static WorkCalendar PlainWeeks();

  // Mutators for the admin (the calendar is edited as data, then re-serialised).
  void SetHoliday(std::chrono::year_month_day day, std::string name);
  void SetWorkday(std::chrono::year_month_day day, std::string name);
  void ClearOverride(std::chrono::year_month_day day);
  std::string Serialise() const;  // Parse(Serialise()) yields an equal calendar

  bool IsWorkingDay(std::chrono::year_month_day day) const;
  // The holiday or make-up day name for a date ("春节", "春节调休"), empty otherwise.
  std::string DayName(std::chrono::year_month_day day) const;
  // Years whose official schedule is loaded (outside them only weekends count).
  bool Covers(std::chrono::year year) const;

  // The instant `limit` of working time after `start`.
  Instant Deadline(Instant start, TimeLimit limit) const;
  // Working time between a and b (0 if b <= a) on the clock of `unit`.
  Duration Elapsed(Instant a, Instant b, LimitUnit unit) const;
  // The instant `amount` of working time after `start` on the clock of `unit`.
  Instant Advance(Instant start, Duration amount, LimitUnit unit) const;

 private:
  std::map<std::chrono::sys_days, std::pair<bool, std::string>> overrides_;  // true = working
  std::vector<OfficeInterval> office_hours_;
  int first_year_ = 0;
  int last_year_ = -1;
};

}  // namespace hotline::domain
