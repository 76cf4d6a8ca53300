// The figures of the explanation (情况说明): each total the explanation states, taken from
// the tables, with last year's value, the change and the percentage when the accounts
// carry last year's figures; and the explanation's sentences generated from them. Pure;
// thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "domain/fiscal/document.h"

namespace hotline::domain::fiscal {

struct Figure {
  std::string key;    // "income_total", "general_budget", "2010350", "sangong.reception"
  std::string label;  // 收入总计, 2010350 事业运行, ...
  Fixed2 amount;
  OptAmount prior;
  OptAmount change;      // amount - prior
  OptAmount change_pct;  // change / prior, percent; nullopt when prior is zero
};

// The figures available from the tables of `doc`, in the order of the explanation.
std::vector<Figure> ExplanationFigures(const Document& doc);

// Last year's figures implied by the explanation's stated changes (amount − change), keyed
// like Document::prior_year; used when a text disclosure is turned into accounts.
std::map<std::string, Fixed2> PriorYearFromExplanation(const Document& doc);

// "比上年增加55.62万元，增长16.03%" / "与上年持平" / "" when there is no prior value.
std::string DescribeChange(const Figure& figure);

// The explanation's paragraphs (Chinese), one string each, generated from the figures.
std::vector<std::string> ExplanationText(const Document& doc);

}  // namespace hotline::domain::fiscal
