#include "app/assessment_service.h"

#include <fmt/format.h>

namespace hotline::app {

namespace as = domain::assessment;

Result<Assessment> AssessmentService::Assess(const std::string& period, int evidence_limit) const {
  HOTLINE_ASSIGN_OR_RETURN(as::Period p, as::ParsePeriod(period));
  HOTLINE_ASSIGN_OR_RETURN(as::Scheme scheme, scheme_());
  HOTLINE_RETURN_IF_ERROR(scheme.Validate());
  auto config = config_();
  Assessment out;
  out.period = p;
  for (const domain::Unit& unit : config->org.units()) {
    auto level = as::LevelOf(unit);
    if (!level || !unit.active) {
      continue;
    }
    KpiRequest req;
    req.from = p.from;
    req.to = p.to;
    req.scope.unit = unit.id;
    HOTLINE_ASSIGN_OR_RETURN(KpiReport report, kpis_.Report(req, /*breakdowns=*/false));
    as::UnitScore s = as::Score(scheme, report.kpis);
    s.unit = unit.id;
    s.code = unit.code;
    s.name = unit.name;
    s.level = *level;
    for (auto* items : {&s.deductions, &s.bonuses}) {
      for (as::ItemScore& item : *items) {
        if (item.count == 0 || evidence_limit <= 0) {
          continue;
        }
        HOTLINE_ASSIGN_OR_RETURN(KpiDrillPage page,
                                 kpis_.Tickets(req, item.item.kpi, 0, evidence_limit));
        for (const auto& t : page.tickets) {
          item.tickets.push_back(t.number);
        }
      }
    }
    out.units.push_back(std::move(s));
  }
  as::Rank(scheme, out.units);
  out.scheme = std::move(scheme);
  return out;
}

Result<Assessment> AssessmentService::AssessFor(const domain::Actor& actor,
                                                const std::string& period,
                                                int evidence_limit) const {
  using domain::Role;
  switch (actor.role) {
    case Role::kLeader:
    case Role::kInspector:
    case Role::kSupervisor:
    case Role::kAdmin:
    case Role::kSystem:
      return Assess(period, evidence_limit);
    case Role::kUnitHandler:
    case Role::kUnitAdmin: {
      if (!actor.unit.valid()) {
        return PermissionDenied("用户没有所属单位，无权查看考核结果");
      }
      HOTLINE_ASSIGN_OR_RETURN(Assessment all, Assess(period, evidence_limit));
      std::erase_if(all.units, [&](const as::UnitScore& u) { return u.unit != actor.unit; });
      return all;
    }
    default:
      break;
  }
  return PermissionDenied(fmt::format("角色“{}”无权查看考核结果", domain::ChineseName(actor.role)));
}

}  // namespace hotline::app
