#include <algorithm>

#include "adapters/fiscal/layout.h"
#include "adapters/fiscal/render.h"
#include "adapters/render/xlsx.h"

namespace hotline::adapters::fiscal {
namespace {

// Blue headers, wrapped text, amounts with two decimals; wide first column for the names.
const render::XlsxStyle kStyle{0xDDEBF7, true, "#,##0.00", 36, 14};

}  // namespace

Status RenderXlsx(const domain::fiscal::Document& doc, const std::filesystem::path& out) {
  HOTLINE_ASSIGN_OR_RETURN(render::XlsxWriter wb, render::XlsxWriter::Create(out, kStyle));
  const auto grids = LayoutDisclosure(doc);
  for (size_t gi = 0; gi < grids.size(); ++gi) {
    const LayoutGrid& g = grids[gi];
    size_t width = g.header.size();
    for (const auto& r : g.rows) {
      width = std::max(width, r.size());
    }
    HOTLINE_RETURN_IF_ERROR(wb.AddSheet(g.sheet_name, gi, width));
    wb.Title(g.title);
    std::string sub = g.code;
    if (!doc.unit.empty()) {
      sub += (sub.empty() ? "" : "    ") + std::string("单位：") + doc.unit;
    }
    sub += "    金额单位：万元";
    wb.Line(sub);
    wb.Table(g.header, RenderRows(g));
    wb.Skip();
    for (const auto& n : g.notes) {
      wb.Note(n);
    }
  }
  return wb.Close();
}

}  // namespace hotline::adapters::fiscal
