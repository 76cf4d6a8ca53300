// `hotline fiscal ...`: reads, checks, scores and produces a unit's final-accounts
// disclosure (部门决算公开: the nine tables, the explanation and the project performance
// self-evaluation sheets). See docs/fiscal.md.
//
//   hotline fiscal check FILE [--format text|json] [--exec-rule SPEC]
//       every finding; exit 0 without errors, 1 with errors, 2 when FILE cannot be read
//   hotline fiscal score FILE [--format text|json] [--exec-rule SPEC] [--kpis KPI.json]
//                        [--store DB --year YYYY]
//       recomputed sheet scores (actual values optionally filled from the platform's KPIs)
//   hotline fiscal render FILE --out DIR [--formats xlsx,html,json,pdf]
//       the tables, the explanation's figures and the sheets as xlsx / HTML / accounts JSON
//   hotline fiscal rules [--format text|json]
//       the rule catalogue
//
// FILE is .txt (the text form, tab-separated cells), .pdf (through pdftotext), .json or .xlsx
// (structured accounts).
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/fiscal/accounts_json.h"
#include "adapters/fiscal/loader.h"
#include "adapters/fiscal/render.h"
#include "adapters/pdf/pdf.h"
#include "app/kpi_service.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "domain/fiscal/document.h"
#include "domain/fiscal/figures.h"
#include "domain/fiscal/rules.h"
#include "domain/fiscal/scoring.h"
#include "domain/kpi/calls.h"

namespace hotline::cli {
namespace {

namespace fs = std::filesystem;
namespace fiscal = domain::fiscal;
namespace io = adapters::fiscal;

constexpr int kExitFindings = 1;  // check: the document has errors; others: a write failed
constexpr int kExitUnreadable = 2;

struct FiscalArgs {
  std::string file;
  std::string format = "text";
  std::string exec_rule;
  std::string kpis;
  std::string store;  // score: fill actual values from this store's KPIs of --year
  int year = 0;
  std::string out;
  std::string formats = "xlsx,html,json";
};

void Fail(int code, const std::string& message) {
  std::fprintf(stderr, "hotline fiscal: 错误：%s\n", message.c_str());
  ExitCode() = code;
}

// Loads FILE and the scoring configuration; false (exit code set) on failure.
bool Load(const FiscalArgs& args, fiscal::Document* doc, fiscal::CheckOptions* options) {
  if (!args.exec_rule.empty()) {
    auto rule = fiscal::ExecutionRateRule::Parse(args.exec_rule);
    if (!rule) {
      Fail(kExitUnreadable, rule.error().message);
      return false;
    }
    options->scoring.execution = *rule;
  }
  auto loaded = io::LoadDisclosure(args.file);
  if (!loaded) {
    Fail(kExitUnreadable, loaded.error().message);
    return false;
  }
  *doc = std::move(*loaded);
  return true;
}

int CountTables(const fiscal::Document& d) {
  int n = 0;
  for (bool p : {d.t01.present, d.t02.present, d.t03.present, d.t04.present, d.t05.present,
                 d.t06.present, d.t07.present, d.t08.present, d.t09.present}) {
    n += p ? 1 : 0;
  }
  return n;
}

void RunCheck(const FiscalArgs& args) {
  fiscal::Document doc;
  fiscal::CheckOptions options;
  if (!Load(args, &doc, &options)) {
    return;
  }
  const auto findings = fiscal::CheckDocument(doc, options);
  const auto summary = fiscal::Summarize(findings);
  if (args.format == "json") {
    std::printf("%s\n", io::FindingsToJson(findings, doc).c_str());
  } else {
    std::printf("核对 %s：公开表 %d/9 张，说明中的金额 %zu 处，绩效自评表 %zu 张\n\n",
                args.file.c_str(), CountTables(doc), doc.explanation.statements.size(),
                doc.sheets.size());
    // Errors first, then warnings, then rounding; document order within each.
    std::vector<const fiscal::Finding*> ordered;
    for (const auto& f : findings) {
      ordered.push_back(&f);
    }
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
      return static_cast<int>(a->severity) < static_cast<int>(b->severity);
    });
    for (const fiscal::Finding* fp : ordered) {
      const fiscal::Finding& f = *fp;
      const std::string line = f.line > 0 ? "（第" + std::to_string(f.line) + "行）" : "";
      std::printf("[%s] %s  %s%s\n", std::string(fiscal::SeverityName(f.severity)).c_str(),
                  f.rule.c_str(), f.where.c_str(), line.c_str());
      std::printf("    %s\n", f.message.c_str());
      if (!f.expected.empty() || !f.actual.empty()) {
        std::printf("    应为：%s；实为：%s\n", f.expected.c_str(), f.actual.c_str());
      }
    }
    std::printf("\n合计：错误 %d 条，警告 %d 条，尾差 %d 条\n", summary.errors, summary.warnings,
                summary.rounding);
  }
  ExitCode() = summary.errors > 0 ? kExitFindings : 0;
}

// The platform's KPIs of `year` from a store, in the self-evaluation sheets' terms
// (docs/fiscal.md): connection rate = 有效接通率 of the call records; seats on duty = the most
// agents logged in during one half hour of the year; the others from the ticket KPIs. A KPI without
// data (no denominator) is left out, so the sheet keeps its stated value.
Result<std::map<fiscal::Kpi, fiscal::Fixed2>> KpisFromStore(const std::string& path, int year) {
  if (year < 2000 || year > 2100) {
    return InvalidArgument("--store 需要同时给出 --year（如 2023）");
  }
  HOTLINE_ASSIGN_OR_RETURN(auto session, OpenSession(path, false));
  auto config = session.config;
  app::KpiService service(
      *session.store, [config] { return config; }, session.store.get());
  app::KpiRequest req{fmt::format("{}-01-01", year), fmt::format("{}-12-31", year), {}};
  HOTLINE_ASSIGN_OR_RETURN(auto report, service.Report(req, false));
  std::map<fiscal::Kpi, fiscal::Fixed2> out;
  auto put = [&](fiscal::Kpi k, double v) {
    if (auto f = fiscal::Fixed2::Parse(fmt::format("{:.2f}", v))) out[k] = *f;
  };
  for (const auto& v : report.kpis) {
    if (!v.denominator || *v.denominator <= 0) {
      continue;
    }
    if (v.id == "effective_connection_rate") put(fiscal::Kpi::kConnectionRate, v.value);
    if (v.id == "instant_answer_rate") put(fiscal::Kpi::kInstantAnswerRate, v.value);
    if (v.id == "dispatch_accuracy") put(fiscal::Kpi::kDispatchAccuracy, v.value);
    if (v.id == "acceptance_rate") put(fiscal::Kpi::kAcceptanceRate, v.value);
    if (v.id == "satisfaction_rate") put(fiscal::Kpi::kSatisfaction, v.value);
  }
  auto from = ParseInstant(req.from);
  auto to = ParseInstant(fmt::format("{}-01-01", year + 1));
  if (from && to) {
    HOTLINE_ASSIGN_OR_RETURN(auto states, session.store->AgentStatesBetween(*from, *to));
    int64_t peak = 0;
    for (const auto& i : domain::kpi::SeatsOnDuty(std::move(states), *from, *to)) {
      peak = std::max(peak, i.agents);
    }
    if (peak > 0) out[fiscal::Kpi::kSeatsOnDuty] = fiscal::Fixed2::FromInt(peak);
  }
  return out;
}

void RunScore(const FiscalArgs& args) {
  fiscal::Document doc;
  fiscal::CheckOptions options;
  if (!Load(args, &doc, &options)) {
    return;
  }
  std::map<fiscal::Kpi, fiscal::Fixed2> from_file;
  if (!args.kpis.empty()) {
    auto text = io::ReadFile(args.kpis);
    if (!text) {
      Fail(kExitUnreadable, text.error().message);
      return;
    }
    auto kpis = io::KpisFromJson(*text);
    if (!kpis) {
      Fail(kExitUnreadable, kpis.error().message);
      return;
    }
    from_file = std::move(*kpis);
    for (auto& sheet : doc.sheets) {
      fiscal::FillActualsFromKpis(sheet, from_file);
    }
  }
  if (!args.store.empty()) {
    auto kpis = KpisFromStore(args.store, args.year);
    if (!kpis) {
      Fail(kExitUnreadable, kpis.error().message);
      return;
    }
    // Values from a --kpis file win: the store fills only what the file did not give.
    std::map<fiscal::Kpi, fiscal::Fixed2> from_store;
    for (const auto& [k, v] : *kpis) {
      if (!from_file.count(k)) from_store[k] = v;
    }
    int filled = 0;
    for (auto& sheet : doc.sheets) {
      filled += fiscal::FillActualsFromKpis(sheet, from_store);
    }
    std::string list;
    for (const auto& [k, v] : from_store) {
      list += fmt::format(" {}={}", fiscal::KpiCode(k), v.ToString());
    }
    std::fprintf(stderr, "已从 %s 填入 %d 年平台指标（%d 个指标值）：%s\n", args.store.c_str(),
                 args.year, filled, list.empty() ? " 无数据" : list.c_str());
  }
  std::vector<fiscal::SheetScore> scores;
  for (const auto& sheet : doc.sheets) {
    scores.push_back(fiscal::ScoreSheet(sheet, options.scoring));
  }
  if (args.format == "json") {
    std::printf("%s\n", io::ScoresToJson(doc, scores).c_str());
    return;
  }
  std::printf("执行率评分规则：%s\n", options.scoring.execution.ToString().c_str());
  for (size_t i = 0; i < doc.sheets.size(); ++i) {
    const auto& sheet = doc.sheets[i];
    const auto& s = scores[i];
    std::printf("\n绩效自评表%zu《%s》\n", i + 1, sheet.project.c_str());
    std::printf(
        "  执行率 %s%%，执行率得分 %s（表中 %s）\n", s.rate ? s.rate->ToString().c_str() : "—",
        s.execution_score.ToShortString().c_str(),
        sheet.total && sheet.total->score ? sheet.total->score->ToShortString().c_str() : "空白");
    for (size_t k = 0; k < sheet.indicators.size(); ++k) {
      const auto& ind = sheet.indicators[k];
      const auto& is = s.indicators[k];
      std::printf("  %-s  目标 %s  实际 %s  分值 %s  得分 %s（表中 %s）  %s\n", ind.name.c_str(),
                  ind.target.raw.c_str(), ind.actual_raw.c_str(),
                  ind.weight ? ind.weight->ToShortString().c_str() : "—",
                  is.score ? is.score->ToShortString().c_str() : "—",
                  ind.score ? ind.score->ToShortString().c_str() : "空白", is.basis.c_str());
    }
    std::printf("  总分 %s，等级 %s（表中 %s，%s）\n", s.total.ToShortString().c_str(),
                s.grade.c_str(),
                sheet.total_score ? sheet.total_score->ToShortString().c_str() : "—",
                sheet.grade.empty() ? "—" : sheet.grade.c_str());
  }
}

void RunRender(const FiscalArgs& args) {
  fiscal::Document doc;
  fiscal::CheckOptions options;
  if (!Load(args, &doc, &options)) {
    return;
  }
  std::error_code ec;
  fs::create_directories(args.out, ec);
  if (ec) {
    Fail(kExitFindings, "无法创建输出目录 " + args.out + "：" + ec.message());
    return;
  }
  if (doc.prior_year.empty()) {
    // A text disclosure states last year only through its changes: recover the figures.
    doc.prior_year = fiscal::PriorYearFromExplanation(doc);
  }
  const fs::path dir(args.out);
  auto wants = [&](std::string_view f) { return args.formats.find(f) != std::string::npos; };
  if (wants("xlsx")) {
    const fs::path path = dir / "disclosure.xlsx";
    if (auto st = io::RenderXlsx(doc, path); !st) {
      Fail(kExitFindings, st.error().message);
      return;
    }
    std::printf("已生成 %s\n", path.string().c_str());
  }
  auto write = [&](const fs::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
    if (!out) {
      Fail(kExitFindings, "无法写入 " + path.string());
      return false;
    }
    std::printf("已生成 %s\n", path.string().c_str());
    return true;
  };
  if (wants("html") && !write(dir / "disclosure.html", io::RenderHtml(doc))) {
    return;
  }
  if (wants("pdf")) {
    // The HTML disclosure printed by Debian's chromium (headless).
    const fs::path path = dir / "disclosure.pdf";
    if (auto st = adapters::pdf::HtmlToPdf(io::RenderHtml(doc), path.string()); !st) {
      Fail(kExitFindings, st.error().message);
      return;
    }
    std::printf("已生成 %s\n", path.string().c_str());
  }
  if (wants("json") && !write(dir / "accounts.json", io::DocumentToJson(doc))) {
    return;
  }
}

void RunRules(const FiscalArgs& args) {
  if (args.format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : fiscal::RuleCatalogue()) {
      list.push_back({{"rule", r.id},
                      {"severity", fiscal::SeverityCode(r.severity)},
                      {"description", r.description}});
    }
    std::printf("%s\n", list.dump(2).c_str());
    return;
  }
  for (const auto& r : fiscal::RuleCatalogue()) {
    std::printf("%-28s %-8s %s\n", std::string(r.id).c_str(),
                std::string(fiscal::SeverityCode(r.severity)).c_str(),
                std::string(r.description).c_str());
  }
}

}  // namespace

void RegisterFiscalCommands(CLI::App& app) {
  auto args = std::make_shared<FiscalArgs>();
  CLI::App* fiscal_app =
      app.add_subcommand("fiscal", "部门决算公开：核对、评分、生成 (final accounts disclosure)");
  fiscal_app->require_subcommand(1);

  CLI::App* check = fiscal_app->add_subcommand(
      "check", "核对公开表、情况说明和绩效自评表；有错误时退出码为1，文件无法读取为2");
  check->add_option("file", args->file, "决算文档：.txt、.pdf 或结构化 .json / .xlsx")->required();
  check->add_option("--format", args->format, "输出格式 text|json")
      ->check(CLI::IsMember({"text", "json"}));
  check->add_option("--exec-rule", args->exec_rule,
                    "执行率评分规则，如 100:100,90:70,60:40 或 proportional");
  check->callback([args]() { RunCheck(*args); });

  CLI::App* score = fiscal_app->add_subcommand("score", "按评分规则重新计算绩效自评表得分");
  score->add_option("file", args->file, "决算文档：.txt、.pdf 或结构化 .json / .xlsx")->required();
  score->add_option("--format", args->format, "输出格式 text|json")
      ->check(CLI::IsMember({"text", "json"}));
  score->add_option("--exec-rule", args->exec_rule, "执行率评分规则");
  score->add_option("--kpis", args->kpis,
                    "平台 KPI 的 JSON 文件，用于填写实际完成值，如 "
                    "{\"connection_rate\":99.6,\"seats_on_duty\":34}");
  score->add_option("--store", args->store,
                    "从本平台数据库取该年度 KPI 填写实际完成值（需 --year）");
  score->add_option("--year", args->year, "年度，如 2023（与 --store 同用）");
  score->callback([args]() { RunScore(*args); });

  CLI::App* render = fiscal_app->add_subcommand(
      "render", "生成九张公开表、说明数据和绩效自评表（xlsx、HTML、结构化 JSON）");
  render->add_option("file", args->file, "决算文档：.txt、.pdf 或结构化 .json / .xlsx")->required();
  render->add_option("--out", args->out, "输出目录")->required();
  render->add_option("--formats", args->formats,
                     "逗号分隔：xlsx,html,json,pdf（pdf 需要 chromium）");
  render->callback([args]() { RunRender(*args); });

  CLI::App* rules = fiscal_app->add_subcommand("rules", "列出全部核对规则");
  rules->add_option("--format", args->format, "输出格式 text|json")
      ->check(CLI::IsMember({"text", "json"}));
  rules->callback([args]() { RunRules(*args); });
}

}  // namespace hotline::cli
