// Finding: one verdict of the fiscal rule engine (or of the parser, for a part of the
// document it could not read). Value types; thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hotline::domain::fiscal {

enum class Severity {
  kError,     // the document contradicts itself or the tables
  kWarning,   // doubtful: not provably wrong, or a part that could not be checked
  kRounding,  // a difference of 0.01 that unit conversion explains (尾数误差)
};

// "error" | "warning" | "rounding".
std::string_view SeverityCode(Severity severity);
// "错误" | "警告" | "尾差".
std::string_view SeverityName(Severity severity);

struct Finding {
  std::string rule;  // stable id, e.g. "table.hierarchy"
  Severity severity = Severity::kError;
  std::string where;     // 公开03表 2010399 其他政府办公厅…… (for people, Chinese)
  std::string expected;  // what the other numbers imply
  std::string actual;    // what the document says
  std::string message;   // one sentence in Chinese
  int line = 0;          // 1-based line of the source text; 0 when not from a text
};

struct FindingSummary {
  int errors = 0;
  int warnings = 0;
  int rounding = 0;
};

FindingSummary Summarize(const std::vector<Finding>& findings);

// The catalogue entry of a rule: its id, default severity and what it checks (Chinese).
struct RuleInfo {
  std::string_view id;
  Severity severity;
  std::string_view description;
};

// Every rule the parser and the engine can report, in a stable order.
const std::vector<RuleInfo>& RuleCatalogue();

}  // namespace hotline::domain::fiscal
