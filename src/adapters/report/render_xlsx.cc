#include <fmt/format.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>

#include "adapters/report/render.h"

namespace hotline::adapters::report {
namespace {

// Worksheet names: at most 31 characters, none of []:*?/\ .
std::string SheetName(const std::string& name, size_t index) {
  std::string out;
  for (char c : name) {
    if (std::string_view("[]:*?/\\").find(c) == std::string_view::npos) {
      out.push_back(c);
    }
  }
  return out.empty() ? fmt::format("Sheet{}", index + 1) : out;
}

}  // namespace

Status RenderReportXlsx(const app::ReportData& d, const std::filesystem::path& out) {
  lxw_workbook* wb = workbook_new(out.string().c_str());
  if (wb == nullptr) {
    return Internal(fmt::format("无法创建 {}", out.string()));
  }
  lxw_format* title = workbook_add_format(wb);
  format_set_bold(title);
  format_set_font_size(title, 14);
  lxw_format* header = workbook_add_format(wb);
  format_set_bold(header);
  format_set_border(header, LXW_BORDER_THIN);
  format_set_align(header, LXW_ALIGN_CENTER);
  format_set_bg_color(header, 0xF2DCDB);
  lxw_format* text = workbook_add_format(wb);
  format_set_border(text, LXW_BORDER_THIN);
  lxw_format* number = workbook_add_format(wb);
  format_set_border(number, LXW_BORDER_THIN);
  format_set_num_format(number, "#,##0.##");

  const auto sections = ReportSections(d);
  for (size_t si = 0; si < sections.size(); ++si) {
    const ReportSection& s = sections[si];
    lxw_worksheet* ws = workbook_add_worksheet(wb, SheetName(s.title, si).c_str());
    if (ws == nullptr) {
      workbook_close(wb);
      return Internal(fmt::format("无法添加工作表“{}”", s.title));
    }
    worksheet_set_column(ws, 0, 0, 30, nullptr);
    if (s.header.size() > 1) {
      worksheet_set_column(ws, 1, static_cast<lxw_col_t>(s.header.size() - 1), 16, nullptr);
    }
    lxw_row_t row = 0;
    worksheet_write_string(ws, row++, 0, (si == 0 ? d.title : s.title).c_str(), title);
    std::string sub = fmt::format("统计期间：{} 至 {}", d.from, d.to);
    if (!s.note.empty()) {
      sub += "　" + s.note;
    }
    worksheet_write_string(ws, row++, 0, sub.c_str(), nullptr);
    for (size_t c = 0; c < s.header.size(); ++c) {
      worksheet_write_string(ws, row, static_cast<lxw_col_t>(c), s.header[c].c_str(), header);
    }
    ++row;
    for (const auto& r : s.rows) {
      for (size_t c = 0; c < r.size(); ++c) {
        const auto col = static_cast<lxw_col_t>(c);
        if (r[c].number) {
          worksheet_write_number(ws, row, col, *r[c].number, number);
        } else {
          worksheet_write_string(ws, row, col, r[c].text.c_str(), text);
        }
      }
      ++row;
    }
    if (s.rows.empty()) {
      worksheet_write_string(ws, row, 0, "本期无。", nullptr);
    }
  }
  const lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    return Internal(fmt::format("写入 {} 失败：{}", out.string(), lxw_strerror(err)));
  }
  return OkStatus();
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
