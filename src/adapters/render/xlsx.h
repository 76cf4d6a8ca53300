// XlsxWriter: writes an xlsx file (libxlsxwriter) of titled table sheets, shared by the report
// and fiscal renderers. Each sheet is written from the top, row after row: a title, plain
// lines, a table (header and cells with borders, numbers as number cells) and notes. One
// workbook is used by one thread at a time; distinct workbooks are independent.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "adapters/render/cell.h"
#include "common/result.h"

namespace hotline::adapters::render {

// How a workbook's sheets look.
struct XlsxStyle {
  uint32_t header_color = 0;       // background of the header cells, 0xRRGGBB
  bool wrap = false;               // wrap the text of header and text cells
  const char* number_format = "";  // Excel format of number cells, e.g. "#,##0.00"
  double first_width = 0;          // width of the first column, in characters
  double other_width = 0;          // width of the other columns
};

class XlsxWriter {
 public:
  // kInternal when `out` cannot be created.
  static Result<XlsxWriter> Create(const std::filesystem::path& out, const XlsxStyle& style);

  XlsxWriter(XlsxWriter&&) noexcept;
  XlsxWriter& operator=(XlsxWriter&&) noexcept;
  XlsxWriter(const XlsxWriter&) = delete;
  XlsxWriter& operator=(const XlsxWriter&) = delete;
  // Closes the workbook (writing what there is) when Close was not called.
  ~XlsxWriter();

  // Starts sheet number `index` (from 0), `columns` wide, named `name` without the
  // characters xlsx forbids ("Sheet<index + 1>" when none is left). kInternal when
  // libxlsxwriter refuses it; the workbook is then closed.
  Status AddSheet(const std::string& name, size_t index, size_t columns);

  // Each writes on the current sheet at the next row, from the first column.
  void Title(const std::string& text);  // bold, larger
  void Line(const std::string& text);   // unformatted
  void Note(const std::string& text);   // wrapped
  void Skip();                          // leaves a row empty
  // The header (a row when not empty) and one row per entry of `rows`.
  void Table(const std::vector<std::string>& header, const std::vector<std::vector<Cell>>& rows);

  // Writes the file. kInternal with libxlsxwriter's reason.
  Status Close();

 private:
  struct State;
  explicit XlsxWriter(std::unique_ptr<State> state);

  std::unique_ptr<State> state_;
};

// The bytes of the xlsx file that `write` makes at the path it is given: a new empty
// temporary file, removed afterwards (libxlsxwriter writes only files). `write`'s error as
// is; kInternal when no temporary file can be made or nothing was written.
Result<std::string> XlsxBytes(const std::function<Status(const std::filesystem::path&)>& write);

}  // namespace hotline::adapters::render
