#include "adapters/text/lexicon.h"

#include <set>
#include <string>

#include "adapters/text/utf8.h"

namespace hotline::adapters::text {

namespace {

// Built-in synonyms: the canonical (first) form is the one citizens use most.
constexpr std::string_view kDefaultSynonyms = R"(# canonical, then variants
社保 社会保险
医保 医疗保险
公积金 住房公积金
低保 最低生活保障
养老金 退休金 养老保险金
城管 城市管理 城管局 城市管理局 城管执法
交警 交通警察
居委会 居民委员会
村委会 村民委员会
业委会 业主委员会
住建局 住房和城乡建设局 住房城乡建设局
人社局 人力资源和社会保障局
发改委 发展和改革委员会
卫健委 卫生健康委员会 卫生和计划生育委员会 卫计委
市监局 市场监督管理局 市场监管局
环保局 环境保护局 生态环境局
噪音 噪声
违建 违章建筑 违法建筑 违章搭建
欠薪 拖欠工资 讨薪
出租车 的士 出租汽车
渣土车 泥头车
房产证 不动产权证 不动产证
身份证 居民身份证
户口 户籍
幼儿园 托儿所
)";

// Built-in words kept whole (multi-character hotline vocabulary).
constexpr std::string_view kDefaultDictionary = R"(# word [kind]
12345热线
人才新政
购房补贴
物业公司 unit
物业费
停车费
二次供水
加装电梯
老旧小区
棚户区
安置房
拆迁安置
征地拆迁
限价商品房
学区房
入学
农民工
工伤认定
失业保险
医疗保险
营业执照
不动产登记
垃圾分类
油烟扰民
噪音扰民
)";

bool IsCommentOrBlank(const std::vector<std::string>& words) {
  return words.empty() || words.front().starts_with('#');
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

}  // namespace

namespace internal {

std::vector<std::string_view> LexiconLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t begin = 0;
  while (begin <= text.size()) {
    size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = text.substr(begin, end - begin);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    lines.push_back(line);
    begin = end + 1;
  }
  return lines;
}

std::vector<std::string> LexiconWords(std::string_view line) {
  std::vector<std::string> words;
  std::string current;
  size_t pos = 0;
  while (pos < line.size()) {
    const size_t start = pos;
    const char32_t c = internal::DecodeUtf8(line, &pos);
    const bool separator = c == U' ' || c == U'\t' || c == U',' || c == U'/' || c == U'|' ||
                           c == U'，' || c == U'、' || c == 0x3000;
    if (separator) {
      if (!current.empty()) {
        words.push_back(std::move(current));
        current.clear();
      }
    } else {
      current.append(line.substr(start, pos - start));
    }
  }
  if (!current.empty()) {
    words.push_back(std::move(current));
  }
  return words;
}

}  // namespace internal

Status Lexicon::AddDictionary(std::string_view text) {
  std::vector<LexiconWord> added;
  const auto lines = internal::LexiconLines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto words = internal::LexiconWords(lines[i]);
    if (IsCommentOrBlank(words)) {
      continue;
    }
    const std::string where = "dictionary line " + std::to_string(i + 1) + ": ";
    if (words.size() > 2) {
      return InvalidArgument(where + "expected 'word [kind]'");
    }
    LexiconWord word{words[0], LexiconWordKind::kWord};
    if (CharCount(word.text) > kMaxWordChars) {
      return InvalidArgument(where + "word longer than " + std::to_string(kMaxWordChars) +
                             " characters");
    }
    if (words.size() == 2) {
      if (words[1] == "word") {
        word.kind = LexiconWordKind::kWord;
      } else if (words[1] == "address") {
        word.kind = LexiconWordKind::kAddress;
      } else if (words[1] == "unit") {
        word.kind = LexiconWordKind::kUnit;
      } else {
        return InvalidArgument(where + "unknown kind '" + words[1] +
                               "' (expected word, address or unit)");
      }
    }
    added.push_back(std::move(word));
  }
  words_.insert(words_.end(), added.begin(), added.end());
  return OkStatus();
}

Status Lexicon::AddSynonyms(std::string_view text) {
  std::set<std::string> taken;
  for (const auto& group : groups_) {
    taken.insert(group.begin(), group.end());
  }
  std::vector<std::vector<std::string>> added;
  const auto lines = internal::LexiconLines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    auto words = internal::LexiconWords(lines[i]);
    if (IsCommentOrBlank(words)) {
      continue;
    }
    const std::string where = "synonyms line " + std::to_string(i + 1) + ": ";
    if (words.size() < 2) {
      return InvalidArgument(where + "a group needs at least two words");
    }
    for (const auto& word : words) {
      if (CharCount(word) > kMaxWordChars) {
        return InvalidArgument(where + "word longer than " + std::to_string(kMaxWordChars) +
                               " characters");
      }
      if (!taken.insert(word).second) {
        return InvalidArgument(where + "'" + word + "' is already in a synonym group");
      }
    }
    added.push_back(std::move(words));
  }
  for (auto& group : added) {
    for (const auto& word : group) {
      words_.push_back({word, LexiconWordKind::kWord});
    }
    groups_.push_back(std::move(group));
  }
  return OkStatus();
}

Lexicon Lexicon::Default() {
  Lexicon lexicon;
  // The built-in texts are constants checked by the tests; a failure here is a bug.
  const Status dictionary = lexicon.AddDictionary(kDefaultDictionary);
  HOTLINE_CHECK(dictionary.has_value(), "built-in dictionary must parse");
  const Status synonyms = lexicon.AddSynonyms(kDefaultSynonyms);
  HOTLINE_CHECK(synonyms.has_value(), "built-in synonyms must parse");
  return lexicon;
}

}  // namespace hotline::adapters::text
