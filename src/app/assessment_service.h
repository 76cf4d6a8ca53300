// AssessmentService: unit assessment (docs/assessment.md) for a month or a quarter: every
// assessed unit (its scope: the unit and the units below it) scored by the scheme from
// KpiService's numbers, ranked within its level, with the ticket numbers behind each
// deduction and bonus from the KPI drill-down. Thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/kpi_service.h"
#include "domain/assessment/assessment.h"

namespace hotline::app {

struct Assessment {
  domain::assessment::Period period;
  domain::assessment::Scheme scheme;
  std::vector<domain::assessment::UnitScore> units;  // by level, then rank
};

class AssessmentService {
 public:
  // `scheme` gives the scheme in force (the `assessment_scheme` setting or the default).
  AssessmentService(ports::KpiStore& store,
                    std::function<std::shared_ptr<const HotlineConfig>()> config,
                    std::function<Result<domain::assessment::Scheme>()> scheme)
      : kpis_(store, config), config_(std::move(config)), scheme_(std::move(scheme)) {}

  // `period`: "YYYY-MM" or "YYYYQn". At most `evidence_limit` ticket numbers per item.
  Result<Assessment> Assess(const std::string& period, int evidence_limit = 100) const;

  // What `actor` may see: leaders, supervisors, inspectors and admins every unit; a unit's
  // staff their own unit's row (score and rank in its level). kPermissionDenied otherwise.
  Result<Assessment> AssessFor(const domain::Actor& actor, const std::string& period,
                               int evidence_limit = 100) const;

 private:
  KpiService kpis_;
  std::function<std::shared_ptr<const HotlineConfig>()> config_;
  std::function<Result<domain::assessment::Scheme>()> scheme_;
};

}  // namespace hotline::app
