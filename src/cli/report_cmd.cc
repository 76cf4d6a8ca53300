// hotline report | hotline assess: the reports for the city government (docs/reports.md)
// as HTML or xlsx, and the unit assessment of a month or quarter (docs/assessment.md) as a
// table and one JSON line; `hotline assess scheme [--set FILE]` shows or stores the scheme.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "adapters/http/hot_topics_api.h"
#include "adapters/pdf/pdf.h"
#include "adapters/report/render.h"
#include "adapters/report/scheme_json.h"
#include "app/report_service.h"
#include "cli/commands.h"
#include "cli/common.h"

namespace hotline::cli {
namespace {

namespace rep = adapters::report;

struct ReportArgs {
  std::string store = "var/hotline.db";
  std::string kind = "daily";
  std::string date;
  std::string period;  // --period YYYY-MM: a monthly report
  std::string category;
  int64_t campaign = 0;  // --campaign ID: a campaign's thematic report
  std::string as = "admin";
  std::string from;  // thematic reports: an explicit period
  std::string to;
  std::string format = "html";
  std::string out;
};

void RunReport(const ReportArgs& a, bool kind_given) {
  auto kind = app::ParseReportKind(a.kind);
  if (!kind) {
    return Fail("--kind 应为 daily、weekly、monthly 或 theme（thematic）", 2);
  }
  if (a.campaign < 0) {
    return Fail("--campaign 应为专题编号（正整数）", 2);
  }
  if (a.campaign > 0 && !kind_given) {
    kind = app::ReportKind::kTheme;  // --campaign alone means its thematic report
  }
  if (a.campaign > 0 && *kind != app::ReportKind::kTheme) {
    return Fail("--campaign 只用于专题报告（--kind theme）", 2);
  }
  std::string date = a.date;
  if (!a.period.empty()) {
    kind = app::ReportKind::kMonthly;
    date = a.period + "-01";
  }
  if (date.empty() && a.campaign == 0) {
    return Fail("需要 --date YYYY-MM-DD（或 --period YYYY-MM）", 2);
  }
  if (a.format != "html" && a.format != "xlsx" && a.format != "pdf") {
    return Fail("--format 应为 html、xlsx 或 pdf", 2);
  }
  if (a.out.empty()) {
    return Fail("需要 --out 输出文件", 2);
  }
  auto session = OpenSession(a.store);
  if (!session.has_value()) {
    return Fail(session.error());
  }
  app::ReportRequest req;
  req.kind = *kind;
  req.date = date;
  req.from = a.from;
  req.to = a.to;
  if (!a.category.empty()) {
    const domain::Category* c = session->config->categories.FindByPath(a.category);
    if (c == nullptr) {
      return Fail("未知分类: " + a.category, 2);
    }
    req.category = c->id;
  }
  auto* store = session->store.get();
  app::ReportService reports(
      *store, [&session] { return session->service->config(); },
      [store] { return rep::LoadScheme(*store); });
  // A campaign's report reads the campaign through the programme service, as `--as`.
  std::unique_ptr<app::ProgrammeService> programmes;
  if (a.campaign > 0) {
    auto actor = session->config->org.ActorFor(a.as);
    if (!actor.has_value()) {
      return Fail(actor.error(), 2);
    }
    req.campaign = a.campaign;
    req.actor = *actor;
    auto* service = session->service.get();
    programmes = std::make_unique<app::ProgrammeService>(*store, *store, *session->clock,
                                                         [service] { return service->config(); });
    reports.SetProgrammes(programmes.get());
  }
  // The text hot topics of every report (docs/hot_topics.md).
  auto tokenizer = adapters::text::Tokenizer::CreateDefault();
  if (tokenizer.has_value()) {
    reports.SetHotTopicProvider(adapters::http::MakeReportHotTopicProvider(
        *store, [&session] { return session->service->config(); }, **tokenizer));
  }
  auto data = reports.Build(req);
  if (!data.has_value()) {
    return Fail(data.error(), data.error().code == ErrorCode::kInvalidArgument ? 2 : 1);
  }
  if (a.format == "xlsx") {
    auto st = rep::RenderReportXlsx(*data, a.out);
    if (!st.has_value()) {
      return Fail(st.error());
    }
  } else if (a.format == "pdf") {
    // The HTML report printed by Debian's chromium: the same layout as the browser view.
    auto st = adapters::pdf::HtmlToPdf(rep::RenderReportHtml(*data), a.out);
    if (!st.has_value()) {
      return Fail(st.error());
    }
  } else {
    std::ofstream f(a.out, std::ios::binary);
    f << rep::RenderReportHtml(*data);
    if (!f) {
      return Fail("无法写入 " + a.out);
    }
  }
  int64_t received = data->kpis.empty() ? 0 : data->kpis.front().numerator;
  fmt::print("{}\n已写入 {}\n", data->title, a.out);
  nlohmann::json line{{"kind", std::string(app::Code(data->kind))},
                      {"from", data->from},
                      {"to", data->to},
                      {"received", received},
                      {"format", a.format},
                      {"out", a.out}};
  if (data->campaign) {
    line["campaign"] = data->campaign->id;
    line["tickets"] = data->campaign->tickets;
    line["overdue"] = data->campaign->overdue;
  }
  fmt::print("{}\n", line.dump());
}

void RunAssess(const std::string& path, const std::string& month, const std::string& quarter) {
  if (month.empty() == quarter.empty()) {
    return Fail("需要 --month YYYY-MM 或 --quarter YYYYQn（二选一）", 2);
  }
  auto session = OpenSession(path);
  if (!session.has_value()) {
    return Fail(session.error());
  }
  auto* store = session->store.get();
  app::AssessmentService service(
      *store, [&session] { return session->service->config(); },
      [store] { return rep::LoadScheme(*store); });
  auto a = service.Assess(month.empty() ? quarter : month);
  if (!a.has_value()) {
    return Fail(a.error(), a.error().code == ErrorCode::kInvalidArgument ? 2 : 1);
  }
  fmt::print("{}  {} 至 {}  {}\n", a->period.label, a->period.from, a->period.to, a->scheme.name);
  std::string level;
  for (const auto& u : a->units) {
    std::string l(domain::assessment::ChineseName(u.level));
    if (l != level) {
      level = l;
      fmt::print("{}\n", level);
    }
    std::string detail;
    for (const auto& c : u.components) {
      detail += fmt::format(" {}{:.2f}", c.component.id, c.points);
    }
    for (const auto& d : u.deductions) {
      if (d.count > 0) detail += fmt::format(" -{}×{}={:.2f}", d.item.id, d.count, d.points);
    }
    for (const auto& b : u.bonuses) {
      if (b.count > 0) detail += fmt::format(" +{}×{}={:.2f}", b.item.id, b.count, b.points);
    }
    fmt::print("  {:>4}  {:<28} {:>7.2f} {}\n",
               u.ranked ? std::to_string(u.rank) + "/" + std::to_string(u.rank_of) : "-", u.name,
               u.score, detail);
  }
  fmt::print("{}\n", rep::AssessmentJson(*a).dump());
}

void RunScheme(const std::string& path, const std::string& set) {
  auto session = OpenSession(path);
  if (!session.has_value()) {
    return Fail(session.error());
  }
  if (!set.empty()) {
    auto text = ReadFile(set);
    if (!text.has_value()) {
      return Fail(text.error());
    }
    auto scheme = rep::ParseSchemeJson(*text);
    if (!scheme.has_value()) {
      return Fail(scheme.error(), 2);
    }
    auto st =
        session->store->PutSetting(rep::kAssessmentSchemeSetting, rep::SchemeJson(*scheme).dump());
    if (!st.has_value()) {
      return Fail(st.error());
    }
  }
  auto scheme = rep::LoadScheme(*session->store);
  if (!scheme.has_value()) {
    return Fail(scheme.error());
  }
  fmt::print("{}\n", rep::SchemeJson(*scheme).dump());
}

}  // namespace

void RegisterReportCommands(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  auto* report = app.add_subcommand("report", "报告（日报、周报、月报、专题）：HTML 或 xlsx");
  report->add_option("--store", args->store, "数据库文件路径")->capture_default_str();
  auto* kind = report->add_option("--kind", args->kind, "daily|weekly|monthly|theme（thematic）")
                   ->capture_default_str();
  report->add_option("--date", args->date, "日期 YYYY-MM-DD（所在日、周、月）");
  report->add_option("--period", args->period, "月份 YYYY-MM：月报（等同 --kind monthly）");
  report->add_option("--category", args->category,
                     "分类路径（专题报告：分类或 --campaign 二选一）");
  report->add_option("--campaign", args->campaign, "专题活动编号：该专题的专题报告");
  report->add_option("--as", args->as, "以该用户身份读取专题活动（--campaign）")
      ->capture_default_str();
  report->add_option("--from", args->from,
                     "专题报告的起始日期 YYYY-MM-DD（默认：所在月或专题期间）");
  report->add_option("--to", args->to, "专题报告的截止日期 YYYY-MM-DD");
  report->add_option("--format", args->format, "html|xlsx|pdf")->capture_default_str();
  report->add_option("--out", args->out, "输出文件");
  report->callback([args, kind] { RunReport(*args, kind->count() > 0); });

  auto path = std::make_shared<std::string>("var/hotline.db");
  auto month = std::make_shared<std::string>();
  auto quarter = std::make_shared<std::string>();
  auto set = std::make_shared<std::string>();
  auto* assess =
      app.add_subcommand("assess", "单位考核：按层级排名的得分表，最后一行为 JSON（含扣分依据）");
  assess->add_option("--store", *path, "数据库文件路径")->capture_default_str();
  assess->add_option("--month", *month, "月份 YYYY-MM");
  assess->add_option("--quarter", *quarter, "季度 YYYYQn");
  auto* scheme = assess->add_subcommand("scheme", "显示考核方案（JSON）；--set 文件：校验后保存");
  scheme->add_option("--store", *path, "数据库文件路径")->capture_default_str();
  scheme->add_option("--set", *set, "新的考核方案 JSON 文件");
  scheme->callback([path, set] { RunScheme(*path, *set); });
  assess->callback([assess, path, month, quarter] {
    if (!assess->get_subcommands().empty()) {
      return;
    }
    RunAssess(*path, *month, *quarter);
  });
}

}  // namespace hotline::cli
