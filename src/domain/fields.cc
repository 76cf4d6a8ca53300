#include "domain/fields.h"

#include "common/utf8.h"

namespace hotline::domain {

std::string GetText(const Fields& f, std::string_view key) {
  auto it = f.find(std::string(key));
  return it == f.end() ? std::string() : it->second;
}

Result<bool> GetBool(const Fields& f, std::string_view key, bool fallback) {
  auto it = f.find(std::string(key));
  if (it == f.end() || it->second.empty()) {
    return fallback;
  }
  const std::string& v = it->second;
  if (v == "1" || v == "true" || v == "yes" || v == "是") {
    return true;
  }
  if (v == "0" || v == "false" || v == "no" || v == "否") {
    return false;
  }
  return InvalidArgument(fmt::format("字段 {} 应为 是/否（1/0），实为“{}”", key, v));
}

Result<int64_t> ParseInt64(std::string_view text) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) {
    return InvalidArgument(fmt::format("不是整数: “{}”", text));
  }
  return v;
}

Result<int64_t> GetInt(const Fields& f, std::string_view key, int64_t min, int64_t max) {
  auto it = f.find(std::string(key));
  if (it == f.end() || it->second.empty()) {
    return InvalidArgument(fmt::format("缺少字段 {}", key));
  }
  auto v = ParseInt64(it->second);
  if (!v.has_value() || *v < min || *v > max) {
    return InvalidArgument(
        fmt::format("字段 {} 应为 {} 到 {} 之间的整数，实为“{}”", key, min, max, it->second));
  }
  return *v;
}

Status CheckTextLimits(const Fields& f) {
  for (const auto& [key, value] : f) {
    if (!IsValidUtf8(key) || !IsValidUtf8(value)) {
      return InvalidArgument(fmt::format("字段 {} 不是有效的 UTF-8 文本", key));
    }
    if (value.size() > kMaxFieldBytes) {
      return InvalidArgument(
          fmt::format("字段 {} 过长（{} 字节，上限 {} 字节）", key, value.size(), kMaxFieldBytes));
    }
  }
  return OkStatus();
}

}  // namespace hotline::domain
