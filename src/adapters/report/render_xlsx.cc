#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>

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
  static std::atomic<int> counter{0};
  std::filesystem::path tmp =
      std::filesystem::temp_directory_path() /
      fmt::format("hotline-report-{}-{}.xlsx", getpid(), counter.fetch_add(1));
  Status st = RenderReportXlsx(d, tmp);
  if (!st.has_value()) {
    std::filesystem::remove(tmp);
    return st.error();
  }
  std::ifstream in(tmp, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  in.close();
  std::error_code ec;
  std::filesystem::remove(tmp, ec);
  if (bytes.str().empty()) {
    return Internal("读取生成的 xlsx 失败");
  }
  return bytes.str();
}

}  // namespace hotline::adapters::report
