// Small UTF-8 helpers used inside hotline_text (not part of its public API).
// Stateless free functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hotline::adapters::text::internal {

// Decodes the code point starting at `text[*pos]` and advances `*pos`. Invalid or
// truncated sequences decode as U+FFFD and advance by one byte, so decoding always ends.
char32_t DecodeUtf8(std::string_view text, size_t* pos);

// Appends the UTF-8 encoding of `c` to `out`.
void AppendUtf8(char32_t c, std::string* out);

// Han ideographs (CJK Unified Ideographs, extensions A/B and compatibility ideographs).
inline bool IsHan(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0xF900 && c <= 0xFAFF);
}
inline bool IsAsciiDigit(char32_t c) { return c >= U'0' && c <= U'9'; }
inline bool IsAsciiLower(char32_t c) { return c >= U'a' && c <= U'z'; }
inline bool IsAsciiAlnum(char32_t c) { return IsAsciiDigit(c) || IsAsciiLower(c); }

}  // namespace hotline::adapters::text::internal
