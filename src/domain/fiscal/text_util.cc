#include "domain/fiscal/text_util.h"

#include <array>

namespace hotline::domain::fiscal {
namespace {

constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
constexpr std::string_view kNoBreakSpace = "\xC2\xA0";

// Length of the white space sequence at `s[i]`, 0 when none.
size_t SpaceAt(std::string_view s, size_t i) {
  const char c = s[i];
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') {
    return 1;
  }
  if (s.substr(i, kIdeographicSpace.size()) == kIdeographicSpace) {
    return kIdeographicSpace.size();
  }
  if (s.substr(i, kNoBreakSpace.size()) == kNoBreakSpace) {
    return kNoBreakSpace.size();
  }
  return 0;
}

constexpr std::array<std::string_view, 10> kChineseDigits = {"一", "二", "三", "四", "五",
                                                             "六", "七", "八", "九", "十"};

// Length of a Chinese numeral ("二十六") at the start of `s`.
size_t ChineseNumeralLength(std::string_view s) {
  size_t n = 0;
  for (;;) {
    bool matched = false;
    for (std::string_view d : kChineseDigits) {
      if (s.substr(n, d.size()) == d) {
        n += d.size();
        matched = true;
        break;
      }
    }
    if (!matched) {
      return n;
    }
  }
}

size_t AsciiDigitsLength(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9') {
    ++n;
  }
  return n;
}

std::string ReplaceAll(std::string s, std::string_view from, std::string_view to) {
  size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
  return s;
}

}  // namespace

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    lines.emplace_back(line);
    if (end == text.size()) {
      break;
    }
    start = end + 1;
  }
  return lines;
}

std::vector<std::string> SplitCells(std::string_view line) {
  std::vector<std::string> cells;
  size_t start = 0;
  for (;;) {
    size_t end = line.find('\t', start);
    if (end == std::string_view::npos) {
      cells.push_back(Trim(line.substr(start)));
      break;
    }
    cells.push_back(Trim(line.substr(start, end - start)));
    start = end + 1;
  }
  return cells;
}

std::string Trim(std::string_view s) {
  size_t begin = 0;
  while (begin < s.size()) {
    const size_t n = SpaceAt(s, begin);
    if (n == 0) {
      break;
    }
    begin += n;
  }
  size_t end = s.size();
  while (end > begin) {
    // Look back for the multi-byte spaces first.
    if (end - begin >= kIdeographicSpace.size() &&
        s.substr(end - kIdeographicSpace.size(), kIdeographicSpace.size()) == kIdeographicSpace) {
      end -= kIdeographicSpace.size();
      continue;
    }
    if (end - begin >= kNoBreakSpace.size() &&
        s.substr(end - kNoBreakSpace.size(), kNoBreakSpace.size()) == kNoBreakSpace) {
      end -= kNoBreakSpace.size();
      continue;
    }
    const char c = s[end - 1];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') {
      --end;
      continue;
    }
    break;
  }
  return std::string(s.substr(begin, end - begin));
}

std::string RemoveSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t n = SpaceAt(s, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out.push_back(s[i]);
    ++i;
  }
  return out;
}

std::string StripEnumeration(std::string_view input) {
  std::string s = RemoveSpaces(input);
  s = ReplaceAll(s, "（", "(");
  s = ReplaceAll(s, "）", ")");
  std::string_view v = s;
  for (bool again = true; again;) {
    again = false;
    if (StartsWith(v, "其中:") || StartsWith(v, "其中，") || StartsWith(v, "其中,")) {
      v.remove_prefix(StartsWith(v, "其中:") ? 7 : StartsWith(v, "其中,") ? 7 : 9);
      again = true;
      continue;
    }
    if (StartsWith(v, "其中：")) {
      v.remove_prefix(std::string_view("其中：").size());
      again = true;
      continue;
    }
    // (一) (1)
    if (StartsWith(v, "(")) {
      const size_t close = v.find(')');
      if (close != std::string_view::npos && close > 1) {
        std::string_view inner = v.substr(1, close - 1);
        if (ChineseNumeralLength(inner) == inner.size() ||
            AsciiDigitsLength(inner) == inner.size()) {
          v.remove_prefix(close + 1);
          again = true;
          continue;
        }
      }
    }
    // 一、 二十六、
    const size_t cn = ChineseNumeralLength(v);
    if (cn > 0 && StartsWith(v.substr(cn), "、")) {
      v.remove_prefix(cn + std::string_view("、").size());
      again = true;
      continue;
    }
    // 1. 1、 (but not 2010350- or 402.64)
    const size_t dn = AsciiDigitsLength(v);
    if (dn > 0 && dn <= 2) {
      std::string_view rest = v.substr(dn);
      if (StartsWith(rest, "、")) {
        v.remove_prefix(dn + std::string_view("、").size());
        again = true;
      } else if (StartsWith(rest, ".") && (rest.size() == 1 || rest[1] < '0' || rest[1] > '9')) {
        v.remove_prefix(dn + 1);
        again = true;
      }
    }
  }
  return std::string(v);
}

bool HasEnumeration(std::string_view s) {
  std::string plain = RemoveSpaces(s);
  plain = ReplaceAll(plain, "（", "(");
  plain = ReplaceAll(plain, "）", ")");
  return StripEnumeration(s).size() != plain.size();
}

std::string NormalizeLabel(std::string_view s) {
  std::string out = StripEnumeration(s);
  out = ReplaceAll(out, "：", ":");
  out = ReplaceAll(out, "“", "");
  out = ReplaceAll(out, "”", "");
  out = ReplaceAll(out, "\"", "");
  return out;
}

bool Contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}
bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool IsCode(std::string_view s) {
  if (s.size() < 3 || s.size() > 7) {
    return false;
  }
  for (char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

bool IsBlankCell(std::string_view s) {
  const std::string t = RemoveSpaces(s);
  return t.empty() || t == "—" || t == "-" || t == "/" || t == "——" || t == "－";
}

std::optional<Fixed2> ParseAmountCell(std::string_view s) {
  if (IsBlankCell(s)) {
    return std::nullopt;
  }
  return Fixed2::Parse(RemoveSpaces(s));
}

int FirstNonEmpty(const std::vector<std::string>& cells, int from) {
  for (int i = from; i < static_cast<int>(cells.size()); ++i) {
    if (!cells[i].empty()) {
      return i;
    }
  }
  return -1;
}

int CountNonEmpty(const std::vector<std::string>& cells) {
  int n = 0;
  for (const auto& c : cells) {
    if (!c.empty()) {
      ++n;
    }
  }
  return n;
}

}  // namespace hotline::domain::fiscal
