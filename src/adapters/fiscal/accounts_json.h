// JSON for the fiscal module: the structured-accounts format (the nine tables, last
// year's figures and the self-evaluation sheets; see docs/fiscal.md), and the findings
// report of `hotline fiscal check --format json`. nlohmann exceptions are caught here and
// never leave this adapter. Thread-safe (pure functions).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/fiscal/document.h"
#include "domain/fiscal/finding.h"
#include "domain/fiscal/scoring.h"

namespace hotline::adapters::fiscal {

// kInvalidArgument when `json` is not valid JSON or does not follow the format (the message
// names the offending field).
Result<domain::fiscal::Document> DocumentFromJson(std::string_view json);
// The structured-accounts JSON of `doc` (pretty-printed). Amounts are strings "402.64".
std::string DocumentToJson(const domain::fiscal::Document& doc);

// {"findings":[{rule,severity,where,expected,actual,message,line}],"summary":{...}}
std::string FindingsToJson(const std::vector<domain::fiscal::Finding>& findings,
                           const domain::fiscal::Document& doc);

// The recomputed scores of the sheets as JSON.
std::string ScoresToJson(const domain::fiscal::Document& doc,
                         const std::vector<domain::fiscal::SheetScore>& scores);

// Reads {"connection_rate": 99.6, "seats_on_duty": 34, ...} (numbers or strings).
Result<std::map<domain::fiscal::Kpi, domain::fiscal::Fixed2>> KpisFromJson(std::string_view json);

}  // namespace hotline::adapters::fiscal
