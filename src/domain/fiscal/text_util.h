// Helpers for reading the text form of a disclosure: lines, tab-separated cells, and
// normalisation of the variations real documents carry (spaces inside numbers and names,
// full-width punctuation, enumeration prefixes). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/fiscal/decimal.h"

namespace hotline::domain::fiscal {

// Splits on '\n' (a trailing '\r' is dropped). Line i of the result is line i+1 of the text.
std::vector<std::string> SplitLines(std::string_view text);
// Splits a line on tabs and trims each cell; trailing empty cells are kept.
std::vector<std::string> SplitCells(std::string_view line);
// Trims ASCII white space, U+3000 (ideographic space) and U+00A0.
std::string Trim(std::string_view s);
// Removes every white space character listed for Trim, anywhere in `s`.
std::string RemoveSpaces(std::string_view s);
// For matching labels: removes spaces, maps full-width ()（）:： to ASCII and drops a
// leading enumeration ("一、", "二十六、", "1.", "(一)", "（1）", "其中：").
std::string NormalizeLabel(std::string_view s);
// Drops only the leading enumeration (after RemoveSpaces; full-width parentheses become
// ASCII ones).
std::string StripEnumeration(std::string_view s);
// True when `s` starts with an enumeration ("一、", "(一)", "1.") that StripEnumeration drops.
bool HasEnumeration(std::string_view s);

bool Contains(std::string_view s, std::string_view part);
bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);

// True for a classification code: digits only, 3 to 7 of them.
bool IsCode(std::string_view s);
// A money cell: "402.64", "4 02.64", "0"; nullopt for "", "—", "-", text.
std::optional<Fixed2> ParseAmountCell(std::string_view s);
// True when the cell is blank or a dash placeholder ("—", "-", "/").
bool IsBlankCell(std::string_view s);

// Index of the first non-empty cell at or after `from`, or -1.
int FirstNonEmpty(const std::vector<std::string>& cells, int from = 0);
int CountNonEmpty(const std::vector<std::string>& cells);

}  // namespace hotline::domain::fiscal
