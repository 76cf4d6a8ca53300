#include "adapters/report/scheme_json.h"

#include <fmt/format.h>

#include <cmath>

namespace hotline::adapters::report {

using nlohmann::json;
namespace as = domain::assessment;

namespace {

double R2(double v) { return std::round(v * 100) / 100; }

json ItemJson(const as::CountItem& i) {
  return {{"id", i.id},
          {"name", i.name},
          {"kpi", i.kpi},
          {"points_each", i.points_each},
          {"cap", i.cap}};
}

json KpiJson(const domain::kpi::KpiValue& v) {
  return {{"id", v.id},
          {"name", v.name},
          {"value", R2(v.value)},
          {"numerator", v.numerator},
          {"denominator", v.denominator ? json(*v.denominator) : json(nullptr)}};
}

json ItemScoreJson(const as::ItemScore& s) {
  return {{"id", s.item.id},
          {"name", s.item.name},
          {"kpi", s.item.kpi},
          {"count", s.count},
          {"points_each", s.item.points_each},
          {"points", s.points},
          {"capped", s.capped},
          {"tickets", s.tickets}};
}

}  // namespace

json SchemeJson(const as::Scheme& s) {
  json components = json::array();
  for (const auto& c : s.components) {
    components.push_back({{"id", c.id},
                          {"name", c.name},
                          {"kpi", c.kpi},
                          {"weight", c.weight},
                          {"floor", c.floor},
                          {"target", c.target}});
  }
  json deductions = json::array();
  for (const auto& d : s.deductions) {
    deductions.push_back(ItemJson(d));
  }
  json bonuses = json::array();
  for (const auto& b : s.bonuses) {
    bonuses.push_back(ItemJson(b));
  }
  return {{"name", s.name},
          {"components", components},
          {"deductions", deductions},
          {"bonuses", bonuses},
          {"deduction_cap", s.deduction_cap},
          {"bonus_cap", s.bonus_cap},
          {"min_dispatched", s.min_dispatched}};
}

Result<as::Scheme> ParseSchemeJson(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return InvalidArgument("考核方案不是有效的 JSON 对象");
  }
  as::Scheme s;
  try {
    s.name = j.value("name", std::string("考核方案"));
    for (const auto& c : j.at("components")) {
      s.components.push_back({c.at("id").get<std::string>(), c.value("name", std::string()),
                              c.at("kpi").get<std::string>(), c.at("weight").get<double>(),
                              c.value("floor", 0.0), c.value("target", 100.0)});
    }
    auto items = [](const json& list, std::vector<as::CountItem>& into) {
      for (const auto& i : list) {
        into.push_back({i.at("id").get<std::string>(), i.value("name", std::string()),
                        i.at("kpi").get<std::string>(), i.at("points_each").get<double>(),
                        i.value("cap", 0.0)});
      }
    };
    if (j.contains("deductions")) {
      items(j["deductions"], s.deductions);
    }
    if (j.contains("bonuses")) {
      items(j["bonuses"], s.bonuses);
    }
    s.deduction_cap = j.value("deduction_cap", 0.0);
    s.bonus_cap = j.value("bonus_cap", 0.0);
    s.min_dispatched = j.value("min_dispatched", int64_t{1});
  } catch (const json::exception& e) {
    return InvalidArgument(fmt::format("考核方案格式错误: {}", e.what()));
  }
  HOTLINE_RETURN_IF_ERROR(s.Validate());
  return s;
}

Result<as::Scheme> LoadScheme(ports::DirectoryStore& store) {
  HOTLINE_ASSIGN_OR_RETURN(auto text, store.GetSetting(kAssessmentSchemeSetting));
  if (!text.has_value() || text->empty()) {
    return as::Scheme::Default();
  }
  return ParseSchemeJson(*text);
}

json UnitScoreJson(const as::UnitScore& u) {
  json components = json::array();
  for (const auto& c : u.components) {
    components.push_back({{"id", c.component.id},
                          {"name", c.component.name},
                          {"weight", c.component.weight},
                          {"points", c.points},
                          {"no_data", c.no_data},
                          {"kpi", KpiJson(c.kpi)}});
  }
  json deductions = json::array();
  for (const auto& d : u.deductions) {
    deductions.push_back(ItemScoreJson(d));
  }
  json bonuses = json::array();
  for (const auto& b : u.bonuses) {
    bonuses.push_back(ItemScoreJson(b));
  }
  return {{"unit", u.unit.value()},
          {"code", u.code},
          {"name", u.name},
          {"level", std::string(as::Code(u.level))},
          {"level_name", std::string(as::ChineseName(u.level))},
          {"score", u.score},
          {"base", u.base},
          {"deducted", u.deducted},
          {"bonus", u.bonus},
          {"ranked", u.ranked},
          {"rank", u.ranked ? json(u.rank) : json(nullptr)},
          {"rank_of", u.rank_of},
          {"dispatched", u.dispatched},
          {"components", components},
          {"deductions", deductions},
          {"bonuses", bonuses}};
}

json AssessmentJson(const app::Assessment& a) {
  json units = json::array();
  for (const auto& u : a.units) {
    units.push_back(UnitScoreJson(u));
  }
  return {{"period", a.period.label},
          {"from", a.period.from},
          {"to", a.period.to},
          {"scheme", SchemeJson(a.scheme)},
          {"units", units}};
}

}  // namespace hotline::adapters::report
