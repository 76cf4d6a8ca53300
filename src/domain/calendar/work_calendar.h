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
#include <cstdint>
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
std::string ChineseTimeLimit(const TimeLimit& limit);  // "10个工作日", "2个工作小时", "4小时"
// The amount of a limit on its own clock: 24 h per working day, 1 h per (working) hour.
Duration LimitDuration(const TimeLimit& limit);
// Largest amount ParseTimeLimit accepts (about 27 years of working days).
inline constexpr int kMaxLimitAmount = 9999;

// The China local (UTC+8) calendar date of an instant.
std::chrono::year_month_day LocalDate(Instant t);

// One office-hours interval within a day, as minutes after local midnight.
struct OfficeInterval {
  int start_minute = 0;
  int end_minute = 0;
  friend bool operator==(const OfficeInterval&, const OfficeInterval&) = default;
};

// One dated entry of the calendar file: a holiday (rest) day or a make-up working day.
struct CalendarDay {
  std::chrono::year_month_day day;
  bool working = false;
  std::string name;
  friend bool operator==(const CalendarDay&, const CalendarDay&) = default;
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
  // (SetHoliday/SetWorkday extend the covered years to the day's year.)
  // Replaces the office hours; kInvalidArgument unless non-empty, ascending, non-overlapping
  // and within 00:00-24:00.
  Status SetOfficeHours(std::vector<OfficeInterval> intervals);
  // Sets the covered years; kInvalidArgument if first > last or a dated entry lies outside.
  Status SetCovers(int first_year, int last_year);

  bool IsWorkingDay(std::chrono::year_month_day day) const;
  // The holiday or make-up day name for a date ("春节", "春节调休"), empty otherwise.
  std::string DayName(std::chrono::year_month_day day) const;
  // Years whose official schedule is loaded (outside them only weekends count).
  bool Covers(std::chrono::year year) const;
  // The covered range; FirstYear() > LastYear() when nothing is covered.
  int FirstYear() const { return first_year_; }
  int LastYear() const { return last_year_; }
  const std::vector<OfficeInterval>& OfficeHours() const { return office_hours_; }
  // The holidays and make-up working days of a year (every dated entry), by date.
  std::vector<CalendarDay> Entries(std::chrono::year year) const;

  // The instant `limit` of working time after `start`.
  Instant Deadline(Instant start, TimeLimit limit) const;
  // Working time between a and b (0 if b <= a) on the clock of `unit`.
  Duration Elapsed(Instant a, Instant b, LimitUnit unit) const;
  // The instant `amount` of working time after `start` on the clock of `unit`.
  // Advance returns the earliest such instant, so Advance(a, 0) == a and a limit that ends
  // with a working period ends at its close (17:30, midnight), not at the next opening.
  // Cost: O(weeks spanned x log(entries)); whole weeks and days are skipped at once.
  Instant Advance(Instant start, Duration amount, LimitUnit unit) const;
  // The latest instant t <= end with Elapsed(t, end, unit) == amount (for reminders "X
  // before the deadline"). Rewind(b, 0) == b.
  Instant Rewind(Instant end, Duration amount, LimitUnit unit) const;

  friend bool operator==(const WorkCalendar&, const WorkCalendar&) = default;

 private:
  bool IsWorking(std::chrono::sys_days day) const;
  // Working dates in [from, to): weekdays in closed form, corrected by the entries in it.
  int64_t CountWorkingDays(std::chrono::sys_days from, std::chrono::sys_days to) const;

  std::map<std::chrono::sys_days, std::pair<bool, std::string>> overrides_;  // true = working
  // Default office hours 08:30-12:00 and 14:30-17:30 (minutes after midnight).
  std::vector<OfficeInterval> office_hours_{{510, 720}, {870, 1050}};
  int first_year_ = 0;
  int last_year_ = -1;
};

}  // namespace hotline::domain
