// The lexicon as an admin edits it: entries of the user dictionary (a word, an address, a
// unit name) and synonym groups, each with an id when it is stored (the built-in vocabulary
// of Lexicon::Default() has none and cannot be removed). Parses the lines an admin types or
// uploads, with a Chinese message naming the bad line, and builds the Lexicon the tokenizer
// is created from: the built-in one plus the stored entries.
// Free functions and values; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/text/lexicon.h"
#include "common/result.h"

namespace hotline::adapters::text {

struct LexiconEntry {
  int64_t id = 0;    // 0: built in
  std::string kind;  // "word", "address", "unit" (dictionary) or "synonyms"
  // One word for a dictionary entry; the group, canonical form first, for synonyms.
  std::vector<std::string> words;
  int64_t created_at = 0;  // seconds since the epoch
  std::string created_by;
  std::string conflict;  // not in effect because of this (a later built-in word took it)
};

// The built-in vocabulary as entries: the synonym groups, then the dictionary words that
// are in no group.
std::vector<LexiconEntry> BuiltinLexiconEntries();

// Dictionary lines, one word a line optionally followed by its kind (word, address, unit;
// also 词语, 地名, 单位), blank lines and '#' comments ignored. All or nothing:
// kInvalidArgument listing the bad lines ("第 N 行: ...") if a word is shorter than 2 or longer
// than Lexicon::kMaxWordChars characters, a kind is unknown, or a word is already in the
// lexicon (`existing`: built-in and stored entries) or twice in the text.
Result<std::vector<LexiconEntry>> ParseLexiconWords(std::string_view text,
                                                    const std::vector<LexiconEntry>& existing);

// Synonym lines, one group a line, words separated by blanks, ',', '/', '|', '，' or '、',
// the canonical form first. All or nothing, as above: a group needs two different words, and
// a word may belong to one group only.
Result<std::vector<LexiconEntry>> ParseLexiconSynonyms(std::string_view text,
                                                       const std::vector<LexiconEntry>& existing);

// Lexicon::Default() plus `stored` (in order). A stored entry that no longer fits (a word
// the built-in vocabulary has since taken) is left out, with `conflict` saying why.
Lexicon BuildLexicon(std::vector<LexiconEntry>* stored);

}  // namespace hotline::adapters::text
