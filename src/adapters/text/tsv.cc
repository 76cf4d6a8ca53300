#include "adapters/text/tsv.h"

#include <fstream>
#include <sstream>

namespace hotline::adapters::text {

int TsvTable::Column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

namespace {

std::vector<std::string> SplitTabs(std::string_view line) {
  std::vector<std::string> fields;
  size_t begin = 0;
  while (true) {
    const size_t tab = line.find('\t', begin);
    if (tab == std::string_view::npos) {
      fields.emplace_back(line.substr(begin));
      return fields;
    }
    fields.emplace_back(line.substr(begin, tab - begin));
    begin = tab + 1;
  }
}

}  // namespace

Result<TsvTable> ParseTsv(std::string_view text, std::string_view source) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.starts_with(kBom)) {
    text.remove_prefix(kBom.size());
  }
  TsvTable table;
  size_t line_number = 0;
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = text.substr(begin, end - begin);
    begin = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line.empty()) {
      continue;
    }
    auto fields = SplitTabs(line);
    if (table.header.empty()) {
      if (fields.size() < 2) {
        return InvalidArgument(std::string(source) + ":" + std::to_string(line_number) +
                               ": header needs at least two tab-separated columns "
                               "(表头至少需要两列，以制表符分隔)");
      }
      table.header = std::move(fields);
      continue;
    }
    if (fields.size() != table.header.size()) {
      return InvalidArgument(std::string(source) + ":" + std::to_string(line_number) + ": " +
                             std::to_string(fields.size()) + " fields, the header has " +
                             std::to_string(table.header.size()) + " (列数与表头不一致)");
    }
    table.rows.push_back(std::move(fields));
    table.line_numbers.push_back(line_number);
  }
  if (table.header.empty()) {
    return InvalidArgument(std::string(source) + ": empty file, no header (文件为空，缺少表头)");
  }
  return table;
}

Result<TsvTable> ReadTsvFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return NotFound("cannot read '" + path + "' (无法读取文件)");
  }
  std::ostringstream content;
  content << in.rdbuf();
  return ParseTsv(content.str(), path);
}

}  // namespace hotline::adapters::text
