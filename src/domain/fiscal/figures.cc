#include "domain/fiscal/figures.h"

#include <fmt/format.h>

#include <functional>

#include "domain/fiscal/text_util.h"

namespace hotline::domain::fiscal {
namespace {

OptAmount BalanceValue(const BalanceTable& t, bool income, std::string_view label,
                       size_t column = 0) {
  if (!t.present) {
    return std::nullopt;
  }
  const auto& rows = income ? t.income : t.expense;
  for (const auto& row : rows) {
    const std::string l = NormalizeLabel(row.label);
    if (label == "总计" ? l == "总计" : Contains(l, label)) {
      return column < row.values.size() ? row.values[column].value_or(Fixed2()) : Fixed2();
    }
  }
  return std::nullopt;
}

OptAmount TotalValue(const FunctionTable& t, size_t column) {
  if (!t.present) {
    return std::nullopt;
  }
  if (!t.total) {
    return Fixed2();
  }
  return column < t.total->values.size() ? t.total->values[column].value_or(Fixed2()) : Fixed2();
}

OptAmount SanGongValue(const SanGongTable& t, std::string_view part,
                       std::string_view exclude = "") {
  if (!t.present) {
    return std::nullopt;
  }
  for (const auto& row : t.rows) {
    const std::string l = NormalizeLabel(row.label);
    if (Contains(l, part) && (exclude.empty() || !Contains(l, exclude))) {
      return row.values.empty() ? Fixed2() : row.values.back().value_or(Fixed2());
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<Figure> ExplanationFigures(const Document& doc) {
  std::vector<Figure> out;
  auto add = [&](std::string key, std::string label, OptAmount amount) {
    if (!amount) {
      return;
    }
    Figure f;
    f.key = std::move(key);
    f.label = std::move(label);
    f.amount = *amount;
    if (auto it = doc.prior_year.find(f.key); it != doc.prior_year.end()) {
      f.prior = it->second;
      f.change = f.amount - it->second;
      f.change_pct = Fixed2::Percent(*f.change, it->second);
    }
    out.push_back(std::move(f));
  };
  add("income_total", "收入总计", BalanceValue(doc.t01, true, "总计"));
  add("expense_total", "支出总计", BalanceValue(doc.t01, false, "总计"));
  add("income", "本年收入合计", BalanceValue(doc.t01, true, "本年收入合计"));
  add("expense", "本年支出合计", BalanceValue(doc.t01, false, "本年支出合计"));
  add("basic", "基本支出", TotalValue(doc.t03, 1));
  add("project", "项目支出", TotalValue(doc.t03, 2));
  if (doc.t06.present) {
    add("personnel", "人员经费", doc.t06.personnel_total);
    add("public", "公用经费", doc.t06.public_total);
  }
  add("fiscal_total", "财政拨款收入总计", BalanceValue(doc.t04, true, "总计"));
  add("general_budget", "一般公共预算财政拨款支出", TotalValue(doc.t05, 0));
  if (doc.t05.present) {
    for (const auto& row : doc.t05.rows) {
      if (row.code.size() == 7) {
        add(row.code, row.code + " " + row.name,
            row.values.empty() ? Fixed2() : row.values[0].value_or(Fixed2()));
      }
    }
  }
  add("gov_fund", "政府性基金预算财政拨款支出", TotalValue(doc.t08, 2));
  add("state_capital", "国有资本经营预算财政拨款支出", TotalValue(doc.t09, 0));
  add("sangong", "“三公”经费支出", SanGongValue(doc.t07, "合计"));
  add("sangong.abroad", "因公出国（境）费", SanGongValue(doc.t07, "出国"));
  add("sangong.car", "公务用车购置及运行维护费", SanGongValue(doc.t07, "购置及运行"));
  add("sangong.reception", "公务接待费", SanGongValue(doc.t07, "接待"));
  return out;
}

std::map<std::string, Fixed2> PriorYearFromExplanation(const Document& doc) {
  std::map<std::string, Fixed2> out;
  for (const auto& st : doc.explanation.statements) {
    if (!st.change) {
      continue;
    }
    const std::string& s = st.subject;
    std::string key;
    switch (st.section) {
      case Section::kOverview:
        key = Contains(s, "收入") ? "income_total" : Contains(s, "支出") ? "expense_total" : "";
        break;
      case Section::kFiscalOverview:
        key = Contains(s, "收入") ? "fiscal_total" : "";
        break;
      case Section::kGeneralBudget: {
        size_t digits = 0;
        while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') {
          ++digits;
        }
        key = digits == 7 ? s.substr(0, 7) : digits == 0 ? "general_budget" : "";
        break;
      }
      case Section::kGovFund:
        key = "gov_fund";
        break;
      case Section::kStateCapital:
        key = "state_capital";
        break;
      case Section::kSanGong:
        key = Contains(s, "三公")                                        ? "sangong"
              : Contains(s, "出国")                                      ? "sangong.abroad"
              : Contains(s, "接待")                                      ? "sangong.reception"
              : (Contains(s, "购置及运行") || Contains(s, "购置和运行")) ? "sangong.car"
                                                                         : "";
        break;
      default:
        break;
    }
    if (!key.empty() && out.count(key) == 0) {
      out[key] = st.amount - *st.change;
    }
  }
  return out;
}

std::string DescribeChange(const Figure& f) {
  if (!f.change) {
    return "";
  }
  if (f.change->IsZero()) {
    return "与上年持平";
  }
  const bool up = *f.change > Fixed2();
  std::string s = fmt::format("比上年{}{}万元", up ? "增加" : "减少", f.change->Abs().ToString());
  if (f.change_pct) {
    s += fmt::format("，{}{}%", up ? "增长" : "下降", f.change_pct->Abs().ToString());
  }
  return s;
}

std::vector<std::string> ExplanationText(const Document& doc) {
  const std::vector<Figure> figures = ExplanationFigures(doc);
  auto find = [&](std::string_view key) -> const Figure* {
    for (const auto& f : figures) {
      if (f.key == key) {
        return &f;
      }
    }
    return nullptr;
  };
  auto sentence = [&](std::string_view key, std::string_view lead) -> std::string {
    const Figure* f = find(key);
    if (f == nullptr) {
      return "";
    }
    std::string s = fmt::format("{}{}万元", lead, f->amount.ToString());
    const std::string change = DescribeChange(*f);
    if (!change.empty()) {
      s += "，" + change;
    }
    return s + "。";
  };
  const std::string year = doc.year > 0 ? fmt::format("{}年度", doc.year) : "本年度";
  std::vector<std::string> out;
  for (const auto& [key, lead] : std::vector<std::pair<std::string, std::string>>{
           {"income_total", year + "收入总计"},
           {"expense_total", year + "支出总计"},
           {"basic", "基本支出"},
           {"personnel", "其中人员经费"},
           {"public", "公用经费"},
           {"project", "项目支出"},
           {"fiscal_total", year + "财政拨款收入总计"},
           {"general_budget", year + "一般公共预算财政拨款支出"}}) {
    if (auto s = sentence(key, lead); !s.empty()) {
      out.push_back(std::move(s));
    }
  }
  for (const auto& f : figures) {
    if (f.key.size() == 7 && f.key[0] >= '0' && f.key[0] <= '9') {
      std::string s = fmt::format("{}支出{}万元", f.label, f.amount.ToString());
      if (const std::string change = DescribeChange(f); !change.empty()) {
        s += "，" + change;
      }
      out.push_back(s + "。");
    }
  }
  for (const auto& [key, lead] : std::vector<std::pair<std::string, std::string>>{
           {"gov_fund", year + "政府性基金预算财政拨款支出"},
           {"state_capital", year + "国有资本经营预算财政拨款支出"},
           {"sangong", year + "一般公共预算财政拨款“三公”经费支出"},
           {"sangong.abroad", "因公出国（境）费支出"},
           {"sangong.car", "公务用车购置及运行维护费支出"},
           {"sangong.reception", "公务接待费支出"}}) {
    if (auto s = sentence(key, lead); !s.empty()) {
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace hotline::domain::fiscal
