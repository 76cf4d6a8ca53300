// hotline jobs run | hotline kpi [rebuild|verify]: one pass of the time-limit job, and the
// KPIs of docs/kpi.md for a period and scope (a table, then one JSON line).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "app/deadline_jobs.h"
#include "app/kpi_service.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "domain/kpi/ladder.h"

namespace hotline::cli {
namespace {

constexpr char kLadderSetting[] = "deadline_ladder";

void RunJobs(const std::string& path, const std::string& at) {
  auto session = OpenSession(path);
  if (!session.has_value()) {
    return Fail(session.error());
  }
  Instant now = session->clock->Now();
  if (!at.empty()) {
    auto t = ParseInstant(at);
    if (!t.has_value()) {
      return Fail("--at 应为 \"YYYY-MM-DD HH:MM:SS\"", 2);
    }
    now = *t;
    // Events are stamped by the service's clock: run the pass on a clock fixed at --at.
    session->clock = std::make_unique<ports::FakeClock>(now);
    session->service =
        std::make_unique<app::TicketService>(*session->store, *session->clock, session->config);
  }
  app::DeadlineJobOptions options;
  auto ladder_text = session->store->GetSetting(kLadderSetting);
  if (ladder_text.has_value() && ladder_text->has_value()) {
    auto ladder = domain::kpi::DeadlineLadder::Parse(**ladder_text);
    if (!ladder.has_value()) {
      return Fail(ladder.error());
    }
    options.ladder = *ladder;
  }
  app::DeadlineJobs jobs(*session->service, *session->store, *session->store, options);
  auto report = jobs.RunOnce(now);
  if (!report.has_value()) {
    return Fail(report.error());
  }
  for (const auto& s : report->steps) {
    fmt::print("{}  {:<11} {:<9} {:<9} 应于 {}{}\n", s.number, s.step, s.action, s.outcome,
               FormatLocal(s.due_at), s.detail.empty() ? "" : "  " + s.detail);
  }
  nlohmann::json j{{"at", FormatLocal(report->at)},    {"scanned", report->scanned},
                   {"reminded", report->reminded},     {"urged", report->urged},
                   {"supervised", report->supervised}, {"recovered", report->recovered},
                   {"already_done", report->skipped},  {"failed", report->failed}};
  fmt::print("{}\n", j.dump());
  if (report->failed > 0) {
    ExitCode() = 1;
  }
}

struct KpiArgs {
  std::string store = "var/hotline.db";
  std::string from;
  std::string to;
  std::string unit;
  std::string region;
  std::string category;
  std::string type;
  std::string channel;
  std::string drill;
  bool by_unit = false;
};

void RunKpi(const KpiArgs& a) {
  auto session = OpenSession(a.store);
  if (!session.has_value()) {
    return Fail(session.error());
  }
  const auto& org = session->config->org;
  app::KpiRequest req;
  req.from = a.from;
  req.to = a.to;
  if (!a.unit.empty()) {
    const domain::Unit* u = org.FindUnitByCode(a.unit);
    if (u == nullptr) {
      return Fail("未知单位: " + a.unit, 2);
    }
    req.scope.unit = u->id;
  }
  if (!a.region.empty()) {
    const domain::Region* r = org.FindRegionByCode(a.region);
    if (r == nullptr) {
      for (const auto& x : org.regions()) {
        if (x.name == a.region) {
          r = &x;
        }
      }
    }
    if (r == nullptr) {
      return Fail("未知区划: " + a.region, 2);
    }
    req.scope.region = r->id;
  }
  if (!a.category.empty()) {
    const domain::Category* c = session->config->categories.FindByPath(a.category);
    if (c == nullptr) {
      return Fail("未知分类: " + a.category, 2);
    }
    req.scope.category = c->id;
  }
  if (!a.type.empty()) {
    req.scope.type = domain::ParseRequestType(a.type);
    if (!req.scope.type) {
      return Fail("未知诉求类型: " + a.type, 2);
    }
  }
  if (!a.channel.empty()) {
    req.scope.channel = domain::ParseChannel(a.channel);
    if (!req.scope.channel) {
      return Fail("未知渠道: " + a.channel, 2);
    }
  }
  app::KpiService kpis(*session->store, [&session] { return session->service->config(); });
  if (!a.drill.empty()) {
    int64_t after = 0;
    nlohmann::json numbers = nlohmann::json::array();
    do {
      auto page = kpis.Tickets(req, a.drill, after, 1000);
      if (!page.has_value()) {
        return Fail(page.error());
      }
      for (const auto& t : page->tickets) {
        fmt::print("{}  {}\n", t.number, t.day);
        numbers.push_back(t.number);
      }
      after = page->next_after;
    } while (after != 0);
    fmt::print("{}\n", nlohmann::json{{"kpi", a.drill}, {"tickets", numbers.size()}}.dump());
    return;
  }
  auto report = kpis.Report(req, a.by_unit);
  if (!report.has_value()) {
    return Fail(report.error(), report.error().code == ErrorCode::kInvalidArgument ? 2 : 1);
  }
  fmt::print("{} 至 {}\n", report->from, report->to);
  nlohmann::json out{{"from", report->from}, {"to", report->to}};
  nlohmann::json kpis_json = nlohmann::json::object();
  for (const auto& k : report->kpis) {
    std::string value = k.unit == "%"        ? fmt::format("{:.2f}%", k.value)
                        : k.unit == "工作日" ? fmt::format("{:.2f} 工作日", k.value)
                                             : fmt::format("{} 件", k.numerator);
    std::string ratio = k.denominator ? fmt::format("{} / {}", k.numerator, *k.denominator) : "";
    fmt::print("  {:<26} {:<18} {:>14}  {}\n", k.id, k.name, value, ratio);
    kpis_json[k.id] = k.denominator ? nlohmann::json{{"value", std::round(k.value * 100) / 100},
                                                     {"numerator", k.numerator},
                                                     {"denominator", *k.denominator}}
                                    : nlohmann::json(k.numerator);
  }
  if (a.by_unit) {
    fmt::print("按单位：\n");
    for (const auto& g : report->by_unit) {
      fmt::print("  {:<24}", g.name);
      for (const auto& k : g.kpis) {
        if (k.id == "replied" || k.id == "on_time_completion_rate" || k.id == "satisfaction_rate") {
          fmt::print("  {} {}", k.name,
                     k.denominator ? fmt::format("{:.2f}%", k.value) : std::to_string(k.numerator));
        }
      }
      fmt::print("\n");
    }
  }
  out["kpis"] = kpis_json;
  fmt::print("{}\n", out.dump());
}

}  // namespace

void RegisterKpiCommands(CLI::App& app) {
  auto* jobs = app.add_subcommand("jobs", "后台任务：时限提醒、超期催办、督办升级");
  jobs->require_subcommand(1);
  auto* run = jobs->add_subcommand("run", "运行一次时限任务，打印触发的步骤，最后一行为 JSON 计数");
  auto path = std::make_shared<std::string>("var/hotline.db");
  auto at = std::make_shared<std::string>();
  run->add_option("--store", *path, "数据库文件路径")->capture_default_str();
  run->add_option("--at", *at, "按此时刻运行（\"YYYY-MM-DD HH:MM:SS\"，默认现在）");
  run->callback([path, at] { RunJobs(*path, *at); });

  auto args = std::make_shared<KpiArgs>();
  auto* kpi = app.add_subcommand("kpi", "考核指标（定义见 docs/kpi.md）：表格，最后一行为 JSON");
  kpi->add_option("--store", args->store, "数据库文件路径")->capture_default_str();
  kpi->add_option("--from", args->from, "起始日期 YYYY-MM-DD（含）");
  kpi->add_option("--to", args->to, "截止日期 YYYY-MM-DD（含）");
  kpi->add_option("--unit", args->unit, "单位代码（含下级单位）");
  kpi->add_option("--region", args->region, "区划代码或名称（含下级区划）");
  kpi->add_option("--category", args->category, "分类路径，如 城乡建设/市政设施");
  kpi->add_option("--type", args->type, "诉求类型（咨询、投诉…）");
  kpi->add_option("--channel", args->channel, "渠道（phone、web…）");
  kpi->add_option("--tickets", args->drill, "列出构成该指标的工单编号（指标 id）");
  kpi->add_flag("--by-unit", args->by_unit, "按单位分解");
  auto* rebuild = kpi->add_subcommand("rebuild", "按事件日志重建指标明细与日汇总（单个事务）");
  rebuild->add_option("--store", args->store, "数据库文件路径")->capture_default_str();
  rebuild->callback([args] {
    auto session = OpenSession(args->store);
    if (!session.has_value()) {
      return Fail(session.error());
    }
    auto before = session->store->KpiAggregateDump();
    auto st = session->store->RebuildKpi();
    auto after = session->store->KpiAggregateDump();
    if (!st.has_value() || !before.has_value() || !after.has_value()) {
      return Fail(!st.has_value() ? st.error() : Error{ErrorCode::kInternal, "读取汇总失败"});
    }
    bool same = *before == *after;
    fmt::print("{}\n",
               same ? "增量汇总与重建结果一致" : "增量汇总与重建结果不一致，已按重建结果更正");
    fmt::print("{}\n", nlohmann::json{{"rows", after->size()}, {"matched", same}}.dump());
  });
  kpi->callback([kpi, args] {
    if (!kpi->get_subcommands().empty()) {
      return;
    }
    if (args->from.empty() || args->to.empty()) {
      return Fail("需要 --from 和 --to（YYYY-MM-DD）", 2);
    }
    RunKpi(*args);
  });
}

}  // namespace hotline::cli
