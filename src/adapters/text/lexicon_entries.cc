#include "adapters/text/lexicon_entries.h"

#include <map>
#include <set>

#include "adapters/text/utf8.h"
#include "common/utf8.h"

namespace hotline::adapters::text {

namespace {

constexpr size_t kMinWordChars = 2;
constexpr size_t kMaxReportedErrors = 20;

std::string_view KindName(LexiconWordKind kind) {
  switch (kind) {
    case LexiconWordKind::kWord:
      return "word";
    case LexiconWordKind::kAddress:
      return "address";
    case LexiconWordKind::kUnit:
      return "unit";
  }
  return "word";
}

std::string CanonicalKind(std::string_view kind) {
  if (kind == "word" || kind == "词语" || kind == "词") {
    return "word";
  }
  if (kind == "address" || kind == "地名" || kind == "地址") {
    return "address";
  }
  if (kind == "unit" || kind == "单位" || kind == "机构") {
    return "unit";
  }
  return "";
}

size_t CharCount(std::string_view text) {
  size_t pos = 0;
  size_t count = 0;
  while (pos < text.size()) {
    internal::DecodeUtf8(text, &pos);
    ++count;
  }
  return count;
}

// "" if `word` may be a lexicon word, else why not.
std::string WordProblem(const std::string& word) {
  if (!IsValidUtf8(word)) {
    return "不是有效的 UTF-8 文本";
  }
  for (const unsigned char c : word) {
    if (c < 0x20 || c == 0x7F) {
      return "含有控制字符";
    }
  }
  const size_t chars = CharCount(word);
  if (chars < kMinWordChars || chars > Lexicon::kMaxWordChars) {
    return "“" + word + "”应为 " + std::to_string(kMinWordChars) + " 到 " +
           std::to_string(Lexicon::kMaxWordChars) + " 个字";
  }
  return "";
}

std::string Joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    out += (out.empty() ? "" : " ") + w;
  }
  return out;
}

struct Taken {
  std::map<std::string, std::string> in_group;  // word → its group, joined
  std::set<std::string> dictionary;             // dictionary words (not in a group)

  explicit Taken(const std::vector<LexiconEntry>& existing) {
    for (const auto& e : existing) {
      if (!e.conflict.empty()) {
        continue;
      }
      if (e.kind == "synonyms") {
        for (const auto& w : e.words) {
          in_group[w] = Joined(e.words);
        }
      } else if (!e.words.empty()) {
        dictionary.insert(e.words.front());
      }
    }
  }
};

Result<std::vector<LexiconEntry>> Finish(std::vector<LexiconEntry> entries,
                                         const std::vector<std::string>& errors) {
  if (!errors.empty()) {
    std::string message = "词库未修改（" + std::to_string(errors.size()) + " 行有错误）:";
    for (size_t i = 0; i < errors.size() && i < kMaxReportedErrors; ++i) {
      message += "\n  " + errors[i];
    }
    return InvalidArgument(message);
  }
  if (entries.empty()) {
    return InvalidArgument("没有要添加的词条");
  }
  return entries;
}

}  // namespace

std::vector<LexiconEntry> BuiltinLexiconEntries() {
  const Lexicon lexicon = Lexicon::Default();
  std::vector<LexiconEntry> out;
  std::set<std::string> grouped;
  for (const auto& group : lexicon.synonym_groups()) {
    out.push_back({0, "synonyms", group, 0, "", ""});
    grouped.insert(group.begin(), group.end());
  }
  for (const auto& word : lexicon.words()) {
    if (grouped.count(word.text) == 0) {
      out.push_back({0, std::string(KindName(word.kind)), {word.text}, 0, "", ""});
    }
  }
  return out;
}

Result<std::vector<LexiconEntry>> ParseLexiconWords(std::string_view text,
                                                    const std::vector<LexiconEntry>& existing) {
  Taken taken(existing);
  std::vector<LexiconEntry> entries;
  std::vector<std::string> errors;
  const auto lines = internal::LexiconLines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto words = internal::LexiconWords(lines[i]);
    if (words.empty() || words.front().starts_with('#')) {
      continue;
    }
    const std::string where = "第 " + std::to_string(i + 1) + " 行: ";
    if (words.size() > 2) {
      errors.push_back(where + "应为“词语 [类型]”，一行一个词");
      continue;
    }
    const std::string kind = words.size() == 2 ? CanonicalKind(words[1]) : "word";
    if (kind.empty()) {
      errors.push_back(where + "未知类型“" + words[1] + "”（可用 word、address、unit）");
      continue;
    }
    const std::string& word = words[0];
    if (const std::string problem = WordProblem(word); !problem.empty()) {
      errors.push_back(where + problem);
      continue;
    }
    if (const auto group = taken.in_group.find(word); group != taken.in_group.end()) {
      errors.push_back(where + "“" + word + "”已在同义词组“" + group->second + "”中");
      continue;
    }
    if (!taken.dictionary.insert(word).second) {
      errors.push_back(where + "“" + word + "”已在词典中");
      continue;
    }
    entries.push_back({0, kind, {word}, 0, "", ""});
  }
  return Finish(std::move(entries), errors);
}

Result<std::vector<LexiconEntry>> ParseLexiconSynonyms(std::string_view text,
                                                       const std::vector<LexiconEntry>& existing) {
  Taken taken(existing);
  std::vector<LexiconEntry> entries;
  std::vector<std::string> errors;
  const auto lines = internal::LexiconLines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto words = internal::LexiconWords(lines[i]);
    if (words.empty() || words.front().starts_with('#')) {
      continue;
    }
    const std::string where = "第 " + std::to_string(i + 1) + " 行: ";
    std::string error;
    std::set<std::string> seen;
    for (const auto& word : words) {
      if (const std::string problem = WordProblem(word); !problem.empty()) {
        error = problem;
      } else if (!seen.insert(word).second) {
        error = "“" + word + "”在本组中重复";
      } else if (const auto group = taken.in_group.find(word); group != taken.in_group.end()) {
        error = "“" + word + "”已在同义词组“" + group->second + "”中";
      }
      if (!error.empty()) {
        break;
      }
    }
    if (error.empty() && words.size() < 2) {
      error = "同义词组至少要有两个词";
    }
    if (!error.empty()) {
      errors.push_back(where + error);
      continue;
    }
    for (const auto& word : words) {
      taken.in_group[word] = Joined(words);
    }
    entries.push_back({0, "synonyms", words, 0, "", ""});
  }
  return Finish(std::move(entries), errors);
}

Lexicon BuildLexicon(std::vector<LexiconEntry>* stored) {
  Lexicon lexicon = Lexicon::Default();
  for (auto& entry : *stored) {
    entry.conflict.clear();
    const std::string line =
        entry.kind == "synonyms" ? Joined(entry.words) : Joined(entry.words) + " " + entry.kind;
    const Status added =
        entry.kind == "synonyms" ? lexicon.AddSynonyms(line) : lexicon.AddDictionary(line);
    if (!added.has_value()) {
      entry.conflict = added.error().message;
    }
  }
  return lexicon;
}

}  // namespace hotline::adapters::text
