// KpiStore port: the KPI facts and their incremental aggregates (kept with the events, see
// docs/kpi.md), their rebuild from the event log, and the once-only ledger of the
// time-limit job's steps. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "domain/kpi/kpi.h"

namespace hotline::ports {

/// Scope and period of a KPI query; an empty list does not filter.
struct KpiQuery {
  std::string from;                   ///< first local date, YYYY-MM-DD (inclusive)
  std::string to;                     ///< last local date, YYYY-MM-DD (inclusive)
  std::vector<int64_t> units;         ///< responsible units (already expanded to subtrees)
  std::vector<int64_t> regions;       ///< regions (already expanded)
  std::vector<int64_t> categories;    ///< categories (already expanded)
  std::vector<std::string> types;     ///< request type codes
  std::vector<std::string> channels;  ///< channel codes
  /// Read the daily aggregates only, never the monthly roll-ups (tests and benchmarks compare
  /// the two paths; the answers are the same).
  bool daily_only = false;
};

/// kMonth groups by YYYY-MM (the trend of a long period); kTopCategory by the top-level
/// category of the fact's category (the root of its chain in the category tree).
enum class KpiGroup : uint8_t { kNone, kDay, kUnit, kRegion, kCategory, kMonth, kTopCategory };

struct KpiGroupRow {
  std::string key;  ///< the day, month, or id of the unit/region/category ("" for kNone)
  domain::kpi::Sums sums{};
};

struct KpiTicketRef {
  int64_t ticket_id = 0;
  std::string number;
  std::string day;
  int64_t value = 0;
};

/// What the once-only ledger says about a step.
enum class StepClaim : uint8_t { kClaimed, kAlreadyDone, kPending };

class KpiStore {
 public:
  virtual ~KpiStore() = default;

  /// Measure sums over `q`, grouped by `group` (one row for kNone), from the aggregates.
  virtual Result<std::vector<KpiGroupRow>> KpiSums(const KpiQuery& q, KpiGroup group) = 0;
  /// The tickets behind `measure` in `q` (each event fact once), by ticket id, after the
  /// cursor `after_id`, at most `limit`.
  virtual Result<std::vector<KpiTicketRef>> KpiTickets(const KpiQuery& q,
                                                       domain::kpi::Measure measure,
                                                       int64_t after_id, int limit) = 0;
  /// Recomputes facts and aggregates from the whole event log (one transaction).
  virtual Status RebuildKpi() = 0;
  /// Every aggregate row (day|unit|category|region|type|channel|measure -> value), sorted:
  /// for comparing the incremental aggregates with a rebuild.
  virtual Result<std::vector<std::pair<std::string, int64_t>>> KpiAggregateDump() = 0;

  /// Records that the job takes step `key` on `ticket` at `at`: kClaimed when this call
  /// inserted it (the caller takes the step, then calls FinishStep), kAlreadyDone when it
  /// was finished before, kPending when an earlier claim never finished (a crash between
  /// claim and action: the caller checks the ticket's history).
  virtual Result<StepClaim> ClaimStep(domain::TicketId ticket, const std::string& key,
                                      Instant at) = 0;
  /// Marks a claimed step done; `seq` is the event it produced (0 when it produced none).
  virtual Status FinishStep(domain::TicketId ticket, const std::string& key, int64_t seq) = 0;
};

}  // namespace hotline::ports
