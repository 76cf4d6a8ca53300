// Reading tab-separated files with a header row (the format of the evaluation data sets).
// No quoting: a field is everything between tabs. Free functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hotline::adapters::text {

struct TsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // each exactly header.size() fields
  std::vector<size_t> line_numbers;            // 1-based source line of each row

  // Index of the column named `name`, or -1.
  int Column(std::string_view name) const;
};

// Parses TSV text. A UTF-8 BOM and '\r' line ends are accepted; blank lines are skipped.
// kInvalidArgument (naming `source` and the line) if the header is missing or a row has a
// different number of fields than the header.
Result<TsvTable> ParseTsv(std::string_view text, std::string_view source = "input");

// Reads and parses a TSV file. kNotFound if it cannot be read.
Result<TsvTable> ReadTsvFile(const std::string& path);

}  // namespace hotline::adapters::text
