// The model of a unit's final-accounts disclosure (部门/单位决算公开): the nine standard
// tables (公开01-09表, amounts in 万元), the statements of the explanation (情况说明) and
// the project performance self-evaluation sheets (项目支出绩效自评表). Plain value types,
// filled by the text parser or by the structured-accounts reader; thread-compatible.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/fiscal/decimal.h"
#include "domain/fiscal/finding.h"

namespace hotline::domain::fiscal {

using OptAmount = std::optional<Fixed2>;

// A labelled row with one or more amounts (公开01/04/07表).
struct LabeledRow {
  std::string label;  // as printed, e.g. "一、一般公共预算财政拨款收入"
  std::vector<OptAmount> values;
  int line = 0;
};

// 公开01表 (收入支出决算总表) and 公开04表 (财政拨款收入支出决算总表): the income side on
// the left (one amount per row) and the expenditure side on the right (01: one amount;
// 04: 合计, 一般公共预算, 政府性基金, 国有资本经营).
struct BalanceTable {
  bool present = false;
  int line = 0;
  std::vector<LabeledRow> income;
  std::vector<LabeledRow> expense;
  std::string note;
};

// A row of a function-classified table: 类 (3 digits), 款 (5) or 项 (7); the total row
// has an empty code.
struct FunctionRow {
  std::string code;
  std::string name;
  std::vector<OptAmount> values;
  int line = 0;
};

// 公开02/03/05/08/09表. `columns` names the amount columns (fixed per table kind).
struct FunctionTable {
  bool present = false;
  int line = 0;
  std::vector<std::string> columns;
  std::optional<FunctionRow> total;
  std::vector<FunctionRow> rows;
  std::string note;  // e.g. "本单位2023年度没有使用国有资本经营预算财政拨款安排的支出。"
};

// 公开06表: basic expenditure by economic classification.
struct EconomicItem {
  std::string code;  // 301, 30101, ...
  std::string name;
  OptAmount amount;
  int line = 0;
};

struct BasicTable {
  bool present = false;
  int line = 0;
  std::vector<EconomicItem> personnel;     // 人员经费: 301, 303 and their children
  std::vector<EconomicItem> public_funds;  // 公用经费: 302, 307, 310, 312, 399, ...
  OptAmount personnel_total;
  OptAmount public_total;
  int totals_line = 0;
  std::string note;
};

// 公开07表 ("三公"经费): rows 合计, 因公出国（境）费, 公务用车购置及运行维护费, 公务用车购置费,
// 公务用车运行维护费, 公务接待费; one value per amount column (决算数, sometimes 预算数).
struct SanGongTable {
  bool present = false;
  int line = 0;
  std::vector<std::string> columns;
  std::vector<LabeledRow> rows;
  std::string note;
};

// The part of the explanation a statement belongs to.
enum class Section {
  kOverview,        // 收入支出决算总体情况说明
  kIncome,          // 收入决算情况说明
  kExpense,         // 支出决算情况说明
  kFiscalOverview,  // 财政拨款收入支出决算总体情况说明
  kGeneralBudget,   // 一般公共预算财政拨款支出决算情况说明
  kGovFund,         // 政府性基金预算财政拨款支出决算情况说明
  kStateCapital,    // 国有资本经营预算财政拨款支出决算情况说明
  kBasic,           // 一般公共预算财政拨款基本支出决算情况说明
  kSanGong,         // "三公"经费支出决算情况说明
  kPerformance,     // 预算绩效情况说明
  kOther,
};

// One amount stated in the explanation with what the same sentence says about it.
struct Statement {
  Section section = Section::kOther;
  std::string subject;  // normalised words before the amount, e.g. "2010350-事业运行支出"
  Fixed2 amount;
  OptAmount change;      // signed: 增加 +, 减少 -
  OptAmount change_pct;  // signed: 增长 +, 下降 -
  int change_pct_decimals = 2;
  OptAmount completion_pct;  // 完成全年预算的 x%
  bool flat = false;         // 与上年持平
  std::string text;          // the sentence, for messages
  int line = 0;
};

// A count stated in the explanation: "累计接待 0 批次", "公务用车保有量为 0 辆".
struct CountStatement {
  Section section = Section::kOther;
  std::string context;  // words before the number in its clause
  std::string noun;     // 个 / 批次 / 人次 / 辆 / 台
  int64_t value = 0;
  int statement_index = -1;  // the amount statement this count follows, -1 if none
  int line = 0;
};

struct PerformanceSummary {
  std::optional<int> project_count;
  OptAmount funds;
  std::optional<std::array<int, 4>> grade_counts;  // 优, 良, 中, 差
  int line = 0;
};

struct Explanation {
  bool present = false;
  std::vector<Statement> statements;
  std::vector<CountStatement> counts;
  PerformanceSummary performance;
};

// 项目资金 rows of a self-evaluation sheet.
struct FundsRow {
  std::string label;  // 年度资金总额 / 当年财政拨款 / 其他资金 / 上年结转资金
  OptAmount initial_budget;  // 年初预算数
  OptAmount budget;          // 全年预算数
  OptAmount executed;        // 全年执行数
  OptAmount weight;          // 分值
  OptAmount rate;            // 执行率 (%)
  OptAmount score;           // 得分
  int line = 0;
};

enum class Comparator { kNone, kGe, kGt, kLe, kLt, kEq };

struct Target {
  std::string raw;  // as printed: "≥95%", "≤200 万元", "=优优"
  Comparator comparator = Comparator::kNone;
  OptAmount value;   // numeric targets
  std::string text;  // qualitative targets: "优优", "效果明显"
  std::string unit;  // "%", "万元", "人", "分", ...
};

struct Indicator {
  std::string level1;  // 一级指标: 产出/效益/成本/满意度指标
  std::string level2;  // 二级指标
  std::string name;    // 三级指标
  Target target;
  std::string actual_raw;
  OptAmount actual;  // numeric part of actual_raw
  OptAmount weight;
  OptAmount score;  // nullopt when the cell is blank
  std::string note;
  int line = 0;
};

struct EvalSheet {
  int line = 0;
  std::string project;
  std::string department;
  std::string implementer;
  std::optional<FundsRow> total;  // 年度资金总额
  std::optional<FundsRow> fiscal;
  std::optional<FundsRow> other;
  std::optional<FundsRow> carryover;
  std::string goal;
  std::string achieved;
  std::vector<Indicator> indicators;
  OptAmount total_score;  // 评价总分 (S)
  int total_line = 0;
  std::string grade;  // 优 / 良 / 中 / 差, empty when absent
  int grade_line = 0;
};

struct Document {
  std::string unit;  // 三明市12345政务服务便民热线中心
  int year = 0;
  BalanceTable t01;
  FunctionTable t02;
  FunctionTable t03;
  BalanceTable t04;
  FunctionTable t05;
  BasicTable t06;
  SanGongTable t07;
  FunctionTable t08;
  FunctionTable t09;
  Explanation explanation;
  std::vector<EvalSheet> sheets;
  // Last year's final figures by figure key (see figures.h), for the year-over-year
  // changes of the explanation; only structured accounts carry them.
  std::map<std::string, Fixed2> prior_year;
  // Parts the parser could not read, reported as findings (rule "parse.*").
  std::vector<Finding> parse_findings;
};

// Standard amount columns of the function tables.
std::vector<std::string> StandardColumns(int table_number);

}  // namespace hotline::domain::fiscal
