#include <fmt/format.h>

#include "adapters/fiscal/layout.h"
#include "adapters/fiscal/render.h"
#include "adapters/render/html.h"

namespace hotline::adapters::fiscal {
namespace {

using render::HtmlEscape;

constexpr const char* kStyle =
    R"(body{font-family:"Noto Sans CJK SC","Source Han Sans SC",sans-serif;margin:2em;color:#222}
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #999;padding:.25em .5em}
th{background:#ddebf7}td.n{text-align:right;font-variant-numeric:tabular-nums}
.b{font-weight:bold}.meta{color:#555}.note{color:#444;font-size:.9em})";

}  // namespace

std::string RenderHtml(const domain::fiscal::Document& doc) {
  const std::string heading =
      fmt::format("{}{}部门决算", doc.year > 0 ? fmt::format("{}年度", doc.year) : "",
                  doc.unit.empty() ? "" : " " + doc.unit + " ");
  std::string html = render::HtmlPageStart(heading, kStyle);
  for (const LayoutGrid& g : LayoutDisclosure(doc)) {
    html += "<section><h2>" + HtmlEscape(g.title) + "</h2>\n";
    html += "<p class=\"meta\">" + HtmlEscape(g.code) + (g.code.empty() ? "" : "　") +
            "金额单位：万元</p>\n<table>\n";
    if (!g.header.empty()) {
      html += render::HtmlHeaderRow(g.header) + "\n";
    }
    for (const auto& row : RenderRows(g)) {
      html += render::HtmlRow(row);
    }
    html += "</table>\n";
    for (const auto& n : g.notes) {
      html += "<p class=\"note\">" + HtmlEscape(n) + "</p>\n";
    }
    html += "</section>\n";
  }
  html += render::kHtmlPageEnd;
  return html;
}

}  // namespace hotline::adapters::fiscal
