#include "adapters/fiscal/accounts_xlsx.h"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "adapters/fiscal/accounts_json.h"
#include "domain/fiscal/figures.h"

namespace hotline::adapters::fiscal {
namespace {

using nlohmann::json;
namespace df = domain::fiscal;

constexpr size_t kTitleRow = 0;
constexpr size_t kSubtitleRow = 1;
constexpr size_t kHeaderRow = 2;

std::string Trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return "";
  return std::string(s.substr(b, s.find_last_not_of(kSpace) - b + 1));
}

// A worksheet with the label used in messages ("公开05表" or the sheet's name).
struct Grid {
  const XlsxSheet& sheet;
  std::string where;

  std::string Text(size_t r, size_t c) const { return Trim(sheet.At(r, c)); }
  size_t Rows() const { return sheet.cells.size(); }
  bool BlankRow(size_t r) const {
    if (r >= sheet.cells.size()) return true;
    for (const auto& c : sheet.cells[r]) {
      if (!Trim(c).empty()) return false;
    }
    return true;
  }
  // Cells of the header row up to the last non-blank one.
  size_t Width(size_t r) const {
    if (r >= sheet.cells.size()) return 0;
    size_t w = sheet.cells[r].size();
    while (w > 0 && Trim(sheet.cells[r][w - 1]).empty()) --w;
    return w;
  }
  Error Bad(size_t r, size_t c, const std::string& what) const {
    return InvalidArgument(fmt::format("{} {}: {}", where, XlsxCellRef(r, c), what));
  }

  // An amount cell as the JSON form's string ("402.64"), null when blank.
  Result<json> Amount(size_t r, size_t c) const {
    const std::string s = Text(r, c);
    if (s.empty()) return json(nullptr);
    if (auto v = df::Fixed2::Parse(s)) return json(v->ToString());
    // Numbers as a spreadsheet writes them: "1.5E-2", "196.49000000000001".
    errno = 0;
    char* end = nullptr;
    const double d = std::strtod(s.c_str(), &end);
    if (errno == 0 && end == s.c_str() + s.size() && std::isfinite(d) && std::fabs(d) < 1e15) {
      return json(df::Fixed2::FromHundredths(std::llround(d * 100)).ToString());
    }
    return Bad(r, c, fmt::format("不是金额（“{}”）", s));
  }
};

// The first data row, the row after the last data row (a blank row ends the grid) and the
// note below it.
struct Body {
  size_t end = 0;
  std::string note;
};

Body ReadBody(const Grid& g, size_t first) {
  Body b;
  b.end = first;
  while (b.end < g.Rows() && !g.BlankRow(b.end)) ++b.end;
  for (size_t r = b.end; r < g.Rows(); ++r) {
    const std::string n = g.Text(r, 0);
    if (!n.empty()) b.note += (b.note.empty() ? "" : "\n") + n;
  }
  return b;
}

Result<json> Balance(const Grid& g) {
  const size_t width = g.Width(kHeaderRow);
  if (width < 4) {
    return g.Bad(kHeaderRow, 0, "表头应为 收入项目、金额、支出项目 及金额列");
  }
  const size_t right = width - 3;
  const Body body = ReadBody(g, kHeaderRow + 1);
  json income = json::array();
  json expense = json::array();
  for (size_t r = kHeaderRow + 1; r < body.end; ++r) {
    HOTLINE_ASSIGN_OR_RETURN(json value, g.Amount(r, 1));
    if (!g.Text(r, 0).empty() || !value.is_null()) {
      income.push_back({{"label", g.Text(r, 0)}, {"values", json::array({value})}});
    }
    json values = json::array();
    bool any = false;
    for (size_t c = 0; c < right; ++c) {
      HOTLINE_ASSIGN_OR_RETURN(json v, g.Amount(r, 3 + c));
      any = any || !v.is_null();
      values.push_back(std::move(v));
    }
    if (!g.Text(r, 2).empty() || any) {
      expense.push_back({{"label", g.Text(r, 2)}, {"values", std::move(values)}});
    }
  }
  return json{{"income", income}, {"expense", expense}, {"note", body.note}};
}

Result<json> Function(const Grid& g, int number) {
  const size_t columns = df::StandardColumns(number).size();
  const size_t width = g.Width(kHeaderRow);
  if (width != columns + 2) {
    return g.Bad(
        kHeaderRow, 0,
        fmt::format("表头应为 科目编码、科目名称 和 {} 个金额列，实际 {} 列", columns, width));
  }
  const Body body = ReadBody(g, kHeaderRow + 1);
  json out = {{"rows", json::array()}, {"note", body.note}, {"total", nullptr}};
  for (size_t r = kHeaderRow + 1; r < body.end; ++r) {
    if (g.Text(r, 0) == "本表无数据" && g.Width(r) == 1) continue;
    json values = json::array();
    for (size_t c = 0; c < columns; ++c) {
      HOTLINE_ASSIGN_OR_RETURN(json v, g.Amount(r, 2 + c));
      values.push_back(std::move(v));
    }
    const std::string code = g.Text(r, 0);
    if (code.empty()) {
      if (!out["total"].is_null()) return g.Bad(r, 0, "合计行重复（缺少科目编码？）");
      out["total"] = std::move(values);
    } else {
      out["rows"].push_back({{"code", code}, {"name", g.Text(r, 1)}, {"values", values}});
    }
  }
  return out;
}

Result<json> Basic(const Grid& g) {
  const Body body = ReadBody(g, kHeaderRow + 1);
  json out = {{"personnel", json::array()},
              {"public", json::array()},
              {"personnel_total", nullptr},
              {"public_total", nullptr},
              {"note", body.note}};
  for (size_t r = kHeaderRow + 1; r < body.end; ++r) {
    const std::string kind = g.Text(r, 0);
    HOTLINE_ASSIGN_OR_RETURN(json amount, g.Amount(r, 3));
    json item = {{"code", g.Text(r, 1)}, {"name", g.Text(r, 2)}, {"amount", amount}};
    if (kind == "人员经费") {
      out["personnel"].push_back(std::move(item));
    } else if (kind == "公用经费") {
      out["public"].push_back(std::move(item));
    } else if (kind == "人员经费合计") {
      out["personnel_total"] = amount;
    } else if (kind == "公用经费合计") {
      out["public_total"] = amount;
    } else {
      return g.Bad(r, 0, fmt::format("类别应为 人员经费、公用经费 或其合计，而不是“{}”", kind));
    }
  }
  return out;
}

Result<json> SanGong(const Grid& g) {
  const size_t width = g.Width(kHeaderRow);
  if (width < 2) return g.Bad(kHeaderRow, 1, "缺少金额列（决算数）");
  json columns = json::array();
  for (size_t c = 1; c < width; ++c) columns.push_back(g.Text(kHeaderRow, c));
  const Body body = ReadBody(g, kHeaderRow + 1);
  json rows = json::array();
  for (size_t r = kHeaderRow + 1; r < body.end; ++r) {
    json values = json::array();
    for (size_t c = 1; c < width; ++c) {
      HOTLINE_ASSIGN_OR_RETURN(json v, g.Amount(r, c));
      values.push_back(std::move(v));
    }
    rows.push_back({{"label", g.Text(r, 0)}, {"values", values}});
  }
  return json{{"columns", columns}, {"rows", rows}, {"note", body.note}};
}

Result<json> Funds(const Grid& g, size_t r) {
  json out;
  const char* keys[] = {"initial_budget", "budget", "executed", "weight", "rate", "score"};
  for (size_t i = 0; i < 6; ++i) {
    HOTLINE_ASSIGN_OR_RETURN(json v, g.Amount(r, 1 + i));
    out[keys[i]] = std::move(v);
  }
  return out;
}

Result<json> EvalSheetJson(const Grid& g) {
  json s = {
      {"project", ""}, {"department", ""}, {"implementer", ""},           {"funds", json::object()},
      {"goal", ""},    {"achieved", ""},   {"indicators", json::array()}, {"total_score", nullptr},
      {"grade", ""}};
  bool in_indicators = false;
  for (size_t r = kSubtitleRow + 1; r < g.Rows(); ++r) {
    if (g.BlankRow(r)) continue;
    const std::string a = g.Text(r, 0);
    std::string funds_key;
    if (a == "年度资金总额") funds_key = "total";
    if (a == "其中：当年财政拨款" || a == "当年财政拨款") funds_key = "fiscal";
    if (a == "其他资金") funds_key = "other";
    if (a == "上年结转资金") funds_key = "carryover";
    if (!funds_key.empty()) {
      HOTLINE_ASSIGN_OR_RETURN(s["funds"][funds_key], Funds(g, r));
      in_indicators = false;
    } else if (a == "项目名称") {
      s["project"] = g.Text(r, 1);
    } else if (a == "主管部门") {
      s["department"] = g.Text(r, 1);
      s["implementer"] = g.Text(r, 3);
    } else if (a == "项目资金（万元）") {
      in_indicators = false;
    } else if (a == "年度总体目标") {
      s["goal"] = g.Text(r, 1);
    } else if (a == "实际完成情况") {
      s["achieved"] = g.Text(r, 1);
    } else if (a == "一级指标") {
      in_indicators = true;
    } else if (a.starts_with("总分值") || a.starts_with("评价总分")) {
      HOTLINE_ASSIGN_OR_RETURN(s["total_score"], g.Amount(r, 1));
      in_indicators = false;
    } else if (a == "评价等级") {
      s["grade"] = g.Text(r, 1);
      in_indicators = false;
    } else if (in_indicators) {
      HOTLINE_ASSIGN_OR_RETURN(json weight, g.Amount(r, 5));
      HOTLINE_ASSIGN_OR_RETURN(json score, g.Amount(r, 6));
      s["indicators"].push_back({{"level1", a},
                                 {"level2", g.Text(r, 1)},
                                 {"name", g.Text(r, 2)},
                                 {"target", g.Text(r, 3)},
                                 {"actual", g.Text(r, 4)},
                                 {"weight", weight},
                                 {"score", score},
                                 {"note", g.Text(r, 7)}});
    } else {
      return g.Bad(r, 0, fmt::format("无法识别的行“{}”", a));
    }
  }
  return s;
}

// "公开05表    单位：某中心    金额单位：万元" -> 5 and the unit.
std::optional<int> TableNumber(const std::string& subtitle) {
  if (!subtitle.starts_with("公开")) return std::nullopt;
  const std::string rest = subtitle.substr(std::string_view("公开").size());
  if (rest.size() < 2 + std::string_view("表").size() || rest[0] != '0' || rest[1] < '1' ||
      rest[1] > '9' || rest.compare(2, std::string_view("表").size(), "表") != 0) {
    return std::nullopt;
  }
  return rest[1] - '0';
}

std::string UnitOf(const std::string& subtitle) {
  const std::string_view key = "    单位：";
  const size_t at = subtitle.find(key);
  if (at == std::string::npos) return "";
  const size_t from = at + key.size();
  const size_t end = subtitle.find("    ", from);
  return Trim(subtitle.substr(from, end == std::string::npos ? std::string::npos : end - from));
}

// The year from the first generated explanation sentence ("2024年度收入总计…").
int YearOf(const Body& notes) {
  int year = 0;
  size_t i = 0;
  for (; i < notes.note.size() && i < 4 && std::isdigit(static_cast<unsigned char>(notes.note[i]));
       ++i) {
    year = year * 10 + (notes.note[i] - '0');
  }
  return i == 4 && notes.note.compare(4, std::string_view("年度").size(), "年度") == 0 ? year : 0;
}

}  // namespace

Result<df::Document> DocumentFromWorkbook(const XlsxWorkbook& workbook) {
  json j = {{"format", "hotline.fiscal.accounts/1"}, {"unit", ""}, {"year", 0}};
  json tables = json::object();
  json sheets = json::array();
  const XlsxSheet* figures = nullptr;
  for (const XlsxSheet& sheet : workbook.sheets) {
    const std::string subtitle = Trim(sheet.At(kSubtitleRow, 0));
    if (const auto n = TableNumber(subtitle)) {
      const std::string code = fmt::format("{:02d}", *n);
      const Grid g{sheet, fmt::format("公开{}表", code)};
      if (tables.contains(code)) {
        return g.Bad(kSubtitleRow, 0,
                     fmt::format("公开{}表重复（另见工作表“{}”）", code, sheet.name));
      }
      if (j["unit"].get<std::string>().empty()) j["unit"] = UnitOf(subtitle);
      Result<json> t = json();
      switch (*n) {
        case 1:
        case 4:
          t = Balance(g);
          break;
        case 6:
          t = Basic(g);
          break;
        case 7:
          t = SanGong(g);
          break;
        default:
          t = Function(g, *n);
      }
      if (!t.has_value()) return t.error();
      tables[code] = std::move(*t);
    } else if (Trim(sheet.At(kTitleRow, 0)) == "项目支出绩效自评表") {
      HOTLINE_ASSIGN_OR_RETURN(json s, EvalSheetJson(Grid{sheet, sheet.name}));
      sheets.push_back(std::move(s));
    } else if (sheet.name == "说明数据") {
      figures = &sheet;
    }
  }
  if (tables.empty() && sheets.empty()) {
    return InvalidArgument(
        "xlsx 中没有可识别的工作表：需要第 2 行以“公开01表”…“公开09表”开头的表，"
        "或 A1 为“项目支出绩效自评表”的自评表");
  }
  j["tables"] = std::move(tables);
  j["sheets"] = std::move(sheets);
  HOTLINE_ASSIGN_OR_RETURN(df::Document doc, DocumentFromJson(j.dump()));
  if (figures != nullptr) {
    const Grid g{*figures, figures->name};
    const Body body = ReadBody(g, kHeaderRow + 1);
    // The year and the unit are not in the tables' cells; the generated text carries them.
    Body first_note;
    for (size_t r = body.end; r < g.Rows(); ++r) {
      if (!g.Text(r, 0).empty()) {
        first_note.note = g.Text(r, 0);
        break;
      }
    }
    doc.year = YearOf(first_note);
    std::map<std::string, std::string> keys;
    for (const auto& f : df::ExplanationFigures(doc)) keys[f.label] = f.key;
    for (size_t r = kHeaderRow + 1; r < body.end; ++r) {
      HOTLINE_ASSIGN_OR_RETURN(json prior, g.Amount(r, 2));
      if (prior.is_null()) continue;
      const auto it = keys.find(g.Text(r, 0));
      if (it == keys.end()) {
        return g.Bad(r, 0, fmt::format("“{}”不对应任何表中数字，无法作为上年数", g.Text(r, 0)));
      }
      doc.prior_year[it->second] = *df::Fixed2::Parse(prior.get<std::string>());
    }
  }
  return doc;
}

Result<df::Document> DocumentFromXlsx(std::string_view bytes) {
  HOTLINE_ASSIGN_OR_RETURN(XlsxWorkbook workbook, ReadXlsx(bytes));
  return DocumentFromWorkbook(workbook);
}

}  // namespace hotline::adapters::fiscal
