// Pieces of a self-contained HTML page (UTF-8, inline CSS, no scripts) shared by the report
// and fiscal renderers: escaping, the page skeleton and table rows. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "adapters/render/cell.h"

namespace hotline::adapters::render {

// `s` with &, <, > and " escaped, for text and attribute values.
std::string HtmlEscape(std::string_view s);

// The start of a page up to and including its heading: the doctype, lang zh-CN, UTF-8,
// `title` (escaped) as both the <title> and the <h1>, and `css` inline.
std::string HtmlPageStart(std::string_view title, std::string_view css);
// The end of a page begun with HtmlPageStart.
inline constexpr std::string_view kHtmlPageEnd = "</body></html>\n";

// One header row, "<tr><th>…</th>…</tr>" (no line break).
std::string HtmlHeaderRow(const std::vector<std::string>& header);
// One row, "<tr><td>…</td>…</tr>\n": a number cell has class "n", a bold one "b".
std::string HtmlRow(const std::vector<Cell>& row);

}  // namespace hotline::adapters::render
