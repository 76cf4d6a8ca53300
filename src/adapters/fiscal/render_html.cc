#include <fmt/format.h>

#include "adapters/fiscal/layout.h"
#include "adapters/fiscal/render.h"

namespace hotline::adapters::fiscal {
namespace {

std::string Escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

constexpr const char* kStyle =
    R"(body{font-family:"Noto Sans CJK SC","Source Han Sans SC",sans-serif;margin:2em;color:#222}
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #999;padding:.25em .5em}
th{background:#ddebf7}td.n{text-align:right;font-variant-numeric:tabular-nums}
.b{font-weight:bold}.meta{color:#555}.note{color:#444;font-size:.9em})";

}  // namespace

std::string RenderHtml(const domain::fiscal::Document& doc) {
  std::string html = "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">";
  const std::string heading =
      fmt::format("{}{}部门决算", doc.year > 0 ? fmt::format("{}年度", doc.year) : "",
                  doc.unit.empty() ? "" : " " + doc.unit + " ");
  html += "<title>" + Escape(heading) + "</title><style>" + kStyle + "</style></head><body>\n";
  html += "<h1>" + Escape(heading) + "</h1>\n";
  for (const LayoutGrid& g : LayoutDisclosure(doc)) {
    html += "<section><h2>" + Escape(g.title) + "</h2>\n";
    html += "<p class=\"meta\">" + Escape(g.code) + (g.code.empty() ? "" : "　") +
            "金额单位：万元</p>\n<table>\n";
    if (!g.header.empty()) {
      html += "<tr>";
      for (const auto& h : g.header) {
        html += "<th>" + Escape(h) + "</th>";
      }
      html += "</tr>\n";
    }
    for (const auto& row : g.rows) {
      html += "<tr>";
      for (const auto& cell : row) {
        std::string cls = cell.number ? "n" : "";
        if (cell.bold) {
          cls += cls.empty() ? "b" : " b";
        }
        html += cls.empty() ? "<td>" : "<td class=\"" + cls + "\">";
        html += Escape(cell.text) + "</td>";
      }
      html += "</tr>\n";
    }
    html += "</table>\n";
    for (const auto& n : g.notes) {
      html += "<p class=\"note\">" + Escape(n) + "</p>\n";
    }
    html += "</section>\n";
  }
  html += "</body></html>\n";
  return html;
}

}  // namespace hotline::adapters::fiscal
