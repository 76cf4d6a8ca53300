#include "adapters/text/tokenizer.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>
#include <unicode/uvernum.h>

#include <algorithm>
#include <array>
#include <exception>
#include <utility>

#include "adapters/text/utf8.h"

namespace hotline::adapters::text {

namespace {

using internal::AppendUtf8;
using internal::IsAsciiAlnum;
using internal::IsAsciiDigit;
using internal::IsHan;

constexpr uint32_t kNone = UINT32_MAX;
constexpr uint32_t kMinWordChars = 3;  // shorter words are already bigrams
constexpr uint32_t kMinNameChars = 2;  // a place or organisation name before its suffix
constexpr uint32_t kMaxNameChars = 8;
constexpr size_t kMobileDigits = 11;
constexpr size_t kIdDigits = 18;
constexpr size_t kOldIdDigits = 15;
constexpr size_t kMinLandlineDigits = 10;
constexpr size_t kMaxLandlineDigits = 12;
constexpr size_t kMinAreaCodeDigits = 3;
constexpr size_t kMaxAreaCodeDigits = 4;
constexpr size_t kMinLocalDigits = 7;
constexpr size_t kMaxLocalDigits = 8;

struct Suffix {
  std::u32string_view text;
  TokenKind kind;
};

// Suffixes that turn the preceding name into a place or an organisation. Single characters
// are limited to ones that rarely end ordinary words.
constexpr std::array kSuffixes = {
    Suffix{U"路", TokenKind::kAddress},     Suffix{U"街", TokenKind::kAddress},
    Suffix{U"大道", TokenKind::kAddress},   Suffix{U"大街", TokenKind::kAddress},
    Suffix{U"巷", TokenKind::kAddress},     Suffix{U"弄", TokenKind::kAddress},
    Suffix{U"胡同", TokenKind::kAddress},   Suffix{U"小区", TokenKind::kAddress},
    Suffix{U"花园", TokenKind::kAddress},   Suffix{U"花苑", TokenKind::kAddress},
    Suffix{U"苑", TokenKind::kAddress},     Suffix{U"新城", TokenKind::kAddress},
    Suffix{U"新村", TokenKind::kAddress},   Suffix{U"广场", TokenKind::kAddress},
    Suffix{U"大厦", TokenKind::kAddress},   Suffix{U"公寓", TokenKind::kAddress},
    Suffix{U"家园", TokenKind::kAddress},   Suffix{U"村", TokenKind::kAddress},
    Suffix{U"镇", TokenKind::kAddress},     Suffix{U"乡", TokenKind::kAddress},
    Suffix{U"街道", TokenKind::kAddress},   Suffix{U"社区", TokenKind::kAddress},
    Suffix{U"组", TokenKind::kAddress},     Suffix{U"栋", TokenKind::kAddress},
    Suffix{U"区", TokenKind::kAddress},     Suffix{U"县", TokenKind::kAddress},
    Suffix{U"市", TokenKind::kAddress},     Suffix{U"省", TokenKind::kAddress},
    Suffix{U"公园", TokenKind::kAddress},   Suffix{U"市场", TokenKind::kAddress},
    Suffix{U"工业园", TokenKind::kAddress}, Suffix{U"园区", TokenKind::kAddress},
    Suffix{U"局", TokenKind::kUnit},        Suffix{U"厅", TokenKind::kUnit},
    Suffix{U"分局", TokenKind::kUnit},      Suffix{U"委员会", TokenKind::kUnit},
    Suffix{U"管委会", TokenKind::kUnit},    Suffix{U"办公室", TokenKind::kUnit},
    Suffix{U"办事处", TokenKind::kUnit},    Suffix{U"公司", TokenKind::kUnit},
    Suffix{U"有限公司", TokenKind::kUnit},  Suffix{U"集团", TokenKind::kUnit},
    Suffix{U"中心", TokenKind::kUnit},      Suffix{U"医院", TokenKind::kUnit},
    Suffix{U"卫生院", TokenKind::kUnit},    Suffix{U"学校", TokenKind::kUnit},
    Suffix{U"小学", TokenKind::kUnit},      Suffix{U"中学", TokenKind::kUnit},
    Suffix{U"大学", TokenKind::kUnit},      Suffix{U"学院", TokenKind::kUnit},
    Suffix{U"幼儿园", TokenKind::kUnit},    Suffix{U"银行", TokenKind::kUnit},
    Suffix{U"派出所", TokenKind::kUnit},    Suffix{U"政府", TokenKind::kUnit},
    Suffix{U"法院", TokenKind::kUnit},      Suffix{U"检察院", TokenKind::kUnit},
    Suffix{U"支队", TokenKind::kUnit},      Suffix{U"大队", TokenKind::kUnit},
};

// The longest suffix that `word` ends with, or nullptr.
const Suffix* FindSuffix(std::u32string_view word) {
  const Suffix* best = nullptr;
  for (const auto& suffix : kSuffixes) {
    if (word.ends_with(suffix.text) &&
        (best == nullptr || suffix.text.size() > best->text.size())) {
      best = &suffix;
    }
  }
  return best;
}

std::string EncodeRange(const std::u32string& chars, uint32_t begin, uint32_t end) {
  std::string out;
  out.reserve((end - begin) * 3);
  for (uint32_t i = begin; i < end; ++i) {
    AppendUtf8(chars[i], &out);
  }
  return out;
}

Token MakeToken(const NormalizedText& text, uint32_t begin, uint32_t end, TokenKind kind) {
  return Token{EncodeRange(text.chars, begin, end), kind, text.offsets[begin], text.offsets[end],
               begin};
}

TokenKind ClassifyCode(std::u32string_view code) {
  const bool all_digits = std::all_of(code.begin(), code.end(), IsAsciiDigit);
  if (all_digits) {
    if (code.size() == kMobileDigits && code[0] == U'1') {
      return TokenKind::kPhone;
    }
    if (code.size() == kIdDigits || code.size() == kOldIdDigits) {
      return TokenKind::kIdNumber;
    }
    if (code[0] == U'0' && code.size() >= kMinLandlineDigits && code.size() <= kMaxLandlineDigits) {
      return TokenKind::kPhone;
    }
    return TokenKind::kNumber;
  }
  if (code.size() == kIdDigits && code.back() == U'x' &&
      std::all_of(code.begin(), code.end() - 1, IsAsciiDigit)) {
    return TokenKind::kIdNumber;
  }
  return TokenKind::kCode;
}

}  // namespace

std::string_view TokenKindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kBigram:
      return "bigram";
    case TokenKind::kUnigram:
      return "unigram";
    case TokenKind::kWord:
      return "word";
    case TokenKind::kAddress:
      return "address";
    case TokenKind::kUnit:
      return "unit";
    case TokenKind::kSynonym:
      return "synonym";
    case TokenKind::kCode:
      return "code";
    case TokenKind::kNumber:
      return "number";
    case TokenKind::kPhone:
      return "phone";
    case TokenKind::kIdNumber:
      return "id_number";
  }
  return "unknown";
}

std::string PlaceStem(std::string_view place) {
  std::u32string chars;
  size_t pos = 0;
  while (pos < place.size()) {
    chars.push_back(internal::DecodeUtf8(place, &pos));
  }
  const Suffix* suffix = FindSuffix(chars);
  if (suffix == nullptr || suffix->text.size() >= chars.size()) {
    return std::string(place);
  }
  return EncodeRange(chars, 0, static_cast<uint32_t>(chars.size() - suffix->text.size()));
}

Result<std::unique_ptr<Tokenizer>> Tokenizer::Create(const Lexicon& lexicon,
                                                     TokenizerOptions options) {
  std::unique_ptr<Tokenizer> tokenizer(new Tokenizer());
  HOTLINE_ASSIGN_OR_RETURN(tokenizer->normalizer_, TextNormalizer::Create(options.opencc_config));
  tokenizer->options_ = std::move(options);
  const auto normalize = [&](const std::string& word) {
    return tokenizer->normalizer_->Normalize(word).chars;
  };
  for (const auto& word : lexicon.words()) {
    std::u32string key = normalize(word.text);
    if (key.size() < 2) {
      continue;  // a single character needs no dictionary entry
    }
    TokenKind kind = TokenKind::kWord;
    if (word.kind == LexiconWordKind::kAddress) {
      kind = TokenKind::kAddress;
    } else if (word.kind == LexiconWordKind::kUnit) {
      kind = TokenKind::kUnit;
    }
    tokenizer->max_dictionary_chars_ = std::max(tokenizer->max_dictionary_chars_, key.size());
    auto [it, inserted] = tokenizer->dictionary_.emplace(std::move(key), kind);
    if (!inserted && kind != TokenKind::kWord) {
      it->second = kind;  // a typed entry wins over a plain word
    }
  }
  for (const auto& group : lexicon.synonym_groups()) {
    const std::u32string canonical = normalize(group.front());
    std::string canonical_utf8 = EncodeRange(canonical, 0, static_cast<uint32_t>(canonical.size()));
    for (const auto& variant : group) {
      tokenizer->canonical_.emplace(normalize(variant), canonical_utf8);
    }
  }
  {
    // Every piece ends with a byte that no UTF-8 text holds, so pieces cannot run together.
    uint64_t h = 1469598103934665603ULL;
    const auto mix = [&h](std::string_view piece) {
      for (const unsigned char c : piece) {
        h = (h ^ c) * 1099511628211ULL;
      }
      h = (h ^ 0xFFU) * 1099511628211ULL;
    };
    mix("tokenizer/1");
    mix(U_ICU_VERSION);
    mix(tokenizer->options_.opencc_config);
    mix(std::string{static_cast<char>('0' + tokenizer->options_.emit_bigrams),
                    static_cast<char>('0' + tokenizer->options_.emit_words),
                    static_cast<char>('0' + tokenizer->options_.use_icu_words)});
    for (const auto& word : lexicon.words()) {
      mix(word.text);
      mix(std::string(1, static_cast<char>('0' + static_cast<int>(word.kind))));
    }
    for (const auto& group : lexicon.synonym_groups()) {
      for (const auto& variant : group) {
        mix(variant);
      }
      mix("|");
    }
    tokenizer->fingerprint_ = h;
  }
  if (tokenizer->options_.use_icu_words) {
    UErrorCode status = U_ZERO_ERROR;
    tokenizer->prototype_.reset(
        icu::BreakIterator::createWordInstance(icu::Locale::getChinese(), status));
    if (U_FAILURE(status) || tokenizer->prototype_ == nullptr) {
      return Unavailable(std::string("ICU word break iterator unavailable: ") +
                         u_errorName(status));
    }
  }
  return tokenizer;
}

Result<std::unique_ptr<Tokenizer>> Tokenizer::CreateDefault() { return Create(Lexicon::Default()); }

Tokenizer::~Tokenizer() = default;

std::unique_ptr<icu::BreakIterator> Tokenizer::AcquireIterator() const {
  {
    std::lock_guard lock(pool_mutex_);
    if (!pool_.empty()) {
      auto it = std::move(pool_.back());
      pool_.pop_back();
      return it;
    }
  }
  return std::unique_ptr<icu::BreakIterator>(prototype_->clone());
}

void Tokenizer::ReleaseIterator(std::unique_ptr<icu::BreakIterator> it) const {
  std::lock_guard lock(pool_mutex_);
  pool_.push_back(std::move(it));
}

std::vector<Token> Tokenizer::Tokenize(std::string_view text) const {
  const NormalizedText normalized = normalizer_->Normalize(text);
  const auto& chars = normalized.chars;
  const auto size = static_cast<uint32_t>(chars.size());
  std::vector<Token> tokens;
  tokens.reserve(size * 3 / 2 + 1);
  uint32_t i = 0;
  uint32_t code_end = kNone;  // end of the last code run, to join "A3" + "区"
  while (i < size) {
    if (IsHan(chars[i])) {
      uint32_t end = i;
      while (end < size && IsHan(chars[end])) {
        ++end;
      }
      TokenizeHanRun(normalized, i, end, code_end == i, &tokens);
      i = end;
    } else if (IsAsciiAlnum(chars[i])) {
      uint32_t end = i;
      while (end < size && IsAsciiAlnum(chars[end])) {
        ++end;
      }
      AddCodeToken(normalized, i, end, &tokens);
      code_end = end;
      // A landline written with a hyphen (0731-84512345) joins its parts.
      if (end + 1 < size && chars[end] == U'-' && IsAsciiDigit(chars[end + 1]) &&
          tokens.back().kind == TokenKind::kNumber && chars[i] == U'0' &&
          end - i >= kMinAreaCodeDigits && end - i <= kMaxAreaCodeDigits) {
        uint32_t local_end = end + 1;
        while (local_end < size && IsAsciiDigit(chars[local_end])) {
          ++local_end;
        }
        const uint32_t local_digits = local_end - end - 1;
        if (local_digits >= kMinLocalDigits && local_digits <= kMaxLocalDigits &&
            (local_end == size || !IsAsciiAlnum(chars[local_end]))) {
          Token& phone = tokens.back();
          phone.text += EncodeRange(chars, end + 1, local_end);
          phone.kind = TokenKind::kPhone;
          phone.end = normalized.offsets[local_end];
          end = local_end;
          code_end = kNone;
        }
      }
      i = end;
    } else {
      ++i;
    }
  }
  std::stable_sort(tokens.begin(), tokens.end(),
                   [](const Token& a, const Token& b) { return a.position < b.position; });
  return tokens;
}

std::vector<std::string> Tokenizer::Terms(std::string_view text) const {
  std::vector<Token> tokens = Tokenize(text);
  std::vector<std::string> terms;
  terms.reserve(tokens.size());
  for (auto& token : tokens) {
    terms.push_back(std::move(token.text));
  }
  return terms;
}

void Tokenizer::AddCodeToken(const NormalizedText& text, uint32_t begin, uint32_t end,
                             std::vector<Token>* out) const {
  const std::u32string_view code(text.chars.data() + begin, end - begin);
  out->push_back(MakeToken(text, begin, end, ClassifyCode(code)));
}

void Tokenizer::TokenizeHanRun(const NormalizedText& text, uint32_t begin, uint32_t end,
                               bool after_code, std::vector<Token>* out) const {
  const auto& chars = text.chars;
  if (options_.emit_bigrams) {
    if (end - begin == 1) {
      out->push_back(MakeToken(text, begin, end, TokenKind::kUnigram));
    }
    for (uint32_t i = begin; i + 1 < end; ++i) {
      out->push_back(MakeToken(text, i, i + 2, TokenKind::kBigram));
    }
  }
  if (!options_.emit_words) {
    return;
  }
  std::vector<Span> words;
  SegmentWords(chars, begin, end, &words);
  std::vector<Span> emitted;
  const auto emit = [&](uint32_t b, uint32_t e, TokenKind kind) {
    for (const auto& span : emitted) {
      if (span.begin == b && span.end == e) {
        return;
      }
    }
    emitted.push_back({b, e, kind});
    out->push_back(MakeToken(text, b, e, kind));
  };
  for (size_t w = 0; w < words.size(); ++w) {
    const Span& word = words[w];
    const std::u32string_view view(chars.data() + word.begin, word.end - word.begin);
    const uint32_t length = word.end - word.begin;
    // Places and organisations: a word ending in a suffix, or a bare suffix joined to the
    // words before it until the name is long enough.
    const Suffix* suffix = word.kind == TokenKind::kWord ? FindSuffix(view) : nullptr;
    if (suffix != nullptr) {
      const auto name = static_cast<uint32_t>(length - suffix->text.size());
      if (name >= kMinNameChars) {
        emit(word.begin, word.end, suffix->kind);
      } else if (name == 0) {
        uint32_t name_chars = 0;
        size_t first = w;
        while (name_chars < kMinNameChars && first > 0) {
          --first;
          name_chars += words[first].end - words[first].begin;
        }
        if (name_chars >= kMinNameChars && name_chars <= kMaxNameChars) {
          emit(words[first].begin, word.end, suffix->kind);
        } else if (w == 0 && after_code) {
          // "A3区", "G2栋": the code run right before the suffix is the name.
          uint32_t code_begin = begin;
          while (code_begin > 0 && IsAsciiAlnum(chars[code_begin - 1])) {
            --code_begin;
          }
          Token token = MakeToken(text, code_begin, word.end, suffix->kind);
          token.position = begin;  // keeps tokens of this run ordered after the code
          out->push_back(std::move(token));
        }
      }
    }
    if (length >= kMinWordChars) {
      emit(word.begin, word.end, word.kind);
    }
    const auto canonical = canonical_.find(std::u32string(view));
    if (canonical != canonical_.end() &&
        canonical->second != EncodeRange(chars, word.begin, word.end)) {
      Token token = MakeToken(text, word.begin, word.end, TokenKind::kSynonym);
      token.text = canonical->second;
      out->push_back(std::move(token));
    }
  }
}

void Tokenizer::SegmentWords(const std::u32string& chars, uint32_t begin, uint32_t end,
                             std::vector<Span>* words) const {
  // User dictionary first (forward longest match), so that admin words always stay whole;
  // the gaps between them go to ICU.
  uint32_t gap = begin;
  uint32_t i = begin;
  std::u32string key;
  while (i < end) {
    uint32_t matched = 0;
    TokenKind kind = TokenKind::kWord;
    const auto longest = static_cast<uint32_t>(std::min<size_t>(max_dictionary_chars_, end - i));
    for (uint32_t length = longest; length >= 2; --length) {
      key.assign(chars, i, length);
      const auto found = dictionary_.find(key);
      if (found != dictionary_.end()) {
        matched = length;
        kind = found->second;
        break;
      }
    }
    if (matched == 0) {
      ++i;
      continue;
    }
    if (gap < i) {
      IcuWords(chars, gap, i, words);
    }
    words->push_back({i, i + matched, kind});
    i += matched;
    gap = i;
  }
  if (gap < end) {
    IcuWords(chars, gap, end, words);
  }
}

void Tokenizer::IcuWords(const std::u32string& chars, uint32_t begin, uint32_t end,
                         std::vector<Span>* words) const {
  if (prototype_ == nullptr || end - begin < 2) {
    words->push_back({begin, end, TokenKind::kWord});
    return;
  }
  icu::UnicodeString run;
  std::vector<uint32_t> char_of_unit;  // UTF-16 index → normalised character index
  char_of_unit.reserve((end - begin) + 1);
  for (uint32_t i = begin; i < end; ++i) {
    const int32_t before = run.length();
    run.append(static_cast<UChar32>(chars[i]));
    for (int32_t u = before; u < run.length(); ++u) {
      char_of_unit.push_back(i);
    }
  }
  char_of_unit.push_back(end);
  auto it = AcquireIterator();
  it->setText(run);
  int32_t from = it->first();
  for (int32_t to = it->next(); to != icu::BreakIterator::DONE; to = it->next()) {
    words->push_back({char_of_unit[from], char_of_unit[to], TokenKind::kWord});
    from = to;
  }
  ReleaseIterator(std::move(it));
}

}  // namespace hotline::adapters::text
