#include "domain/fiscal/rules.h"

#include <fmt/format.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/fiscal/parser.h"
#include "domain/fiscal/text_util.h"

namespace hotline::domain::fiscal {
namespace {

const Fixed2 kOneCent = Fixed2::FromHundredths(1);
const Fixed2 kHundred = Fixed2::FromInt(100);

std::string TableName(int n) { return fmt::format("公开{:02d}表", n); }

Fixed2 Val(const OptAmount& v) { return v.value_or(Fixed2()); }

Fixed2 ValAt(const std::vector<OptAmount>& values, size_t i) {
  return i < values.size() ? Val(values[i]) : Fixed2();
}

// The labels of 01/04 rows, normalised for matching.
std::string Label(const LabeledRow& row) { return NormalizeLabel(row.label); }

enum class SanGongItem { kTotal, kAbroad, kCar, kCarPurchase, kCarOperation, kReception, kNone };

SanGongItem ClassifySanGong(std::string_view text) {
  const std::string t = NormalizeLabel(text);
  if (Contains(t, "三公") || t == "合计") return SanGongItem::kTotal;
  if (Contains(t, "出国")) return SanGongItem::kAbroad;
  if (Contains(t, "接待")) return SanGongItem::kReception;
  if (Contains(t, "公务用车")) {
    if (Contains(t, "购置及运行") || Contains(t, "购置和运行")) return SanGongItem::kCar;
    if (Contains(t, "购置")) return SanGongItem::kCarPurchase;
    if (Contains(t, "运行")) return SanGongItem::kCarOperation;
  }
  return SanGongItem::kNone;
}

std::string_view SanGongName(SanGongItem item) {
  switch (item) {
    case SanGongItem::kTotal:
      return "“三公”经费合计";
    case SanGongItem::kAbroad:
      return "因公出国（境）费";
    case SanGongItem::kCar:
      return "公务用车购置及运行维护费";
    case SanGongItem::kCarPurchase:
      return "公务用车购置费";
    case SanGongItem::kCarOperation:
      return "公务用车运行维护费";
    case SanGongItem::kReception:
      return "公务接待费";
    case SanGongItem::kNone:
      return "";
  }
  return "";
}

class Checker {
 public:
  Checker(const Document& doc, const CheckOptions& options) : doc_(doc), options_(options) {}

  std::vector<Finding> Run() {
    findings_ = doc_.parse_findings;
    CheckBalanceTable(1, doc_.t01);
    CheckBalanceTable(4, doc_.t04);
    CheckFunctionTable(2, doc_.t02);
    CheckFunctionTable(3, doc_.t03);
    CheckFunctionTable(5, doc_.t05);
    CheckFunctionTable(8, doc_.t08);
    CheckFunctionTable(9, doc_.t09);
    CheckBasicTable();
    CheckSanGongTable();
    CheckCrossTables();
    CheckExplanation();
    CheckSanGongStatements();
    CheckPerformanceSummary();
    for (size_t i = 0; i < doc_.sheets.size(); ++i) {
      CheckSheet(static_cast<int>(i), doc_.sheets[i]);
    }
    return std::move(findings_);
  }

 private:
  void Add(std::string_view rule, Severity severity, std::string where, int line,
           std::string expected, std::string actual, std::string message) {
    Finding f;
    f.rule = std::string(rule);
    f.severity = severity;
    f.where = std::move(where);
    f.line = line;
    f.expected = std::move(expected);
    f.actual = std::move(actual);
    f.message = std::move(message);
    findings_.push_back(std::move(f));
  }

  // Compares two amounts: equal → nothing; 0.01 apart → rounding; else `severity`.
  // `what` names the checked figure and `basis` how the expected value was obtained.
  void Compare(std::string_view rule, Fixed2 expected, Fixed2 actual, const std::string& where,
               int line, std::string_view what, std::string_view basis,
               Severity severity = Severity::kError, std::string_view unit = "万元") {
    const Fixed2 diff = (actual - expected).Abs();
    if (diff.IsZero()) {
      return;
    }
    const bool rounding = diff <= kOneCent;
    const std::string message =
        rounding ? fmt::format("{}为{}{}，按{}应为{}{}，相差0.01，属尾数误差", what,
                               actual.ToString(), unit, basis, expected.ToString(), unit)
                 : fmt::format("{}为{}{}，按{}应为{}{}，相差{}{}", what, actual.ToString(), unit,
                               basis, expected.ToString(), unit, diff.ToString(), unit);
    Add(rule, rounding ? Severity::kRounding : severity, where, line, expected.ToString(),
        actual.ToString(), message);
  }

  void MissingRow(int table, std::string_view row, int line) {
    Add("parse.missing_row", Severity::kWarning, TableName(table), line, std::string(row), "",
        fmt::format("{}中没有找到“{}”行，相关核对无法进行", TableName(table), row));
  }

  // ---- 01 / 04 -------------------------------------------------------------------------

  static int FindIndex(const std::vector<LabeledRow>& rows,
                       const std::function<bool(const std::string&)>& match, int from = 0) {
    for (int i = from; i < static_cast<int>(rows.size()); ++i) {
      if (match(Label(rows[i]))) {
        return i;
      }
    }
    return -1;
  }

  static std::function<bool(const std::string&)> Has(std::string_view part) {
    return [part](const std::string& label) { return Contains(label, part); };
  }
  static std::function<bool(const std::string&)> Is(std::string_view text) {
    return [text](const std::string& label) { return label == text; };
  }

  void CheckBalanceTable(int n, const BalanceTable& t) {
    if (!t.present) {
      return;
    }
    const std::string name = TableName(n);
    const size_t columns = n == 1 ? 1 : 4;
    // Income side.
    const int income_total = FindIndex(t.income, Has("本年收入合计"));
    if (income_total < 0) {
      MissingRow(n, "本年收入合计", t.line);
    } else {
      Fixed2 sum;
      for (int i = 0; i < income_total; ++i) {
        sum += ValAt(t.income[i].values, 0);
      }
      const auto& row = t.income[income_total];
      Compare("table.total", sum, ValAt(row.values, 0), name + " 本年收入合计", row.line,
              name + "本年收入合计", "各项收入之和");
    }
    // Expenditure side, per column.
    const int expense_total = FindIndex(t.expense, Has("本年支出合计"));
    if (expense_total < 0) {
      MissingRow(n, "本年支出合计", t.line);
    } else {
      const auto& row = t.expense[expense_total];
      for (size_t c = 0; c < columns; ++c) {
        Fixed2 sum;
        for (int i = 0; i < expense_total; ++i) {
          sum += ValAt(t.expense[i].values, c);
        }
        Compare("table.total", sum, ValAt(row.values, c),
                name + " 本年支出合计" + ColumnSuffix(n, c), row.line,
                name + "本年支出合计" + ColumnSuffix(n, c), "各功能类支出之和");
      }
    }
    if (n == 4) {
      // Each expenditure row: 合计 = the three kinds of appropriation.
      for (const auto& row : t.expense) {
        const Fixed2 parts = ValAt(row.values, 1) + ValAt(row.values, 2) + ValAt(row.values, 3);
        Compare("table.row_total", parts, ValAt(row.values, 0), name + " " + Trim(row.label),
                row.line, name + "“" + Trim(row.label) + "”合计", "三类财政拨款之和");
      }
      // 年初财政拨款结转和结余 = its sub-items listed below it.
      const int carry = FindIndex(t.income, Has("年初"));
      if (carry >= 0) {
        Fixed2 sum;
        int items = 0;
        for (int i = carry + 1; i < static_cast<int>(t.income.size()); ++i) {
          if (Label(t.income[i]) == "总计") {
            break;
          }
          sum += ValAt(t.income[i].values, 0);
          ++items;
        }
        if (items > 0) {
          const auto& row = t.income[carry];
          Compare("table.total", sum, ValAt(row.values, 0), name + " 年初财政拨款结转和结余",
                  row.line, name + "年初财政拨款结转和结余", "其下各类拨款结转结余之和");
        }
      }
    }
    // Grand totals on both sides.
    const int left_total = FindIndex(t.income, Is("总计"));
    const int right_total = FindIndex(t.expense, Is("总计"));
    if (left_total < 0 || right_total < 0) {
      MissingRow(n, "总计", t.line);
      return;
    }
    if (income_total >= 0) {
      Fixed2 expected = ValAt(t.income[income_total].values, 0);
      for (int i = income_total + 1; i < left_total; ++i) {
        const std::string l = Label(t.income[i]);
        if (Contains(l, "非财政拨款结余") || Contains(l, "年初")) {
          expected += ValAt(t.income[i].values, 0);
        }
      }
      const auto& row = t.income[left_total];
      Compare("table.balance", expected, ValAt(row.values, 0), name + " 收入总计", row.line,
              name + "收入总计", "本年收入合计+使用非财政拨款结余+年初结转和结余");
    }
    if (expense_total >= 0) {
      for (size_t c = 0; c < columns; ++c) {
        Fixed2 expected = ValAt(t.expense[expense_total].values, c);
        for (int i = expense_total + 1; i < right_total; ++i) {
          const std::string l = Label(t.expense[i]);
          if (Contains(l, "结余分配") || Contains(l, "年末")) {
            expected += ValAt(t.expense[i].values, c);
          }
        }
        const auto& row = t.expense[right_total];
        Compare("table.balance", expected, ValAt(row.values, c),
                name + " 支出总计" + ColumnSuffix(n, c), row.line,
                name + "支出总计" + ColumnSuffix(n, c), "本年支出合计+结余分配+年末结转和结余");
      }
    }
    Compare("table.balance", ValAt(t.income[left_total].values, 0),
            ValAt(t.expense[right_total].values, 0), name + " 总计", t.expense[right_total].line,
            name + "支出总计", "收入总计");
  }

  static std::string ColumnSuffix(int table, size_t column) {
    if (table != 4 || column == 0) {
      return "";
    }
    static const char* kNames[] = {"", "（一般公共预算）", "（政府性基金）", "（国有资本经营）"};
    return kNames[column];
  }

  // ---- function tables -------------------------------------------------------------------

  void CheckFunctionTable(int n, const FunctionTable& t) {
    if (!t.present) {
      return;
    }
    const std::string name = TableName(n);
    const size_t columns = t.columns.size();
    // Row identities.
    auto check_row = [&](const FunctionRow& row) {
      const std::string where =
          row.code.empty() ? name + " 合计" : fmt::format("{} {} {}", name, row.code, row.name);
      const std::string what = row.code.empty() ? name + "合计行" : name + "科目" + row.code;
      switch (n) {
        case 2:
        case 3: {
          Fixed2 parts;
          for (size_t c = 1; c < columns; ++c) {
            parts += ValAt(row.values, c);
          }
          Compare("table.row_total", parts, ValAt(row.values, 0), where, row.line,
                  what + "的" + t.columns[0], "同行各列之和");
          break;
        }
        case 5:
        case 9:
          Compare("table.row_total", ValAt(row.values, 1) + ValAt(row.values, 2),
                  ValAt(row.values, 0), where, row.line, what + "的" + t.columns[0],
                  "基本支出+项目支出");
          break;
        case 8:
          Compare("table.row_total", ValAt(row.values, 3) + ValAt(row.values, 4),
                  ValAt(row.values, 2), where, row.line, what + "的本年支出小计",
                  "基本支出+项目支出");
          Compare("table.row_total",
                  ValAt(row.values, 0) + ValAt(row.values, 1) - ValAt(row.values, 2),
                  ValAt(row.values, 5), where, row.line, what + "的年末结转和结余",
                  "年初结转和结余+本年收入-本年支出");
          break;
        default:
          break;
      }
    };
    if (t.total) {
      check_row(*t.total);
    }
    for (const auto& row : t.rows) {
      check_row(row);
    }
    // Hierarchy: 类 = Σ款, 款 = Σ项.
    for (const auto& parent : t.rows) {
      const size_t child_len = parent.code.size() == 3 ? 5 : parent.code.size() == 5 ? 7 : 0;
      if (child_len == 0) {
        continue;
      }
      std::vector<const FunctionRow*> children;
      for (const auto& row : t.rows) {
        if (row.code.size() == child_len && StartsWith(row.code, parent.code)) {
          children.push_back(&row);
        }
      }
      if (children.empty()) {
        continue;
      }
      for (size_t c = 0; c < columns; ++c) {
        Fixed2 sum;
        for (const auto* child : children) {
          sum += ValAt(child->values, c);
        }
        Compare("table.hierarchy", sum, ValAt(parent.values, c),
                fmt::format("{} {} {}", name, parent.code, parent.name), parent.line,
                fmt::format("{}“{}”{}", name, parent.code, t.columns[c]),
                fmt::format("所属{}级科目之和", child_len == 5 ? "款" : "项"));
      }
    }
    // Total row = Σ 类.
    bool has_class = false;
    for (const auto& row : t.rows) {
      has_class = has_class || row.code.size() == 3;
    }
    if (!has_class) {
      return;
    }
    if (!t.total) {
      MissingRow(n, "合计", t.line);
      return;
    }
    for (size_t c = 0; c < columns; ++c) {
      Fixed2 sum;
      for (const auto& row : t.rows) {
        if (row.code.size() == 3) {
          sum += ValAt(row.values, c);
        }
      }
      Compare("table.column_total", sum, ValAt(t.total->values, c),
              fmt::format("{} 合计 {}", name, t.columns[c]), t.total->line,
              fmt::format("{}合计行的{}", name, t.columns[c]), "各类级科目之和");
    }
  }

  // ---- 06 / 07 ----------------------------------------------------------------------------

  void CheckEconomicHierarchy(const std::vector<EconomicItem>& items) {
    for (const auto& parent : items) {
      if (parent.code.size() != 3) {
        continue;
      }
      Fixed2 sum;
      int children = 0;
      for (const auto& item : items) {
        if (item.code.size() == 5 && StartsWith(item.code, parent.code)) {
          sum += Val(item.amount);
          ++children;
        }
      }
      if (children > 0) {
        Compare("table.hierarchy", sum, Val(parent.amount),
                fmt::format("公开06表 {} {}", parent.code, parent.name), parent.line,
                fmt::format("公开06表“{} {}”", parent.code, parent.name), "所属款级科目之和");
      }
    }
  }

  void CheckBasicTable() {
    const BasicTable& t = doc_.t06;
    if (!t.present) {
      return;
    }
    CheckEconomicHierarchy(t.personnel);
    CheckEconomicHierarchy(t.public_funds);
    auto class_sum = [](const std::vector<EconomicItem>& items) {
      Fixed2 sum;
      for (const auto& item : items) {
        if (item.code.size() == 3) {
          sum += Val(item.amount);
        }
      }
      return sum;
    };
    if (t.personnel_total) {
      Compare("table.column_total", class_sum(t.personnel), *t.personnel_total,
              "公开06表 人员经费合计", t.totals_line, "公开06表人员经费合计",
              "301、303等人员经费类级科目之和");
    } else {
      MissingRow(6, "人员经费合计", t.line);
    }
    if (t.public_total) {
      Compare("table.column_total", class_sum(t.public_funds), *t.public_total,
              "公开06表 公用经费合计", t.totals_line, "公开06表公用经费合计",
              "302、307、310等公用经费类级科目之和");
    } else {
      MissingRow(6, "公用经费合计", t.line);
    }
  }

  const LabeledRow* SanGongRow(SanGongItem item) const {
    for (const auto& row : doc_.t07.rows) {
      if (ClassifySanGong(row.label) == item) {
        return &row;
      }
    }
    return nullptr;
  }

  // The 决算数 column of 07 (the last one when there are 预算数 and 决算数).
  size_t SanGongActualColumn() const {
    const auto& cols = doc_.t07.columns;
    for (size_t c = 0; c < cols.size(); ++c) {
      if (Contains(cols[c], "决算")) {
        return c;
      }
    }
    return cols.empty() ? 0 : cols.size() - 1;
  }

  void CheckSanGongTable() {
    const SanGongTable& t = doc_.t07;
    if (!t.present) {
      return;
    }
    const LabeledRow* total = SanGongRow(SanGongItem::kTotal);
    const LabeledRow* abroad = SanGongRow(SanGongItem::kAbroad);
    const LabeledRow* car = SanGongRow(SanGongItem::kCar);
    const LabeledRow* purchase = SanGongRow(SanGongItem::kCarPurchase);
    const LabeledRow* operation = SanGongRow(SanGongItem::kCarOperation);
    const LabeledRow* reception = SanGongRow(SanGongItem::kReception);
    for (size_t c = 0; c < t.columns.size(); ++c) {
      auto v = [c](const LabeledRow* r) { return r ? ValAt(r->values, c) : Fixed2(); };
      if (total != nullptr) {
        Compare("table.column_total", v(abroad) + v(car) + v(reception), v(total),
                "公开07表 合计 " + t.columns[c], total->line, "公开07表合计" + t.columns[c],
                "因公出国（境）费+公务用车购置及运行维护费+公务接待费");
      } else {
        MissingRow(7, "合计", t.line);
      }
      if (car != nullptr && (purchase != nullptr || operation != nullptr)) {
        Compare("table.hierarchy", v(purchase) + v(operation), v(car),
                "公开07表 公务用车购置及运行维护费 " + t.columns[c], car->line,
                "公开07表公务用车购置及运行维护费", "公务用车购置费+公务用车运行维护费");
      }
    }
  }

  // ---- cross-table -------------------------------------------------------------------------

  const LabeledRow* FindIncome(const BalanceTable& t, std::string_view part) const {
    const int i = FindIndex(t.income, Has(part));
    return i < 0 ? nullptr : &t.income[i];
  }
  const LabeledRow* FindExpense(const BalanceTable& t, std::string_view part) const {
    const int i = FindIndex(t.expense, Has(part));
    return i < 0 ? nullptr : &t.expense[i];
  }

  // Function-class rows of 01/04 (一、一般公共服务支出 …) before 本年支出合计.
  static std::vector<const LabeledRow*> ClassRows(const BalanceTable& t) {
    std::vector<const LabeledRow*> out;
    for (const auto& row : t.expense) {
      if (Contains(Label(row), "本年支出合计")) {
        break;
      }
      out.push_back(&row);
    }
    return out;
  }

  static const FunctionRow* FindClass(const FunctionTable& t, std::string_view name) {
    const std::string want = NormalizeLabel(name);
    for (const auto& row : t.rows) {
      if (row.code.size() == 3 && NormalizeLabel(row.name) == want) {
        return &row;
      }
    }
    return nullptr;
  }

  // Every 类 in `table` must match the class row with the same name in `summary` (and
  // the reverse), column `summary_col` of the summary against column 0 of the table.
  void CompareClasses(std::string_view rule, const BalanceTable& summary, int summary_no,
                      size_t summary_col, const FunctionTable& table, int table_no) {
    for (const LabeledRow* row : ClassRows(summary)) {
      const Fixed2 expected = ValAt(row->values, summary_col);
      const FunctionRow* cls = FindClass(table, row->label);
      const Fixed2 actual = cls ? ValAt(cls->values, 0) : Fixed2();
      if (cls == nullptr && expected.IsZero()) {
        continue;
      }
      Compare(rule, expected, actual,
              fmt::format("{} {}", TableName(table_no), NormalizeLabel(row->label)),
              cls ? cls->line : row->line,
              fmt::format("{}“{}”", TableName(table_no), NormalizeLabel(row->label)),
              fmt::format("{}同一功能类的数", TableName(summary_no)));
    }
    for (const auto& cls : table.rows) {
      if (cls.code.size() != 3) {
        continue;
      }
      bool found = false;
      for (const LabeledRow* row : ClassRows(summary)) {
        found = found || NormalizeLabel(row->label) == NormalizeLabel(cls.name);
      }
      if (!found && !ValAt(cls.values, 0).IsZero()) {
        Add(rule, Severity::kError,
            fmt::format("{} {} {}", TableName(table_no), cls.code, cls.name), cls.line, "0.00",
            ValAt(cls.values, 0).ToString(),
            fmt::format("{}有功能类“{}”{}万元，{}中没有这一类", TableName(table_no), cls.name,
                        ValAt(cls.values, 0).ToString(), TableName(summary_no)));
      }
    }
  }

  void CheckCrossTables() {
    const BalanceTable& t01 = doc_.t01;
    const BalanceTable& t04 = doc_.t04;
    // 01 with 02.
    if (t01.present && doc_.t02.present && doc_.t02.total) {
      const auto& total = doc_.t02.total->values;
      struct Pair {
        std::string_view label;
        size_t column;
      };
      const LabeledRow* income = FindIncome(t01, "本年收入合计");
      if (income != nullptr) {
        Compare("cross.01_02", ValAt(income->values, 0), ValAt(total, 0), "公开02表 合计",
                doc_.t02.total->line, "公开02表本年收入合计", "公开01表本年收入合计");
      }
      Fixed2 fiscal;
      for (const auto& row : t01.income) {
        if (Contains(Label(row), "财政拨款收入")) {
          fiscal += ValAt(row.values, 0);
        }
      }
      Compare("cross.01_02", fiscal, ValAt(total, 1), "公开02表 合计 财政拨款收入",
              doc_.t02.total->line, "公开02表财政拨款收入", "公开01表三类财政拨款收入之和");
      for (const Pair& p : {Pair{"上级补助收入", 2}, Pair{"事业收入", 3}, Pair{"经营收入", 4},
                            Pair{"附属单位上缴收入", 5}, Pair{"其他收入", 6}}) {
        const LabeledRow* row = FindIncome(t01, p.label);
        if (row != nullptr) {
          Compare("cross.01_02", ValAt(row->values, 0), ValAt(total, p.column),
                  fmt::format("公开02表 合计 {}", p.label), doc_.t02.total->line,
                  fmt::format("公开02表{}", p.label), fmt::format("公开01表{}", p.label));
        }
      }
    }
    // 01 with 03.
    if (t01.present && doc_.t03.present) {
      const LabeledRow* expense = FindExpense(t01, "本年支出合计");
      if (expense != nullptr && doc_.t03.total) {
        Compare("cross.01_03", ValAt(expense->values, 0), ValAt(doc_.t03.total->values, 0),
                "公开03表 合计", doc_.t03.total->line, "公开03表本年支出合计",
                "公开01表本年支出合计");
      }
      CompareClasses("cross.01_03", t01, 1, 0, doc_.t03, 3);
    }
    // 01 with 04: the three kinds of appropriation income.
    if (t01.present && t04.present) {
      for (std::string_view kind : {"一般公共预算", "政府性基金", "国有资本经营"}) {
        const LabeledRow* a = FindIncome(t01, kind);
        const LabeledRow* b = FindIncome(t04, kind);
        if (a != nullptr && b != nullptr) {
          Compare("cross.01_04", ValAt(a->values, 0), ValAt(b->values, 0),
                  fmt::format("公开04表 {}", NormalizeLabel(b->label)), b->line,
                  fmt::format("公开04表“{}”", NormalizeLabel(b->label)),
                  fmt::format("公开01表“{}”", NormalizeLabel(a->label)));
        }
      }
    }
    // 02 with 04.
    const LabeledRow* t04_income = t04.present ? FindIncome(t04, "本年收入合计") : nullptr;
    if (doc_.t02.present && doc_.t02.total && t04_income != nullptr) {
      Compare("cross.02_04", ValAt(doc_.t02.total->values, 1), ValAt(t04_income->values, 0),
              "公开04表 本年收入合计", t04_income->line, "公开04表本年收入合计",
              "公开02表财政拨款收入合计");
    }
    // 04 with 05, 08, 09.
    const LabeledRow* t04_expense = t04.present ? FindExpense(t04, "本年支出合计") : nullptr;
    if (t04_expense != nullptr) {
      if (doc_.t05.present) {
        if (doc_.t05.total) {
          Compare("cross.04_05", ValAt(t04_expense->values, 1), ValAt(doc_.t05.total->values, 0),
                  "公开05表 合计", doc_.t05.total->line, "公开05表本年支出合计",
                  "公开04表一般公共预算财政拨款本年支出合计");
        }
        CompareClasses("cross.04_05", t04, 4, 1, doc_.t05, 5);
      }
      if (doc_.t08.present) {
        const Fixed2 actual = doc_.t08.total ? ValAt(doc_.t08.total->values, 2) : Fixed2();
        Compare("cross.04_08", ValAt(t04_expense->values, 2), actual, "公开08表 本年支出",
                doc_.t08.total ? doc_.t08.total->line : doc_.t08.line, "公开08表本年支出",
                "公开04表政府性基金预算财政拨款本年支出合计");
      }
      if (doc_.t09.present) {
        const Fixed2 actual = doc_.t09.total ? ValAt(doc_.t09.total->values, 0) : Fixed2();
        Compare("cross.04_09", ValAt(t04_expense->values, 3), actual, "公开09表 合计",
                doc_.t09.total ? doc_.t09.total->line : doc_.t09.line, "公开09表本年支出合计",
                "公开04表国有资本经营预算财政拨款本年支出合计");
      }
    }
    // 05 basic with 06.
    if (doc_.t05.present && doc_.t05.total && doc_.t06.present && doc_.t06.personnel_total &&
        doc_.t06.public_total) {
      Compare("cross.05_06", *doc_.t06.personnel_total + *doc_.t06.public_total,
              ValAt(doc_.t05.total->values, 1), "公开05表 合计 基本支出", doc_.t05.total->line,
              "公开05表基本支出合计", "公开06表人员经费合计+公用经费合计");
    }
    // 06 details within 07.
    if (doc_.t06.present && doc_.t07.present) {
      struct Link {
        std::string_view code;
        SanGongItem item;
      };
      for (const Link& link :
           {Link{"30217", SanGongItem::kReception}, Link{"30212", SanGongItem::kAbroad},
            Link{"30231", SanGongItem::kCarOperation}}) {
        const EconomicItem* item = nullptr;
        for (const auto& e : doc_.t06.public_funds) {
          if (e.code == link.code) {
            item = &e;
          }
        }
        const LabeledRow* row = SanGongRow(link.item);
        if (item == nullptr || row == nullptr) {
          continue;
        }
        const Fixed2 basic = Val(item->amount);
        const Fixed2 all = ValAt(row->values, SanGongActualColumn());
        if (basic > all) {
          Add("cross.06_07", Severity::kError, fmt::format("公开07表 {}", SanGongName(link.item)),
              row->line, fmt::format("≥{}", basic.ToString()), all.ToString(),
              fmt::format("公开06表基本支出中{}（{}）为{}万元，大于公开07表{}{}万元", item->name,
                          item->code, basic.ToString(), SanGongName(link.item), all.ToString()));
        }
      }
    }
  }

  // ---- explanation ------------------------------------------------------------------------

  struct Expectation {
    Fixed2 value;
    std::string basis;  // 公开03表基本支出合计
  };

  std::optional<Expectation> FromBalance(const BalanceTable& t, int n, bool income,
                                         std::string_view label, size_t col = 0) const {
    if (!t.present) {
      return std::nullopt;
    }
    const auto& rows = income ? t.income : t.expense;
    const int i = FindIndex(rows, Is(std::string(label)));
    const int j = i >= 0 ? i : FindIndex(rows, Has(label));
    if (j < 0) {
      return std::nullopt;
    }
    return Expectation{ValAt(rows[j].values, col),
                       fmt::format("{}“{}”", TableName(n), NormalizeLabel(rows[j].label))};
  }

  static std::optional<Expectation> FromTotal(const FunctionTable& t, int n, size_t col) {
    if (!t.present) {
      return std::nullopt;
    }
    // A table without rows ("本单位没有…") states zero.
    const Fixed2 v = t.total ? ValAt(t.total->values, col) : Fixed2();
    return Expectation{v, fmt::format("{}合计行{}", TableName(n), t.columns[col])};
  }

  std::optional<Expectation> FromCode(const FunctionTable& t, int n, std::string_view code) const {
    for (const auto& row : t.rows) {
      if (row.code == code) {
        return Expectation{ValAt(row.values, 0),
                           fmt::format("{}科目{} {}", TableName(n), row.code, row.name)};
      }
    }
    return std::nullopt;
  }

  std::optional<Expectation> Personnel() const {
    if (!doc_.t06.present || !doc_.t06.personnel_total) {
      return std::nullopt;
    }
    return Expectation{*doc_.t06.personnel_total, "公开06表人员经费合计"};
  }
  std::optional<Expectation> Public() const {
    if (!doc_.t06.present || !doc_.t06.public_total) {
      return std::nullopt;
    }
    return Expectation{*doc_.t06.public_total, "公开06表公用经费合计"};
  }

  static std::string LeadingCode(std::string_view subject) {
    size_t n = 0;
    while (n < subject.size() && subject[n] >= '0' && subject[n] <= '9') {
      ++n;
    }
    return n == 7 || n == 5 || n == 3 ? std::string(subject.substr(0, n)) : "";
  }

  // What the tables say about a statement; nullopt when it maps to nothing. `mapped` is
  // false for statements the rules do not attempt (other sections).
  std::optional<Expectation> Expect(const Statement& st, bool* mapped) const {
    *mapped = true;
    const std::string& s = st.subject;
    switch (st.section) {
      case Section::kOverview:
        if (Contains(s, "收入")) return FromBalance(doc_.t01, 1, true, "总计");
        if (Contains(s, "支出")) return FromBalance(doc_.t01, 1, false, "总计");
        break;
      case Section::kIncome:
        if (s == "收入" || Contains(s, "收入合计") || s == "本年收入") {
          return FromBalance(doc_.t01, 1, true, "本年收入合计");
        }
        if (Contains(s, "收入")) return FromBalance(doc_.t01, 1, true, s);
        break;
      case Section::kExpense:
        if (Contains(s, "人员") || Contains(s, "公用")) {
          // 06 details only the general-budget basic expenditure; it tells the personnel
          // and public parts of all basic expenditure only when the two coincide.
          const auto all = FromTotal(doc_.t03, 3, 1);
          const auto general = FromTotal(doc_.t05, 5, 1);
          if (!all || !general || all->value != general->value) {
            *mapped = false;
            return std::nullopt;
          }
          return Contains(s, "人员") ? Personnel() : Public();
        }
        if (Contains(s, "基本支出")) return FromTotal(doc_.t03, 3, 1);
        if (Contains(s, "项目支出")) return FromTotal(doc_.t03, 3, 2);
        if (Contains(s, "上缴上级")) return FromTotal(doc_.t03, 3, 3);
        if (Contains(s, "经营支出")) return FromTotal(doc_.t03, 3, 4);
        if (Contains(s, "对附属单位")) return FromTotal(doc_.t03, 3, 5);
        if (s == "支出" || Contains(s, "支出合计") || s == "本年支出") {
          return FromBalance(doc_.t01, 1, false, "本年支出合计");
        }
        break;
      case Section::kFiscalOverview:
        if (Contains(s, "收入")) return FromBalance(doc_.t04, 4, true, "总计");
        if (Contains(s, "支出")) return FromBalance(doc_.t04, 4, false, "总计");
        break;
      case Section::kGeneralBudget: {
        const std::string code = LeadingCode(s);
        if (!code.empty()) return FromCode(doc_.t05, 5, code);
        if (Contains(s, "支出")) return FromTotal(doc_.t05, 5, 0);
        break;
      }
      case Section::kGovFund:
        if (Contains(s, "支出")) return FromTotal(doc_.t08, 8, 2);
        break;
      case Section::kStateCapital:
        if (Contains(s, "支出")) return FromTotal(doc_.t09, 9, 0);
        break;
      case Section::kBasic:
        if (Contains(s, "人员")) return Personnel();
        if (Contains(s, "公用")) return Public();
        if (Contains(s, "基本支出")) return FromTotal(doc_.t05, 5, 1);
        break;
      case Section::kSanGong: {
        const SanGongItem item = ClassifySanGong(s);
        if (item == SanGongItem::kNone || !doc_.t07.present) break;
        const LabeledRow* row = SanGongRow(item);
        if (row == nullptr) break;
        return Expectation{ValAt(row->values, SanGongActualColumn()),
                           fmt::format("公开07表“{}”", SanGongName(item))};
      }
      case Section::kPerformance:
      case Section::kOther:
        *mapped = false;
        return std::nullopt;
    }
    return std::nullopt;
  }

  static std::string StatementWhere(const Statement& st) {
    return fmt::format("情况说明 “{}”", st.subject);
  }

  void CheckExplanation() {
    const Explanation& ex = doc_.explanation;
    if (!ex.present) {
      return;
    }
    for (const auto& st : ex.statements) {
      bool mapped = false;
      const auto expect = Expect(st, &mapped);
      if (!mapped) {
        continue;
      }
      if (!expect) {
        Add("parse.statement", Severity::kWarning, StatementWhere(st), st.line, "",
            st.amount.ToString(),
            fmt::format("说明中“{}”{}万元无法对应到表格中的项目，未能核对", st.subject,
                        st.amount.ToString()));
      } else {
        Compare("text.amount", expect->value, st.amount, StatementWhere(st), st.line,
                fmt::format("说明中“{}”", st.subject), expect->basis);
      }
      CheckChangePct(st);
    }
    CheckGeneralBudgetItems();
    CheckExpenseItems();
  }

  void CheckChangePct(const Statement& st) {
    if (!st.change || !st.change_pct) {
      return;
    }
    const Fixed2 prior = st.amount - *st.change;
    if (prior <= Fixed2()) {
      return;  // nothing last year: no percentage can be computed
    }
    const auto pct = Fixed2::Percent(*st.change, prior);
    if (!pct) {
      return;
    }
    const Fixed2 expected = pct->RoundTo(st.change_pct_decimals);
    const Fixed2 diff = (expected - *st.change_pct).Abs();
    if (diff.IsZero()) {
      return;
    }
    const bool rounding = diff <= kOneCent && st.change_pct_decimals == 2;
    Add("text.change_pct", rounding ? Severity::kRounding : Severity::kError, StatementWhere(st),
        st.line, expected.ToString() + "%", st.change_pct->ToString() + "%",
        fmt::format("“{}”本年{}万元、增减{}万元，上年应为{}万元，增减幅度应为{}%，说明中为{}%",
                    st.subject, st.amount.ToString(), st.change->ToString(), prior.ToString(),
                    expected.ToString(), st.change_pct->ToString()));
  }

  void CheckGeneralBudgetItems() {
    const Statement* total = nullptr;
    std::vector<const Statement*> items;
    for (const auto& st : doc_.explanation.statements) {
      if (st.section != Section::kGeneralBudget) {
        continue;
      }
      if (LeadingCode(st.subject).empty()) {
        if (total == nullptr) {
          total = &st;
        }
      } else {
        items.push_back(&st);
      }
    }
    if (total == nullptr || items.empty()) {
      return;
    }
    Fixed2 amounts;
    Fixed2 changes;
    bool all_changes = true;
    for (const auto* it : items) {
      amounts += it->amount;
      if (it->change) {
        changes += *it->change;
      } else {
        all_changes = false;
      }
    }
    Compare("text.item_sum", amounts, total->amount, StatementWhere(*total), total->line,
            "说明中一般公共预算财政拨款支出", "项级科目逐项说明的金额之和");
    if (total->change && all_changes) {
      Compare("text.change_sum", changes, *total->change, StatementWhere(*total), total->line,
              "说明中一般公共预算财政拨款支出的增减额", "项级科目逐项说明的增减额之和");
    }
  }

  void CheckExpenseItems() {
    // 基本支出 = 人员 + 公用, and 支出 = 基本 + 项目 + 上缴 + 经营 + 对附属, as stated.
    for (Section section : {Section::kExpense, Section::kBasic}) {
      const Statement* basic = nullptr;
      const Statement* personnel = nullptr;
      const Statement* pub = nullptr;
      const Statement* total = nullptr;
      Fixed2 parts;
      int part_count = 0;
      for (const auto& st : doc_.explanation.statements) {
        if (st.section != section) {
          continue;
        }
        const std::string& s = st.subject;
        if (Contains(s, "人员")) {
          personnel = &st;
        } else if (Contains(s, "公用")) {
          pub = &st;
        } else if (Contains(s, "基本支出")) {
          basic = basic ? basic : &st;
          parts += st.amount;
          ++part_count;
        } else if (section == Section::kExpense &&
                   (Contains(s, "项目支出") || Contains(s, "上缴上级") || Contains(s, "经营支出") ||
                    Contains(s, "对附属单位"))) {
          parts += st.amount;
          ++part_count;
        } else if (section == Section::kExpense && total == nullptr) {
          total = &st;
        }
      }
      if (basic != nullptr && personnel != nullptr && pub != nullptr) {
        Compare("text.item_sum", personnel->amount + pub->amount, basic->amount,
                StatementWhere(*basic), basic->line, "说明中基本支出", "所述人员经费+公用经费");
      }
      if (total != nullptr && part_count >= 2) {
        Compare("text.item_sum", parts, total->amount, StatementWhere(*total), total->line,
                "说明中本年支出", "所述基本支出、项目支出等各项之和");
      }
    }
  }

  // ---- 三公 statements ----------------------------------------------------------------------

  void CheckSanGongStatements() {
    const Explanation& ex = doc_.explanation;
    if (!ex.present) {
      return;
    }
    std::map<SanGongItem, int> seen;  // item → statement index
    for (int i = 0; i < static_cast<int>(ex.statements.size()); ++i) {
      const Statement& st = ex.statements[i];
      if (st.section != Section::kSanGong) {
        continue;
      }
      const SanGongItem item = ClassifySanGong(st.subject);
      if (item == SanGongItem::kNone || seen.count(item) > 0) {
        continue;
      }
      seen[item] = i;
      if (st.amount.IsZero() && st.completion_pct && !st.completion_pct->IsZero()) {
        Add("sangong.zero_budget_rate", Severity::kWarning, StatementWhere(st), st.line,
            "不填报（预算为0）或0%", st.completion_pct->ToShortString() + "%",
            fmt::format("{}支出为0.00万元却称“完成全年预算的{}%”：若预算为0，完成率无从计算；"
                        "若预算不为0，完成率应为0%",
                        SanGongName(item), st.completion_pct->ToShortString()));
      }
      CheckSanGongActivity(i, item);
    }
    // Items with spending in 07 that the explanation does not describe.
    if (doc_.t07.present && !seen.empty()) {
      for (SanGongItem item : {SanGongItem::kAbroad, SanGongItem::kCar, SanGongItem::kReception}) {
        const LabeledRow* row = SanGongRow(item);
        if (row != nullptr && !ValAt(row->values, SanGongActualColumn()).IsZero() &&
            seen.count(item) == 0) {
          Add("sangong.missing_breakdown", Severity::kWarning, "情况说明 “三公”经费", row->line,
              std::string(SanGongName(item)), "",
              fmt::format("公开07表{}为{}万元，情况说明中没有对应的说明", SanGongName(item),
                          ValAt(row->values, SanGongActualColumn()).ToString()));
        }
      }
    }
  }

  void CheckSanGongActivity(int index, SanGongItem item) {
    const Explanation& ex = doc_.explanation;
    const Statement& st = ex.statements[index];
    if (st.amount <= Fixed2()) {
      return;
    }
    struct Need {
      std::string_view noun;
      std::string_view context;  // required part of the context, "" for any
      std::string_view what;
    };
    std::vector<Need> needs;
    switch (item) {
      case SanGongItem::kReception:
        needs = {{"批次", "", "接待批次"}, {"人次", "", "接待人次"}};
        break;
      case SanGongItem::kAbroad:
        needs = {{"人次", "", "出国（境）人次"}};
        break;
      case SanGongItem::kCarPurchase:
        needs = {{"辆", "购置", "购置车辆数"}};
        break;
      case SanGongItem::kCarOperation:
        needs = {{"辆", "保有", "公务用车保有量"}};
        break;
      default:
        return;
    }
    std::string missing;
    std::string zero;
    std::string zero_counts;
    int zero_line = st.line;
    for (const Need& need : needs) {
      const CountStatement* found = nullptr;
      for (const auto& c : ex.counts) {
        if (c.statement_index == index && c.noun == need.noun &&
            (need.context.empty() || Contains(c.context, need.context))) {
          found = &c;
          break;
        }
      }
      if (found == nullptr) {
        missing += (missing.empty() ? "" : "、") + std::string(need.what);
      } else if (found->value == 0) {
        zero += (zero.empty() ? "" : "、") + std::string(need.what);
        zero_counts += (zero_counts.empty() ? "0" : "、0") + std::string(need.noun);
        zero_line = found->line;
      }
    }
    if (!zero.empty()) {
      Add("sangong.activity", Severity::kError, StatementWhere(st), zero_line, zero + ">0",
          zero_counts,
          fmt::format("{}支出{}万元，说明却称{}为{}：有支出就应有相应的活动", SanGongName(item),
                      st.amount.ToString(), zero, zero_counts));
    }
    if (!missing.empty()) {
      Add("sangong.missing_breakdown", Severity::kWarning, StatementWhere(st), st.line, missing, "",
          fmt::format("{}支出{}万元，但说明中没有{}", SanGongName(item), st.amount.ToString(),
                      missing));
    }
  }

  // ---- performance ------------------------------------------------------------------------

  void CheckPerformanceSummary() {
    const PerformanceSummary& perf = doc_.explanation.performance;
    const std::string where = fmt::format("情况说明 第{}行 预算绩效情况", perf.line);
    const int sheets = static_cast<int>(doc_.sheets.size());
    if (perf.project_count && *perf.project_count != sheets) {
      Add("perf.count", Severity::kError, where, perf.line, std::to_string(sheets),
          std::to_string(*perf.project_count),
          fmt::format("说明称对{}个项目开展自评，所附自评表有{}张", *perf.project_count, sheets));
    }
    if (sheets == 0) {
      return;
    }
    if (perf.funds) {
      Fixed2 budgets;
      for (const auto& s : doc_.sheets) {
        budgets += s.total ? Val(s.total->budget) : Fixed2();
      }
      Compare("perf.funds", budgets, *perf.funds, where, perf.line, "说明中自评涉及资金",
              "各自评表全年预算数之和");
    }
    if (perf.grade_counts) {
      std::array<int, 4> counts{};
      for (const auto& s : doc_.sheets) {
        const int rank = GradeRank(s.grade);
        if (rank >= 0) {
          ++counts[rank];
        }
      }
      if (counts != *perf.grade_counts) {
        const auto& c = *perf.grade_counts;
        Add("perf.grades", Severity::kError, where, perf.line,
            fmt::format("优{}良{}中{}差{}", counts[0], counts[1], counts[2], counts[3]),
            fmt::format("优{}良{}中{}差{}", c[0], c[1], c[2], c[3]),
            fmt::format("说明中各等级项目数为优{}个、良{}个、中{}个、差{}个，自评表中为优{}个、良{}"
                        "个、中{}个、差{}个",
                        c[0], c[1], c[2], c[3], counts[0], counts[1], counts[2], counts[3]));
      }
    }
    if (doc_.t05.present && doc_.t05.total) {
      Fixed2 executed;
      for (const auto& s : doc_.sheets) {
        executed += s.total ? Val(s.total->executed) : Fixed2();
      }
      Compare("perf.project_spending", ValAt(doc_.t05.total->values, 2), executed,
              "绩效自评表 全年执行数合计", doc_.sheets.front().line, "各自评表全年执行数之和",
              "公开05表项目支出合计", Severity::kWarning);
    }
  }

  // ---- self-evaluation sheets -------------------------------------------------------------

  static std::string SheetWhere(int index, const EvalSheet& sheet) {
    return fmt::format("绩效自评表{}《{}》", index + 1, sheet.project);
  }

  void CheckSheet(int index, const EvalSheet& sheet) {
    const std::string where = SheetWhere(index, sheet);
    const SheetScore score = ScoreSheet(sheet, options_.scoring);
    CheckSheetFunds(where, sheet, score);
    // Indicators.
    Fixed2 weights = sheet.total ? Val(sheet.total->weight) : Fixed2();
    Fixed2 stated_sum = sheet.total ? Val(sheet.total->score) : Fixed2();
    for (size_t i = 0; i < sheet.indicators.size(); ++i) {
      const Indicator& ind = sheet.indicators[i];
      const IndicatorScore& is = score.indicators[i];
      const std::string iwhere = where + " 指标“" + ind.name + "”";
      weights += Val(ind.weight);
      stated_sum += Val(ind.score);
      CheckTarget(iwhere, ind);
      if (!ind.weight) {
        continue;
      }
      if (!ind.score) {
        Add("eval.score_missing", Severity::kError, iwhere, ind.line,
            is.score ? is.score->ToShortString() : "应填写", "空白",
            fmt::format("指标“{}”分值{}，自评得分空白（按0分计入总分）{}", ind.name,
                        ind.weight->ToShortString(),
                        is.score
                            ? fmt::format("；{}，应得{}分", is.basis, is.score->ToShortString())
                            : ""));
        continue;
      }
      if (is.score) {
        const Fixed2 diff = (*is.score - *ind.score).Abs();
        if (!diff.IsZero()) {
          const bool rounding = diff <= kOneCent;
          Add("eval.indicator_score", rounding ? Severity::kRounding : Severity::kError, iwhere,
              ind.line, is.score->ToShortString(), ind.score->ToShortString(),
              fmt::format("指标“{}”自评得分{}，{}，应为{}分", ind.name, ind.score->ToShortString(),
                          is.basis, is.score->ToShortString()));
        }
      }
    }
    if (!sheet.indicators.empty() && weights != kHundred) {
      Add("eval.weights", Severity::kError, where, sheet.line, "100", weights.ToShortString(),
          fmt::format("执行率分值与各指标分值合计为{}，应为100", weights.ToShortString()));
    }
    if (sheet.total_score) {
      Compare("eval.total", stated_sum, *sheet.total_score, where + " 评价总分", sheet.total_line,
              "评价总分", "各项自评得分之和", Severity::kError, "分");
      if (!sheet.grade.empty() && GradeOf(*sheet.total_score) != sheet.grade) {
        Add("eval.grade", Severity::kError, where + " 评价等级", sheet.grade_line,
            GradeOf(*sheet.total_score), sheet.grade,
            fmt::format("评价总分{}对应等级“{}”，表中为“{}”", sheet.total_score->ToShortString(),
                        GradeOf(*sheet.total_score), sheet.grade));
      }
    }
    if (!sheet.grade.empty() && !sheet.indicators.empty() && score.grade != sheet.grade) {
      Add("eval.rescored_grade", Severity::kError, where + " 评价等级", sheet.grade_line,
          fmt::format("{}（{}分）", score.grade, score.total.ToShortString()),
          fmt::format("{}（{}分）", sheet.grade,
                      sheet.total_score ? sheet.total_score->ToShortString() : "?"),
          fmt::format("按评分规则（执行率{}）重新评分为{}分，等级应为“{}”，表中为“{}”",
                      options_.scoring.execution.ToString(), score.total.ToShortString(),
                      score.grade, sheet.grade));
    }
    CheckUnspent(where, sheet);
  }

  void CheckSheetFunds(const std::string& where, const EvalSheet& sheet, const SheetScore& score) {
    if (!sheet.total) {
      return;
    }
    const FundsRow& total = *sheet.total;
    // 总额 = 当年财政拨款 + 其他资金 + 上年结转.
    if (sheet.fiscal) {
      struct Col {
        OptAmount FundsRow::*field;
        std::string_view name;
      };
      for (const Col& col :
           {Col{&FundsRow::initial_budget, "年初预算数"}, Col{&FundsRow::budget, "全年预算数"},
            Col{&FundsRow::executed, "全年执行数"}}) {
        Fixed2 parts = Val((*sheet.fiscal).*col.field);
        if (sheet.other) parts += Val((*sheet.other).*col.field);
        if (sheet.carryover) parts += Val((*sheet.carryover).*col.field);
        Compare("eval.funds_sum", parts, Val(total.*col.field),
                fmt::format("{} 年度资金总额 {}", where, col.name), total.line,
                fmt::format("年度资金总额的{}", col.name), "当年财政拨款+其他资金+上年结转资金");
      }
    }
    // 执行率 of each funds row.
    for (const auto* row : {&sheet.total, &sheet.fiscal, &sheet.other, &sheet.carryover}) {
      if (!row->has_value() || !(*row)->rate) {
        continue;
      }
      const FundsRow& r = **row;
      const Fixed2 budget = Val(r.budget);
      const Fixed2 executed = Val(r.executed);
      if (budget.IsZero()) {
        if (!executed.IsZero()) {
          Add("eval.exec_rate", Severity::kError, fmt::format("{} {}", where, r.label), r.line,
              "全年预算数>0", "0.00",
              fmt::format("{}全年预算数为0，全年执行数却为{}万元", r.label, executed.ToString()));
        }
        continue;
      }
      const Fixed2 expected = *Fixed2::Percent(executed, budget);
      Compare("eval.exec_rate", expected, *r.rate, fmt::format("{} {} 执行率", where, r.label),
              r.line, fmt::format("{}执行率", r.label),
              fmt::format("全年执行数{}/全年预算数{}", executed.ToString(), budget.ToString()),
              Severity::kError, "%");
    }
    // 执行率得分.
    if (total.weight && total.score && score.rate) {
      Compare("eval.exec_score", score.execution_score, *total.score, where + " 执行率得分",
              total.line, "执行率得分",
              fmt::format("执行率{}%及评分规则（{}）", score.rate->ToString(),
                          options_.scoring.execution.ToString()),
              Severity::kError, "分");
    }
  }

  void CheckTarget(const std::string& where, const Indicator& ind) {
    const Target& t = ind.target;
    const std::string name = RemoveSpaces(ind.name);
    if (RemoveSpaces(t.raw).empty()) {
      Add("eval.target_unmeasurable", Severity::kWarning, where, ind.line, "明确的指标值", "空白",
          fmt::format("指标“{}”没有年度指标值，无法衡量", ind.name));
      return;
    }
    if (!t.value && t.comparator != Comparator::kNone) {
      const std::string text = RemoveSpaces(t.text);
      const bool grade = text == "优" || text == "良" || text == "中" || text == "差" ||
                         text == "好" || text == "较好" || text == "合格" || text == "达标";
      if (!grade) {
        Add("eval.target_unmeasurable", Severity::kWarning, where, ind.line,
            "数值或单一等级（优/良/中/差）", t.raw,
            fmt::format("指标“{}”的指标值“{}”既不是数值也不是可判定的等级，无法衡量", ind.name,
                        t.raw));
      }
      return;
    }
    if (t.value && t.unit == "%" &&
        (Contains(name, "人数") || Contains(name, "个数") || Contains(name, "次数") ||
         Contains(name, "数量"))) {
      Add("eval.target_unmeasurable", Severity::kWarning, where, ind.line,
          "以人、个、次等计数单位表示", t.raw,
          fmt::format("指标“{}”是计数指标，指标值却是“{}”，实际完成值“{}”无法与之比较", ind.name,
                      t.raw, ind.actual_raw));
      return;
    }
    if (t.value && t.unit == "%" && *t.value > kHundred &&
        (t.comparator == Comparator::kGe || t.comparator == Comparator::kGt ||
         t.comparator == Comparator::kEq)) {
      Add("eval.target_unreachable", Severity::kWarning, where, ind.line, "≤100%", t.raw,
          fmt::format("指标“{}”的指标值“{}”超过100%，不可能达到", ind.name, t.raw));
    }
  }

  static bool IsCostIndicator(const Indicator& ind) {
    return Contains(ind.level1, "成本") || Contains(ind.level2, "成本");
  }

  void CheckUnspent(const std::string& where, const EvalSheet& sheet) {
    if (!sheet.total || !sheet.total->executed) {
      return;
    }
    const Fixed2 executed = *sheet.total->executed;
    if (executed.IsZero()) {
      const Indicator* cost = nullptr;
      Fixed2 scores;
      for (const auto& ind : sheet.indicators) {
        if (IsCostIndicator(ind) && ind.actual && *ind.actual > Fixed2() && cost == nullptr) {
          cost = &ind;
        }
        scores += Val(ind.score);
      }
      if (cost != nullptr || scores > Fixed2()) {
        Add("eval.unspent_results", Severity::kError, where, cost ? cost->line : sheet.line,
            "无支出即无成本和产出",
            cost ? cost->actual_raw + cost->target.unit : scores.ToShortString() + "分",
            cost ? fmt::format(
                       "全年执行数为0.00万元（资金未支付），成本指标“{}”却填报实际完成{}{}，"
                       "各产出、效益指标共计{}分",
                       cost->name, cost->actual_raw, cost->target.unit, scores.ToShortString())
                 : fmt::format("全年执行数为0.00万元，各指标却自评{}分", scores.ToShortString()));
      }
      return;
    }
    for (const auto& ind : sheet.indicators) {
      if (IsCostIndicator(ind) && ind.actual && ind.target.unit == "万元" &&
          *ind.actual != executed) {
        Add("eval.cost_mismatch", Severity::kWarning, where + " 指标“" + ind.name + "”", ind.line,
            executed.ToString() + "万元", ind.actual->ToString() + "万元",
            fmt::format("成本指标“{}”实际完成{}万元，而本项目全年执行数为{}万元", ind.name,
                        ind.actual->ToString(), executed.ToString()));
      }
    }
  }

  const Document& doc_;
  const CheckOptions& options_;
  std::vector<Finding> findings_;
};

}  // namespace

std::vector<Finding> CheckDocument(const Document& doc, const CheckOptions& options) {
  return Checker(doc, options).Run();
}

}  // namespace hotline::domain::fiscal
