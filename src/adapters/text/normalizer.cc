#include "adapters/text/normalizer.h"

#include <exception>
#include <filesystem>
#include <opencc/SimpleConverter.hpp>

#include "adapters/text/utf8.h"

namespace hotline::adapters::text {

namespace {

using internal::AppendUtf8;
using internal::DecodeUtf8;
using internal::IsHan;

constexpr char32_t kFullWidthFirst = 0xFF01;
constexpr char32_t kFullWidthLast = 0xFF5E;
constexpr char32_t kFullWidthShift = 0xFEE0;
constexpr char32_t kIdeographicSpace = 0x3000;
constexpr char32_t kBmpHanFirst = 0x3400;
constexpr char32_t kBmpHanLast = 0x9FFF;
constexpr const char* kOpenccDataDir = "/usr/share/opencc";

std::string Encode(const std::u32string& chars, size_t begin, size_t end) {
  std::string out;
  out.reserve((end - begin) * 3);
  for (size_t i = begin; i < end; ++i) {
    AppendUtf8(chars[i], &out);
  }
  return out;
}

std::u32string Decode(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size() / 3 + 1);
  size_t pos = 0;
  while (pos < utf8.size()) {
    out.push_back(DecodeUtf8(utf8, &pos));
  }
  return out;
}

std::string ResolveConfig(std::string_view config) {
  std::filesystem::path path(config);
  if (!path.has_parent_path() && !std::filesystem::exists(path)) {
    path = std::filesystem::path(kOpenccDataDir) / path;
  }
  return path.string();
}

}  // namespace

char32_t FoldChar(char32_t c) {
  if (c >= kFullWidthFirst && c <= kFullWidthLast) {
    c -= kFullWidthShift;
  } else if (c == kIdeographicSpace) {
    c = U' ';
  }
  if (c >= U'A' && c <= U'Z') {
    c += U'a' - U'A';
  }
  return c;
}

Result<std::unique_ptr<TextNormalizer>> TextNormalizer::Create(std::string_view opencc_config) {
  std::unique_ptr<TextNormalizer> normalizer(new TextNormalizer());
  if (opencc_config.empty()) {
    return normalizer;
  }
  const std::string path = ResolveConfig(opencc_config);
  try {
    normalizer->converter_ = std::make_unique<opencc::SimpleConverter>(path);
    // One probe call over every BMP Han character, separated by newlines, finds the
    // characters that conversion may change.
    std::u32string probe;
    for (char32_t c = kBmpHanFirst; c <= kBmpHanLast; ++c) {
      probe.push_back(c);
      probe.push_back(U'\n');
    }
    const std::u32string converted =
        Decode(normalizer->converter_->Convert(Encode(probe, 0, probe.size())));
    normalizer->convertible_.assign(kBmpHanLast - kBmpHanFirst + 1, false);
    if (converted.size() != probe.size()) {
      // Cannot align the probe: be safe and convert every text.
      normalizer->convertible_.assign(normalizer->convertible_.size(), true);
    } else {
      for (size_t i = 0; i < probe.size(); i += 2) {
        if (converted[i] != probe[i]) {
          normalizer->convertible_[probe[i] - kBmpHanFirst] = true;
        }
      }
    }
  } catch (const std::exception& e) {
    return Unavailable("cannot load OpenCC config '" + path + "': " + e.what());
  }
  return normalizer;
}

TextNormalizer::~TextNormalizer() = default;

bool TextNormalizer::MayNeedConversion(char32_t c) const {
  if (c >= kBmpHanFirst && c <= kBmpHanLast) {
    return convertible_[c - kBmpHanFirst];
  }
  return IsHan(c);  // supplementary planes: rare, let OpenCC decide
}

NormalizedText TextNormalizer::Normalize(std::string_view utf8) const {
  NormalizedText out;
  out.chars.reserve(utf8.size() / 2 + 1);
  out.offsets.reserve(utf8.size() / 2 + 2);
  size_t pos = 0;
  bool needs_conversion = false;
  while (pos < utf8.size()) {
    out.offsets.push_back(static_cast<uint32_t>(pos));
    const char32_t c = FoldChar(DecodeUtf8(utf8, &pos));
    needs_conversion = needs_conversion || (converter_ != nullptr && MayNeedConversion(c));
    out.chars.push_back(c);
  }
  out.offsets.push_back(static_cast<uint32_t>(utf8.size()));
  if (needs_conversion) {
    ToSimplified(&out);
  }
  return out;
}

void TextNormalizer::ToSimplified(NormalizedText* text) const {
  // OpenCC converts phrase by phrase; almost always one character becomes one character.
  // Where a run changes length the source offsets could no longer be mapped, so such a run
  // is converted character by character instead.
  auto& chars = text->chars;
  try {
    size_t begin = 0;
    while (begin < chars.size()) {
      if (!IsHan(chars[begin])) {
        ++begin;
        continue;
      }
      size_t end = begin;
      while (end < chars.size() && IsHan(chars[end])) {
        ++end;
      }
      std::u32string converted = Decode(converter_->Convert(Encode(chars, begin, end)));
      if (converted.size() == end - begin) {
        std::copy(converted.begin(), converted.end(), chars.begin() + begin);
      } else {
        for (size_t i = begin; i < end; ++i) {
          const std::u32string one = Decode(converter_->Convert(Encode(chars, i, i + 1)));
          if (one.size() == 1) {
            chars[i] = one[0];
          }
        }
      }
      begin = end;
    }
  } catch (const std::exception&) {
    // OpenCC failed mid-text: keep the text as folded (still searchable, just unconverted).
    return;
  }
}

std::string TextNormalizer::NormalizeToString(std::string_view utf8) const {
  const NormalizedText normalized = Normalize(utf8);
  return Encode(normalized.chars, 0, normalized.chars.size());
}

}  // namespace hotline::adapters::text
