// Tokenizer: turns Chinese hotline text into search terms. This is the one "text → tokens"
// function of the project: the in-memory index uses it and a store-backed index (SQLite FTS5
// custom tokenizer, PostgreSQL tsvector/array column) must use it too, so that queries and
// documents are analysed the same way everywhere.
//
// Pipeline: normalise (full-width/half-width, case, Traditional → Simplified), split into
// runs of Han characters and of ASCII letters/digits (punctuation separates), then
//  - Han runs: overlapping character bigrams (a single character stands alone), plus words of
//    three or more characters from the user dictionary (longest match first) and ICU's
//    dictionary-based word break, plus places and organisations (丽发新城, 潇楚南路,
//    住房和城乡建设局) joined from a name and a suffix, plus the canonical form of synonyms;
//  - letter/digit runs: one token each, so phone numbers (13812345678, 0731-84512345),
//    ID numbers (43010219900101123X) and codes (A00023583, G2) stay whole.
// Two-character words are not emitted separately because the bigrams already are them.
//
// Thread-safe: Tokenize() may be called concurrently (ICU iterators are pooled per call).
#pragma once

#include <unicode/uversion.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "adapters/text/lexicon.h"
#include "adapters/text/normalizer.h"
#include "common/result.h"

U_NAMESPACE_BEGIN
class BreakIterator;
U_NAMESPACE_END

namespace hotline::adapters::text {

enum class TokenKind {
  kBigram,    // two adjacent Han characters
  kUnigram,   // a Han character standing alone between separators
  kWord,      // a word of 3+ characters (user dictionary or ICU)
  kAddress,   // a place name: road, compound, village, district (丽发新城, 潇楚南路, A3区)
  kUnit,      // an organisation name (住房和城乡建设局, 桂花坪派出所)
  kSynonym,   // the canonical form of a synonym group, at the position of a variant
  kCode,      // letters and digits (A00023583, G2, wifi)
  kNumber,    // digits
  kPhone,     // a mobile (11 digits, 1xx) or landline (0 + area code) number
  kIdNumber,  // a resident ID number (18 characters, or 15 digits)
};

std::string_view TokenKindName(TokenKind kind);

// The name part of a place or organisation token: "丽发新城" → "丽发", "泉塘街道" → "泉塘",
// "a7县" → "a7". Returns the text unchanged if it has no known suffix.
std::string PlaceStem(std::string_view place);

struct Token {
  std::string text;  // normalised term (UTF-8)
  TokenKind kind = TokenKind::kBigram;
  uint32_t begin = 0;  // byte range in the source text
  uint32_t end = 0;
  uint32_t position = 0;  // index of the first normalised character (for proximity)
};

struct TokenizerOptions {
  // OpenCC config for Traditional → Simplified; empty disables script conversion.
  std::string opencc_config = std::string(TextNormalizer::kDefaultOpenccConfig);
  bool emit_bigrams = true;
  bool emit_words = true;     // dictionary/ICU words, places, organisations, synonyms
  bool use_icu_words = true;  // false: only user-dictionary words (faster)
};

class Tokenizer {
 public:
  // kUnavailable if OpenCC's config or ICU's word break data cannot be loaded.
  static Result<std::unique_ptr<Tokenizer>> Create(const Lexicon& lexicon,
                                                   TokenizerOptions options = {});
  // Create(Lexicon::Default()).
  static Result<std::unique_ptr<Tokenizer>> CreateDefault();

  ~Tokenizer();
  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;

  // All tokens of `text`, ordered by position. Never fails (bad UTF-8 becomes U+FFFD).
  std::vector<Token> Tokenize(std::string_view text) const;
  // Just the terms of Tokenize(): the function a store-backed index calls.
  std::vector<std::string> Terms(std::string_view text) const;

  const TextNormalizer& normalizer() const { return *normalizer_; }
  // FNV-1a 64 of what decides the tokens: the lexicon's words, kinds and synonym groups (in
  // order), the options and the ICU version. Equal fingerprints, same tokens: an index
  // built with one tokenizer and saved (HotTopicIndex's snapshot) is valid for the other.
  uint64_t fingerprint() const { return fingerprint_; }

 private:
  struct Span {
    uint32_t begin;  // in normalised characters
    uint32_t end;
    TokenKind kind;
  };
  Tokenizer() = default;
  void TokenizeHanRun(const NormalizedText& text, uint32_t begin, uint32_t end, bool after_code,
                      std::vector<Token>* out) const;
  void SegmentWords(const std::u32string& chars, uint32_t begin, uint32_t end,
                    std::vector<Span>* words) const;
  void IcuWords(const std::u32string& chars, uint32_t begin, uint32_t end,
                std::vector<Span>* words) const;
  void AddCodeToken(const NormalizedText& text, uint32_t begin, uint32_t end,
                    std::vector<Token>* out) const;
  std::unique_ptr<icu::BreakIterator> AcquireIterator() const;
  void ReleaseIterator(std::unique_ptr<icu::BreakIterator> it) const;

  TokenizerOptions options_;
  uint64_t fingerprint_ = 0;
  std::unique_ptr<TextNormalizer> normalizer_;
  // User dictionary (normalised) → kind; longest entry bounds the match window.
  std::unordered_map<std::u32string, TokenKind> dictionary_;
  size_t max_dictionary_chars_ = 0;
  // Synonym variant (normalised) → canonical form (UTF-8).
  std::unordered_map<std::u32string, std::string> canonical_;
  std::unique_ptr<icu::BreakIterator> prototype_;
  mutable std::mutex pool_mutex_;
  mutable std::vector<std::unique_ptr<icu::BreakIterator>> pool_;
};

}  // namespace hotline::adapters::text
