// Layout of a disclosure for rendering: the nine tables, the explanation's figures and
// the self-evaluation sheets as titled grids of cells, shared by the xlsx and HTML
// renderers. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "adapters/render/cell.h"
#include "domain/fiscal/document.h"

namespace hotline::adapters::fiscal {

struct LayoutCell {
  std::string text;
  std::optional<domain::fiscal::Fixed2> number;  // set for amounts (rendered as numbers)
  bool bold = false;
};

struct LayoutGrid {
  std::string sheet_name;  // short, for an xlsx tab: "01 收入支出决算总表"
  std::string title;       // 收入支出决算总表
  std::string code;        // 公开01表 (empty for figures and sheets)
  std::vector<std::string> header;
  std::vector<std::vector<LayoutCell>> rows;
  std::vector<std::string> notes;  // notes and free text below the grid
};

std::vector<LayoutGrid> LayoutDisclosure(const domain::fiscal::Document& doc);

// The grid's rows as the shared renderers' cells (adapters/render).
std::vector<std::vector<render::Cell>> RenderRows(const LayoutGrid& grid);

}  // namespace hotline::adapters::fiscal
