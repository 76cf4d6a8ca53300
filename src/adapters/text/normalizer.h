// TextNormalizer: folds Chinese text to one canonical form before tokenizing, so that
// variants of the same text match: full-width → half-width, upper → lower case, ideographic
// space → space, and Traditional → Simplified Chinese with OpenCC (phrase-aware).
// Offsets back into the source text are kept so that snippets can highlight the original.
// Thread-safe after construction (all methods are const).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace opencc {
class SimpleConverter;
}  // namespace opencc

namespace hotline::adapters::text {

// A normalised text: one code point per source character, with its source byte range.
struct NormalizedText {
  std::u32string chars;
  // offsets[i] is the byte offset in the source of chars[i]; offsets[chars.size()] is the
  // source size, so chars [i, j) came from source bytes [offsets[i], offsets[j]).
  std::vector<uint32_t> offsets;
};

class TextNormalizer {
 public:
  // OpenCC configuration converting Traditional to Simplified (Debian: /usr/share/opencc).
  static constexpr std::string_view kDefaultOpenccConfig = "t2s.json";

  // A normalizer that converts scripts with the OpenCC config `opencc_config` (a file name
  // found in OpenCC's data dir, or a path). An empty config disables script conversion.
  // kUnavailable if OpenCC cannot load the config.
  static Result<std::unique_ptr<TextNormalizer>> Create(
      std::string_view opencc_config = kDefaultOpenccConfig);

  ~TextNormalizer();
  TextNormalizer(const TextNormalizer&) = delete;
  TextNormalizer& operator=(const TextNormalizer&) = delete;

  // Folds `utf8` (invalid bytes become U+FFFD). Never fails.
  NormalizedText Normalize(std::string_view utf8) const;
  // Normalize() encoded back to UTF-8.
  std::string NormalizeToString(std::string_view utf8) const;

 private:
  TextNormalizer() = default;
  void ToSimplified(NormalizedText* text) const;
  bool MayNeedConversion(char32_t c) const;

  std::unique_ptr<opencc::SimpleConverter> converter_;
  // Bit per BMP Han code point whose single-character t2s conversion changes it: OpenCC is
  // only called for texts holding one of these, which keeps Simplified text on a fast path.
  std::vector<bool> convertible_;
};

// Folds one code point (width, case, ideographic space); no script conversion.
char32_t FoldChar(char32_t c);

}  // namespace hotline::adapters::text
