// TicketService: the use cases on work orders (register, act, show, list, suggest a
// unit), composed from the domain and the ports. Thread-safe: it holds no mutable state
// but the configuration snapshot, which is swapped atomically.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/change_feed.h"
#include "common/result.h"
#include "domain/calendar/time_limits.h"
#include "domain/calendar/work_calendar.h"
#include "domain/category.h"
#include "domain/lifecycle.h"
#include "domain/org.h"
#include "domain/routing.h"
#include "ports/clock.h"
#include "ports/directory_store.h"
#include "ports/ticket_store.h"

namespace hotline::app {

// Everything the rules need that admins edit. Immutable once built.
struct HotlineConfig {
  domain::OrgTree org;
  domain::CategoryTree categories;
  domain::RoutingDirectory routing;
  domain::WorkCalendar calendar = domain::WorkCalendar::PlainWeeks();
  domain::TimeLimitPolicies policies = domain::TimeLimitPolicies::Defaults();
};

// Settings keys in the DirectoryStore.
inline constexpr char kCalendarSetting[] = "calendar";
inline constexpr char kPoliciesSetting[] = "time_limit_policies";
inline constexpr char kTicketPrefixSetting[] = "ticket_prefix";

// Loads the configuration from the directory store (calendar and policies fall back to
// `default_calendar_text` and the built-in defaults when not stored).
Result<HotlineConfig> LoadConfig(ports::DirectoryStore& directory,
                                 const std::string& default_calendar_text);

struct TicketView {
  domain::Ticket ticket;
  std::vector<domain::TicketEvent> history;
};

class TicketService {
 public:
  TicketService(ports::TicketStore& store, const ports::Clock& clock,
                std::shared_ptr<const HotlineConfig> config);
  TicketService(const TicketService&) = delete;
  TicketService& operator=(const TicketService&) = delete;

  std::shared_ptr<const HotlineConfig> config() const;
  void SwapConfig(std::shared_ptr<const HotlineConfig> config);
  // Every committed registration and action is published here (a merge publishes both
  // tickets). Owned by the service; subscribe to it for live updates.
  ChangeFeed& feed() { return feed_; }

  // Registers a request (fields as in domain::DecideRegister). kInvalidArgument,
  // kPermissionDenied, or store errors.
  Result<domain::Ticket> Register(const domain::Actor& actor, const domain::Fields& fields);

  // Takes `command` on the ticket `number`. If `expected_version` is given and the ticket
  // has moved on, kAborted without deciding. kNotFound for an unknown number; the domain's
  // errors otherwise; kAborted if another change committed first.
  Result<domain::Ticket> Act(const domain::Actor& actor, const std::string& number,
                             const domain::Command& command,
                             std::optional<int64_t> expected_version = std::nullopt);

  Result<TicketView> Show(const std::string& number);
  Result<std::vector<domain::Ticket>> List(const ports::TicketFilter& filter);

  // The routing directory's suggestion for a category and region, now.
  Result<domain::RoutingSuggestion> SuggestUnit(domain::CategoryId category,
                                                domain::RegionId region) const;

 private:
  ports::TicketStore& store_;
  const ports::Clock& clock_;
  mutable std::mutex config_mu_;
  std::shared_ptr<const HotlineConfig> config_;
  ChangeFeed feed_;
};

}  // namespace hotline::app
