// Lexicon: the admin-editable vocabulary of the tokenizer — a user dictionary (words kept
// whole, e.g. 人才新政, 丽发新城) and synonym groups (社保/社会保险) — loaded from plain text
// so that an admin can edit it. A value type: thread-compatible; const methods are safe to
// call concurrently. The tokenizer copies what it needs, so edits take effect for a new
// Tokenizer (and a re-index of the texts it tokenized).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hotline::adapters::text {

enum class LexiconWordKind {
  kWord,     // plain word
  kAddress,  // a place: road, residential compound, village (丽发新城, 潇楚南路)
  kUnit,     // an organisation (住房和城乡建设局, 桂花坪街道办事处)
};

struct LexiconWord {
  std::string text;
  LexiconWordKind kind = LexiconWordKind::kWord;
};

class Lexicon {
 public:
  // Adds a user dictionary: one word a line, optionally followed by whitespace and a kind
  // (`word`, `address`, `unit`). Blank lines and lines starting with '#' are ignored.
  // kInvalidArgument naming the line if a kind is unknown or a word is longer than
  // kMaxWordChars; nothing is added then.
  Status AddDictionary(std::string_view text);

  // Adds synonym groups: one group a line, words separated by whitespace, ',', '/' or '|';
  // the first word is the canonical form. Each word also joins the user dictionary.
  // kInvalidArgument naming the line if a group has fewer than two words or a word already
  // belongs to another group; nothing is added then.
  Status AddSynonyms(std::string_view text);

  // The built-in hotline vocabulary (common synonyms such as 社保/社会保险, 医保/医疗保险).
  static Lexicon Default();

  const std::vector<LexiconWord>& words() const { return words_; }
  const std::vector<std::vector<std::string>>& synonym_groups() const { return groups_; }

  static constexpr size_t kMaxWordChars = 32;

 private:
  std::vector<LexiconWord> words_;
  std::vector<std::vector<std::string>> groups_;
};

namespace internal {
// The lines of a lexicon text (LF or CRLF), and the words of one line, split on spaces, tabs,
// `,` `/` `|`, the Chinese comma and enumeration comma and the ideographic space. Shared by
// Lexicon and the stored entries (lexicon_entries.h) so both split a line the same way.
std::vector<std::string_view> LexiconLines(std::string_view text);
std::vector<std::string> LexiconWords(std::string_view line);
}  // namespace internal

}  // namespace hotline::adapters::text
