#include "domain/fiscal/finding.h"

namespace hotline::domain::fiscal {

std::string_view SeverityCode(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kRounding:
      return "rounding";
  }
  return "error";
}

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "错误";
    case Severity::kWarning:
      return "警告";
    case Severity::kRounding:
      return "尾差";
  }
  return "错误";
}

FindingSummary Summarize(const std::vector<Finding>& findings) {
  FindingSummary s;
  for (const auto& f : findings) {
    switch (f.severity) {
      case Severity::kError:
        ++s.errors;
        break;
      case Severity::kWarning:
        ++s.warnings;
        break;
      case Severity::kRounding:
        ++s.rounding;
        break;
    }
  }
  return s;
}

const std::vector<RuleInfo>& RuleCatalogue() {
  static const std::vector<RuleInfo> kRules = {
      {"parse.missing_table", Severity::kWarning, "九张公开表之一在文档中缺失"},
      {"parse.duplicate_table", Severity::kWarning, "同一张公开表出现两次"},
      {"parse.missing_part", Severity::kWarning, "缺少决算情况说明部分"},
      {"parse.missing_row", Severity::kWarning, "表中缺少核对所需的合计行"},
      {"parse.table_row", Severity::kWarning, "表格行无法识别（列数或格式不符）"},
      {"parse.sheet_row", Severity::kWarning, "绩效自评表的行无法识别"},
      {"parse.statement", Severity::kWarning, "说明中的金额无法对应到表格项目"},
      {"table.total", Severity::kError, "01/04表：本年收入合计、本年支出合计等于各项之和"},
      {"table.balance", Severity::kError,
       "01/"
       "04表：收入总计=本年收入+结余+年初结转，支出总计=本年支出+结余分配+年末结转，两侧总计相等"},
      {"table.row_total", Severity::kError,
       "行内合计：02表合计=各收入之和；03表合计=各支出之和；05/"
       "09表小计=基本+项目；04表合计=三类拨款之和；08表年末=年初+收入-支出"},
      {"table.column_total", Severity::kError,
       "合计行等于各类之和；06表人员/公用经费合计；07表合计=出国+公务用车+接待"},
      {"table.hierarchy", Severity::kError,
       "类=所属款之和，款=所属项之和（功能分类与06表经济分类）；07表公务用车=购置+运行"},
      {"cross.01_02", Severity::kError, "01表收入与02表各收入列一致"},
      {"cross.01_03", Severity::kError, "01表支出合计及各功能类支出与03表一致"},
      {"cross.01_04", Severity::kError, "01表三类财政拨款收入与04表一致"},
      {"cross.02_04", Severity::kError, "02表财政拨款收入等于04表本年收入合计"},
      {"cross.04_05", Severity::kError, "04表一般公共预算财政拨款支出（合计及各类）与05表一致"},
      {"cross.04_08", Severity::kError, "04表政府性基金预算财政拨款支出与08表本年支出一致"},
      {"cross.04_09", Severity::kError, "04表国有资本经营预算财政拨款支出与09表一致"},
      {"cross.05_06", Severity::kError, "05表基本支出=06表人员经费合计+公用经费合计"},
      {"cross.06_07", Severity::kError,
       "06表公务接待费/因公出国费/公务用车运行维护费不超过07表对应数"},
      {"text.amount", Severity::kError, "说明中的金额与表格一致"},
      {"text.change_pct", Severity::kError, "说明中的增减百分比=增减额/(本年数-增减额)"},
      {"text.change_sum", Severity::kError, "按项级科目说明的增减额之和等于总增减额"},
      {"text.item_sum", Severity::kError, "说明中分项金额之和等于总额"},
      {"sangong.zero_budget_rate", Severity::kWarning, "支出为零却填报了完成预算的百分比"},
      {"sangong.activity", Severity::kError, "有接待费/出国费/购车费却称接待、出国或购车为0"},
      {"sangong.missing_breakdown", Severity::kWarning,
       "三公经费支出缺少批次、人次、辆数等明细说明"},
      {"perf.count", Severity::kError, "说明中的自评项目个数与所附自评表数量一致"},
      {"perf.funds", Severity::kError, "说明中的涉及资金等于各自评表全年预算数之和"},
      {"perf.grades", Severity::kError, "说明中的优良中差项目数与自评表的等级一致"},
      {"perf.project_spending", Severity::kWarning, "各自评表全年执行数之和等于05表项目支出"},
      {"eval.funds_sum", Severity::kError, "自评表年度资金总额=当年财政拨款+其他资金+上年结转"},
      {"eval.exec_rate", Severity::kError, "执行率=全年执行数/全年预算数"},
      {"eval.exec_score", Severity::kError, "执行率得分符合执行率评分规则"},
      {"eval.score_missing", Severity::kError, "有分值的指标未填自评得分"},
      {"eval.indicator_score", Severity::kError, "指标得分=按目标、实际值和分值计算的得分"},
      {"eval.weights", Severity::kError, "执行率分值与各指标分值之和为100"},
      {"eval.total", Severity::kError, "评价总分等于各项得分之和"},
      {"eval.grade", Severity::kError, "评价等级与评价总分相符（优≥90，良≥80，中≥60）"},
      {"eval.rescored_grade", Severity::kError, "按规则重新评分后的等级与表中等级一致"},
      {"eval.target_unmeasurable", Severity::kWarning,
       "指标值无法衡量（空白、无法识别的等级、人数等计数指标以%表示）"},
      {"eval.target_unreachable", Severity::kWarning, "指标值不可能达到（百分比超过100%）"},
      {"eval.unspent_results", Severity::kError, "全年执行数为0的项目却填报了成本或成效"},
      {"eval.cost_mismatch", Severity::kWarning, "以万元计的成本指标实际值与全年执行数不符"},
  };
  return kRules;
}

}  // namespace hotline::domain::fiscal
