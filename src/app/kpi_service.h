// KpiService: the KPIs of docs/kpi.md for a period and scope, with breakdowns by region,
// unit and category, a daily trend, and the tickets behind a number; the data scope of the
// asking actor (a unit sees its own numbers, a county platform its county, the centre the
// city). Reads only the KpiStore's aggregates (and facts for drill-down). Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/ticket_service.h"
#include "common/result.h"
#include "domain/kpi/kpi.h"
#include "ports/kpi_store.h"
#include "ports/telephony_store.h"

namespace hotline::app {

struct KpiScope {
  std::optional<domain::UnitId> unit;  // the unit and the units below it
  std::optional<domain::RegionId> region;
  std::optional<domain::CategoryId> category;
  std::optional<domain::RequestType> type;
  std::optional<domain::Channel> channel;
};

struct KpiRequest {
  std::string from;  // YYYY-MM-DD, inclusive
  std::string to;    // YYYY-MM-DD, inclusive
  KpiScope scope;
};

struct KpiGroupValues {
  std::string id;    // region/unit/category id, or the date for the trend
  std::string name;  // Chinese name ("" for dates)
  std::vector<domain::kpi::KpiValue> kpis;
};

struct KpiReport {
  std::string from;
  std::string to;
  std::vector<domain::kpi::KpiValue> kpis;
  std::vector<KpiGroupValues> by_region;
  std::vector<KpiGroupValues> by_unit;
  std::vector<KpiGroupValues> by_category;
  std::vector<KpiGroupValues> trend;
  // "day" (trend keyed YYYY-MM-DD), or "month" (YYYY-MM) for periods longer than
  // kMonthlyTrendAfterDays: a year's dashboard then reads the monthly roll-ups only.
  std::string trend_granularity = "day";
};

inline constexpr int kMonthlyTrendAfterDays = 92;

struct KpiDrillPage {
  std::string kpi;
  std::string measure;
  std::vector<ports::KpiTicketRef> tickets;
  int64_t next_after = 0;  // 0 when this is the last page
};

class KpiService {
 public:
  // `calls` (optional): the call records; with it, a centre-wide report also has the call
  // KPIs (docs/kpi.md, "Call KPIs").
  KpiService(ports::KpiStore& store, std::function<std::shared_ptr<const HotlineConfig>()> config,
             ports::TelephonyStore* calls = nullptr)
      : store_(store), config_(std::move(config)), calls_(calls) {}

  // The scope `actor` may see, narrowed by `requested`: centre roles (leader, inspector,
  // supervisor, admin, dispatcher, system) the city; a county platform's staff their
  // platform's region; other unit staff their own unit. kPermissionDenied for other roles
  // or a request outside the actor's scope.
  Result<KpiScope> ScopeFor(const domain::Actor& actor, const KpiScope& requested) const;

  // kInvalidArgument for malformed or reversed dates or a period over 3 years.
  Result<KpiReport> Report(const KpiRequest& request, bool breakdowns = true) const;
  // The tickets behind KPI `kpi_id` (its drill measure), after ticket id `after`.
  // kNotFound for an unknown KPI.
  Result<KpiDrillPage> Tickets(const KpiRequest& request, const std::string& kpi_id, int64_t after,
                               int limit) const;

 private:
  Result<ports::KpiQuery> QueryOf(const KpiRequest& request, const HotlineConfig& config) const;

  ports::KpiStore& store_;
  std::function<std::shared_ptr<const HotlineConfig>()> config_;
  ports::TelephonyStore* calls_;
};

}  // namespace hotline::app
