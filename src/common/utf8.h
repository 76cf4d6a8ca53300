// UTF-8 validation (no overlongs, no surrogates, max U+10FFFF).
#pragma once

#include <cstddef>
#include <string_view>

namespace hotline {

bool IsValidUtf8(std::string_view s);
// Number of code points (assumes valid UTF-8).
size_t Utf8Length(std::string_view s);

}  // namespace hotline
