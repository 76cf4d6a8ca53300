// Parsing the text form and its real-world variations: spaces inside numbers and names,
// cells and sentences broken over lines, headers repeated across pages, empty tables,
// shifted sheet rows; and unreadable parts reported with their line.
#include "domain/fiscal/parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "domain/fiscal/rules.h"
#include "domain/fiscal/test_util.h"
#include "domain/fiscal/text_util.h"

namespace hotline::domain::fiscal {
namespace {

using testing::ReadTestData;
using testing::ReplaceOnce;

const std::string& Clean() {
  static const std::string text = ReadTestData("clean_2024.txt");
  return text;
}

const FunctionRow* Row(const FunctionTable& t, const std::string& code) {
  for (const auto& r : t.rows) {
    if (r.code == code) {
      return &r;
    }
  }
  return nullptr;
}

std::string Rules(const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& f : findings) {
    out += f.rule + ":" + std::to_string(f.line) + " " + f.message + "\n";
  }
  return out;
}

TEST(FiscalParser, ReadsTheCleanDocument) {
  const Document doc = ParseDisclosure(Clean());
  EXPECT_EQ(doc.year, 2024);
  EXPECT_EQ(RemoveSpaces(doc.unit), "示例市12345政务服务便民热线中心");
  ASSERT_TRUE(doc.t02.total.has_value());
  EXPECT_EQ(doc.t02.total->values[3]->ToString(), "20.00");
  EXPECT_EQ(doc.t02.rows.size(), 11u);
  EXPECT_EQ(doc.t04.expense.size(), 8u);
  ASSERT_TRUE(doc.t06.public_total.has_value());
  EXPECT_EQ(doc.t06.public_total->ToString(), "15.00");
  EXPECT_TRUE(doc.t08.present);
  EXPECT_THAT(doc.t08.note, ::testing::HasSubstr("没有使用政府性基金"));
  ASSERT_EQ(doc.sheets.size(), 2u);
  const EvalSheet& b = doc.sheets[1];
  EXPECT_EQ(b.project, "2024 年度热线平台运行维护经费");
  EXPECT_EQ(b.implementer, "示例市 12345 政务服务便民热线中心");
  EXPECT_EQ(b.total->rate->ToString(), "50.00");
  ASSERT_EQ(b.indicators.size(), 6u);
  EXPECT_EQ(b.indicators[3].name, "故障响应时间");
  EXPECT_EQ(b.indicators[3].level1, "产出指标");
  EXPECT_EQ(b.indicators[3].level2, "时效指标");
  EXPECT_EQ(b.indicators[3].target.comparator, Comparator::kLe);
  EXPECT_EQ(b.indicators[3].target.unit, "小时");
  EXPECT_EQ(b.indicators[3].note, "夜间响应慢");
  EXPECT_EQ(b.grade, "中");
  const auto& perf = doc.explanation.performance;
  EXPECT_EQ(perf.project_count, 2);
  EXPECT_EQ(perf.funds->ToString(), "340.00");
}

TEST(FiscalParser, StatementsCarryChangesPercentagesAndCounts) {
  const Document doc = ParseDisclosure(Clean());
  const Statement* item = nullptr;
  const Statement* reception = nullptr;
  for (const auto& st : doc.explanation.statements) {
    if (st.subject == "2080505-机关事业单位基本养老保险缴费支出支出") item = &st;
    if (st.section == Section::kSanGong && Contains(st.subject, "接待")) reception = &st;
  }
  // The sentence is broken over two lines with a blank line between them.
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->amount.ToString(), "23.00");
  EXPECT_EQ(item->change->ToString(), "2.00");
  EXPECT_EQ(item->change_pct->ToString(), "9.52");
  ASSERT_NE(reception, nullptr);
  EXPECT_EQ(reception->change->ToString(), "-0.30");
  EXPECT_EQ(reception->change_pct->ToString(), "-20.00");
  EXPECT_EQ(reception->completion_pct->ToString(), "60.00");
  int counted = 0;
  for (const auto& c : doc.explanation.counts) {
    if (c.section == Section::kSanGong && (c.noun == "批次" || c.noun == "人次") && c.value > 0) {
      ++counted;
    }
  }
  EXPECT_EQ(counted, 2);
}

TEST(FiscalParser, ToleratesSpacesInsideNumbersAndNames) {
  std::string text =
      ReplaceOnce(Clean(), "2010399\t其他政府办公厅（室）及相关机构事务支出\t350.00\t350.00",
                  "2010399\t其他政府办公厅（室）及相关 机构事务支出\t35 0.00\t350. 00");
  text = ReplaceOnce(text, "六、卫生健康支出\t15.00", "六、卫生 健康支出\t15.00");
  const Document doc = ParseDisclosure(text);
  const FunctionRow* row = Row(doc.t02, "2010399");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->values[0]->ToString(), "350.00");
  EXPECT_EQ(row->values[1]->ToString(), "350.00");
  const auto findings = CheckDocument(doc);
  EXPECT_TRUE(findings.empty()) << Rules(findings);
}

TEST(FiscalParser, ToleratesCellsBrokenOverLines) {
  // The name wraps before the amounts, and (in 03) after them.
  std::string text =
      ReplaceOnce(Clean(), "2010399\t其他政府办公厅（室）及相关机构事务支出\t350.00\t350.00",
                  "2010399\t其他政府办公厅（室）及相关\n机构事务支出\t350.00\t350.00");
  text = ReplaceOnce(
      text,
      "2010399\t其他政府办公厅（室）及相关机构事务支出\t350.00\t30.00\t320.00\t0.00\t0.00\t0.00\n",
      "2010399\t其他政府办公厅（室）\t350.00\t30.00\t320.00\t0.00\t0.00\t0."
      "00\n及相关机构事务支出\n");
  const Document doc = ParseDisclosure(text);
  ASSERT_NE(Row(doc.t02, "2010399"), nullptr);
  EXPECT_EQ(RemoveSpaces(Row(doc.t02, "2010399")->name), "其他政府办公厅（室）及相关机构事务支出");
  EXPECT_EQ(Row(doc.t02, "2010399")->values[0]->ToString(), "350.00");
  ASSERT_NE(Row(doc.t03, "2010399"), nullptr);
  EXPECT_EQ(Row(doc.t03, "2010399")->name, "其他政府办公厅（室）及相关机构事务支出");
  const auto findings = CheckDocument(doc);
  EXPECT_TRUE(findings.empty()) << Rules(findings);
}

TEST(FiscalParser, ToleratesHeadersRepeatedAcrossPages) {
  const std::string page_break =
      "2010350\t事业运行\t120.00\t100.00\t0.00\t20.00\t0.00\t0.00\t0.00\n"
      "\n7\n\n收入决算表\n公开 02 表\n单位：万元\n"
      "项目\t\t本年收入 合计\t财政拨款 收入\t上级补助 收入\t事业收入\t经营收入\t附属单位 "
      "上缴收入\t其他收入\n"
      "支出功能 分类科目 编码\t科目名称\t\t\t\t\t\t\t\n";
  const std::string text = ReplaceOnce(
      Clean(), "2010350\t事业运行\t120.00\t100.00\t0.00\t20.00\t0.00\t0.00\t0.00\n", page_break);
  const Document doc = ParseDisclosure(text);
  EXPECT_EQ(doc.t02.rows.size(), 11u);
  const auto findings = CheckDocument(doc);
  EXPECT_TRUE(findings.empty()) << Rules(findings);
}

TEST(FiscalParser, ReadsEmptyTablesWithOnlyANote) {
  const std::string text = ReplaceOnce(Clean(), "\t\t0.00\t0.00\t0.00\t0.00\t0.00\t0.00\n", "");
  const Document doc = ParseDisclosure(text);
  EXPECT_TRUE(doc.t08.present);
  EXPECT_FALSE(doc.t08.total.has_value());
  EXPECT_TRUE(doc.t08.rows.empty());
  const auto findings = CheckDocument(doc);
  EXPECT_TRUE(findings.empty()) << Rules(findings);
}

TEST(FiscalParser, ReportsAnUnreadableRowWithItsLine) {
  const std::string text = ReplaceOnce(Clean(), "30302\t退休费\t0.00\t\t\t\t\t\t\n",
                                       "30302\t退休费\t0.00\t\t\t\t\t\t\n7.5\t8.5\n");
  const Document doc = ParseDisclosure(text);
  ASSERT_EQ(doc.parse_findings.size(), 1u);
  const Finding& f = doc.parse_findings[0];
  EXPECT_EQ(f.rule, "parse.table_row");
  const auto lines = SplitLines(text);
  ASSERT_GT(f.line, 0);
  EXPECT_EQ(lines[f.line - 1], "7.5\t8.5");
}

TEST(FiscalParser, ReadsShiftedSheetRowsAsTheSeedPrintsThem) {
  // The seed's second sheet loses the first cell of some indicator rows.
  const std::string text =
      ReplaceOnce(Clean(), "\t\t时效指标\t投诉件按时办结率\t≥90%\t95\t10\t10\t",
                  "时效指标\t投诉件按时办结率\t≥90%\t95\t10\t10\t\t\t");
  const Document doc = ParseDisclosure(text);
  const Indicator& ind = doc.sheets[0].indicators.back();
  EXPECT_EQ(ind.name, "投诉件按时办结率");
  EXPECT_EQ(ind.level1, "产出指标");
  EXPECT_EQ(ind.level2, "时效指标");
  EXPECT_EQ(ind.score->ToString(), "10.00");
  EXPECT_TRUE(CheckDocument(doc).empty());
}

TEST(FiscalParser, ParsesTargets) {
  Target t = ParseTarget("≥95%");
  EXPECT_EQ(t.comparator, Comparator::kGe);
  EXPECT_EQ(t.value->ToString(), "95.00");
  EXPECT_EQ(t.unit, "%");
  t = ParseTarget("≤200 万元");
  EXPECT_EQ(t.comparator, Comparator::kLe);
  EXPECT_EQ(t.unit, "万元");
  t = ParseTarget("=优优");
  EXPECT_EQ(t.comparator, Comparator::kEq);
  EXPECT_FALSE(t.value.has_value());
  EXPECT_EQ(t.text, "优优");
  t = ParseTarget("100%");
  EXPECT_EQ(t.comparator, Comparator::kNone);
  EXPECT_EQ(t.value->ToString(), "100.00");
  EXPECT_EQ(ParseTarget(">=35人").comparator, Comparator::kGe);
}

TEST(FiscalParser, NormalizesLabels) {
  EXPECT_EQ(NormalizeLabel("二十六、抗疫特别国债安排的支出"), "抗疫特别国债安排的支出");
  EXPECT_EQ(NormalizeLabel("其中：（1）公务用车购置费"), "公务用车购置费");
  EXPECT_EQ(NormalizeLabel("1. 因公出国（境）费"), "因公出国(境)费");
  EXPECT_EQ(NormalizeLabel("2010350-事业运行"), "2010350-事业运行");
  EXPECT_FALSE(HasEnumeration("其他政府办公厅（室）"));
  EXPECT_TRUE(HasEnumeration("（三）公务接待费"));
}

}  // namespace
}  // namespace hotline::domain::fiscal
