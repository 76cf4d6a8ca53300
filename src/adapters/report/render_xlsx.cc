#include <fmt/format.h>

#include "adapters/render/xlsx.h"
#include "adapters/report/render.h"

namespace hotline::adapters::report {
namespace {

// Red headers, unwrapped text, numbers with up to two decimals.
const render::XlsxStyle kStyle{0xF2DCDB, false, "#,##0.##", 30, 16};

}  // namespace

Status RenderReportXlsx(const app::ReportData& d, const std::filesystem::path& out) {
  HOTLINE_ASSIGN_OR_RETURN(render::XlsxWriter wb, render::XlsxWriter::Create(out, kStyle));
  const auto sections = ReportSections(d);
  for (size_t si = 0; si < sections.size(); ++si) {
    const ReportSection& s = sections[si];
    HOTLINE_RETURN_IF_ERROR(wb.AddSheet(s.title, si, s.header.size()));
    wb.Title(si == 0 ? d.title : s.title);
    std::string sub = fmt::format("统计期间：{} 至 {}", d.from, d.to);
    if (!s.note.empty()) {
      sub += "　" + s.note;
    }
    wb.Line(sub);
    wb.Table(s.header, s.rows);
    if (s.rows.empty()) {
      wb.Line("本期无。");
    }
  }
  return wb.Close();
}

Result<std::string> RenderReportXlsxBytes(const app::ReportData& d) {
  return render::XlsxBytes(
      [&d](const std::filesystem::path& out) { return RenderReportXlsx(d, out); });
}

}  // namespace hotline::adapters::report
