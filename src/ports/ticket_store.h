// TicketStore port: the event log of every ticket (the source of truth) and the
// current-state projections written in the same transaction. Adapters: SQLite (embedded),
// PostgreSQL (production). The contract suite in tests/contract/ runs against each.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "domain/ticket.h"

namespace hotline::ports {

/// One ticket's change: its new projection and the events that produced it.
struct TicketWrite {
  domain::Ticket ticket;                    ///< state after the events; version = last seq
  std::vector<domain::TicketEvent> events;  ///< seq expected_version+1 ...
  int64_t expected_version = 0;             ///< the version the change was decided on
};

/// Filters for List(); empty fields do not filter.
struct TicketFilter {
  std::vector<domain::TicketState> states;
  std::optional<domain::UnitId> unit;  ///< lead or co-unit
  std::optional<domain::UnitId> lead_unit;
  std::optional<domain::RegionId> region;
  std::optional<domain::CategoryId> category;
  std::optional<domain::RequestType> type;
  std::optional<Instant> created_from;           ///< inclusive
  std::optional<Instant> created_to;             ///< exclusive
  std::optional<Instant> reply_deadline_before;  ///< open tickets due before this
  std::string citizen_phone;
  std::string text;           ///< substring of title, content or address
  int64_t after_id = 0;       ///< cursor: ids beyond this one in the chosen order (0 = start)
  bool newest_first = false;  ///< descending ids (newest first) instead of ascending
  int limit = 100;
};

struct StoreSummary {
  int64_t tickets = 0;
  int64_t events = 0;
  std::vector<std::pair<domain::TicketState, int64_t>> by_state;
};

/// Thread-safe: every method may be called concurrently from many threads.
class TicketStore {
 public:
  virtual ~TicketStore() = default;

  /// Creates a ticket from its registration event(s) and their fold `ticket` (id and number
  /// unset): assigns the id and a readable unique
  /// number ("<prefix><local date yyyymmdd><6-digit daily sequence>", e.g.
  /// SM20241009000123), writes log and projection atomically and returns the stored ticket.
  virtual Result<domain::Ticket> Create(domain::Ticket ticket,
                                        std::vector<domain::TicketEvent> events) = 0;

  /// Appends every write atomically (all or none). kAborted, naming the ticket, if any
  /// ticket's stored version differs from its expected_version (a concurrent change won);
  /// kNotFound if a ticket does not exist.
  virtual Status Commit(const std::vector<TicketWrite>& writes) = 0;

  /// kNotFound if no such ticket.
  virtual Result<domain::Ticket> Find(domain::TicketId id) = 0;
  virtual Result<domain::Ticket> FindByNumber(const std::string& number) = 0;
  /// The ticket's whole log in sequence order. kNotFound if no such ticket.
  virtual Result<std::vector<domain::TicketEvent>> History(domain::TicketId id) = 0;
  /// Tickets matching `filter`, by ascending id (descending with newest_first), at most
  /// filter.limit.
  virtual Result<std::vector<domain::Ticket>> List(const TicketFilter& filter) = 0;
  /// How many tickets match `filter` (limit ignored).
  virtual Result<int64_t> Count(const TicketFilter& filter) = 0;
  /// The (id, version) of the tickets matching `filter`, as List orders and limits them:
  /// which tickets changed since a copy was taken, without reading the tickets. By default
  /// through List; a store overrides it with a cheaper query.
  virtual Result<std::vector<std::pair<domain::TicketId, int64_t>>> ListVersions(
      const TicketFilter& filter) {
    HOTLINE_ASSIGN_OR_RETURN(std::vector<domain::Ticket> tickets, List(filter));
    std::vector<std::pair<domain::TicketId, int64_t>> out;
    out.reserve(tickets.size());
    for (const auto& t : tickets) {
      out.emplace_back(t.id, t.version);
    }
    return out;
  }

  virtual Result<StoreSummary> Summary() = 0;

  /// Rewrites every projection by replaying the log (in one transaction).
  virtual Status RebuildProjections() = 0;
  /// Replays the log and compares with the live projections; returns the numbers of the
  /// tickets whose projection differs (empty when all agree).
  virtual Result<std::vector<std::string>> VerifyProjections() = 0;
};

}  // namespace hotline::ports
