// The rule engine on documents written for the tests: a consistent disclosure
// (testdata/clean_2024.txt) raises nothing, and one planted fault of every rule's kind is
// found. Each fault is a single textual edit of the clean document.
#include "domain/fiscal/rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "domain/fiscal/parser.h"
#include "domain/fiscal/test_util.h"

namespace hotline::domain::fiscal {
namespace {

using testing::ReadTestData;
using testing::ReplaceOnce;

const std::string& Clean() {
  static const std::string text = ReadTestData("clean_2024.txt");
  return text;
}

std::string Describe(const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& f : findings) {
    out += f.rule + " [" + std::string(SeverityCode(f.severity)) + "] L" + std::to_string(f.line) +
           " " + f.message + "\n";
  }
  return out;
}

TEST(FiscalRules, CleanDocumentRaisesNothing) {
  const Document doc = ParseDisclosure(Clean());
  const auto findings = CheckDocument(doc);
  EXPECT_TRUE(findings.empty()) << Describe(findings);
  // and it was really read: all tables, statements and both sheets.
  EXPECT_TRUE(doc.t01.present && doc.t09.present);
  EXPECT_EQ(doc.sheets.size(), 2u);
  EXPECT_GE(doc.explanation.statements.size(), 30u);
}

struct Fault {
  const char* rule;
  const char* from;
  const char* to;
};

// One planted fault per rule. `from` must occur exactly once in the clean document.
const Fault kFaults[] = {
    {"parse.missing_table", "公开 09 表", "第九张表"},
    {"parse.duplicate_table", "公开 09 表", "公开 08 表"},
    {"parse.missing_part", "第三部分 2024 年度单位决算情况说明", "2024 年度单位决算情况说明"},
    {"parse.missing_row", "本年收入合计\t520.00", "本年收入\t520.00"},
    {"parse.table_row", "2101102\t事业单位医疗\t15.00\t15.00\t0.00\t0.00\t0.00\t0.00\t0.00",
     "2101102\t事业单位医疗\t15.00\t15.00\t0.00\t0.00\t0.00\t0.00\t0.00\n备注\t调整\t1.00"},
    {"parse.sheet_row", "年度总体目标\t预期目标\t\t\t实际完成情况\t\t\t\t\n\t支付热线外包",
     "绩效说明\t12\n年度总体目标\t预期目标\t\t\t实际完成情况\t\t\t\t\n\t支付热线外包"},
    {"parse.statement", "(五) 2101102-事业单位医疗支出",
     "(六) 2999999-其他支出 1.00 万元。\n(五) 2101102-事业单位医疗支出"},
    {"table.total", "本年收入合计\t520.00", "本年收入合计\t521.00"},
    {"table.balance", "总计\t520.00\t总计", "总计\t530.00\t总计"},
    {"table.row_total",
     "2010399\t其他政府办公厅（室）及相关机构事务支出\t350.00\t350.00\t0.00\t0.00",
     "2010399\t其他政府办公厅（室）及相关机构事务支出\t351.00\t350.00\t0.00\t0.00"},
    {"table.column_total", "人员经费合计\t\t165.00", "人员经费合计\t\t166.00"},
    {"table.hierarchy", "30101\t基本工资\t60.00", "30101\t基本工资\t61.00"},
    {"cross.01_02", "类\t合计\t520.00\t500.00\t0.00\t20.00",
     "类\t合计\t520.00\t500.00\t5.00\t15.00"},
    {"cross.01_03", "六、卫生健康支出\t15.00", "六、卫生健康支出\t16.00"},
    {"cross.01_04", "一、一般公共预算财政拨款\t500.00", "一、一般公共预算财政拨款\t501.00"},
    {"cross.02_04", "本年收入合计\t500.00", "本年收入合计\t505.00"},
    {"cross.04_05", "四、卫生健康支出\t15.00\t15.00", "四、卫生健康支出\t17.00\t17.00"},
    {"cross.04_08", "\t\t0.00\t0.00\t0.00\t0.00\t0.00\t0.00",
     "\t\t0.00\t1.00\t1.00\t1.00\t0.00\t0.00"},
    {"cross.04_09", "合计\t\t0.00\t0.00\t0.00", "合计\t\t2.00\t2.00\t0.00"},
    {"cross.05_06", "公用经费合计\t\t\t\t\t15.00", "公用经费合计\t\t\t\t\t16.00"},
    {"cross.06_07", "30217\t公务接待费\t1.20", "30217\t公务接待费\t2.20"},
    {"text.amount", "2. 项目支出 320.00 万元。", "2. 项目支出 302.00 万元。"},
    {"text.change_pct", "增长 11.11%", "增长 11.21%"},
    {"text.change_sum", "增加 12.00 万元，增长 3.55%", "增加 13.00 万元，增长 3.86%"},
    {"text.item_sum",
     "(五) 2101102-事业单位医疗支出 15.00 万元，较上年决算数增加 0.00 万元，与上年持平。", ""},
    {"sangong.zero_budget_rate", "因公出国（境）费支出 0.00 万元，",
     "因公出国（境）费支出 0.00 万元，完成全年预算的 100%；"},
    {"sangong.activity", "累计接待 8 批次、60 人次", "累计接待 0 批次、0 人次"},
    {"sangong.missing_breakdown", "累计接待 8 批次、60 人次。", ""},
    {"perf.count", "2 个项目", "3 个项目"},
    {"perf.funds", "共计 340.00 万元", "共计 350.00 万元"},
    {"perf.grades", "分别是1个、0个、1个、0个", "分别是2个、0个、0个、0个"},
    {"perf.project_spending", "\t年度资金总额\t40.00\t40.00\t20.00\t10\t50.00\t0",
     "\t年度资金总额\t40.00\t40.00\t21.00\t10\t52.50\t0"},
    {"eval.funds_sum", "其中：当年财政拨款\t300.00\t300.00", "其中：当年财政拨款\t300.00\t290.00"},
    {"eval.exec_rate", "\t40.00\t40.00\t20.00\t10\t50.00\t0",
     "\t40.00\t40.00\t20.00\t10\t55.00\t0"},
    {"eval.exec_score", "\t40.00\t40.00\t20.00\t10\t50.00\t0",
     "\t40.00\t40.00\t20.00\t10\t50.00\t4"},
    {"eval.score_missing", "话务员质检考核\t=优\t优\t15\t15", "话务员质检考核\t=优\t优\t15\t"},
    {"eval.indicator_score", "90.25\t20\t19", "90.25\t20\t20"},
    {"eval.weights", "系统可用率\t≥99%\t99.50\t20\t20", "系统可用率\t≥99%\t99.50\t25\t20"},
    {"eval.total", "总分值、评价总分 (S)\t\t\t\t\t\t99", "总分值、评价总分 (S)\t\t\t\t\t\t98"},
    {"eval.grade", "中 (80>S≥60)", "良 (90>S≥80)"},
    {"eval.rescored_grade", "≥500 条", "≥400 条"},
    {"eval.target_unmeasurable", "=优\t", "=优优\t"},
    {"eval.target_unreachable", "平台热线有效接通率\t≥95%\t96.50\t10\t10",
     "平台热线有效接通率\t≥105%\t96.50\t10\t10"},
    {"eval.unspent_results",
     "\t40.00\t40.00\t20.00\t10\t50.00\t0\t\n\t其中：当年财政拨款\t40.00\t40.00\t20.00\t—\t50.00",
     "\t40.00\t40.00\t0.00\t10\t0.00\t0\t\n\t其中：当年财政拨款\t40.00\t40.00\t0.00\t—\t0.00"},
    {"eval.cost_mismatch", "热线外包服务费\t≤300 万元\t300\t", "热线外包服务费\t≤300 万元\t280\t"},
};

class PlantedFault : public ::testing::TestWithParam<Fault> {};

TEST_P(PlantedFault, IsFound) {
  const Fault& fault = GetParam();
  const std::string text = ReplaceOnce(Clean(), fault.from, fault.to);
  ASSERT_NE(text, Clean());
  const auto findings = CheckDocument(ParseDisclosure(text));
  std::set<std::string> rules;
  for (const auto& f : findings) {
    rules.insert(f.rule);
  }
  EXPECT_TRUE(rules.count(fault.rule) > 0) << "planted " << fault.rule << ", found:\n"
                                           << Describe(findings);
}

std::string FaultName(const ::testing::TestParamInfo<Fault>& info) {
  std::string name = info.param.rule;
  for (char& c : name) {
    if (c == '.') {
      c = '_';
    }
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(EveryRule, PlantedFault, ::testing::ValuesIn(kFaults), FaultName);

TEST(FiscalRules, EveryCatalogueRuleHasAPlantedFault) {
  std::set<std::string> planted;
  for (const Fault& f : kFaults) {
    planted.insert(f.rule);
  }
  for (const auto& r : RuleCatalogue()) {
    EXPECT_TRUE(planted.count(std::string(r.id)) > 0) << "no planted fault for " << r.id;
  }
}

TEST(FiscalRules, AOneCentDifferenceIsRoundingNotAnError) {
  const std::string text = ReplaceOnce(Clean(), "30101\t基本工资\t60.00", "30101\t基本工资\t60.01");
  const auto findings = CheckDocument(ParseDisclosure(text));
  ASSERT_EQ(findings.size(), 1u) << Describe(findings);
  EXPECT_EQ(findings[0].rule, "table.hierarchy");
  EXPECT_EQ(findings[0].severity, Severity::kRounding);
  EXPECT_EQ(findings[0].expected, "165.01");
  EXPECT_EQ(findings[0].actual, "165.00");
}

TEST(FiscalRules, FindingsCarryTheNumbersBehindTheVerdict) {
  const std::string text = ReplaceOnce(Clean(), "30101\t基本工资\t60.00", "30101\t基本工资\t62.50");
  const auto findings = CheckDocument(ParseDisclosure(text));
  ASSERT_EQ(findings.size(), 1u) << Describe(findings);
  EXPECT_EQ(findings[0].severity, Severity::kError);
  EXPECT_EQ(findings[0].expected, "167.50");
  EXPECT_EQ(findings[0].actual, "165.00");
  EXPECT_THAT(findings[0].where, ::testing::HasSubstr("301"));
  EXPECT_GT(findings[0].line, 0);
}

}  // namespace
}  // namespace hotline::domain::fiscal
