// The work order (工单) and its history. A Ticket is the current-state projection of
// its event log: Apply() folds events into it, and nothing else changes a Ticket. Value
// types; thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"
#include "domain/calendar/work_calendar.h"
#include "domain/org.h"
#include "domain/types.h"

namespace hotline::domain {

// States of DESIGN section 2; see docs/ticket_lifecycle.md.
enum class TicketState : uint8_t {
  kRegistered,       // 已登记: awaiting the dispatcher (or a direct answer)
  kDispatched,       // 已派单/待签收
  kSigned,           // 已签收/办理中
  kReturnRequested,  // 退单申请中
  kReplied,          // 已答复: awaiting review
  kReviewed,         // 审核通过: awaiting callback
  kCallbackDone,     // 已回访
  kSuspended,        // 挂起: clock paused
  kEscalated,        // 已上报省平台
  kClosed,           // 已办结 (answered directly at intake)
  kRejected,         // 不予受理
  kMerged,           // 已并单 into another ticket
  kWithdrawn,        // 已撤单
  kArchived,         // 已归档
};
inline constexpr TicketState kAllStates[] = {
    TicketState::kRegistered,      TicketState::kDispatched, TicketState::kSigned,
    TicketState::kReturnRequested, TicketState::kReplied,    TicketState::kReviewed,
    TicketState::kCallbackDone,    TicketState::kSuspended,  TicketState::kEscalated,
    TicketState::kClosed,          TicketState::kRejected,   TicketState::kMerged,
    TicketState::kWithdrawn,       TicketState::kArchived};

std::string_view Code(TicketState s);
std::string_view ChineseName(TicketState s);
std::optional<TicketState> ParseTicketState(std::string_view code_or_chinese);

// Flat, string-valued event and command fields. Adapters serialise them (JSON in the
// store); the domain parses what it needs.
using Fields = std::map<std::string, std::string>;

struct TicketEvent {
  TicketId ticket;
  int64_t seq = 0;  // 1-based position in the ticket's log; equals the version after it
  Instant at;
  Actor actor;
  std::string type;  // the action code, e.g. "dispatch"
  Fields fields;
};

struct Attachment {
  std::string name;
  int64_t size = 0;
  std::string sha256;
  std::string mime;
  Instant at;
  UserId by;
};

struct Note {
  Instant at;
  UserId by;
  std::string text;
};

struct Ticket {
  TicketId id;
  std::string number;  // SM20241009000123
  int64_t version = 0;
  TicketState state = TicketState::kRegistered;
  TicketState state_before = TicketState::kRegistered;  // for suspend and rejected returns

  // Intake.
  RequestType type = RequestType::kConsultation;
  Urgency urgency = Urgency::kNormal;
  Channel channel = Channel::kPhone;
  CategoryId category;
  RegionId region;
  std::string address;
  std::string title;
  std::string content;
  std::string citizen_name;
  std::string citizen_phone;
  bool anonymous = false;
  bool confidential = false;  // whistle-blower: identity never shown to units
  std::string external_ref;   // province platform or Open311 id
  Instant created_at;
  UserId created_by;

  // Handling.
  UnitId dispatching_unit;  // the centre, or a platform that sub-dispatched
  UnitId lead_unit;
  std::vector<UnitId> co_units;
  std::optional<Instant> dispatched_at;
  std::optional<Instant> sign_deadline;
  std::optional<Instant> reply_deadline;
  std::optional<Instant> signed_at;
  std::optional<Instant> replied_at;
  std::string reply;
  std::string direct_answer;
  std::string reject_reason;
  bool extension_pending = false;
  int extension_days_requested = 0;
  std::optional<Instant> suspended_at;
  std::optional<Instant> closed_at;  // closed, rejected, merged, withdrawn, callback done
  std::optional<Instant> archived_at;

  // Callback.
  std::optional<Instant> callback_at;
  std::optional<bool> resolved;
  std::optional<Satisfaction> satisfaction;
  bool callback_reached = false;

  // Counters that KPIs use.
  int dispatch_count = 0;
  int redispatch_count = 0;
  int return_count = 0;  // approved returns
  int rehandle_count = 0;
  int extension_count = 0;  // approved extensions
  int urge_count = 0;
  int supervise_level = 0;  // 0 = none, 1..3
  int review_fail_count = 0;
  bool signed_late = false;
  bool replied_late = false;

  std::string merged_into;             // the master's number
  std::vector<std::string> merged_in;  // numbers merged into this one
  std::vector<Note> notes;
  std::vector<Attachment> attachments;

  // Overdue at `now`: past the reply deadline and not yet replied (or past the sign
  // deadline and not signed). A suspended ticket is never overdue: its clock is paused.
  bool IsOverdue(Instant now) const;
  bool IsSignOverdue(Instant now) const;
};

// Folds one event into the ticket. The event must come from Decide() (or the store's log,
// which only ever holds such events); unknown event types leave the ticket unchanged but
// for the version.
void Apply(Ticket& ticket, const TicketEvent& event);

// Rebuilds a ticket from its whole log.
Ticket Replay(TicketId id, std::string_view number, const std::vector<TicketEvent>& events);

}  // namespace hotline::domain
