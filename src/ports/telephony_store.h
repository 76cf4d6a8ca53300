// TelephonyStore port: call detail records and agent state changes from the telephony system
// (docs/telephony.md), idempotent by call id, and what the call KPIs read. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "domain/kpi/calls.h"

namespace hotline::ports {

/// What a batch did: each record is inserted, updated or left unchanged.
struct UpsertCounts {
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
};

/// A drill-down page of calls.
struct CallQuery {
  Instant from{};     ///< offered at or after
  Instant to{};       ///< offered before
  std::string agent;  ///< "" for every agent
  int64_t after = 0;  ///< cursor: the row id of the last call of the previous page
  int limit = 100;
};

struct StoredCall {
  int64_t id = 0;  ///< row id (the cursor)
  domain::kpi::CallRecord record;
};

class TelephonyStore {
 public:
  virtual ~TelephonyStore() = default;

  /// Stores the records in one transaction (all or nothing; the caller validated them). A
  /// call id not seen before is inserted; an identical resend is unchanged; a different
  /// record replaces the stored one unless its Stage is lower (an out-of-order resend of an
  /// earlier moment of the call, which is ignored and counted unchanged).
  virtual Result<UpsertCounts> PutCalls(const std::vector<domain::kpi::CallRecord>& calls) = 0;
  /// Stores state changes in one transaction; a resend of (agent, at, state) is unchanged.
  virtual Result<UpsertCounts> PutAgentStates(
      const std::vector<domain::kpi::AgentStateChange>& changes) = 0;
  /// The call KPI sums of the calls offered in [from, to) (of `agent` when not "").
  virtual Result<domain::kpi::CallSums> CallSumsBetween(Instant from, Instant to,
                                                        const std::string& agent) = 0;
  /// Calls offered in [q.from, q.to), by row id after q.after, at most q.limit.
  virtual Result<std::vector<StoredCall>> ListCalls(const CallQuery& q) = 0;
  /// Each agent's last change before `from` and every change in [from, to), by time.
  virtual Result<std::vector<domain::kpi::AgentStateChange>> AgentStatesBetween(Instant from,
                                                                                Instant to) = 0;
};

}  // namespace hotline::ports
