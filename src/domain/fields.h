// Reading typed values out of string-valued Fields (commands and events), with errors
// in Chinese that name the field. Pure functions; thread-safe.
#pragma once

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/ticket.h"

namespace hotline::domain {

// Longest text accepted in one field (content of a request, a reply...), in bytes.
inline constexpr size_t kMaxFieldBytes = 64 * 1024;

// The field's value, or "" when absent.
std::string GetText(const Fields& f, std::string_view key);
// "1"/"0"/"true"/"false"/"是"/"否"; `fallback` when absent; kInvalidArgument otherwise.
Result<bool> GetBool(const Fields& f, std::string_view key, bool fallback = false);
// An integer in [min, max]; kInvalidArgument when absent or out of range.
Result<int64_t> GetInt(const Fields& f, std::string_view key, int64_t min, int64_t max);
// Every value valid UTF-8 and within kMaxFieldBytes.
Status CheckTextLimits(const Fields& f);

Result<int64_t> ParseInt64(std::string_view text);

// An id field; an invalid (zero) id when absent or empty.
template <typename Id>
Result<Id> GetId(const Fields& f, std::string_view key) {
  auto it = f.find(std::string(key));
  if (it == f.end() || it->second.empty()) {
    return Id{};
  }
  auto v = ParseInt64(it->second);
  if (!v.has_value() || *v <= 0) {
    return InvalidArgument(fmt::format("字段 {} 应为正整数编号，实为“{}”", key, it->second));
  }
  return Id{*v};
}

// A comma-separated id list ("3,7,9"); empty when absent.
template <typename Id>
Result<std::vector<Id>> GetIdList(const Fields& f, std::string_view key) {
  std::vector<Id> out;
  std::string text = GetText(f, key);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(',', pos);
    if (end == std::string::npos) {
      end = text.size();
    }
    auto v = ParseInt64(std::string_view(text).substr(pos, end - pos));
    if (!v.has_value() || *v <= 0) {
      return InvalidArgument(fmt::format("字段 {} 应为逗号分隔的编号列表，实为“{}”", key, text));
    }
    out.emplace_back(*v);
    pos = end + 1;
  }
  return out;
}

template <typename Id>
std::string JoinIds(const std::vector<Id>& ids) {
  std::string out;
  for (const Id& id : ids) {
    if (!out.empty()) {
      out += ',';
    }
    out += std::to_string(id.value());
  }
  return out;
}

}  // namespace hotline::domain
