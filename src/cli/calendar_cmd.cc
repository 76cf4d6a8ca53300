// `hotline calendar ...`: the official working calendar from the shell (is a date a working
// day, N working days after T, a year's holidays, check an edited file). The calendar file is
// read here and handed to the pure domain as text. Lookup order (docs/time_limits.md):
// --calendar FILE, else $HOTLINE_CALENDAR, else data/calendar/cn.txt in the executable's
// directory or any of its ancestors (so build/*/src/cli/hotline finds the source tree's
// copy), else ./data/calendar/cn.txt.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "cli/commands.h"
#include "common/time.h"
#include "domain/calendar/work_calendar.h"

namespace hotline::cli {
namespace {

namespace fs = std::filesystem;
using domain::CalendarDay;
using domain::WorkCalendar;
using std::chrono::year_month_day;

constexpr int kExitUsage = 2;     // a bad argument
constexpr int kExitCalendar = 1;  // the calendar file is missing or invalid
constexpr int kAncestorLevels = 6;
constexpr const char* kRelativePath = "data/calendar/cn.txt";

void Fail(int code, const std::string& message) {
  std::fprintf(stderr, "hotline calendar: 错误：%s\n", message.c_str());
  ExitCode() = code;
}

struct LoadedCalendar {
  WorkCalendar calendar;
  std::string path;
};

// Candidate files, best first. An explicit choice (flag or environment) is the only candidate,
// so that a typo in it is reported instead of silently falling back to another file.
std::vector<fs::path> CalendarCandidates(const std::string& flag) {
  if (!flag.empty()) {
    return {fs::path(flag)};
  }
  if (const char* env = std::getenv("HOTLINE_CALENDAR"); env != nullptr && *env != '\0') {
    return {fs::path(env)};
  }
  std::vector<fs::path> out;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path dir = exe.parent_path();
    for (int i = 0; i < kAncestorLevels && !dir.empty(); ++i) {
      out.push_back(dir / kRelativePath);
      if (dir == dir.parent_path()) {
        break;
      }
      dir = dir.parent_path();
    }
  }
  fs::path cwd_copy = fs::current_path(ec) / kRelativePath;
  if (std::find(out.begin(), out.end(), cwd_copy) == out.end()) {
    out.push_back(cwd_copy);
  }
  return out;
}

std::optional<LoadedCalendar> LoadCalendar(const std::string& flag) {
  std::vector<fs::path> candidates = CalendarCandidates(flag);
  for (const fs::path& path : candidates) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in.good() && !in.eof()) {
      Fail(kExitCalendar, "无法读取日历文件 " + path.string());
      return std::nullopt;
    }
    auto parsed = WorkCalendar::Parse(text.str());
    if (!parsed) {
      Fail(kExitCalendar, "日历文件 " + path.string() + " 格式错误：" + parsed.error().message);
      return std::nullopt;
    }
    return LoadedCalendar{std::move(parsed).value(), fs::weakly_canonical(path, ec).string()};
  }
  std::string tried;
  for (const fs::path& path : candidates) {
    tried += "\n  " + path.string();
  }
  Fail(kExitCalendar,
       "找不到日历文件（可用 --calendar FILE 或环境变量 HOTLINE_CALENDAR 指定）。已查找：" + tried);
  return std::nullopt;
}

std::string FormatDate(year_month_day d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

std::string_view ChineseWeekday(year_month_day d) {
  static constexpr std::string_view kNames[] = {"星期日", "星期一", "星期二", "星期三",
                                                "星期四", "星期五", "星期六"};
  return kNames[std::chrono::weekday{std::chrono::sys_days{d}}.c_encoding()];
}

bool IsWeekend(year_month_day d) {
  unsigned wd = std::chrono::weekday{std::chrono::sys_days{d}}.c_encoding();
  return wd == 0 || wd == 6;
}

// Strict "YYYY-MM-DD".
std::optional<year_month_day> ParseDateArg(const std::string& text) {
  if (text.size() != 10) {
    return std::nullopt;
  }
  auto t = ParseInstant(text);
  if (!t) {
    return std::nullopt;
  }
  return domain::LocalDate(*t);
}

void WarnIfUncovered(const WorkCalendar& cal, std::chrono::year y) {
  if (!cal.Covers(y)) {
    std::fprintf(stderr,
                 "hotline calendar: 注意：日历文件未包含 %d 年的官方节假日安排，"
                 "该年仅按周末计算休息日。\n",
                 static_cast<int>(y));
  }
}

void PrintJson(const nlohmann::json& j) { std::printf("%s\n", j.dump(2).c_str()); }

// --- is-workday -----------------------------------------------------------------------

struct IsWorkdayArgs {
  std::string date;
  std::string calendar;
  bool json = false;
};

void RunIsWorkday(const IsWorkdayArgs& args) {
  auto day = ParseDateArg(args.date);
  if (!day) {
    Fail(kExitUsage, "无法解析日期 \"" + args.date + "\"，应为 YYYY-MM-DD，例如 2024-02-18");
    return;
  }
  auto loaded = LoadCalendar(args.calendar);
  if (!loaded) {
    return;
  }
  const WorkCalendar& cal = loaded->calendar;
  bool working = cal.IsWorkingDay(*day);
  std::string name = cal.DayName(*day);
  std::string kind;
  std::string reason;
  if (!name.empty()) {
    kind = working ? "makeup_workday" : "holiday";
    reason = name;
  } else if (IsWeekend(*day)) {
    kind = "weekend";
    reason = "周末";
  } else {
    kind = "workday";
  }
  WarnIfUncovered(cal, day->year());
  if (args.json) {
    PrintJson({{"date", FormatDate(*day)},
               {"weekday", ChineseWeekday(*day)},
               {"working", working},
               {"kind", kind},
               {"name", reason},
               {"covered", cal.Covers(day->year())},
               {"calendar", loaded->path}});
    return;
  }
  std::string line = FormatDate(*day) + (working ? " 工作日" : " 休息日");
  if (!reason.empty()) {
    line += "（" + reason + "）";
  }
  std::printf("%s\n", line.c_str());
}

// --- add ------------------------------------------------------------------------------

struct AddArgs {
  std::string from;
  std::string limit;
  std::string calendar;
  bool json = false;
};

void RunAdd(const AddArgs& args) {
  auto from = ParseInstant(args.from);
  if (!from) {
    Fail(kExitUsage, "无法解析起始时间 \"" + args.from +
                         "\"，应为 \"YYYY-MM-DD HH:MM\"（北京时间）或带时区的 ISO 时间");
    return;
  }
  auto limit = domain::ParseTimeLimit(args.limit);
  if (!limit) {
    Fail(kExitUsage, "无法解析时限 \"" + args.limit +
                         "\"，应为数字加单位：wd（工作日）、wh（工作小时）或 h（自然小时），"
                         "例如 3wd、2wh、24h");
    return;
  }
  auto loaded = LoadCalendar(args.calendar);
  if (!loaded) {
    return;
  }
  const WorkCalendar& cal = loaded->calendar;
  Instant deadline = cal.Deadline(*from, *limit);
  WarnIfUncovered(cal, domain::LocalDate(*from).year());
  if (domain::LocalDate(deadline).year() != domain::LocalDate(*from).year()) {
    WarnIfUncovered(cal, domain::LocalDate(deadline).year());
  }
  if (args.json) {
    PrintJson({{"from", FormatLocal(*from)},
               {"limit", domain::FormatTimeLimit(*limit)},
               {"limit_text", domain::ChineseTimeLimit(*limit)},
               {"deadline", FormatLocal(deadline)},
               {"calendar", loaded->path}});
    return;
  }
  std::printf("%s\n", FormatLocal(deadline).c_str());
}

// --- list -----------------------------------------------------------------------------

struct ListArgs {
  std::string year;
  std::string calendar;
  bool json = false;
};

struct Block {
  year_month_day from;
  year_month_day to;
  bool working = false;
  std::string name;
  int days = 0;
};

// Consecutive days with the same kind and name form one block, as in the official notice.
std::vector<Block> Blocks(const std::vector<CalendarDay>& entries) {
  std::vector<Block> out;
  for (const CalendarDay& e : entries) {
    if (!out.empty() && out.back().working == e.working && out.back().name == e.name &&
        std::chrono::sys_days{out.back().to} + std::chrono::days{1} ==
            std::chrono::sys_days{e.day}) {
      out.back().to = e.day;
      ++out.back().days;
    } else {
      out.push_back({e.day, e.day, e.working, e.name, 1});
    }
  }
  return out;
}

void RunList(const ListArgs& args) {
  int y = 0;
  bool ok = args.year.size() == 4;
  for (char c : args.year) {
    ok = ok && c >= '0' && c <= '9';
    y = y * 10 + (c - '0');
  }
  if (!ok) {
    Fail(kExitUsage, "无法解析年份 \"" + args.year + "\"，应为四位数字，例如 2024");
    return;
  }
  auto loaded = LoadCalendar(args.calendar);
  if (!loaded) {
    return;
  }
  const WorkCalendar& cal = loaded->calendar;
  std::chrono::year year{y};
  WarnIfUncovered(cal, year);
  std::vector<Block> blocks = Blocks(cal.Entries(year));
  Instant start = Instant{std::chrono::sys_days{year / std::chrono::January / 1}} - kChinaUtcOffset;
  Instant end =
      Instant{std::chrono::sys_days{(year + std::chrono::years{1}) / std::chrono::January / 1}} -
      kChinaUtcOffset;
  auto working_days =
      cal.Elapsed(start, end, domain::LimitUnit::kWorkingDays) / std::chrono::hours{24};
  if (args.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const Block& b : blocks) {
      list.push_back({{"from", FormatDate(b.from)},
                      {"to", FormatDate(b.to)},
                      {"working", b.working},
                      {"name", b.name},
                      {"days", b.days}});
    }
    PrintJson({{"year", y},
               {"covered", cal.Covers(year)},
               {"working_days", working_days},
               {"entries", list},
               {"calendar", loaded->path}});
    return;
  }
  std::printf("%d 年节假日与调休安排（日历文件：%s）\n", y, loaded->path.c_str());
  if (blocks.empty()) {
    std::printf("  （无节假日记录）\n");
  }
  for (const Block& b : blocks) {
    // Dates and counts are ASCII, so the columns line up whatever the names are.
    std::string when = FormatDate(b.from);
    when += b.days > 1 ? " 至 " + FormatDate(b.to) : std::string(14, ' ');
    std::printf("  %s  %s %3d 天  %s\n", when.c_str(), b.working ? "上班" : "放假", b.days,
                b.name.c_str());
  }
  std::printf("全年工作日 %lld 天\n", static_cast<long long>(working_days));
}

// --- check ----------------------------------------------------------------------------

struct CheckArgs {
  std::string calendar;
  bool json = false;
};

void RunCheck(const CheckArgs& args) {
  auto loaded = LoadCalendar(args.calendar);
  if (!loaded) {
    return;
  }
  const WorkCalendar& cal = loaded->calendar;
  int holidays = 0;
  int workdays = 0;
  for (int y = cal.FirstYear(); y <= cal.LastYear(); ++y) {
    for (const CalendarDay& d : cal.Entries(std::chrono::year{y})) {
      ++(d.working ? workdays : holidays);
    }
  }
  if (args.json) {
    PrintJson({{"calendar", loaded->path},
               {"valid", true},
               {"first_year", cal.FirstYear()},
               {"last_year", cal.LastYear()},
               {"holidays", holidays},
               {"makeup_workdays", workdays}});
    return;
  }
  if (cal.FirstYear() > cal.LastYear()) {
    std::printf("日历文件 %s 有效，但未包含任何年份的节假日安排\n", loaded->path.c_str());
    return;
  }
  std::printf("日历文件 %s 有效：覆盖 %d–%d 年，放假 %d 天，调休上班 %d 天\n", loaded->path.c_str(),
              cal.FirstYear(), cal.LastYear(), holidays, workdays);
}

void AddCalendarOption(CLI::App& cmd, std::string& target) {
  cmd.add_option("--calendar", target,
                 "calendar file (default: $HOTLINE_CALENDAR, else data/calendar/cn.txt beside "
                 "the executable or in an ancestor directory, else ./data/calendar/cn.txt)");
}

}  // namespace

void RegisterCalendarCommands(CLI::App& app) {
  CLI::App* calendar = app.add_subcommand(
      "calendar", "official working calendar: working days, holidays, 调休, deadlines");
  calendar->require_subcommand(1);

  auto is_workday = std::make_shared<IsWorkdayArgs>();
  CLI::App* is_cmd =
      calendar->add_subcommand("is-workday", "is DATE a working day (工作日) or a rest day?");
  is_cmd->add_option("date", is_workday->date, "date in China local time, YYYY-MM-DD")->required();
  AddCalendarOption(*is_cmd, is_workday->calendar);
  is_cmd->add_flag("--json", is_workday->json, "print JSON");
  is_cmd->callback([is_workday] { RunIsWorkday(*is_workday); });

  auto add = std::make_shared<AddArgs>();
  CLI::App* add_cmd = calendar->add_subcommand(
      "add", "the deadline LIMIT of working time after FROM (e.g. 3 working days)");
  add_cmd->add_option("--from", add->from, "start, \"YYYY-MM-DD HH:MM\" in China local time")
      ->required();
  add_cmd
      ->add_option("--limit", add->limit,
                   "time limit: Nwd (working days), Nwh (office hours) or Nh (natural hours)")
      ->required();
  AddCalendarOption(*add_cmd, add->calendar);
  add_cmd->add_flag("--json", add->json, "print JSON");
  add_cmd->callback([add] { RunAdd(*add); });

  auto list = std::make_shared<ListArgs>();
  CLI::App* list_cmd =
      calendar->add_subcommand("list", "list a year's holidays and make-up working days (调休)");
  list_cmd->add_option("--year", list->year, "year, e.g. 2024")->required();
  AddCalendarOption(*list_cmd, list->calendar);
  list_cmd->add_flag("--json", list->json, "print JSON");
  list_cmd->callback([list] { RunList(*list); });

  auto check = std::make_shared<CheckArgs>();
  CLI::App* check_cmd =
      calendar->add_subcommand("check", "validate a calendar file (e.g. after editing it)");
  AddCalendarOption(*check_cmd, check->calendar);
  check_cmd->add_flag("--json", check->json, "print JSON");
  check_cmd->callback([check] { RunCheck(*check); });
}

}  // namespace hotline::cli
