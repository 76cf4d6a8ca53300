// TextFeaturizer: turns a citizen's message into the space-separated token line the
// classifier trains and predicts on. Steps: truncate, Traditional -> Simplified (OpenCC
// t2s), NFKC case folding (full-width -> half-width, lower case), ICU dictionary word
// segmentation, plus character n-grams over runs of Han characters, plus optional extra
// copies of the leading sentence (messages often start with a title).
//
// This is a small tokenizer private to the classifier; the search tokenizer lives in
// src/adapters/text. Thread-safe: Featurize() is const and may run on many threads (each
// call clones the ICU break iterator; the OpenCC converter is guarded by a mutex).
// All featurizers of a process share one OpenCC t2s converter, opened at the first
// Create() that needs it (opening and probing it costs about 25 ms); reuse featurizers.
#pragma once

#include <unicode/uversion.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

U_NAMESPACE_BEGIN
class BreakIterator;
class Normalizer2;
class UnicodeString;
U_NAMESPACE_END

namespace hotline::adapters::classify {

struct FeatureOptions {
  bool words = true;       // ICU word tokens
  int char_ngram_min = 2;  // character n-grams over Han runs; 0 disables them
  int char_ngram_max = 2;
  int title_repeat = 0;      // extra copies of the leading sentence's tokens
  int title_max_chars = 40;  // the leading sentence is cut here at the latest
  bool fold_numbers = true;  // digit runs become "<n1>".."<n4>" by length
  bool traditional_to_simplified = true;
  int max_chars = 1500;  // longer texts (about 3%) are cut: bounds the p99 latency

  friend bool operator==(const FeatureOptions&, const FeatureOptions&) = default;
};

// Parses a comma-separated list of feature-set codes, e.g. "w,c12": 'w' = ICU words,
// 'cXY' = Han character n-grams of X..Y characters (X, Y digits 1-9), combinable ("wc22").
// Other fields keep their defaults. kInvalidArgument on a malformed code.
Result<std::vector<FeatureOptions>> ParseFeatureSets(std::string_view spec);
// The code of one feature set ("wc22"), as ParseFeatureSets reads it.
std::string FeatureSetCode(const FeatureOptions& options);

class TextFeaturizer {
 public:
  // kInternal if ICU or OpenCC cannot be initialised (missing data files).
  static Result<std::unique_ptr<TextFeaturizer>> Create(const FeatureOptions& options);
  ~TextFeaturizer();
  TextFeaturizer(const TextFeaturizer&) = delete;
  TextFeaturizer& operator=(const TextFeaturizer&) = delete;

  // The tokens of `text` (UTF-8; invalid bytes become U+FFFD). Never contains whitespace
  // inside a token; may be empty (e.g. only punctuation).
  std::vector<std::string> Tokenize(std::string_view text) const;
  // The tokens joined by single spaces: one fastText input line without the newline.
  std::string FeatureLine(std::string_view text) const;
  // Normalisation only (t2s + NFKC casefold), exposed for tests.
  std::string Normalize(std::string_view text) const;

  const FeatureOptions& options() const { return options_; }

  // How many OpenCC converters this process has opened: 0 before the first featurizer
  // with t2s, then 1 however many featurizers (and models) there are.
  static int OpenccConvertersOpened();

 private:
  struct T2s;  // the process's shared OpenCC converter (text_features.cc)
  TextFeaturizer(const FeatureOptions& options, std::unique_ptr<icu::BreakIterator> words,
                 const icu::Normalizer2* nfkc, T2s* t2s);
  void AppendTokens(const std::string& normalized_utf8, std::vector<std::string>& out) const;
  icu::UnicodeString NormalizeToUnicode(std::string_view text) const;

  FeatureOptions options_;
  std::unique_ptr<icu::BreakIterator> word_prototype_;
  const icu::Normalizer2* nfkc_;  // owned by ICU
  T2s* t2s_;                      // shared, never freed; null when t2s is off
};

}  // namespace hotline::adapters::classify
