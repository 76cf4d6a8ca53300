#include "adapters/fiscal/loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "adapters/fiscal/accounts_json.h"
#include "adapters/fiscal/accounts_xlsx.h"
#include "adapters/fiscal/pdf_text.h"
#include "domain/fiscal/parser.h"

namespace hotline::adapters::fiscal {

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return NotFound(fmt::format("无法读取文件 {}", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return NotFound(fmt::format("无法读取文件 {}", path.string()));
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<domain::fiscal::Document> LoadDisclosure(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".pdf") {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      return NotFound(fmt::format("无法读取文件 {}", path.string()));
    }
    HOTLINE_ASSIGN_OR_RETURN(std::string text, ExtractPdfText(path));
    return domain::fiscal::ParseDisclosure(text);
  }
  HOTLINE_ASSIGN_OR_RETURN(std::string content, ReadFile(path));
  if (ext == ".json") {
    return DocumentFromJson(content);
  }
  if (ext == ".xlsx") {
    return DocumentFromXlsx(content);
  }
  if (ext == ".txt" || ext == ".text" || ext.empty()) {
    return domain::fiscal::ParseDisclosure(content);
  }
  return InvalidArgument(
      fmt::format("不支持的文件类型“{}”：请提供 .txt、.pdf、.json 或 .xlsx", ext));
}

}  // namespace hotline::adapters::fiscal
