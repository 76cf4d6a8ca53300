// The rule engine: checks a parsed (or imported) disclosure within each table, across
// tables, the explanation against the tables and itself, the "三公" statements, and every
// self-evaluation sheet. Each finding names its rule, severity and the numbers behind it.
// A difference of exactly 0.01 is reported with Severity::kRounding. Pure; thread-safe.
#pragma once

#include <vector>

#include "domain/fiscal/document.h"
#include "domain/fiscal/finding.h"
#include "domain/fiscal/scoring.h"

namespace hotline::domain::fiscal {

struct CheckOptions {
  ScoringConfig scoring;
};

// All findings: the document's parse findings first, then the rules' in document order.
std::vector<Finding> CheckDocument(const Document& doc, const CheckOptions& options = {});

}  // namespace hotline::domain::fiscal
