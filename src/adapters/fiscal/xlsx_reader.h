// A small reader of xlsx workbooks (Office Open XML spreadsheets): the zip container is
// read with zlib, the XML parts with expat. It gives each worksheet as a grid of cell
// strings (shared strings, inline strings, rich-text runs, numbers as written in the
// file, booleans as "1"/"0"); styles, formulas and merged cells are ignored (a formula
// cell gives its cached value). Every defect of the input (not a zip, truncation, an
// entry inflating beyond kMaxXlsxEntryBytes, broken XML, a missing part) is a
// kInvalidArgument error with a Chinese message; nothing throws. Thread-safe (pure).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hotline::adapters::fiscal {

// Caps that keep hostile files cheap: the inflated size of one zip entry and the grid.
inline constexpr size_t kMaxXlsxEntryBytes = size_t{64} << 20;
inline constexpr size_t kMaxXlsxRows = 65536;
inline constexpr size_t kMaxXlsxColumns = 1024;

struct XlsxSheet {
  std::string name;
  // cells[row][col], 0-based; rows may be shorter than others; absent cells are "".
  std::vector<std::vector<std::string>> cells;

  // The cell's text, "" when absent.
  const std::string& At(size_t row, size_t col) const;
};

struct XlsxWorkbook {
  std::vector<XlsxSheet> sheets;  // in workbook order
};

// "A1" for (0, 0), "C7" for (6, 2), "AA10" for (9, 26).
std::string XlsxCellRef(size_t row, size_t col);

// Reads the workbook held in `bytes` (the content of an .xlsx file).
Result<XlsxWorkbook> ReadXlsx(std::string_view bytes);

}  // namespace hotline::adapters::fiscal
