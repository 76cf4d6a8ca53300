// A table cell as the HTML and xlsx renderers (html.h, xlsx.h) show it. A plain value.
#pragma once

#include <optional>
#include <string>

namespace hotline::adapters::render {

struct Cell {
  std::string text;              // shown in HTML and written in xlsx when not a number
  std::optional<double> number;  // a number: right-aligned in HTML, a number cell in xlsx
  bool bold = false;
};

}  // namespace hotline::adapters::render
