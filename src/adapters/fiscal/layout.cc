#include "adapters/fiscal/layout.h"

#include <fmt/format.h>

#include <algorithm>

#include "domain/fiscal/figures.h"

namespace hotline::adapters::fiscal {
namespace {

using domain::fiscal::BalanceTable;
using domain::fiscal::Document;
using domain::fiscal::EvalSheet;
using domain::fiscal::Fixed2;
using domain::fiscal::FunctionRow;
using domain::fiscal::FunctionTable;
using domain::fiscal::FundsRow;
using domain::fiscal::OptAmount;

LayoutCell Text(std::string text, bool bold = false) {
  return {std::move(text), std::nullopt, bold};
}

LayoutCell Num(const OptAmount& v, bool bold = false) {
  if (!v) {
    return {"", std::nullopt, bold};
  }
  return {v->ToString(), v, bold};
}

LayoutCell Score(const OptAmount& v) {
  if (!v) {
    return Text("");
  }
  return {v->ToShortString(), v, false};
}

constexpr const char* kEmpty = "本表无数据";

LayoutGrid Balance(const BalanceTable& t, int number, std::string title,
                   std::vector<std::string> header) {
  LayoutGrid g;
  g.code = fmt::format("公开{:02d}表", number);
  g.sheet_name = fmt::format("{:02d} {}", number, title);
  g.title = std::move(title);
  g.header = std::move(header);
  const size_t n = std::max(t.income.size(), t.expense.size());
  const size_t right = g.header.size() - 3;
  for (size_t i = 0; i < n; ++i) {
    std::vector<LayoutCell> row;
    if (i < t.income.size()) {
      const bool bold = t.income[i].label.find("合计") != std::string::npos ||
                        t.income[i].label.find("总计") != std::string::npos;
      row.push_back(Text(t.income[i].label, bold));
      row.push_back(Num(t.income[i].values.empty() ? OptAmount() : t.income[i].values[0], bold));
    } else {
      row.push_back(Text(""));
      row.push_back(Text(""));
    }
    if (i < t.expense.size()) {
      const bool bold = t.expense[i].label.find("合计") != std::string::npos ||
                        t.expense[i].label.find("总计") != std::string::npos;
      row.push_back(Text(t.expense[i].label, bold));
      for (size_t c = 0; c < right; ++c) {
        row.push_back(
            Num(c < t.expense[i].values.size() ? t.expense[i].values[c] : OptAmount(), bold));
      }
    } else {
      for (size_t c = 0; c <= right; ++c) {
        row.push_back(Text(""));
      }
    }
    g.rows.push_back(std::move(row));
  }
  if (!t.note.empty()) {
    g.notes.push_back(t.note);
  }
  return g;
}

LayoutGrid Function(const FunctionTable& t, int number, std::string title) {
  LayoutGrid g;
  g.code = fmt::format("公开{:02d}表", number);
  g.sheet_name = fmt::format("{:02d} {}", number, title);
  g.title = std::move(title);
  g.header = {"功能分类科目编码", "科目名称"};
  const auto columns = t.columns.empty() ? domain::fiscal::StandardColumns(number) : t.columns;
  g.header.insert(g.header.end(), columns.begin(), columns.end());
  auto add = [&](const FunctionRow& r, bool bold) {
    std::vector<LayoutCell> row = {Text(r.code, bold),
                                   Text(r.code.empty() ? "合计" : r.name, bold)};
    for (size_t c = 0; c < columns.size(); ++c) {
      row.push_back(Num(c < r.values.size() ? r.values[c] : OptAmount(), bold));
    }
    g.rows.push_back(std::move(row));
  };
  if (t.total) {
    add(*t.total, true);
  }
  for (const auto& r : t.rows) {
    add(r, r.code.size() == 3);
  }
  if (g.rows.empty()) {
    g.rows.push_back({Text(kEmpty)});
  }
  if (!t.note.empty()) {
    g.notes.push_back(t.note);
  }
  return g;
}

void AddFunds(LayoutGrid& g, const std::optional<FundsRow>& r, std::string label) {
  if (!r) {
    return;
  }
  g.rows.push_back({Text(std::move(label)), Num(r->initial_budget), Num(r->budget),
                    Num(r->executed), Score(r->weight), Num(r->rate), Score(r->score)});
}

LayoutGrid Sheet(const EvalSheet& s, int index) {
  LayoutGrid g;
  g.sheet_name = fmt::format("自评表{}", index + 1);
  g.title = "项目支出绩效自评表";
  g.header = {"项目", "", "", "", "", "", "", "", ""};
  g.rows.push_back({Text("项目名称", true), Text(s.project)});
  g.rows.push_back(
      {Text("主管部门", true), Text(s.department), Text("实施单位", true), Text(s.implementer)});
  g.rows.push_back({Text("项目资金（万元）", true), Text("年初预算数", true),
                    Text("全年预算数", true), Text("全年执行数", true), Text("分值", true),
                    Text("执行率（%）", true), Text("得分", true)});
  AddFunds(g, s.total, "年度资金总额");
  AddFunds(g, s.fiscal, "其中：当年财政拨款");
  AddFunds(g, s.other, "其他资金");
  AddFunds(g, s.carryover, "上年结转资金");
  g.rows.push_back({Text("年度总体目标", true), Text(s.goal)});
  g.rows.push_back({Text("实际完成情况", true), Text(s.achieved)});
  g.rows.push_back({Text("一级指标", true), Text("二级指标", true), Text("三级指标", true),
                    Text("年度指标值", true), Text("实际完成值", true), Text("指标分值", true),
                    Text("自评得分", true), Text("偏差原因分析及改进措施", true)});
  for (const auto& ind : s.indicators) {
    g.rows.push_back({Text(ind.level1), Text(ind.level2), Text(ind.name), Text(ind.target.raw),
                      Text(ind.actual_raw), Score(ind.weight), Score(ind.score), Text(ind.note)});
  }
  g.rows.push_back({Text("总分值、评价总分（S）", true), Score(s.total_score)});
  g.rows.push_back({Text("评价等级", true), Text(s.grade)});
  g.header.clear();
  return g;
}

}  // namespace

std::vector<LayoutGrid> LayoutDisclosure(const Document& doc) {
  std::vector<LayoutGrid> out;
  if (doc.t01.present) {
    out.push_back(Balance(doc.t01, 1, "收入支出决算总表",
                          {"收入项目", "决算数", "支出项目（按功能分类）", "决算数"}));
  }
  if (doc.t02.present) out.push_back(Function(doc.t02, 2, "收入决算表"));
  if (doc.t03.present) out.push_back(Function(doc.t03, 3, "支出决算表"));
  if (doc.t04.present) {
    out.push_back(
        Balance(doc.t04, 4, "财政拨款收入支出决算总表",
                {"收入项目", "金额", "支出项目（按功能分类）", "合计", "一般公共预算财政拨款",
                 "政府性基金预算财政拨款", "国有资本经营预算财政拨款"}));
  }
  if (doc.t05.present) out.push_back(Function(doc.t05, 5, "一般公共预算财政拨款支出决算表"));
  if (doc.t06.present) {
    LayoutGrid g;
    g.code = "公开06表";
    g.title = "一般公共预算财政拨款基本支出决算表";
    g.sheet_name = "06 基本支出决算表";
    g.header = {"类别", "经济分类科目编码", "科目名称", "金额"};
    for (const auto& e : doc.t06.personnel) {
      g.rows.push_back({Text("人员经费"), Text(e.code, e.code.size() == 3),
                        Text(e.name, e.code.size() == 3), Num(e.amount, e.code.size() == 3)});
    }
    g.rows.push_back(
        {Text("人员经费合计", true), Text(""), Text(""), Num(doc.t06.personnel_total, true)});
    for (const auto& e : doc.t06.public_funds) {
      g.rows.push_back({Text("公用经费"), Text(e.code, e.code.size() == 3),
                        Text(e.name, e.code.size() == 3), Num(e.amount, e.code.size() == 3)});
    }
    g.rows.push_back(
        {Text("公用经费合计", true), Text(""), Text(""), Num(doc.t06.public_total, true)});
    if (!doc.t06.note.empty()) g.notes.push_back(doc.t06.note);
    out.push_back(std::move(g));
  }
  if (doc.t07.present) {
    LayoutGrid g;
    g.code = "公开07表";
    g.title = "一般公共预算财政拨款“三公”经费支出决算表";
    g.sheet_name = "07 三公经费支出决算表";
    g.header = {"项目"};
    g.header.insert(g.header.end(), doc.t07.columns.begin(), doc.t07.columns.end());
    for (const auto& r : doc.t07.rows) {
      std::vector<LayoutCell> row = {Text(r.label)};
      for (const auto& v : r.values) row.push_back(Num(v));
      g.rows.push_back(std::move(row));
    }
    if (!doc.t07.note.empty()) g.notes.push_back(doc.t07.note);
    out.push_back(std::move(g));
  }
  if (doc.t08.present) out.push_back(Function(doc.t08, 8, "政府性基金预算财政拨款收入支出决算表"));
  if (doc.t09.present) out.push_back(Function(doc.t09, 9, "国有资本经营预算财政拨款支出决算表"));

  LayoutGrid figures;
  figures.sheet_name = "说明数据";
  figures.title = "决算情况说明数据";
  figures.header = {"项目", "本年决算数", "上年决算数", "增减额", "增减幅度（%）"};
  for (const auto& f : domain::fiscal::ExplanationFigures(doc)) {
    figures.rows.push_back(
        {Text(f.label), Num(f.amount), Num(f.prior), Num(f.change), Num(f.change_pct)});
  }
  figures.notes = domain::fiscal::ExplanationText(doc);
  out.push_back(std::move(figures));

  for (size_t i = 0; i < doc.sheets.size(); ++i) {
    out.push_back(Sheet(doc.sheets[i], static_cast<int>(i)));
  }
  return out;
}

std::vector<std::vector<render::Cell>> RenderRows(const LayoutGrid& grid) {
  std::vector<std::vector<render::Cell>> rows;
  rows.reserve(grid.rows.size());
  for (const auto& row : grid.rows) {
    std::vector<render::Cell>& out = rows.emplace_back();
    out.reserve(row.size());
    for (const LayoutCell& cell : row) {
      render::Cell& c = out.emplace_back();
      c.text = cell.text;
      if (cell.number) {
        c.number = cell.number->ToDouble();
      }
      c.bold = cell.bold;
    }
  }
  return rows;
}

}  // namespace hotline::adapters::fiscal
