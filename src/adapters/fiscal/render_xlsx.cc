#include <fmt/format.h>
#include <xlsxwriter.h>

#include <algorithm>

#include "adapters/fiscal/layout.h"
#include "adapters/fiscal/render.h"

namespace hotline::adapters::fiscal {
namespace {

constexpr double kNameWidth = 36;
constexpr double kNumberWidth = 14;

// Worksheet names: at most 31 characters, none of []:*?/\ .
std::string SheetName(const std::string& name, int index) {
  std::string out;
  for (char c : name) {
    if (std::string_view("[]:*?/\\").find(c) == std::string_view::npos) {
      out.push_back(c);
    }
  }
  if (out.empty()) {
    out = fmt::format("Sheet{}", index + 1);
  }
  return out;
}

}  // namespace

Status RenderXlsx(const domain::fiscal::Document& doc, const std::filesystem::path& out) {
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
  format_set_text_wrap(header);
  format_set_align(header, LXW_ALIGN_CENTER);
  format_set_bg_color(header, 0xDDEBF7);
  lxw_format* text = workbook_add_format(wb);
  format_set_border(text, LXW_BORDER_THIN);
  format_set_text_wrap(text);
  lxw_format* text_bold = workbook_add_format(wb);
  format_set_border(text_bold, LXW_BORDER_THIN);
  format_set_bold(text_bold);
  format_set_text_wrap(text_bold);
  lxw_format* number = workbook_add_format(wb);
  format_set_border(number, LXW_BORDER_THIN);
  format_set_num_format(number, "#,##0.00");
  lxw_format* number_bold = workbook_add_format(wb);
  format_set_border(number_bold, LXW_BORDER_THIN);
  format_set_num_format(number_bold, "#,##0.00");
  format_set_bold(number_bold);
  lxw_format* note = workbook_add_format(wb);
  format_set_text_wrap(note);

  const auto grids = LayoutDisclosure(doc);
  for (size_t gi = 0; gi < grids.size(); ++gi) {
    const LayoutGrid& g = grids[gi];
    lxw_worksheet* ws =
        workbook_add_worksheet(wb, SheetName(g.sheet_name, static_cast<int>(gi)).c_str());
    if (ws == nullptr) {
      workbook_close(wb);
      return Internal(fmt::format("无法添加工作表“{}”", g.sheet_name));
    }
    size_t width = g.header.size();
    for (const auto& r : g.rows) {
      width = std::max(width, r.size());
    }
    worksheet_set_column(ws, 0, 0, kNameWidth, nullptr);
    if (width > 1) {
      worksheet_set_column(ws, 1, static_cast<lxw_col_t>(width - 1), kNumberWidth, nullptr);
    }
    lxw_row_t row = 0;
    worksheet_write_string(ws, row++, 0, g.title.c_str(), title);
    std::string sub = g.code;
    if (!doc.unit.empty()) {
      sub += (sub.empty() ? "" : "    ") + std::string("单位：") + doc.unit;
    }
    sub += "    金额单位：万元";
    worksheet_write_string(ws, row++, 0, sub.c_str(), nullptr);
    if (!g.header.empty()) {
      for (size_t c = 0; c < g.header.size(); ++c) {
        worksheet_write_string(ws, row, static_cast<lxw_col_t>(c), g.header[c].c_str(), header);
      }
      ++row;
    }
    for (const auto& r : g.rows) {
      for (size_t c = 0; c < r.size(); ++c) {
        const LayoutCell& cell = r[c];
        const auto col = static_cast<lxw_col_t>(c);
        if (cell.number) {
          worksheet_write_number(ws, row, col, cell.number->ToDouble(),
                                 cell.bold ? number_bold : number);
        } else {
          worksheet_write_string(ws, row, col, cell.text.c_str(), cell.bold ? text_bold : text);
        }
      }
      ++row;
    }
    ++row;
    for (const auto& n : g.notes) {
      worksheet_write_string(ws, row++, 0, n.c_str(), note);
    }
  }
  const lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    return Internal(fmt::format("写入 {} 失败：{}", out.string(), lxw_strerror(err)));
  }
  return OkStatus();
}

}  // namespace hotline::adapters::fiscal
