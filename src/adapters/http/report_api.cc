#include "adapters/http/report_api.h"

#include <fmt/format.h>

#include <atomic>
#include <nlohmann/json.hpp>

#include "adapters/http/api_support.h"
#include "adapters/pdf/pdf.h"
#include "adapters/report/render.h"
#include "adapters/report/scheme_json.h"
#include "domain/fields.h"

namespace hotline::adapters::http {

using nlohmann::json;

namespace {

bool MayReadReports(domain::Role role) {
  using domain::Role;
  return role == Role::kLeader || role == Role::kSupervisor || role == Role::kInspector ||
         role == Role::kAdmin;
}

std::string Get(const RequestContext& ctx, const char* key) {
  auto it = ctx.query.find(key);
  return it == ctx.query.end() ? std::string() : it->second;
}

}  // namespace

ReportApi::ReportApi(app::TicketService& service, ports::KpiStore& kpis,
                     ports::DirectoryStore& directory)
    : assessments_(
          kpis, [&service] { return service.config(); },
          [&directory] { return report::LoadScheme(directory); }),
      reports_(
          kpis, [&service] { return service.config(); },
          [&directory] { return report::LoadScheme(directory); }),
      service_(service) {}

void ReportApi::EnableCampaigns(ports::ProgrammeStore& store, ports::TicketStore& tickets,
                                const ports::Clock& clock) {
  programmes_ = std::make_unique<app::ProgrammeService>(store, tickets, clock,
                                                        [this] { return service_.config(); });
  reports_.SetProgrammes(programmes_.get());
}

const std::vector<ReportApi::Route>& ReportApi::Table() {
  static const std::vector<Route> table = {
      {{"get", "/api/v1/assessment",
        "单位考核：period=YYYY-MM 或 YYYYQn；按层级排名，含各项得分、指标分子分母和扣分工单编号"
        "（领导、督办、质检、管理员看全部单位；单位用户只看本单位得分和名次）",
        true},
       &ReportApi::Assessment},
      {{"get", "/api/v1/reports/{kind}",
        "报告：kind=daily|weekly|monthly|theme（或 thematic），date=YYYY-MM-DD，"
        "format=html|xlsx|pdf；专题报告须给 category（分类编号）或 campaign（专题活动编号，"
        "期间默认为专题期间），可给 from、to；xlsx 以附件下载（领导、督办、质检、管理员）",
        true},
       &ReportApi::Report},
  };
  return table;
}

std::vector<RouteDoc> ReportApi::Routes() const { return RouteDocs(Table()); }

std::optional<HttpResponse> ReportApi::Handle(RequestContext& ctx) {
  return ServeRoute(*this, Table(), ctx);
}

HttpResponse ReportApi::Assessment(RequestContext& ctx) {
  std::string period = Get(ctx, "period");
  if (period.empty()) {
    period = FormatLocalDate(ctx.now).substr(0, 7);
  }
  auto a = assessments_.AssessFor(ctx.actor, period);
  if (!a.has_value()) {
    return FromError(a.error());
  }
  return Json(200, report::AssessmentJson(*a));
}

HttpResponse ReportApi::Report(RequestContext& ctx) {
  const std::string& kind_code = ctx.parts[1];
  if (!MayReadReports(ctx.actor.role)) {
    return Forbidden(fmt::format("角色“{}”无权查看报告", domain::ChineseName(ctx.actor.role)));
  }
  auto kind = app::ParseReportKind(kind_code);
  if (!kind) {
    return NotFoundResponse(fmt::format("报告类型不存在: {}", kind_code));
  }
  app::ReportRequest req;
  req.kind = *kind;
  req.date = Get(ctx, "date");
  if (req.date.empty()) {
    req.date = FormatLocalDate(ctx.now);
  }
  req.from = Get(ctx, "from");
  req.to = Get(ctx, "to");
  if (std::string c = Get(ctx, "category"); !c.empty()) {
    auto id = domain::ParseInt64(c);
    if (!id.has_value() || *id <= 0) {
      return BadRequest(fmt::format("参数 category 应为正整数编号: {}", c));
    }
    req.category = domain::CategoryId{*id};
  }
  if (std::string c = Get(ctx, "campaign"); !c.empty()) {
    auto id = domain::ParseInt64(c);
    if (!id.has_value() || *id <= 0) {
      return BadRequest(fmt::format("参数 campaign 应为正整数编号: {}", c));
    }
    req.campaign = *id;
  }
  req.actor = ctx.actor;
  std::string format = Get(ctx, "format");
  if (format.empty()) {
    format = "html";
  }
  if (format != "html" && format != "xlsx" && format != "pdf") {
    return BadRequest("参数 format 应为 html、xlsx 或 pdf");
  }
  auto data = reports_.Build(req);
  if (!data.has_value()) {
    return FromError(data.error());
  }
  HttpResponse r;
  if (format == "html") {
    r.content_type = "text/html; charset=utf-8";
    r.body = report::RenderReportHtml(*data);
    return r;
  }
  if (format == "pdf") {
    // A browser process per PDF: a few at a time, the others are told to retry.
    static std::atomic<int> in_flight{0};
    constexpr int kMaxConcurrentPdf = 2;
    if (in_flight.fetch_add(1) >= kMaxConcurrentPdf) {
      in_flight.fetch_sub(1);
      return FromError(Error{ErrorCode::kResourceExhausted, "正在生成的 PDF 过多，请稍后重试"});
    }
    auto pdf_bytes = pdf::HtmlToPdfBytes(report::RenderReportHtml(*data));
    in_flight.fetch_sub(1);
    if (!pdf_bytes.has_value()) {
      return FromError(pdf_bytes.error());
    }
    r.content_type = "application/pdf";
    r.body = std::move(*pdf_bytes);
    r.headers.emplace_back("Content-Disposition",
                           fmt::format("attachment; filename=\"report-{}-{}.pdf\"",
                                       app::Code(data->kind), data->from));
    return r;
  }
  auto bytes = report::RenderReportXlsxBytes(*data);
  if (!bytes.has_value()) {
    return FromError(bytes.error());
  }
  r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  r.body = std::move(*bytes);
  r.headers.emplace_back(
      "Content-Disposition",
      fmt::format("attachment; filename=\"report-{}-{}.xlsx\"", app::Code(data->kind), data->from));
  return r;
}

}  // namespace hotline::adapters::http
