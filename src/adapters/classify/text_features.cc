#include "adapters/classify/text_features.h"

#include <opencc/opencc.h>
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace hotline::adapters::classify {
namespace {

// opencc_open() and opencc_convert_utf8() report failure with this sentinel.
void* const kOpenCcError = reinterpret_cast<void*>(-1);
constexpr int kMaxNumberLengthBucket = 4;

void AppendUtf8(std::string& out, UChar32 c) {
  char buf[U8_MAX_LENGTH];
  int32_t len = 0;
  U8_APPEND_UNSAFE(buf, len, c);
  out.append(buf, static_cast<size_t>(len));
}

bool IsSentenceEnd(UChar32 c) {
  return c == u'。' || c == u'！' || c == u'？' || c == u'!' || c == u'?' || c == u'；' ||
         c == u';' || c == u'\n';
}

// The BMP Han characters OpenCC changes when converting them one per line; empty (meaning
// "always convert") if OpenCC's output does not line up with its input.
std::vector<bool> ConvertibleCharacters(void* opencc) {
  constexpr std::pair<UChar32, UChar32> kHanRanges[] = {
      {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xF900, 0xFAFF}};
  std::string input;
  std::vector<UChar32> chars;
  for (const auto& [first, last] : kHanRanges) {
    for (UChar32 c = first; c <= last; ++c) {
      chars.push_back(c);
      AppendUtf8(input, c);
      input.push_back('\n');
    }
  }
  char* converted = opencc_convert_utf8(opencc, input.data(), input.size());
  if (converted == nullptr || converted == kOpenCcError) {
    return {};
  }
  const std::string output(converted);
  opencc_convert_utf8_free(converted);
  std::vector<bool> changes(0x10000, false);
  size_t line_start = 0;
  for (UChar32 c : chars) {
    const size_t line_end = output.find('\n', line_start);
    if (line_end == std::string::npos) {
      return {};
    }
    std::string original;
    AppendUtf8(original, c);
    if (output.compare(line_start, line_end - line_start, original) != 0) {
      changes[static_cast<size_t>(c)] = true;
    }
    line_start = line_end + 1;
  }
  return changes;
}

}  // namespace

// One OpenCC t2s converter per process, shared by every featurizer (a model has one per
// feature set, e.g. two for the default words + characters): opening t2s.json and probing
// it for ConvertibleCharacters costs about 25 ms each time. OpenCC does not document its
// converter as thread-safe, so conversions are serialised by `mu` (they are rare: only
// texts holding a character that t2s changes are converted).
struct TextFeaturizer::T2s {
  void* handle = nullptr;  // opencc_t
  std::string error;       // why opening failed; handle is null then
  std::mutex mu;
  // BMP characters that t2s changes. OpenCC costs about as much as the rest of the
  // featurization together, so texts without any of them skip it (most input is
  // Simplified already).
  std::vector<bool> traditional;

  // The process's converter, opened at the first call (thread-safe). Never closed: it
  // lives as long as the process, whichever featurizer is destroyed last.
  static inline std::atomic<int> opened{0};

  static T2s& Get() {
    static T2s* const shared = [] {
      auto* t = new T2s;
      void* h = opencc_open("t2s.json");
      opened.fetch_add(1);
      if (h == kOpenCcError) {
        t->error = std::string("OpenCC t2s.json: ") + opencc_error();
      } else {
        t->handle = h;
        t->traditional = ConvertibleCharacters(h);
      }
      return t;
    }();
    return *shared;
  }
};

Result<std::vector<FeatureOptions>> ParseFeatureSets(std::string_view spec) {
  std::vector<FeatureOptions> sets;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    if (comma == std::string_view::npos) {
      comma = spec.size();
    }
    const std::string_view code = spec.substr(start, comma - start);
    start = comma + 1;
    FeatureOptions f;
    f.words = false;
    f.char_ngram_min = 0;
    f.char_ngram_max = 0;
    size_t i = 0;
    if (i < code.size() && code[i] == 'w') {
      f.words = true;
      ++i;
    }
    if (i < code.size() && code[i] == 'c') {
      if (i + 3 != code.size() || code[i + 1] < '1' || code[i + 1] > '9' || code[i + 2] < '1' ||
          code[i + 2] > '9' || code[i + 2] < code[i + 1]) {
        return InvalidArgument("bad character n-gram code in '" + std::string(code) +
                               "': expected cXY with digits 1 <= X <= Y <= 9");
      }
      f.char_ngram_min = code[i + 1] - '0';
      f.char_ngram_max = code[i + 2] - '0';
      i += 3;
    }
    if (i != code.size() || code.empty()) {
      return InvalidArgument("bad feature set '" + std::string(code) +
                             "': expected w, cXY or wcXY (e.g. w,c12)");
    }
    sets.push_back(f);
  }
  return sets;
}

std::string FeatureSetCode(const FeatureOptions& options) {
  std::string code = options.words ? "w" : "";
  if (options.char_ngram_max > 0) {
    code.push_back('c');
    code.append(std::to_string(options.char_ngram_min));
    code.append(std::to_string(options.char_ngram_max));
  }
  return code;
}

Result<std::unique_ptr<TextFeaturizer>> TextFeaturizer::Create(const FeatureOptions& options) {
  if (options.char_ngram_min < 0 || options.char_ngram_max < options.char_ngram_min ||
      (options.char_ngram_min == 0 && options.char_ngram_max != 0)) {
    return InvalidArgument("char n-gram range must be 0..0 or 1 <= min <= max");
  }
  if (!options.words && options.char_ngram_max == 0) {
    return InvalidArgument("features need words, character n-grams or both");
  }
  if (options.title_repeat < 0 || options.max_chars <= 0 || options.title_max_chars <= 0) {
    return InvalidArgument("title_repeat must be >= 0, max_chars and title_max_chars > 0");
  }
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> words(
      icu::BreakIterator::createWordInstance(icu::Locale::getChinese(), status));
  if (U_FAILURE(status) || words == nullptr) {
    return Internal(std::string("ICU word break iterator: ") + u_errorName(status));
  }
  status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status) || nfkc == nullptr) {
    return Internal(std::string("ICU NFKC_Casefold normalizer: ") + u_errorName(status));
  }
  T2s* t2s = nullptr;
  if (options.traditional_to_simplified) {
    t2s = &T2s::Get();
    if (t2s->handle == nullptr) {
      return Internal(t2s->error);
    }
  }
  return std::unique_ptr<TextFeaturizer>(new TextFeaturizer(options, std::move(words), nfkc, t2s));
}

TextFeaturizer::TextFeaturizer(const FeatureOptions& options,
                               std::unique_ptr<icu::BreakIterator> words,
                               const icu::Normalizer2* nfkc, T2s* t2s)
    : options_(options), word_prototype_(std::move(words)), nfkc_(nfkc), t2s_(t2s) {}

TextFeaturizer::~TextFeaturizer() = default;

int TextFeaturizer::OpenccConvertersOpened() { return T2s::opened.load(); }

namespace {

bool NeedsConversion(const icu::UnicodeString& u, const std::vector<bool>& traditional) {
  if (traditional.empty()) {
    return true;
  }
  for (int32_t i = 0; i < u.length(); ++i) {
    if (traditional[u.charAt(i)]) {
      return true;
    }
  }
  return false;
}

}  // namespace

icu::UnicodeString TextFeaturizer::NormalizeToUnicode(std::string_view text) const {
  const FeatureOptions& options = options_;
  // fromUTF8 replaces invalid sequences by U+FFFD, so OpenCC only sees valid UTF-8.
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  if (u.countChar32() > options.max_chars) {
    u.truncate(u.moveIndex32(0, options.max_chars));
  }
  if (t2s_ != nullptr && NeedsConversion(u, t2s_->traditional)) {
    std::string utf8;
    u.toUTF8String(utf8);
    char* converted = nullptr;
    {
      // OpenCC does not document its converter as thread-safe.
      std::lock_guard<std::mutex> lock(t2s_->mu);
      converted = opencc_convert_utf8(t2s_->handle, utf8.data(), utf8.size());
    }
    if (converted != nullptr && converted != kOpenCcError) {
      u = icu::UnicodeString::fromUTF8(converted);
      opencc_convert_utf8_free(converted);
    }
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString folded = nfkc_->normalize(u, status);
  return U_SUCCESS(status) ? folded : u;
}

std::string TextFeaturizer::Normalize(std::string_view text) const {
  std::string out;
  NormalizeToUnicode(text).toUTF8String(out);
  return out;
}

void TextFeaturizer::AppendTokens(const std::string& normalized_utf8,
                                  std::vector<std::string>& out) const {
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(normalized_utf8);
  if (options_.words) {
    // clone() is const on the prototype; the clone is private to this call.
    std::unique_ptr<icu::BreakIterator> it(word_prototype_->clone());
    it->setText(u);
    int32_t start = it->first();
    for (int32_t end = it->next(); end != icu::BreakIterator::DONE; start = end, end = it->next()) {
      const int32_t rule = it->getRuleStatus();
      if (rule < UBRK_WORD_NONE_LIMIT) {
        continue;  // spaces and punctuation
      }
      icu::UnicodeString word = u.tempSubStringBetween(start, end);
      if (options_.fold_numbers && rule < UBRK_WORD_NUMBER_LIMIT) {
        const int bucket = std::min(word.countChar32(), kMaxNumberLengthBucket);
        out.push_back("<n" + std::to_string(bucket) + ">");
        continue;
      }
      std::string token;
      word.toUTF8String(token);
      if (token.find_first_of(" \t\n\r\v\f") == std::string::npos) {
        out.push_back(std::move(token));
      }
    }
  }
  if (options_.char_ngram_max > 0) {
    std::vector<UChar32> run;
    auto flush = [&] {
      for (int n = options_.char_ngram_min; n <= options_.char_ngram_max; ++n) {
        for (size_t i = 0; i + static_cast<size_t>(n) <= run.size(); ++i) {
          std::string gram;
          for (size_t j = i; j < i + static_cast<size_t>(n); ++j) {
            AppendUtf8(gram, run[j]);
          }
          out.push_back(std::move(gram));
        }
      }
      run.clear();
    };
    for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) {
      const UChar32 c = u.char32At(i);
      if (u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC)) {
        run.push_back(c);
      } else {
        flush();
      }
    }
    flush();
  }
}

std::vector<std::string> TextFeaturizer::Tokenize(std::string_view text) const {
  const icu::UnicodeString u = NormalizeToUnicode(text);
  std::string utf8;
  u.toUTF8String(utf8);
  std::vector<std::string> tokens;
  AppendTokens(utf8, tokens);
  if (options_.title_repeat > 0) {
    // The leading sentence: up to the first sentence end or title_max_chars characters.
    int32_t end = 0;
    int chars = 0;
    while (end < u.length() && chars < options_.title_max_chars &&
           !IsSentenceEnd(u.char32At(end))) {
      end = u.moveIndex32(end, 1);
      ++chars;
    }
    if (end < u.length()) {  // a title followed by a body; otherwise nothing to weigh
      std::string title;
      u.tempSubStringBetween(0, end).toUTF8String(title);
      std::vector<std::string> title_tokens;
      AppendTokens(title, title_tokens);
      for (int r = 0; r < options_.title_repeat; ++r) {
        tokens.insert(tokens.end(), title_tokens.begin(), title_tokens.end());
      }
    }
  }
  return tokens;
}

std::string TextFeaturizer::FeatureLine(std::string_view text) const {
  std::string line;
  for (const std::string& token : Tokenize(text)) {
    if (!line.empty()) {
      line.push_back(' ');
    }
    line += token;
  }
  return line;
}

}  // namespace hotline::adapters::classify
