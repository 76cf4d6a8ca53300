#include "adapters/render/html.h"

namespace hotline::adapters::render {

std::string HtmlEscape(std::string_view s) {
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

std::string HtmlPageStart(std::string_view title, std::string_view css) {
  const std::string escaped = HtmlEscape(title);
  std::string html = "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">";
  html += "<title>" + escaped + "</title><style>";
  html += css;
  html += "</style></head><body>\n<h1>" + escaped + "</h1>\n";
  return html;
}

std::string HtmlHeaderRow(const std::vector<std::string>& header) {
  std::string html = "<tr>";
  for (const auto& h : header) {
    html += "<th>" + HtmlEscape(h) + "</th>";
  }
  return html + "</tr>";
}

std::string HtmlRow(const std::vector<Cell>& row) {
  std::string html = "<tr>";
  for (const auto& cell : row) {
    std::string cls = cell.number ? "n" : "";
    if (cell.bold) {
      cls += cls.empty() ? "b" : " b";
    }
    html += cls.empty() ? "<td>" : "<td class=\"" + cls + "\">";
    html += HtmlEscape(cell.text) + "</td>";
  }
  return html + "</tr>\n";
}

}  // namespace hotline::adapters::render
