#include "domain/fiscal/parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/fiscal/text_util.h"

namespace hotline::domain::fiscal {
namespace {

constexpr int kTableCount = 9;
// Amount columns of 01/04's right side.
constexpr int kT01ExpenseColumns = 1;
constexpr int kT04ExpenseColumns = 4;

struct Line {
  std::string raw;
  std::string compact;  // without spaces
  bool has_tab = false;
};

struct Block {
  int begin = 0;  // index into lines, inclusive
  int end = 0;    // exclusive
};

void AddParseFinding(Document& doc, std::string rule, int line, std::string where,
                     std::string message, std::string actual = "") {
  Finding f;
  f.rule = std::move(rule);
  f.severity = Severity::kWarning;
  f.line = line;
  f.where = std::move(where);
  f.actual = std::move(actual);
  f.message = std::move(message);
  doc.parse_findings.push_back(std::move(f));
}

std::string TableName(int number) { return fmt::format("公开{:02d}表", number); }

// "公开01表", "公开 05 表" → 5; 0 when the line is not a table marker.
int TableMarker(const Line& line) {
  const std::string& c = line.compact;
  if (c.size() > 40) {
    return 0;
  }
  const size_t pos = c.find("公开");
  if (pos == std::string::npos) {
    return 0;
  }
  const size_t d = pos + std::string_view("公开").size();
  if (d + 2 > c.size() || c[d] < '0' || c[d] > '9' || c[d + 1] < '0' || c[d + 1] > '9') {
    return 0;
  }
  if (c.substr(d + 2, std::string_view("表").size()) != "表") {
    return 0;
  }
  const int n = (c[d] - '0') * 10 + (c[d + 1] - '0');
  return n >= 1 && n <= kTableCount ? n : 0;
}

bool StartsWithChineseEnumeration(std::string_view compact) {
  static constexpr std::array<std::string_view, 10> kDigits = {"一", "二", "三", "四", "五",
                                                               "六", "七", "八", "九", "十"};
  size_t n = 0;
  for (bool matched = true; matched;) {
    matched = false;
    for (std::string_view d : kDigits) {
      if (compact.substr(n, d.size()) == d) {
        n += d.size();
        matched = true;
        break;
      }
    }
  }
  return n > 0 && compact.substr(n, std::string_view("、").size()) == "、";
}

// A heading line of the document body (not a table row): "二、收入决算表", "第三部分 …".
bool IsBodyHeading(const Line& line) {
  if (line.has_tab) {
    return false;
  }
  return StartsWith(line.compact, "第") ? Contains(line.compact, "部分")
                                        : StartsWithChineseEnumeration(line.compact);
}

bool IsNoteStart(const Line& line) {
  std::string_view c = line.compact;
  if (StartsWith(c, "-")) {
    c.remove_prefix(1);
  }
  return StartsWith(c, "注：") || StartsWith(c, "注:");
}

bool IsSheetTitle(const Line& line) {
  const std::vector<std::string> cells = SplitCells(line.raw);
  const int first = FirstNonEmpty(cells);
  if (first < 0) {
    return false;
  }
  const std::string c = RemoveSpaces(cells[first]);
  return c == "专项资金绩效自评表" || c == "项目支出绩效自评表" || c == "项目绩效自评表";
}

bool HasNumericCell(const std::vector<std::string>& cells, int from = 0) {
  for (int i = from; i < static_cast<int>(cells.size()); ++i) {
    if (ParseAmountCell(cells[i]).has_value()) {
      return true;
    }
  }
  return false;
}

// Lines of a table block that are page furniture rather than data: titles, "单位：万元",
// repeated markers, a bare page number.
bool IsFurniture(const Line& line) {
  const std::string& c = line.compact;
  if (c.empty()) {
    return true;
  }
  if (StartsWith(c, "单位：") || StartsWith(c, "单位:") || StartsWith(c, "金额单位")) {
    return true;
  }
  if (TableMarker(line) != 0) {
    return true;
  }
  if (!line.has_tab) {
    // A bare number on its own line is a page number from the PDF.
    bool digits = !c.empty();
    for (char ch : c) {
      digits = digits && ch >= '0' && ch <= '9';
    }
    if (digits) {
      return true;
    }
    if (EndsWith(c, "决算表") || EndsWith(c, "决算总表")) {
      return true;  // a table title repeated on a new page
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// Tables

struct TableContext {
  Document& doc;
  const std::vector<Line>& lines;
  int number;
  Block block;
};

std::string CollectNote(const std::vector<Line>& lines, int begin, int end) {
  std::string note;
  for (int i = begin; i < end; ++i) {
    const Line& l = lines[i];
    if (l.compact.empty() || IsFurniture(l)) {
      continue;
    }
    std::string t = Trim(l.raw);
    if (StartsWith(t, "-")) {
      t = Trim(std::string_view(t).substr(1));
    }
    note += t;
  }
  return note;
}

// Finds where the rows of a table end and its note begins.
int NoteStart(const std::vector<Line>& lines, Block block) {
  for (int i = block.begin; i < block.end; ++i) {
    if (IsNoteStart(lines[i])) {
      return i;
    }
  }
  return block.end;
}

void ParseBalanceTable(TableContext& ctx, BalanceTable& table, int right_columns) {
  table.present = true;
  table.line = ctx.block.begin + 1;
  const int note_at = NoteStart(ctx.lines, ctx.block);
  table.note = CollectNote(ctx.lines, note_at, ctx.block.end);
  for (int i = ctx.block.begin + 1; i < note_at; ++i) {
    const Line& l = ctx.lines[i];
    if (IsFurniture(l)) {
      continue;
    }
    const std::vector<std::string> cells = SplitCells(l.raw);
    if (!HasNumericCell(cells)) {
      continue;  // header rows, repeated or not
    }
    const int line_no = i + 1;
    const int full = 3 + right_columns;
    if (static_cast<int>(cells.size()) >= full) {
      if (!cells[0].empty() || !IsBlankCell(cells[1])) {
        table.income.push_back({cells[0], {ParseAmountCell(cells[1])}, line_no});
      }
      if (!cells[2].empty()) {
        LabeledRow row{cells[2], {}, line_no};
        for (int c = 0; c < right_columns; ++c) {
          row.values.push_back(ParseAmountCell(cells[3 + c]));
        }
        table.expense.push_back(std::move(row));
      }
      continue;
    }
    // A short row: PDF extraction dropped the empty cells of one side.
    std::vector<std::string> nonempty;
    for (const auto& c : cells) {
      if (!c.empty()) {
        nonempty.push_back(c);
      }
    }
    if (!nonempty.empty() && !ParseAmountCell(nonempty[0]).has_value()) {
      const std::string& label = nonempty[0];
      const int amounts = static_cast<int>(nonempty.size()) - 1;
      const bool looks_expense =
          Contains(label, "支出") || Contains(label, "结余分配") || Contains(label, "年末");
      if (amounts == right_columns && (looks_expense || right_columns > 1)) {
        LabeledRow row{label, {}, line_no};
        for (int c = 0; c < right_columns; ++c) {
          row.values.push_back(ParseAmountCell(nonempty[1 + c]));
        }
        table.expense.push_back(std::move(row));
        continue;
      }
      if (amounts == 1) {
        table.income.push_back({label, {ParseAmountCell(nonempty[1])}, line_no});
        continue;
      }
    }
    AddParseFinding(
        ctx.doc, "parse.table_row", line_no, TableName(ctx.number),
        fmt::format("{}第{}行无法识别为收入或支出行，未参与核对", TableName(ctx.number), line_no),
        l.raw);
  }
}

void ParseFunctionTable(TableContext& ctx, FunctionTable& table) {
  table.present = true;
  table.line = ctx.block.begin + 1;
  table.columns = StandardColumns(ctx.number);
  const int n = static_cast<int>(table.columns.size());
  const int note_at = NoteStart(ctx.lines, ctx.block);
  table.note = CollectNote(ctx.lines, note_at, ctx.block.end);
  FunctionRow* last = nullptr;
  std::optional<FunctionRow> pending;  // a code row whose amounts are on the next line
  for (int i = ctx.block.begin + 1; i < note_at; ++i) {
    const Line& l = ctx.lines[i];
    if (IsFurniture(l)) {
      continue;
    }
    const int line_no = i + 1;
    std::vector<std::string> cells = SplitCells(l.raw);
    const int first = FirstNonEmpty(cells);
    if (first < 0) {
      continue;
    }
    if (RemoveSpaces(cells[first]) == "栏次") {
      continue;
    }
    if (pending.has_value() && !IsCode(RemoveSpaces(cells[0]))) {
      // Continuation of a wrapped name: "事务支出 | 292.60 | …".
      std::vector<std::string> merged = {pending->code, pending->name};
      bool name_done = false;
      for (const auto& c : cells) {
        if (!name_done && !c.empty() && !ParseAmountCell(c).has_value()) {
          merged[1] += c;
          continue;
        }
        if (!c.empty()) {
          name_done = true;
          merged.push_back(c);
        }
      }
      cells = std::move(merged);
      pending.reset();
    }
    const std::string c0 = RemoveSpaces(cells[0]);
    if (!HasNumericCell(cells, IsCode(c0) ? 1 : 0)) {
      if (IsCode(c0)) {
        pending = FunctionRow{c0, cells.size() > 1 ? cells[1] : "", {}, line_no};
        continue;
      }
      if (!l.has_tab && last != nullptr && !IsBodyHeading(l)) {
        last->name += Trim(l.raw);  // a name broken over two lines
      }
      continue;  // header rows, repeated across pages or not
    }
    FunctionRow row;
    row.line = line_no;
    int value_from = 2;
    if (IsCode(c0)) {
      row.code = c0;
      row.name = cells.size() > 1 ? cells[1] : "";
      if (ParseAmountCell(row.name).has_value()) {
        row.name.clear();
        value_from = 1;  // the empty name cell was lost
      }
    } else {
      const std::string c1 = cells.size() > 1 ? RemoveSpaces(cells[1]) : "";
      const bool total_label =
          c0.empty() || c0 == "类" || c0 == "合计" || c0 == "总计" || c1 == "合计" || c1 == "总计";
      if (!total_label) {
        AddParseFinding(ctx.doc, "parse.table_row", line_no, TableName(ctx.number),
                        fmt::format("{}第{}行既不是科目行也不是合计行，未参与核对",
                                    TableName(ctx.number), line_no),
                        l.raw);
        continue;
      }
      row.name = "合计";
      if (ParseAmountCell(cells.size() > 1 ? cells[1] : "").has_value()) {
        value_from = 1;
      }
    }
    for (int c = 0; c < n; ++c) {
      const int idx = value_from + c;
      row.values.push_back(idx < static_cast<int>(cells.size()) ? ParseAmountCell(cells[idx])
                                                                : std::nullopt);
    }
    if (row.code.empty()) {
      table.total = std::move(row);
      last = &*table.total;
    } else {
      table.rows.push_back(std::move(row));
      last = &table.rows.back();
    }
  }
  if (pending.has_value()) {
    AddParseFinding(ctx.doc, "parse.table_row", pending->line, TableName(ctx.number),
                    fmt::format("{}科目{}没有金额", TableName(ctx.number), pending->code));
  }
}

bool IsPersonnelCode(std::string_view code) {
  return StartsWith(code, "301") || StartsWith(code, "303");
}

void ParseBasicTable(TableContext& ctx, BasicTable& table) {
  table.present = true;
  table.line = ctx.block.begin + 1;
  const int note_at = NoteStart(ctx.lines, ctx.block);
  table.note = CollectNote(ctx.lines, note_at, ctx.block.end);
  for (int i = ctx.block.begin + 1; i < note_at; ++i) {
    const Line& l = ctx.lines[i];
    if (IsFurniture(l)) {
      continue;
    }
    const int line_no = i + 1;
    const std::vector<std::string> cells = SplitCells(l.raw);
    const int size = static_cast<int>(cells.size());
    bool used_numbers = false;
    bool stray_number = false;
    for (int c = 0; c < size; ++c) {
      const std::string code = RemoveSpaces(cells[c]);
      if (IsCode(code) && c + 2 < size) {
        EconomicItem item{code, cells[c + 1], ParseAmountCell(cells[c + 2]), line_no};
        (IsPersonnelCode(code) ? table.personnel : table.public_funds).push_back(item);
        used_numbers = true;
        c += 2;
        continue;
      }
      const bool personnel = Contains(code, "人员经费合计") || Contains(code, "人员经费小计");
      const bool pub = Contains(code, "公用经费合计") || Contains(code, "公用经费小计");
      if (personnel || pub) {
        for (int k = c + 1; k < size; ++k) {
          if (auto v = ParseAmountCell(cells[k])) {
            (personnel ? table.personnel_total : table.public_total) = v;
            table.totals_line = line_no;
            used_numbers = true;
            c = k;
            break;
          }
        }
        continue;
      }
      if (ParseAmountCell(cells[c]).has_value()) {
        stray_number = true;
      }
    }
    if (stray_number && !used_numbers) {
      AddParseFinding(
          ctx.doc, "parse.table_row", line_no, TableName(6),
          fmt::format("公开06表第{}行无法识别（应为“编码、科目名称、金额”三列一组）", line_no),
          l.raw);
    }
  }
}

void ParseSanGongTable(TableContext& ctx, SanGongTable& table) {
  table.present = true;
  table.line = ctx.block.begin + 1;
  const int note_at = NoteStart(ctx.lines, ctx.block);
  table.note = CollectNote(ctx.lines, note_at, ctx.block.end);
  int seq_column = 1;  // 行次
  std::vector<int> value_columns = {2};
  for (int i = ctx.block.begin + 1; i < note_at; ++i) {
    const Line& l = ctx.lines[i];
    if (IsFurniture(l)) {
      continue;
    }
    const int line_no = i + 1;
    const std::vector<std::string> cells = SplitCells(l.raw);
    if (!HasNumericCell(cells)) {
      // Header: find 行次 and the amount columns (预算数, 决算数).
      bool header = false;
      std::vector<int> columns;
      std::vector<std::string> names;
      for (int c = 0; c < static_cast<int>(cells.size()); ++c) {
        const std::string h = RemoveSpaces(cells[c]);
        if (h == "行次") {
          seq_column = c;
          header = true;
        } else if (c > 0 && EndsWith(h, "数")) {
          columns.push_back(c);
          names.push_back(h);
          header = true;
        }
      }
      if (header && !columns.empty()) {
        value_columns = columns;
        table.columns = names;
      }
      continue;
    }
    LabeledRow row{cells[0], {}, line_no};
    int found = 0;
    for (int c : value_columns) {
      const auto v = c < static_cast<int>(cells.size()) ? ParseAmountCell(cells[c]) : std::nullopt;
      found += v.has_value() ? 1 : 0;
      row.values.push_back(v);
    }
    if (row.label.empty() || found == 0) {
      AddParseFinding(ctx.doc, "parse.table_row", line_no, TableName(7),
                      fmt::format("公开07表第{}行无法识别", line_no), l.raw);
      continue;
    }
    (void)seq_column;
    table.rows.push_back(std::move(row));
  }
  if (table.columns.empty()) {
    table.columns = {"决算数"};
  }
}

// ---------------------------------------------------------------------------------------
// Explanation

Section SectionOf(std::string_view heading, Section current) {
  const std::string h = NormalizeLabel(heading);
  if (Contains(h, "三公")) return Section::kSanGong;
  if (Contains(h, "预算绩效") || Contains(h, "绩效情况")) return Section::kPerformance;
  if (Contains(h, "基本支出决算情况")) return Section::kBasic;
  if (Contains(h, "国有资本经营")) return Section::kStateCapital;
  if (Contains(h, "政府性基金")) return Section::kGovFund;
  if (Contains(h, "一般公共预算财政拨款支出决算情况")) return Section::kGeneralBudget;
  if (Contains(h, "财政拨款收入支出决算总体情况")) return Section::kFiscalOverview;
  if (Contains(h, "收入支出决算总体情况")) return Section::kOverview;
  if (Contains(h, "收入决算情况")) return Section::kIncome;
  if (Contains(h, "支出决算情况")) return Section::kExpense;
  if (Contains(h, "其他重要事项")) return Section::kOther;
  return current;
}

bool StartsWithEnumeration(std::string_view compact) {
  return HasEnumeration(compact) && !StartsWith(compact, "其中");
}

// True when `s` holds a run of five or more digits (a classification code, an amount).
bool HasLongDigitRun(std::string_view s) {
  int run = 0;
  for (char ch : s) {
    run = ch >= '0' && ch <= '9' ? run + 1 : 0;
    if (run >= 5) {
      return true;
    }
  }
  return false;
}

// A heading of the explanation: an enumerated short line without amounts, codes or
// sentence punctuation. "(三) 2080505-…支出" broken before its amount is not a heading.
bool IsExplanationHeading(const Line& line) {
  const std::string& c = line.compact;
  if (c.empty() || c.size() > 120 || Contains(c, "万元") || Contains(c, "。") ||
      Contains(c, "，") || HasLongDigitRun(c)) {
    return false;
  }
  return StartsWithEnumeration(c) || StartsWith(c, "第");
}

struct Paragraph {
  std::string text;
  std::vector<std::pair<size_t, int>> offsets;  // (byte offset in text, line number)
  Section section = Section::kOther;

  int LineAt(size_t offset) const {
    int line = offsets.empty() ? 0 : offsets.front().second;
    for (const auto& [off, l] : offsets) {
      if (off <= offset) {
        line = l;
      }
    }
    return line;
  }
};

bool EndsParagraph(std::string_view text) {
  const std::string t = Trim(text);
  for (std::string_view end : {"。", "；", "：", "！", "？", ":", ";"}) {
    if (EndsWith(t, end)) {
      return true;
    }
  }
  return false;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads a number at text[i] allowing spaces around the decimal point ("402. 64").
// Returns the end offset and the number, or nullopt.
std::optional<std::pair<size_t, Fixed2>> ReadNumber(std::string_view text, size_t i) {
  size_t j = i;
  std::string digits;
  while (j < text.size() && (IsDigit(text[j]) || text[j] == ',')) {
    digits.push_back(text[j]);
    ++j;
  }
  size_t k = j;
  while (k < text.size() && text[k] == ' ') {
    ++k;
  }
  if (k < text.size() && text[k] == '.') {
    size_t m = k + 1;
    while (m < text.size() && text[m] == ' ') {
      ++m;
    }
    if (m < text.size() && IsDigit(text[m])) {
      digits.push_back('.');
      while (m < text.size() && IsDigit(text[m])) {
        digits.push_back(text[m]);
        ++m;
      }
      j = m;
    }
  }
  auto value = Fixed2::Parse(digits);
  if (!value) {
    return std::nullopt;
  }
  return std::make_pair(j, *value);
}

int DecimalsOf(std::string_view text, size_t begin, size_t end) {
  const std::string_view number = text.substr(begin, end - begin);
  const size_t dot = number.find('.');
  if (dot == std::string_view::npos) {
    return 0;
  }
  int d = 0;
  for (size_t i = dot + 1; i < number.size(); ++i) {
    d += IsDigit(number[i]) ? 1 : 0;
  }
  return std::min(d, 2);
}

std::string StripYearPrefix(std::string s) {
  // "2023年度", "2023年" at the start; "本单位"/"本部门" anywhere at the start.
  for (bool again = true; again;) {
    again = false;
    if (s.size() >= 4 && IsDigit(s[0]) && IsDigit(s[1]) && IsDigit(s[2]) && IsDigit(s[3])) {
      std::string_view rest = std::string_view(s).substr(4);
      if (StartsWith(rest, "年度")) {
        s = std::string(rest.substr(std::string_view("年度").size()));
        again = true;
      } else if (StartsWith(rest, "年")) {
        s = std::string(rest.substr(std::string_view("年").size()));
        again = true;
      }
    }
    for (std::string_view p : {"本单位", "本部门", "(按项级科目分类统计)", "其中，", "其中,"}) {
      if (StartsWith(s, p)) {
        s = s.substr(p.size());
        again = true;
      }
    }
  }
  return s;
}

bool IsClauseDelimiter(std::string_view text, size_t i, size_t* len) {
  for (std::string_view d : {"，", "；", "：", "、", "。", "（", "）"}) {
    if (text.substr(i, d.size()) == d) {
      *len = d.size();
      return true;
    }
  }
  if (text[i] == ',' || text[i] == ';' || text[i] == ':') {
    *len = 1;
    return true;
  }
  return false;
}

void ScanParagraph(const Paragraph& p, Explanation& ex) {
  const std::string_view text = p.text;
  size_t clause_start = 0;
  int sentence_first = static_cast<int>(ex.statements.size());
  int last_statement = -1;
  bool each = false;  // "各增加": the change applies to every amount of the sentence
  for (size_t i = 0; i < text.size();) {
    size_t dl = 0;
    if (IsClauseDelimiter(text, i, &dl)) {
      const bool sentence_end = text.substr(i, dl) == "。";
      // Parentheses only delimit when they enclose an enumeration, "(一)".
      const bool paren = text.substr(i, dl) == "（" || text.substr(i, dl) == "）";
      if (!paren) {
        clause_start = i + dl;
      }
      if (sentence_end) {
        sentence_first = static_cast<int>(ex.statements.size());
        last_statement = -1;
        each = false;
      }
      i += dl;
      continue;
    }
    if (!IsDigit(text[i]) ||
        (i > 0 && (IsDigit(text[i - 1]) || text[i - 1] == '.' || text[i - 1] == '-'))) {
      ++i;
      continue;
    }
    auto number = ReadNumber(text, i);
    if (!number) {
      ++i;
      continue;
    }
    const auto [end, value] = *number;
    size_t k = end;
    while (k < text.size() && text[k] == ' ') {
      ++k;
    }
    const std::string_view after = text.substr(k);
    const std::string before = RemoveSpaces(text.substr(clause_start, i - clause_start));
    const int line = p.LineAt(i);
    if (StartsWith(after, "万元")) {
      const std::string_view tail = after.substr(std::string_view("万元").size());
      if (StartsWith(tail, "以上") || StartsWith(tail, "以下")) {
        i = end;
        continue;  // a threshold, not a stated amount
      }
      const bool increase = EndsWith(before, "增加") || EndsWith(before, "增长");
      const bool decrease = EndsWith(before, "减少") || EndsWith(before, "下降");
      if (increase || decrease) {
        const Fixed2 signed_value = decrease ? -value : value;
        if (EndsWith(before, "各增加") || EndsWith(before, "各减少")) {
          each = true;
        }
        if (each) {
          for (int s = sentence_first; s < static_cast<int>(ex.statements.size()); ++s) {
            if (!ex.statements[s].change) {
              ex.statements[s].change = signed_value;
            }
          }
        } else if (last_statement >= 0) {
          ex.statements[last_statement].change = signed_value;
        }
      } else {
        Statement st;
        st.section = p.section;
        st.subject = NormalizeLabel(StripYearPrefix(StripEnumeration(before)));
        st.amount = value;
        st.line = line;
        st.text = Trim(text.substr(clause_start, end - clause_start)) + "万元";
        ex.statements.push_back(std::move(st));
        last_statement = static_cast<int>(ex.statements.size()) - 1;
      }
    } else if (StartsWith(after, "%") || StartsWith(after, "％")) {
      const int decimals = DecimalsOf(text, i, end);
      if (Contains(before, "完成")) {
        if (last_statement >= 0) {
          ex.statements[last_statement].completion_pct = value;
        }
      } else if (EndsWith(before, "增长") || EndsWith(before, "下降") || EndsWith(before, "减少") ||
                 EndsWith(before, "增加")) {
        const bool down = EndsWith(before, "下降") || EndsWith(before, "减少");
        const Fixed2 signed_value = down ? -value : value;
        if (each) {
          for (int s = sentence_first; s < static_cast<int>(ex.statements.size()); ++s) {
            if (!ex.statements[s].change_pct) {
              ex.statements[s].change_pct = signed_value;
              ex.statements[s].change_pct_decimals = decimals;
            }
          }
        } else if (last_statement >= 0) {
          ex.statements[last_statement].change_pct = signed_value;
          ex.statements[last_statement].change_pct_decimals = decimals;
        }
      }
    } else {
      for (std::string_view noun : {"批次", "人次", "个", "辆", "台", "团组"}) {
        if (StartsWith(after, noun) && value.hundredths() % 100 == 0) {
          CountStatement cs;
          cs.section = p.section;
          cs.context = before;
          cs.noun = std::string(noun);
          cs.value = value.hundredths() / 100;
          cs.statement_index = static_cast<int>(ex.statements.size()) - 1;
          cs.line = line;
          ex.counts.push_back(std::move(cs));
          break;
        }
      }
    }
    i = end;
  }
  // "与上年持平" marks the last amount of each sentence that says it.
  if (Contains(text, "持平") && !ex.statements.empty()) {
    for (int s = static_cast<int>(ex.statements.size()) - 1; s >= 0; --s) {
      if (ex.statements[s].line < p.LineAt(0)) {
        break;
      }
      if (ex.statements[s].change && ex.statements[s].change->IsZero()) {
        ex.statements[s].flat = true;
      }
    }
  }
}

void ParsePerformanceSummary(const std::vector<Paragraph>& paragraphs, Explanation& ex) {
  std::string all;
  int line = 0;
  for (const auto& p : paragraphs) {
    if (p.section == Section::kPerformance) {
      if (line == 0) {
        line = p.LineAt(0);
      }
      all += RemoveSpaces(p.text);
    }
  }
  if (all.empty()) {
    return;
  }
  PerformanceSummary& perf = ex.performance;
  perf.line = line;
  // "5个项目"
  const size_t pos = all.find("个项目");
  if (pos != std::string::npos) {
    size_t b = pos;
    while (b > 0 && IsDigit(all[b - 1])) {
      --b;
    }
    if (b < pos) {
      perf.project_count = std::stoi(all.substr(b, pos - b));
    }
  }
  for (const auto& st : ex.statements) {
    if (st.section == Section::kPerformance && Contains(st.subject, "资金")) {
      perf.funds = st.amount;
      break;
    }
  }
  // "分别是4个、1个、0个、0个"
  // The last "分别是" of the section is the one followed by the grade counts.
  const size_t respectively = all.rfind("分别");
  if (respectively != std::string::npos) {
    std::array<int, 4> counts{};
    int found = 0;
    size_t i = respectively;
    while (i < all.size() && found < 4) {
      if (IsDigit(all[i])) {
        size_t j = i;
        while (j < all.size() && IsDigit(all[j])) {
          ++j;
        }
        if (all.substr(j, std::string_view("个").size()) == "个") {
          counts[found++] = std::stoi(all.substr(i, j - i));
        }
        i = j;
      } else {
        ++i;
      }
    }
    if (found == 4) {
      perf.grade_counts = counts;
    }
  }
}

void ParseExplanation(Document& doc, const std::vector<Line>& lines, Block block) {
  Explanation& ex = doc.explanation;
  ex.present = true;
  std::vector<Paragraph> paragraphs;
  Section section = Section::kOther;
  Paragraph current;
  bool open = false;
  auto flush = [&]() {
    if (open && !current.text.empty()) {
      paragraphs.push_back(std::move(current));
    }
    current = Paragraph{};
    open = false;
  };
  for (int i = block.begin; i < block.end; ++i) {
    const Line& l = lines[i];
    if (l.compact.empty()) {
      continue;
    }
    if (IsExplanationHeading(l)) {
      flush();
      section = SectionOf(l.compact, section);
      continue;
    }
    const bool starts_item = StartsWithEnumeration(l.compact);
    if (open && (starts_item || EndsParagraph(current.text))) {
      flush();
    }
    if (!open) {
      current.section = section;
      open = true;
    }
    current.offsets.emplace_back(current.text.size(), i + 1);
    current.text += Trim(l.raw);
  }
  flush();
  for (const auto& p : paragraphs) {
    ScanParagraph(p, ex);
  }
  ParsePerformanceSummary(paragraphs, ex);
}

// ---------------------------------------------------------------------------------------
// Self-evaluation sheets

bool IsLevelLabel(std::string_view cell) {
  const std::string c = RemoveSpaces(cell);
  return EndsWith(c, "指标") && c.size() <= 30 && !Contains(c, "≥") && !Contains(c, "≤");
}

bool IsLevel1(std::string_view c) {
  return c == "产出指标" || c == "效益指标" || c == "成本指标" || c == "满意度指标";
}

std::optional<Fixed2> LeadingNumber(std::string_view raw, std::string* rest) {
  const std::string s = RemoveSpaces(raw);
  size_t j = 0;
  if (j < s.size() && (s[j] == '-' || s[j] == '+')) {
    ++j;
  }
  const size_t digits_from = j;
  while (j < s.size() && (IsDigit(s[j]) || s[j] == '.' || s[j] == ',')) {
    ++j;
  }
  if (j == digits_from) {
    if (rest != nullptr) {
      *rest = s;
    }
    return std::nullopt;
  }
  if (rest != nullptr) {
    *rest = s.substr(j);
  }
  return Fixed2::Parse(s.substr(0, j));
}

FundsRow ParseFundsRow(const std::vector<std::string>& cells, int label_at, int line) {
  FundsRow row;
  row.label = RemoveSpaces(cells[label_at]);
  row.line = line;
  auto at = [&](int offset) -> OptAmount {
    const int idx = label_at + offset;
    return idx < static_cast<int>(cells.size()) ? ParseAmountCell(cells[idx]) : std::nullopt;
  };
  row.initial_budget = at(1);
  row.budget = at(2);
  row.executed = at(3);
  row.weight = at(4);
  row.rate = at(5);
  row.score = at(6);
  return row;
}

void ParseSheet(Document& doc, const std::vector<Line>& lines, Block block) {
  EvalSheet sheet;
  sheet.line = block.begin + 1;
  bool in_indicators = false;
  bool goal_next = false;
  std::string level1;
  std::string level2;
  std::string pending_name;
  for (int i = block.begin + 1; i < block.end; ++i) {
    const Line& l = lines[i];
    if (l.compact.empty()) {
      continue;
    }
    const int line_no = i + 1;
    std::vector<std::string> cells = SplitCells(l.raw);
    const int first = FirstNonEmpty(cells);
    if (first < 0) {
      continue;
    }
    const std::string head = RemoveSpaces(cells[first]);
    if (StartsWith(head, "问题与建议")) {
      break;  // the free-text problems table closes the sheet
    }
    auto next_text = [&](int from) -> std::string {
      const int k = FirstNonEmpty(cells, from);
      return k >= 0 ? cells[k] : "";
    };
    if (head == "专项名称" || head == "项目名称") {
      sheet.project = next_text(first + 1);
      continue;
    }
    if (head == "主管部门") {
      sheet.department = next_text(first + 1);
      for (int c = first + 1; c < static_cast<int>(cells.size()); ++c) {
        if (RemoveSpaces(cells[c]) == "实施单位") {
          sheet.implementer = next_text(c + 1);
        }
      }
      continue;
    }
    if (head == "实施单位") {
      sheet.implementer = next_text(first + 1);
      continue;
    }
    if (head == "项目概况" || head == "主要成效" || StartsWith(head, "(") ||
        StartsWith(head, "（") || StartsWith(head, "项目资金")) {
      continue;
    }
    if (head == "年度总体目标") {
      goal_next = true;
      continue;
    }
    if (goal_next) {
      goal_next = false;
      sheet.goal = next_text(first);
      sheet.achieved = next_text(first + 1);
      continue;
    }
    bool funds = false;
    for (int c = 0; c < static_cast<int>(cells.size()) && !funds; ++c) {
      const std::string cell = RemoveSpaces(cells[c]);
      if (Contains(cell, "年度资金总额")) {
        sheet.total = ParseFundsRow(cells, c, line_no);
        funds = true;
      } else if (Contains(cell, "当年财政拨款") || Contains(cell, "本年财政拨款")) {
        sheet.fiscal = ParseFundsRow(cells, c, line_no);
        funds = true;
      } else if (cell == "其他资金") {
        sheet.other = ParseFundsRow(cells, c, line_no);
        funds = true;
      } else if (Contains(cell, "上年结转")) {
        sheet.carryover = ParseFundsRow(cells, c, line_no);
        funds = true;
      }
    }
    if (funds) {
      continue;
    }
    if (Contains(head, "总分")) {
      in_indicators = false;
      std::vector<Fixed2> numbers;
      for (int c = first + 1; c < static_cast<int>(cells.size()); ++c) {
        if (auto v = ParseAmountCell(cells[c])) {
          numbers.push_back(*v);
        }
      }
      if (!numbers.empty()) {
        sheet.total_score = numbers.back();
      }
      sheet.total_line = line_no;
      continue;
    }
    if (Contains(head, "评价等级")) {
      sheet.grade = FindGrade(next_text(first + 1));
      sheet.grade_line = line_no;
      continue;
    }
    bool header = false;
    for (const auto& c : cells) {
      header = header || RemoveSpaces(c) == "一级指标";
    }
    if (header) {
      in_indicators = true;
      continue;
    }
    if (!in_indicators) {
      if (CountNonEmpty(cells) > 0 && HasNumericCell(cells)) {
        AddParseFinding(doc, "parse.sheet_row", line_no, "绩效自评表",
                        fmt::format("绩效自评表第{}行无法识别，未参与核对", line_no), l.raw);
      }
      continue;
    }
    // An indicator row: [绩效指标] [一级] [二级] 三级 | 指标值 | 实际值 | 分值 | 得分 | 偏差
    int c = 0;
    const int size = static_cast<int>(cells.size());
    for (; c < size; ++c) {
      const std::string cell = RemoveSpaces(cells[c]);
      if (cell.empty() || cell == "绩效指标") {
        continue;
      }
      if (IsLevelLabel(cell) && c + 1 < size && FirstNonEmpty(cells, c + 1) >= 0) {
        if (IsLevel1(cell)) {
          level1 = cell;
          level2.clear();
        } else {
          level2 = cell;
        }
        continue;
      }
      break;
    }
    std::vector<std::string> rest(cells.begin() + std::min(c, size), cells.end());
    if (CountNonEmpty(rest) == 1 && !rest.empty() && !rest[0].empty()) {
      if (!sheet.indicators.empty() && !sheet.indicators.back().note.empty()) {
        sheet.indicators.back().note += rest[0];
      } else {
        pending_name += rest[0];
      }
      continue;
    }
    if (rest.size() < 4) {
      AddParseFinding(doc, "parse.sheet_row", line_no, "绩效自评表",
                      fmt::format("绩效自评表第{}行的绩效指标无法识别，未参与评分", line_no),
                      l.raw);
      continue;
    }
    Indicator ind;
    ind.level1 = level1;
    ind.level2 = level2;
    ind.name = pending_name + rest[0];
    pending_name.clear();
    ind.target = ParseTarget(rest[1]);
    ind.actual_raw = rest[2];
    ind.actual = LeadingNumber(rest[2], nullptr);
    ind.weight = ParseAmountCell(rest[3]);
    ind.score = rest.size() > 4 ? ParseAmountCell(rest[4]) : std::nullopt;
    for (size_t k = 5; k < rest.size(); ++k) {
      ind.note += rest[k];
    }
    ind.line = line_no;
    sheet.indicators.push_back(std::move(ind));
  }
  if (!sheet.total.has_value()) {
    AddParseFinding(doc, "parse.sheet_row", sheet.line, "绩效自评表",
                    fmt::format("第{}行起的绩效自评表缺少“年度资金总额”行", sheet.line));
  }
  doc.sheets.push_back(std::move(sheet));
}

// ---------------------------------------------------------------------------------------

void FindUnitAndYear(Document& doc, const std::vector<Line>& lines) {
  for (const auto& l : lines) {
    const std::string& c = l.compact;
    if (doc.year == 0 && c.size() >= 4 && IsDigit(c[0]) && IsDigit(c[1]) && IsDigit(c[2]) &&
        IsDigit(c[3]) && StartsWith(std::string_view(c).substr(4), "年")) {
      doc.year = std::stoi(c.substr(0, 4));
    }
    if (doc.unit.empty() && (StartsWith(c, "单位：") || StartsWith(c, "单位:")) &&
        !Contains(c, "万元") && !Contains(c, "元")) {
      doc.unit = c.substr(StartsWith(c, "单位：") ? std::string_view("单位：").size() : 7);
    }
    if (doc.year != 0 && !doc.unit.empty()) {
      return;
    }
  }
}

}  // namespace

std::string FindGrade(std::string_view text) {
  size_t best = std::string_view::npos;
  std::string grade;
  for (std::string_view g : {"优", "良", "中", "差"}) {
    const size_t pos = text.find(g);
    if (pos != std::string_view::npos && pos < best) {
      best = pos;
      grade = std::string(g);
    }
  }
  return grade;
}

Target ParseTarget(std::string_view raw) {
  Target t;
  t.raw = Trim(raw);
  std::string s = RemoveSpaces(raw);
  struct Prefix {
    std::string_view text;
    Comparator cmp;
  };
  static constexpr std::array<Prefix, 14> kPrefixes = {{
      {"≥", Comparator::kGe},
      {">=", Comparator::kGe},
      {"＞=", Comparator::kGe},
      {"大于等于", Comparator::kGe},
      {"≤", Comparator::kLe},
      {"<=", Comparator::kLe},
      {"＜=", Comparator::kLe},
      {"小于等于", Comparator::kLe},
      {">", Comparator::kGt},
      {"＞", Comparator::kGt},
      {"<", Comparator::kLt},
      {"＜", Comparator::kLt},
      {"=", Comparator::kEq},
      {"＝", Comparator::kEq},
  }};
  for (const auto& p : kPrefixes) {
    if (StartsWith(s, p.text)) {
      t.comparator = p.cmp;
      s = s.substr(p.text.size());
      break;
    }
  }
  std::string rest;
  t.value = LeadingNumber(s, &rest);
  if (t.value) {
    t.unit = rest == "％" ? "%" : rest;
  } else {
    t.text = s;
  }
  return t;
}

std::vector<std::string> StandardColumns(int table_number) {
  switch (table_number) {
    case 2:
      return {"本年收入合计", "财政拨款收入",     "上级补助收入", "事业收入",
              "经营收入",     "附属单位上缴收入", "其他收入"};
    case 3:
      return {"本年支出合计", "基本支出", "项目支出",
              "上缴上级支出", "经营支出", "对附属单位补助支出"};
    case 5:
      return {"小计", "基本支出", "项目支出"};
    case 8:
      return {"年初结转和结余", "本年收入", "本年支出小计",
              "基本支出",       "项目支出", "年末结转和结余"};
    case 9:
      return {"合计", "基本支出", "项目支出"};
    default:
      return {};
  }
}

Document ParseDisclosure(std::string_view text) {
  Document doc;
  std::vector<Line> lines;
  for (auto& raw : SplitLines(text)) {
    Line l;
    l.has_tab = raw.find('\t') != std::string::npos;
    l.compact = RemoveSpaces(raw);
    l.raw = std::move(raw);
    lines.push_back(std::move(l));
  }
  const int count = static_cast<int>(lines.size());
  FindUnitAndYear(doc, lines);

  // Locate the blocks: tables by their markers, the explanation by its part heading,
  // the sheets by their titles.
  std::array<std::optional<Block>, kTableCount + 1> tables;
  std::optional<Block> explanation;
  std::vector<Block> sheets;
  enum class Kind { kNone, kTable, kExplanation, kSheet };
  Kind kind = Kind::kNone;
  int table_number = 0;
  int start = 0;
  auto close = [&](int at) {
    switch (kind) {
      case Kind::kTable:
        if (tables[table_number].has_value()) {
          AddParseFinding(doc, "parse.duplicate_table", start + 1, TableName(table_number),
                          fmt::format("{}出现了两次，第{}行的一份未参与核对",
                                      TableName(table_number), start + 1));
        } else {
          tables[table_number] = Block{start, at};
        }
        break;
      case Kind::kExplanation:
        explanation = Block{start, at};
        break;
      case Kind::kSheet:
        sheets.push_back(Block{start, at});
        break;
      case Kind::kNone:
        break;
    }
    kind = Kind::kNone;
  };
  for (int i = 0; i < count; ++i) {
    const Line& l = lines[i];
    if (const int n = TableMarker(l); n != 0 && !l.has_tab) {
      if (kind == Kind::kTable && n == table_number) {
        continue;  // the marker repeated on the next page of the same table
      }
      close(i);
      kind = Kind::kTable;
      table_number = n;
      start = i;
      continue;
    }
    if (IsSheetTitle(l)) {
      close(i);
      kind = Kind::kSheet;
      start = i;
      continue;
    }
    if (!l.has_tab && StartsWith(l.compact, "第") && Contains(l.compact, "部分")) {
      close(i);
      if (Contains(l.compact, "情况说明")) {
        kind = Kind::kExplanation;
        start = i + 1;
      }
      continue;
    }
    if (kind == Kind::kTable && IsBodyHeading(l)) {
      // "二、收入决算表": the next table's heading ends this one (after its note).
      close(i);
      continue;
    }
    if (kind == Kind::kSheet && IsBodyHeading(l)) {
      close(i);
      continue;
    }
  }
  close(count);

  for (int n = 1; n <= kTableCount; ++n) {
    if (!tables[n].has_value()) {
      AddParseFinding(doc, "parse.missing_table", 0, TableName(n),
                      fmt::format("文档中没有找到{}，相关核对无法进行", TableName(n)));
      continue;
    }
    TableContext ctx{doc, lines, n, *tables[n]};
    switch (n) {
      case 1:
        ParseBalanceTable(ctx, doc.t01, kT01ExpenseColumns);
        break;
      case 4:
        ParseBalanceTable(ctx, doc.t04, kT04ExpenseColumns);
        break;
      case 2:
        ParseFunctionTable(ctx, doc.t02);
        break;
      case 3:
        ParseFunctionTable(ctx, doc.t03);
        break;
      case 5:
        ParseFunctionTable(ctx, doc.t05);
        break;
      case 8:
        ParseFunctionTable(ctx, doc.t08);
        break;
      case 9:
        ParseFunctionTable(ctx, doc.t09);
        break;
      case 6:
        ParseBasicTable(ctx, doc.t06);
        break;
      case 7:
        ParseSanGongTable(ctx, doc.t07);
        break;
      default:
        break;
    }
  }
  if (explanation.has_value()) {
    ParseExplanation(doc, lines, *explanation);
  } else {
    AddParseFinding(doc, "parse.missing_part", 0, "情况说明",
                    "文档中没有找到“决算情况说明”部分，文字与表格的核对无法进行");
  }
  for (const Block& b : sheets) {
    ParseSheet(doc, lines, b);
  }
  return doc;
}

}  // namespace hotline::domain::fiscal
