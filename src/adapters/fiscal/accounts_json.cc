#include "adapters/fiscal/accounts_json.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "domain/fiscal/parser.h"

namespace hotline::adapters::fiscal {
namespace {

using domain::fiscal::BalanceTable;
using domain::fiscal::BasicTable;
using domain::fiscal::Document;
using domain::fiscal::EconomicItem;
using domain::fiscal::EvalSheet;
using domain::fiscal::Finding;
using domain::fiscal::Fixed2;
using domain::fiscal::FunctionRow;
using domain::fiscal::FunctionTable;
using domain::fiscal::FundsRow;
using domain::fiscal::Indicator;
using domain::fiscal::LabeledRow;
using domain::fiscal::OptAmount;
using domain::fiscal::SanGongTable;
using json = nlohmann::json;

// Thrown inside this file only, turned into kInvalidArgument by DocumentFromJson.
struct FormatError {
  std::string message;
};

json Amount(const OptAmount& v) { return v ? json(v->ToString()) : json(nullptr); }

json Amounts(const std::vector<OptAmount>& values) {
  json out = json::array();
  for (const auto& v : values) {
    out.push_back(Amount(v));
  }
  return out;
}

OptAmount ReadAmount(const json& j, const std::string& path) {
  if (j.is_null()) {
    return std::nullopt;
  }
  if (j.is_number()) {
    auto v = Fixed2::Parse(j.dump());
    if (!v) {
      throw FormatError{fmt::format("{}: 数值 {} 无法识别", path, j.dump())};
    }
    return v;
  }
  if (j.is_string()) {
    const std::string s = j.get<std::string>();
    if (s.empty() || s == "—" || s == "-") {
      return std::nullopt;
    }
    auto v = Fixed2::Parse(s);
    if (!v) {
      throw FormatError{fmt::format("{}: “{}”不是金额", path, s)};
    }
    return v;
  }
  throw FormatError{fmt::format("{}: 应为数字或字符串", path)};
}

std::vector<OptAmount> ReadAmounts(const json& j, const std::string& path, size_t expected) {
  if (!j.is_array()) {
    throw FormatError{fmt::format("{}: 应为数组", path)};
  }
  if (expected != 0 && j.size() != expected) {
    throw FormatError{fmt::format("{}: 应有{}个金额，实际{}个", path, expected, j.size())};
  }
  std::vector<OptAmount> out;
  for (size_t i = 0; i < j.size(); ++i) {
    out.push_back(ReadAmount(j[i], fmt::format("{}[{}]", path, i)));
  }
  return out;
}

std::string ReadString(const json& j, std::string_view key, const std::string& path) {
  if (!j.contains(key) || j[key].is_null()) {
    return "";
  }
  if (!j[key].is_string()) {
    throw FormatError{fmt::format("{}.{}: 应为字符串", path, key)};
  }
  return j[key].get<std::string>();
}

const json& Object(const json& j, const std::string& path) {
  if (!j.is_object()) {
    throw FormatError{fmt::format("{}: 应为对象", path)};
  }
  return j;
}

// ---- tables ------------------------------------------------------------------------------

json LabeledRowsToJson(const std::vector<LabeledRow>& rows) {
  json out = json::array();
  for (const auto& r : rows) {
    out.push_back({{"label", r.label}, {"values", Amounts(r.values)}});
  }
  return out;
}

std::vector<LabeledRow> ReadLabeledRows(const json& j, const std::string& path, size_t width) {
  std::vector<LabeledRow> rows;
  if (j.is_null()) {
    return rows;
  }
  if (!j.is_array()) {
    throw FormatError{fmt::format("{}: 应为数组", path)};
  }
  for (size_t i = 0; i < j.size(); ++i) {
    const std::string p = fmt::format("{}[{}]", path, i);
    const json& r = Object(j[i], p);
    LabeledRow row;
    row.label = ReadString(r, "label", p);
    row.values = ReadAmounts(r.value("values", json::array()), p + ".values", width);
    rows.push_back(std::move(row));
  }
  return rows;
}

json BalanceToJson(const BalanceTable& t) {
  return {{"income", LabeledRowsToJson(t.income)},
          {"expense", LabeledRowsToJson(t.expense)},
          {"note", t.note}};
}

void ReadBalance(const json& j, BalanceTable& t, const std::string& path, size_t width) {
  Object(j, path);
  t.present = true;
  t.income = ReadLabeledRows(j.value("income", json()), path + ".income", 1);
  t.expense = ReadLabeledRows(j.value("expense", json()), path + ".expense", width);
  t.note = ReadString(j, "note", path);
}

json FunctionToJson(const FunctionTable& t) {
  json rows = json::array();
  for (const auto& r : t.rows) {
    rows.push_back({{"code", r.code}, {"name", r.name}, {"values", Amounts(r.values)}});
  }
  json out = {{"columns", t.columns}, {"rows", rows}, {"note", t.note}};
  out["total"] = t.total ? Amounts(t.total->values) : json(nullptr);
  return out;
}

void ReadFunction(const json& j, FunctionTable& t, int number, const std::string& path) {
  Object(j, path);
  t.present = true;
  t.columns = domain::fiscal::StandardColumns(number);
  const size_t width = t.columns.size();
  if (j.contains("total") && !j["total"].is_null()) {
    FunctionRow total;
    total.name = "合计";
    total.values = ReadAmounts(j["total"], path + ".total", width);
    t.total = std::move(total);
  }
  const json rows = j.value("rows", json::array());
  if (!rows.is_array()) {
    throw FormatError{path + ".rows: 应为数组"};
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::string p = fmt::format("{}.rows[{}]", path, i);
    const json& r = Object(rows[i], p);
    FunctionRow row;
    row.code = ReadString(r, "code", p);
    row.name = ReadString(r, "name", p);
    if (row.code.empty()) {
      throw FormatError{p + ".code: 缺少科目编码"};
    }
    row.values = ReadAmounts(r.value("values", json::array()), p + ".values", width);
    t.rows.push_back(std::move(row));
  }
  t.note = ReadString(j, "note", path);
}

json EconomicToJson(const std::vector<EconomicItem>& items) {
  json out = json::array();
  for (const auto& e : items) {
    out.push_back({{"code", e.code}, {"name", e.name}, {"amount", Amount(e.amount)}});
  }
  return out;
}

std::vector<EconomicItem> ReadEconomic(const json& j, const std::string& path) {
  std::vector<EconomicItem> out;
  if (j.is_null()) {
    return out;
  }
  if (!j.is_array()) {
    throw FormatError{path + ": 应为数组"};
  }
  for (size_t i = 0; i < j.size(); ++i) {
    const std::string p = fmt::format("{}[{}]", path, i);
    const json& e = Object(j[i], p);
    out.push_back({ReadString(e, "code", p), ReadString(e, "name", p),
                   ReadAmount(e.value("amount", json()), p + ".amount"), 0});
  }
  return out;
}

// ---- sheets ------------------------------------------------------------------------------

json FundsToJson(const std::optional<FundsRow>& r) {
  if (!r) {
    return nullptr;
  }
  return {{"initial_budget", Amount(r->initial_budget)},
          {"budget", Amount(r->budget)},
          {"executed", Amount(r->executed)},
          {"weight", Amount(r->weight)},
          {"rate", Amount(r->rate)},
          {"score", Amount(r->score)}};
}

std::optional<FundsRow> ReadFunds(const json& j, std::string label, const std::string& path) {
  if (j.is_null()) {
    return std::nullopt;
  }
  Object(j, path);
  FundsRow r;
  r.label = std::move(label);
  r.initial_budget = ReadAmount(j.value("initial_budget", json()), path + ".initial_budget");
  r.budget = ReadAmount(j.value("budget", json()), path + ".budget");
  r.executed = ReadAmount(j.value("executed", json()), path + ".executed");
  r.weight = ReadAmount(j.value("weight", json()), path + ".weight");
  r.rate = ReadAmount(j.value("rate", json()), path + ".rate");
  r.score = ReadAmount(j.value("score", json()), path + ".score");
  return r;
}

json SheetToJson(const EvalSheet& s) {
  json indicators = json::array();
  for (const auto& ind : s.indicators) {
    indicators.push_back({{"level1", ind.level1},
                          {"level2", ind.level2},
                          {"name", ind.name},
                          {"target", ind.target.raw},
                          {"actual", ind.actual_raw},
                          {"weight", Amount(ind.weight)},
                          {"score", Amount(ind.score)},
                          {"note", ind.note}});
  }
  return {{"project", s.project},
          {"department", s.department},
          {"implementer", s.implementer},
          {"funds",
           {{"total", FundsToJson(s.total)},
            {"fiscal", FundsToJson(s.fiscal)},
            {"other", FundsToJson(s.other)},
            {"carryover", FundsToJson(s.carryover)}}},
          {"goal", s.goal},
          {"achieved", s.achieved},
          {"indicators", indicators},
          {"total_score", Amount(s.total_score)},
          {"grade", s.grade}};
}

EvalSheet ReadSheet(const json& j, const std::string& path) {
  Object(j, path);
  EvalSheet s;
  s.project = ReadString(j, "project", path);
  s.department = ReadString(j, "department", path);
  s.implementer = ReadString(j, "implementer", path);
  const json funds = j.value("funds", json::object());
  Object(funds, path + ".funds");
  s.total = ReadFunds(funds.value("total", json()), "年度资金总额", path + ".funds.total");
  s.fiscal = ReadFunds(funds.value("fiscal", json()), "当年财政拨款", path + ".funds.fiscal");
  s.other = ReadFunds(funds.value("other", json()), "其他资金", path + ".funds.other");
  s.carryover =
      ReadFunds(funds.value("carryover", json()), "上年结转资金", path + ".funds.carryover");
  s.goal = ReadString(j, "goal", path);
  s.achieved = ReadString(j, "achieved", path);
  const json indicators = j.value("indicators", json::array());
  if (!indicators.is_array()) {
    throw FormatError{path + ".indicators: 应为数组"};
  }
  for (size_t i = 0; i < indicators.size(); ++i) {
    const std::string p = fmt::format("{}.indicators[{}]", path, i);
    const json& r = Object(indicators[i], p);
    Indicator ind;
    ind.level1 = ReadString(r, "level1", p);
    ind.level2 = ReadString(r, "level2", p);
    ind.name = ReadString(r, "name", p);
    ind.target = domain::fiscal::ParseTarget(ReadString(r, "target", p));
    const json actual = r.value("actual", json());
    ind.actual_raw = actual.is_number() ? actual.dump() : ReadString(r, "actual", p);
    if (auto v = Fixed2::Parse(ind.actual_raw)) {
      ind.actual = v;
    } else {
      std::string digits;
      for (char c : ind.actual_raw) {
        if ((c >= '0' && c <= '9') || c == '.') {
          digits.push_back(c);
        } else {
          break;
        }
      }
      ind.actual = Fixed2::Parse(digits);
    }
    ind.weight = ReadAmount(r.value("weight", json()), p + ".weight");
    ind.score = ReadAmount(r.value("score", json()), p + ".score");
    ind.note = ReadString(r, "note", p);
    s.indicators.push_back(std::move(ind));
  }
  s.total_score = ReadAmount(j.value("total_score", json()), path + ".total_score");
  s.grade = domain::fiscal::FindGrade(ReadString(j, "grade", path));
  return s;
}

Document ReadDocument(const json& j) {
  Object(j, "$");
  Document doc;
  doc.unit = ReadString(j, "unit", "$");
  if (j.contains("year")) {
    if (!j["year"].is_number_integer()) {
      throw FormatError{"$.year: 应为整数年份"};
    }
    doc.year = j["year"].get<int>();
  }
  const json tables = j.value("tables", json::object());
  Object(tables, "$.tables");
  auto table = [&](std::string_view key) -> const json* {
    return tables.contains(key) && !tables[key].is_null() ? &tables[key] : nullptr;
  };
  if (const json* t = table("01")) ReadBalance(*t, doc.t01, "$.tables.01", 1);
  if (const json* t = table("04")) ReadBalance(*t, doc.t04, "$.tables.04", 4);
  if (const json* t = table("02")) ReadFunction(*t, doc.t02, 2, "$.tables.02");
  if (const json* t = table("03")) ReadFunction(*t, doc.t03, 3, "$.tables.03");
  if (const json* t = table("05")) ReadFunction(*t, doc.t05, 5, "$.tables.05");
  if (const json* t = table("08")) ReadFunction(*t, doc.t08, 8, "$.tables.08");
  if (const json* t = table("09")) ReadFunction(*t, doc.t09, 9, "$.tables.09");
  if (const json* t = table("06")) {
    Object(*t, "$.tables.06");
    BasicTable& b = doc.t06;
    b.present = true;
    b.personnel = ReadEconomic(t->value("personnel", json()), "$.tables.06.personnel");
    b.public_funds = ReadEconomic(t->value("public", json()), "$.tables.06.public");
    b.personnel_total =
        ReadAmount(t->value("personnel_total", json()), "$.tables.06.personnel_total");
    b.public_total = ReadAmount(t->value("public_total", json()), "$.tables.06.public_total");
    b.note = ReadString(*t, "note", "$.tables.06");
  }
  if (const json* t = table("07")) {
    Object(*t, "$.tables.07");
    SanGongTable& s = doc.t07;
    s.present = true;
    s.columns = t->value("columns", std::vector<std::string>{"决算数"});
    s.rows = ReadLabeledRows(t->value("rows", json()), "$.tables.07.rows", s.columns.size());
    s.note = ReadString(*t, "note", "$.tables.07");
  }
  const json prior = j.value("prior_year", json::object());
  Object(prior, "$.prior_year");
  for (const auto& [key, value] : prior.items()) {
    if (auto v = ReadAmount(value, "$.prior_year." + key)) {
      doc.prior_year[key] = *v;
    }
  }
  const json sheets = j.value("sheets", json::array());
  if (!sheets.is_array()) {
    throw FormatError{"$.sheets: 应为数组"};
  }
  for (size_t i = 0; i < sheets.size(); ++i) {
    doc.sheets.push_back(ReadSheet(sheets[i], fmt::format("$.sheets[{}]", i)));
  }
  return doc;
}

}  // namespace

Result<Document> DocumentFromJson(std::string_view text) {
  try {
    const json j = json::parse(text);
    return ReadDocument(j);
  } catch (const FormatError& e) {
    return InvalidArgument("结构化决算数据格式错误：" + e.message);
  } catch (const json::exception& e) {
    return InvalidArgument(std::string("JSON 无法解析：") + e.what());
  }
}

std::string DocumentToJson(const Document& doc) {
  json tables;
  tables["01"] = doc.t01.present ? BalanceToJson(doc.t01) : json(nullptr);
  tables["02"] = doc.t02.present ? FunctionToJson(doc.t02) : json(nullptr);
  tables["03"] = doc.t03.present ? FunctionToJson(doc.t03) : json(nullptr);
  tables["04"] = doc.t04.present ? BalanceToJson(doc.t04) : json(nullptr);
  tables["05"] = doc.t05.present ? FunctionToJson(doc.t05) : json(nullptr);
  if (doc.t06.present) {
    tables["06"] = {{"personnel", EconomicToJson(doc.t06.personnel)},
                    {"public", EconomicToJson(doc.t06.public_funds)},
                    {"personnel_total", Amount(doc.t06.personnel_total)},
                    {"public_total", Amount(doc.t06.public_total)},
                    {"note", doc.t06.note}};
  } else {
    tables["06"] = nullptr;
  }
  tables["07"] = doc.t07.present ? json{{"columns", doc.t07.columns},
                                        {"rows", LabeledRowsToJson(doc.t07.rows)},
                                        {"note", doc.t07.note}}
                                 : json(nullptr);
  tables["08"] = doc.t08.present ? FunctionToJson(doc.t08) : json(nullptr);
  tables["09"] = doc.t09.present ? FunctionToJson(doc.t09) : json(nullptr);
  json prior = json::object();
  for (const auto& [key, value] : doc.prior_year) {
    prior[key] = value.ToString();
  }
  json sheets = json::array();
  for (const auto& s : doc.sheets) {
    sheets.push_back(SheetToJson(s));
  }
  json out = {{"format", "hotline.fiscal.accounts/1"},
              {"unit", doc.unit},
              {"year", doc.year},
              {"tables", tables},
              {"prior_year", prior},
              {"sheets", sheets}};
  return out.dump(2);
}

std::string FindingsToJson(const std::vector<Finding>& findings, const Document& doc) {
  json list = json::array();
  for (const auto& f : findings) {
    list.push_back({{"rule", f.rule},
                    {"severity", domain::fiscal::SeverityCode(f.severity)},
                    {"where", f.where},
                    {"expected", f.expected},
                    {"actual", f.actual},
                    {"message", f.message},
                    {"line", f.line}});
  }
  const auto s = domain::fiscal::Summarize(findings);
  int tables = 0;
  for (bool present :
       {doc.t01.present, doc.t02.present, doc.t03.present, doc.t04.present, doc.t05.present,
        doc.t06.present, doc.t07.present, doc.t08.present, doc.t09.present}) {
    tables += present ? 1 : 0;
  }
  json summary = {{"errors", s.errors},
                  {"warnings", s.warnings},
                  {"rounding", s.rounding},
                  {"findings", findings.size()},
                  {"tables", tables},
                  {"sheets", doc.sheets.size()},
                  {"statements", doc.explanation.statements.size()},
                  {"unit", doc.unit},
                  {"year", doc.year}};
  return json{{"findings", list}, {"summary", summary}}.dump(2);
}

std::string ScoresToJson(const Document& doc,
                         const std::vector<domain::fiscal::SheetScore>& scores) {
  json out = json::array();
  for (size_t i = 0; i < doc.sheets.size() && i < scores.size(); ++i) {
    const EvalSheet& sheet = doc.sheets[i];
    const auto& sc = scores[i];
    json indicators = json::array();
    for (size_t k = 0; k < sheet.indicators.size(); ++k) {
      const auto& ind = sheet.indicators[k];
      indicators.push_back({{"name", ind.name},
                            {"target", ind.target.raw},
                            {"actual", ind.actual_raw},
                            {"weight", Amount(ind.weight)},
                            {"stated_score", Amount(ind.score)},
                            {"score", Amount(sc.indicators[k].score)},
                            {"basis", sc.indicators[k].basis}});
    }
    out.push_back(
        {{"project", sheet.project},
         {"rate", Amount(sc.rate)},
         {"execution_score", sc.execution_score.ToString()},
         {"stated_execution_score", sheet.total ? Amount(sheet.total->score) : json(nullptr)},
         {"indicators", indicators},
         {"total", sc.total.ToString()},
         {"grade", sc.grade},
         {"stated_total", Amount(sheet.total_score)},
         {"stated_grade", sheet.grade}});
  }
  return json{{"sheets", out}}.dump(2);
}

Result<std::map<domain::fiscal::Kpi, Fixed2>> KpisFromJson(std::string_view text) {
  try {
    const json j = json::parse(text);
    if (!j.is_object()) {
      return InvalidArgument("KPI 文件应为 JSON 对象");
    }
    std::map<domain::fiscal::Kpi, Fixed2> out;
    for (const auto& [key, value] : j.items()) {
      auto kpi = domain::fiscal::KpiFromCode(key);
      if (!kpi) {
        return InvalidArgument(fmt::format("未知的 KPI“{}”", key));
      }
      auto v = ReadAmount(value, "$." + key);
      if (!v) {
        return InvalidArgument(fmt::format("KPI“{}”没有数值", key));
      }
      out[*kpi] = *v;
    }
    return out;
  } catch (const FormatError& e) {
    return InvalidArgument(e.message);
  } catch (const json::exception& e) {
    return InvalidArgument(std::string("JSON 无法解析：") + e.what());
  }
}

}  // namespace hotline::adapters::fiscal
