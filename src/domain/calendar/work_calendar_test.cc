#include "domain/calendar/work_calendar.h"

#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "testing/matchers.h"

namespace hotline::domain {
namespace {

using ::hotline::testing::HasErrorCode;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::year;
using std::chrono::year_month_day;
using ::testing::HasSubstr;

constexpr LimitUnit kWd = LimitUnit::kWorkingDays;
constexpr LimitUnit kWh = LimitUnit::kWorkingHours;

Instant At(const char* local) {
  auto t = ParseInstant(local);
  EXPECT_TRUE(t.has_value()) << local;
  return t.value_or(Instant{});
}

year_month_day Date(int y, unsigned m, unsigned d) {
  return year{y} / std::chrono::month{m} / std::chrono::day{d};
}

// The shipped calendar, parsed once for the whole suite.
const WorkCalendar& Cn() {
  static const WorkCalendar* cal = [] {
    std::ifstream in(hotline::testing::SourceDir() / "data/calendar/cn.txt");
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = WorkCalendar::Parse(text.str());
    EXPECT_OK(parsed);
    return new WorkCalendar(parsed.has_value() ? parsed.value() : WorkCalendar::PlainWeeks());
  }();
  return *cal;
}

std::string DeadlineOf(const char* from, const char* limit) {
  auto l = ParseTimeLimit(limit);
  EXPECT_OK(l);
  return FormatLocal(Cn().Deadline(At(from), l.value_or(TimeLimit{})));
}

// --- TimeLimit -------------------------------------------------------------------------

TEST(TimeLimit, ParsesAndFormats) {
  auto l = ParseTimeLimit("10wd");
  ASSERT_OK(l);
  EXPECT_EQ(*l, (TimeLimit{LimitUnit::kWorkingDays, 10}));
  EXPECT_EQ(*ParseTimeLimit("2wh"), (TimeLimit{LimitUnit::kWorkingHours, 2}));
  EXPECT_EQ(*ParseTimeLimit("24h"), (TimeLimit{LimitUnit::kNaturalHours, 24}));
  EXPECT_EQ(FormatTimeLimit(*ParseTimeLimit("15wd")), "15wd");
  EXPECT_EQ(ChineseTimeLimit({LimitUnit::kWorkingDays, 10}), "10个工作日");
  EXPECT_EQ(ChineseTimeLimit({LimitUnit::kWorkingHours, 2}), "2个工作小时");
  EXPECT_EQ(ChineseTimeLimit({LimitUnit::kNaturalHours, 4}), "4小时");
  EXPECT_EQ(LimitDuration({LimitUnit::kWorkingDays, 3}), hours{72});
}

TEST(TimeLimit, RejectsMalformed) {
  for (const char* bad : {"", "wd", "10", "10d", "-1wd", "1.5wd", "10 wd x", "99999wd", "3WD"}) {
    EXPECT_THAT(ParseTimeLimit(bad), HasErrorCode(ErrorCode::kInvalidArgument)) << bad;
  }
}

// --- Parsing ---------------------------------------------------------------------------

TEST(WorkCalendarParse, ReadsEveryLineKind) {
  auto cal = WorkCalendar::Parse(
      "# comment\n"
      "covers 2024..2024\n"
      "hours 09:00-12:00 13:00-18:00  # trailing comment\n"
      "holiday 2024-02-10..2024-02-17 春节\n"
      "workday 2024-02-18 春节调休\r\n");
  ASSERT_OK(cal);
  EXPECT_TRUE(cal->Covers(year{2024}));
  EXPECT_FALSE(cal->Covers(year{2025}));
  ASSERT_EQ(cal->OfficeHours().size(), 2u);
  EXPECT_EQ(cal->OfficeHours()[1], (OfficeInterval{13 * 60, 18 * 60}));
  EXPECT_FALSE(cal->IsWorkingDay(Date(2024, 2, 12)));
  EXPECT_EQ(cal->DayName(Date(2024, 2, 12)), "春节");
  EXPECT_TRUE(cal->IsWorkingDay(Date(2024, 2, 18)));
  EXPECT_EQ(cal->DayName(Date(2024, 2, 18)), "春节调休");
  EXPECT_EQ(cal->Entries(year{2024}).size(), 9u);
}

TEST(WorkCalendarParse, AcceptsAUtf8ByteOrderMark) {
  auto cal = WorkCalendar::Parse("\xEF\xBB\xBFholiday 2024-10-01..2024-10-07 国庆节\n");
  ASSERT_OK(cal);
  EXPECT_FALSE(cal->IsWorkingDay(Date(2024, 10, 1)));
}

TEST(WorkCalendarParse, CoversDefaultsToTheYearsOfTheEntries) {
  auto cal = WorkCalendar::Parse("holiday 2023-01-02 元旦\nholiday 2025-01-01 元旦\n");
  ASSERT_OK(cal);
  EXPECT_EQ(cal->FirstYear(), 2023);
  EXPECT_EQ(cal->LastYear(), 2025);
  auto empty = WorkCalendar::Parse("");
  ASSERT_OK(empty);
  EXPECT_EQ(*empty, WorkCalendar::PlainWeeks());
  EXPECT_FALSE(empty->Covers(year{2024}));
}

struct BadCalendar {
  const char* text;
  const char* message;
};

TEST(WorkCalendarParse, NamesTheLineOfEachMalformedKind) {
  const BadCalendar cases[] = {
      {"# c\nholyday 2024-01-01 元旦\n", "calendar line 2: unknown keyword 'holyday'"},
      {"\n\nholiday 2024-02-30 X\n", "calendar line 3: invalid date '2024-02-30'"},
      {"holiday 2024/02/10 X\n", "calendar line 1: invalid date"},
      {"holiday 2024-02-10..2024-02-1 X\n", "calendar line 1: invalid date"},
      {"holiday\n", "calendar line 1: missing date"},
      {"holiday 2024-02-17..2024-02-10 春节\n",
       "calendar line 1: range '2024-02-17..2024-02-10' ends"},
      {"holiday 2024-01-01..2024-12-31 全年\n", "calendar line 1: range"},
      {"workday 2024-02-18\n", "calendar line 1: missing name"},
      {"holiday 2024-02-10..2024-02-17 春节\nworkday 2024-02-12 X\n",
       "calendar line 2: 2024-02-12 is already declared on line 1"},
      {"hours 08:30-12:00 14:30\n", "calendar line 1: invalid office interval '14:30'"},
      {"hours 08:30-12:60\n", "calendar line 1: invalid office interval"},
      {"hours 08:30-12:00 11:30-17:30\n", "calendar line 1: office hours 11:30-17:30"},
      {"hours 12:00-08:30\n", "calendar line 1: office hours"},
      {"hours\n", "calendar line 1: office hours need at least one interval"},
      {"hours 08:00-12:00\nhours 08:00-12:00\n", "calendar line 2: duplicate 'hours'"},
      {"covers 2027..2023\n", "calendar line 1: invalid covers"},
      {"covers 23..27\n", "calendar line 1: invalid covers"},
      {"covers 2023..2027\ncovers 2023..2027\n", "calendar line 2: duplicate 'covers'"},
      {"holiday 2022-12-31 元旦\ncovers 2023..2027\n",
       "calendar line 1: 2022-12-31 lies outside 'covers 2023..2027' (line 2)"},
  };
  for (const BadCalendar& c : cases) {
    auto cal = WorkCalendar::Parse(c.text);
    ASSERT_THAT(cal, HasErrorCode(ErrorCode::kInvalidArgument)) << c.text;
    EXPECT_THAT(cal.error().message, HasSubstr(c.message)) << c.text;
  }
}

TEST(WorkCalendarParse, SerialiseRoundTripsTheShippedFile) {
  const WorkCalendar& cn = Cn();
  auto again = WorkCalendar::Parse(cn.Serialise());
  ASSERT_OK(again);
  EXPECT_EQ(*again, cn);
  EXPECT_EQ(again->Serialise(), cn.Serialise());
}

TEST(WorkCalendarEdit, MutatorsChangeDaysAndSurviveSerialisation) {
  WorkCalendar cal = Cn();
  cal.SetHoliday(Date(2024, 3, 8), "妇女节（示例）");  // a Friday
  cal.SetWorkday(Date(2024, 3, 9), "示例调休");        // a Saturday
  EXPECT_FALSE(cal.IsWorkingDay(Date(2024, 3, 8)));
  EXPECT_TRUE(cal.IsWorkingDay(Date(2024, 3, 9)));
  cal.SetHoliday(Date(2028, 1, 3), "元旦");
  EXPECT_TRUE(cal.Covers(year{2028}));
  EXPECT_OK(cal.SetOfficeHours({{9 * 60, 17 * 60}}));
  EXPECT_THAT(cal.SetOfficeHours({}), HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(cal.SetCovers(2024, 2027), HasErrorCode(ErrorCode::kInvalidArgument));
  auto again = WorkCalendar::Parse(cal.Serialise());
  ASSERT_OK(again);
  EXPECT_EQ(*again, cal);
  cal.ClearOverride(Date(2024, 3, 8));
  EXPECT_TRUE(cal.IsWorkingDay(Date(2024, 3, 8)));
  EXPECT_EQ(cal.DayName(Date(2024, 3, 8)), "");
}

// --- The shipped calendar ----------------------------------------------------------------

TEST(CnCalendar, WeekendsHolidaysAndMakeUpDays) {
  const WorkCalendar& cn = Cn();
  EXPECT_TRUE(cn.IsWorkingDay(Date(2024, 2, 19)));   // Monday
  EXPECT_FALSE(cn.IsWorkingDay(Date(2024, 2, 24)));  // Saturday
  EXPECT_FALSE(cn.IsWorkingDay(Date(2024, 2, 25)));  // Sunday
  EXPECT_FALSE(cn.IsWorkingDay(Date(2024, 2, 12)));  // Monday in 春节
  EXPECT_EQ(cn.DayName(Date(2024, 2, 12)), "春节");
  EXPECT_TRUE(cn.IsWorkingDay(Date(2024, 2, 9)));  // 除夕 2024 was officially a working day
  // 调休 Saturdays and Sundays.
  EXPECT_TRUE(cn.IsWorkingDay(Date(2024, 2, 4)));
  EXPECT_TRUE(cn.IsWorkingDay(Date(2024, 2, 18)));
  EXPECT_EQ(cn.DayName(Date(2024, 2, 18)), "春节调休");
  EXPECT_TRUE(cn.IsWorkingDay(Date(2024, 9, 29)));
  EXPECT_TRUE(cn.IsWorkingDay(Date(2024, 10, 12)));
  EXPECT_FALSE(cn.IsWorkingDay(Date(2024, 10, 7)));
  EXPECT_TRUE(cn.IsWorkingDay(Date(2025, 1, 26)));
  EXPECT_TRUE(cn.IsWorkingDay(Date(2025, 2, 8)));
  EXPECT_FALSE(cn.IsWorkingDay(Date(2025, 1, 28)));  // 除夕, a statutory holiday since 2025
  EXPECT_FALSE(cn.IsWorkingDay(Date(2025, 10, 8)));
  EXPECT_TRUE(cn.IsWorkingDay(Date(2025, 10, 11)));
  EXPECT_TRUE(cn.IsWorkingDay(Date(2026, 2, 14)));
  EXPECT_TRUE(cn.IsWorkingDay(Date(2026, 2, 28)));
  EXPECT_FALSE(cn.IsWorkingDay(Date(2026, 2, 23)));
  EXPECT_TRUE(cn.IsWorkingDay(Date(2026, 1, 4)));
  EXPECT_TRUE(cn.IsWorkingDay(Date(2026, 9, 20)));
  EXPECT_TRUE(cn.IsWorkingDay(Date(2026, 10, 10)));
  EXPECT_TRUE(cn.IsWorkingDay(Date(2023, 1, 28)));
  EXPECT_TRUE(cn.IsWorkingDay(Date(2023, 10, 8)));
  EXPECT_FALSE(cn.IsWorkingDay(Date(2027, 2, 10)));  // provisional 补假
  EXPECT_TRUE(cn.Covers(year{2027}));
  EXPECT_FALSE(cn.Covers(year{2028}));
  EXPECT_TRUE(cn.IsWorkingDay(Date(2028, 1, 3)));  // uncovered: only weekends count
}

// Since 2025 there are 13 statutory holidays (11 before), and every statutory day that falls
// on a weekend is made up, so a year's working days are its weekdays minus the statutory
// holidays: a cross-check of every block and every 调休 day in the file.
TEST(CnCalendar, WorkingDaysPerYearMatchTheStatutoryCount) {
  struct YearCount {
    int year;
    int weekdays;
    int statutory;
  };
  for (auto [y, weekdays, statutory] :
       {YearCount{2023, 260, 11}, YearCount{2024, 262, 11}, YearCount{2025, 261, 13},
        YearCount{2026, 261, 13}, YearCount{2027, 261, 13}}) {
    Instant start = At((std::to_string(y) + "-01-01").c_str());
    Instant end = At((std::to_string(y + 1) + "-01-01").c_str());
    EXPECT_EQ(Cn().Elapsed(start, end, kWd), hours{24} * (weekdays - statutory)) << y;
    int by_day = 0;
    for (auto d = std::chrono::sys_days{Date(y, 1, 1)};
         d < std::chrono::sys_days{Date(y + 1, 1, 1)}; d += std::chrono::days{1}) {
      by_day += Cn().IsWorkingDay(year_month_day{d}) ? 1 : 0;
    }
    EXPECT_EQ(by_day, weekdays - statutory) << y;
  }
}

// --- Deadlines on the working-day clock (each working date counts 24 h) ----------------

TEST(WorkingDayClock, SpringFestival2024) {
  // Thu 02-08 10:00: 14 h left; Fri 02-09 (除夕, a working day) 24 h -> 38 h; 02-10..17 rest;
  // Sun 02-18 (调休) 24 h -> 62 h; Mon 02-19 10 h -> 72 h = 3 wd.
  EXPECT_EQ(DeadlineOf("2024-02-08 10:00", "3wd"), "2024-02-19T10:00:00+08:00");
  // Fri 02-02 10:00: 14 h; Sat 02-03 rest; Sun 02-04 (调休) 24 h -> 38 h; Mon 02-05 10 h.
  EXPECT_EQ(DeadlineOf("2024-02-02 10:00", "2wd"), "2024-02-05T10:00:00+08:00");
  // Starting inside the holiday: the first working date is Sun 02-18, whole; it ends at its
  // midnight, not at the start of the next working day.
  EXPECT_EQ(DeadlineOf("2024-02-12 09:00", "1wd"), "2024-02-19T00:00:00+08:00");
}

TEST(WorkingDayClock, NationalDay2024) {
  // Fri 09-27 15:00: 9 h; Sat 09-28 rest; Sun 09-29 (调休) 24 h -> 33 h; Mon 09-30 15 h.
  EXPECT_EQ(DeadlineOf("2024-09-27 15:00", "2wd"), "2024-09-30T15:00:00+08:00");
  // Mon 09-30 10:00: 14 h; 10-01..07 rest; Tue 08 .. Fri 11 96 h -> 110 h; Sat 10-12 (调休)
  // 10 h -> 120 h = 5 wd.
  EXPECT_EQ(DeadlineOf("2024-09-30 10:00", "5wd"), "2024-10-12T10:00:00+08:00");
}

TEST(WorkingDayClock, SpringFestival2025) {
  // Fri 01-24 10:00: 14 h; Sat rest; Sun 01-26 (调休) 24 h -> 38 h; Mon 01-27 24 h -> 62 h;
  // 01-28..02-04 rest; Wed 02-05 10 h -> 72 h.
  EXPECT_EQ(DeadlineOf("2025-01-24 10:00", "3wd"), "2025-02-05T10:00:00+08:00");
  // Fri 02-07 16:00: 8 h; Sat 02-08 (调休) 16 h.
  EXPECT_EQ(DeadlineOf("2025-02-07 16:00", "1wd"), "2025-02-08T16:00:00+08:00");
}

TEST(WorkingDayClock, NationalDay2025) {
  // Fri 09-26 09:00: 15 h; Sat rest; Sun 09-28 (调休) 24 h -> 39 h; Mon 09-29 9 h.
  EXPECT_EQ(DeadlineOf("2025-09-26 09:00", "2wd"), "2025-09-29T09:00:00+08:00");
  // Tue 09-30 12:00: 12 h; 10-01..08 rest; Thu 10-09 24 h -> 36 h; Fri 10-10 24 h -> 60 h;
  // Sat 10-11 (调休) 12 h -> 72 h.
  EXPECT_EQ(DeadlineOf("2025-09-30 12:00", "3wd"), "2025-10-11T12:00:00+08:00");
}

TEST(WorkingDayClock, SpringFestival2026) {
  // Fri 02-13 10:00: 14 h; Sat 02-14 (调休) 24 h -> 38 h; 02-15..23 rest; Tue 02-24 10 h.
  EXPECT_EQ(DeadlineOf("2026-02-13 10:00", "2wd"), "2026-02-24T10:00:00+08:00");
  // Fri 02-27 10:00: 14 h; Sat 02-28 (调休) 10 h.
  EXPECT_EQ(DeadlineOf("2026-02-27 10:00", "1wd"), "2026-02-28T10:00:00+08:00");
}

TEST(WorkingDayClock, NationalDay2026) {
  // Fri 09-18 10:00: 14 h; Sat rest; Sun 09-20 (调休) 10 h.
  EXPECT_EQ(DeadlineOf("2026-09-18 10:00", "1wd"), "2026-09-20T10:00:00+08:00");
  // Wed 09-30 10:00: 14 h; 10-01..07 rest; Thu 10-08, Fri 10-09 48 h -> 62 h; Sat 10-10
  // (调休) 10 h -> 72 h.
  EXPECT_EQ(DeadlineOf("2026-09-30 10:00", "3wd"), "2026-10-10T10:00:00+08:00");
}

// --- Deadlines on the office-hours clock (08:30-12:00, 14:30-17:30: 6.5 h a day) ----------

TEST(OfficeHoursClock, SpringFestival2024) {
  // Fri 02-09 16:00-17:30 1.5 h; 02-10..17 rest; Sun 02-18 (调休) 08:30 + 0.5 h.
  EXPECT_EQ(DeadlineOf("2024-02-09 16:00", "2wh"), "2024-02-18T09:00:00+08:00");
  // Starting at night on a holiday: the first office hour is Sun 02-18 08:30-09:30.
  EXPECT_EQ(DeadlineOf("2024-02-17 20:00", "1wh"), "2024-02-18T09:30:00+08:00");
}

TEST(OfficeHoursClock, NationalDay2024) {
  // Fri 09-27 17:00-17:30 0.5 h; Sat rest; Sun 09-29 (调休) 08:30 + 1.5 h.
  EXPECT_EQ(DeadlineOf("2024-09-27 17:00", "2wh"), "2024-09-29T10:00:00+08:00");
  // Mon 09-30 15:00-17:30 2.5 h; 10-01..07 rest; Tue 10-08 08:30 + 1.5 h.
  EXPECT_EQ(DeadlineOf("2024-09-30 15:00", "4wh"), "2024-10-08T10:00:00+08:00");
}

TEST(OfficeHoursClock, SpringFestival2025) {
  // Mon 01-27 11:00-12:00 1 h; 14:30 + 1 h.
  EXPECT_EQ(DeadlineOf("2025-01-27 11:00", "2wh"), "2025-01-27T15:30:00+08:00");
  // 1 h + 3 h ends exactly at the close, which is the deadline (not the next opening).
  EXPECT_EQ(DeadlineOf("2025-01-27 11:00", "4wh"), "2025-01-27T17:30:00+08:00");
  // One more hour: 01-28..02-04 rest; Wed 02-05 08:30 + 1 h.
  EXPECT_EQ(DeadlineOf("2025-01-27 11:00", "5wh"), "2025-02-05T09:30:00+08:00");
}

TEST(OfficeHoursClock, NationalDay2025) {
  // Fri 10-10 17:00-17:30 0.5 h; Sat 10-11 (调休) 08:30 + 0.5 h.
  EXPECT_EQ(DeadlineOf("2025-10-10 17:00", "1wh"), "2025-10-11T09:00:00+08:00");
  // Tue 09-30 17:00 0.5 h; 10-01..08 rest; Thu 10-09 6.5 h -> 7 h, Fri 10-10 6.5 h -> 13.5 h;
  // Sat 10-11 (调休) 08:30 + 0.5 h -> 14 h.
  EXPECT_EQ(DeadlineOf("2025-09-30 17:00", "14wh"), "2025-10-11T09:00:00+08:00");
}

TEST(OfficeHoursClock, SpringFestival2026) {
  // Fri 02-13 17:00 0.5 h; Sat 02-14 (调休) 6.5 h -> 7 h ends at its 17:30.
  EXPECT_EQ(DeadlineOf("2026-02-13 17:00", "7wh"), "2026-02-14T17:30:00+08:00");
  // One more: 02-15..23 rest; Tue 02-24 08:30 + 1 h.
  EXPECT_EQ(DeadlineOf("2026-02-13 17:00", "8wh"), "2026-02-24T09:30:00+08:00");
}

TEST(OfficeHoursClock, NationalDay2026) {
  // Starting in the lunch break: Wed 09-30 14:30-17:30 3 h.
  EXPECT_EQ(DeadlineOf("2026-09-30 12:30", "3wh"), "2026-09-30T17:30:00+08:00");
  // 10-01..07 rest; Thu 10-08 08:30 + 1 h.
  EXPECT_EQ(DeadlineOf("2026-09-30 12:30", "4wh"), "2026-10-08T09:30:00+08:00");
  // Fri 09-18 17:00 0.5 h; Sat rest; Sun 09-20 (调休) 08:30 + 0.5 h.
  EXPECT_EQ(DeadlineOf("2026-09-18 17:00", "1wh"), "2026-09-20T09:00:00+08:00");
}

TEST(OfficeHoursClock, BeforeAndAfterOfficeHours) {
  // Fri 2024-03-01 18:00 is after hours: Mon 03-04 08:30 + 1 h.
  EXPECT_EQ(DeadlineOf("2024-03-01 18:00", "1wh"), "2024-03-04T09:30:00+08:00");
  EXPECT_EQ(DeadlineOf("2024-03-04 07:00", "1wh"), "2024-03-04T09:30:00+08:00");
  EXPECT_EQ(DeadlineOf("2024-03-04 17:30", "1wh"), "2024-03-05T09:30:00+08:00");
}

TEST(NaturalClock, IgnoresTheCalendar) {
  EXPECT_EQ(DeadlineOf("2024-02-09 22:00", "4h"), "2024-02-10T02:00:00+08:00");
  EXPECT_EQ(Cn().Elapsed(At("2024-02-10 00:00"), At("2024-02-11 00:00"), LimitUnit::kNaturalHours),
            hours{24});
}

// --- Elapsed / Advance / Rewind -----------------------------------------------------------

TEST(WorkCalendarArithmetic, ElapsedMatchesTheHandWorkedDeadlines) {
  EXPECT_EQ(Cn().Elapsed(At("2024-02-08 10:00"), At("2024-02-19 10:00"), kWd), hours{72});
  EXPECT_EQ(Cn().Elapsed(At("2024-02-09 16:00"), At("2024-02-18 09:00"), kWh), hours{2});
  EXPECT_EQ(Cn().Elapsed(At("2024-02-12 00:00"), At("2024-02-17 23:59"), kWd), hours{0});
  EXPECT_EQ(Cn().Elapsed(At("2024-02-19 10:00"), At("2024-02-08 10:00"), kWd), hours{0});
}

TEST(WorkCalendarArithmetic, ZeroAmountStaysPut) {
  Instant holiday_night = At("2024-02-12 22:00");
  EXPECT_EQ(Cn().Advance(holiday_night, Duration{0}, kWh), holiday_night);
  EXPECT_EQ(Cn().Advance(holiday_night, Duration{0}, kWd), holiday_night);
  EXPECT_EQ(Cn().Rewind(holiday_night, Duration{0}, kWh), holiday_night);
  EXPECT_EQ(Cn().Deadline(holiday_night, {kWd, 0}), holiday_night);
}

TEST(WorkCalendarArithmetic, RewindReturnsTheLatestInstant) {
  // Mon 02-19 08:30-09:30 is 1 h; the other hour is Sun 02-18 (调休) 16:30-17:30.
  EXPECT_EQ(FormatLocal(Cn().Rewind(At("2024-02-19 09:30"), hours{2}, kWh)),
            "2024-02-18T16:30:00+08:00");
  // Exactly the first office hour of Monday: the latest start is Monday's 08:30.
  EXPECT_EQ(FormatLocal(Cn().Rewind(At("2024-03-04 09:30"), hours{1}, kWh)),
            "2024-03-04T08:30:00+08:00");
  EXPECT_EQ(FormatLocal(Cn().Rewind(At("2024-02-19 10:00"), hours{72}, kWd)),
            "2024-02-08T10:00:00+08:00");
}

TEST(WorkCalendarArithmetic, LongSpansAreFast) {
  // 9999 working days from 2024 runs ~40 years past the file; weeks are skipped whole.
  Instant a = At("2024-02-08 10:00");
  for (LimitUnit unit : {kWd, kWh}) {
    Duration d = hours{24 * 9999};
    Instant b = Cn().Advance(a, d, unit);
    EXPECT_EQ(Cn().Elapsed(a, b, unit), d);
    EXPECT_EQ(Cn().Elapsed(Cn().Rewind(b, d, unit), b, unit), d);
  }
}

// A brute-force reference: counts minute by minute (only for short spans).
Duration BruteElapsed(const WorkCalendar& cal, Instant a, Instant b, LimitUnit unit) {
  Duration total{0};
  for (Instant t = a; t < b; t += minutes{1}) {
    auto local = t + kChinaUtcOffset;
    auto day = std::chrono::floor<std::chrono::days>(local);
    if (!cal.IsWorkingDay(year_month_day{day})) {
      continue;
    }
    int minute = static_cast<int>(std::chrono::duration_cast<minutes>(local - day).count());
    bool counted = unit == kWd;
    for (const OfficeInterval& i : cal.OfficeHours()) {
      counted = counted || (minute >= i.start_minute && minute < i.end_minute);
    }
    total += counted ? minutes{1} : minutes{0};
  }
  return total;
}

TEST(WorkCalendarProperty, ElapsedMatchesBruteForceOnShortSpans) {
  std::mt19937_64 rng(20240210);
  std::uniform_int_distribution<int64_t> start_minute(0, int64_t{6} * 366 * 24 * 60);
  std::uniform_int_distribution<int64_t> span_minutes(0, int64_t{12} * 24 * 60);
  Instant base = At("2022-12-25 00:00");
  for (int i = 0; i < 60; ++i) {
    Instant a = base + minutes{start_minute(rng)};
    Instant b = a + minutes{span_minutes(rng)};
    for (LimitUnit unit : {kWd, kWh}) {
      ASSERT_EQ(Cn().Elapsed(a, b, unit), BruteElapsed(Cn(), a, b, unit))
          << FormatLocal(a) << " .. " << FormatLocal(b) << " unit " << Code(unit);
    }
  }
}

TEST(WorkCalendarProperty, AdvanceAndRewindRoundTrip) {
  std::mt19937_64 rng(12345);
  std::uniform_int_distribution<int64_t> start_second(0, int64_t{6} * 366 * 24 * 3600);
  std::uniform_int_distribution<int64_t> amount_second(0, int64_t{60} * 24 * 3600);
  Instant base = At("2022-12-25 00:00");
  for (int i = 0; i < 2000; ++i) {
    Instant a = base + Duration{start_second(rng)};
    Duration d{amount_second(rng)};
    for (LimitUnit unit : {kWd, kWh}) {
      Instant b = Cn().Advance(a, d, unit);
      ASSERT_EQ(Cn().Elapsed(a, b, unit), d) << FormatLocal(a) << " + " << d.count() << "s";
      if (d > Duration{0}) {
        // Earliest: one second less is not enough.
        ASSERT_LT(Cn().Elapsed(a, b - Duration{1}, unit), d) << FormatLocal(a);
      }
      Instant r = Cn().Rewind(a, d, unit);
      ASSERT_LE(r, a);
      ASSERT_EQ(Cn().Elapsed(r, a, unit), d) << FormatLocal(a) << " - " << d.count() << "s";
      if (d > Duration{0}) {
        ASSERT_LT(Cn().Elapsed(r + Duration{1}, a, unit), d) << FormatLocal(a);
      }
      // Additivity over an intermediate instant.
      Instant mid = a + (b - a) / 3;
      ASSERT_EQ(Cn().Elapsed(a, mid, unit) + Cn().Elapsed(mid, b, unit), d);
    }
  }
}

}  // namespace
}  // namespace hotline::domain
