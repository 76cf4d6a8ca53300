// Parser of the text form of a final-accounts disclosure: the text that PDF extraction
// gives, one table row per line with cells separated by tabs, prose as paragraphs. It
// tolerates spaces inside numbers and names, cells and sentences broken over lines, page
// breaks and headers repeated across pages. It never drops a part silently: a table row
// or sheet row it cannot read becomes a "parse.*" finding with its line. Thread-safe
// (pure function).
#pragma once

#include <string_view>

#include "domain/fiscal/document.h"

namespace hotline::domain::fiscal {

// Reads the whole document. Missing tables, explanation or sheets are reported in
// Document::parse_findings rather than failing.
Document ParseDisclosure(std::string_view text);

// Parses a target cell of a self-evaluation sheet: "≥95%", "≤200 万元", "=优优", "100%".
Target ParseTarget(std::string_view raw);

// The grade character (优/良/中/差) first found in `text`, or "" when none.
std::string FindGrade(std::string_view text);

}  // namespace hotline::domain::fiscal
