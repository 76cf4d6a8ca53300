#include "domain/ticket.h"

#include <algorithm>
#include <array>
#include <utility>

#include "domain/fields.h"

namespace hotline::domain {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kStateNames{{
    {"registered", "已登记"},
    {"dispatched", "待签收"},
    {"signed", "办理中"},
    {"return_requested", "退单申请中"},
    {"replied", "已答复"},
    {"reviewed", "审核通过"},
    {"callback_done", "已回访"},
    {"suspended", "已挂起"},
    {"escalated", "已上报省平台"},
    {"closed", "已办结"},
    {"rejected", "不予受理"},
    {"merged", "已并单"},
    {"withdrawn", "已撤单"},
    {"archived", "已归档"},
}};

std::optional<Instant> InstantField(const Fields& f, std::string_view key) {
  auto v = ParseInt64(GetText(f, key));
  if (!v.has_value()) {
    return std::nullopt;
  }
  return FromUnix(*v);
}

UnitId UnitField(const Fields& f, std::string_view key) {
  auto id = GetId<UnitId>(f, key);
  return id.has_value() ? *id : UnitId{};
}

std::vector<UnitId> UnitListField(const Fields& f, std::string_view key) {
  auto ids = GetIdList<UnitId>(f, key);
  return ids.has_value() ? *ids : std::vector<UnitId>{};
}

int IntField(const Fields& f, std::string_view key) {
  auto v = ParseInt64(GetText(f, key));
  return v.has_value() ? static_cast<int>(*v) : 0;
}

void ApplyDispatch(Ticket& t, const TicketEvent& e) {
  t.state = TicketState::kDispatched;
  t.dispatching_unit = UnitField(e.fields, "dispatching_unit");
  t.lead_unit = UnitField(e.fields, "lead_unit");
  t.co_units = UnitListField(e.fields, "co_units");
  t.dispatched_at = e.at;
  t.sign_deadline = InstantField(e.fields, "sign_deadline");
  t.reply_deadline = InstantField(e.fields, "reply_deadline");
  t.signed_at.reset();
  t.signed_late = false;
  t.extension_pending = false;
  t.extension_days_requested = 0;
}

}  // namespace

std::string_view Code(TicketState s) { return kStateNames[static_cast<size_t>(s)].first; }
std::string_view ChineseName(TicketState s) { return kStateNames[static_cast<size_t>(s)].second; }

std::optional<TicketState> ParseTicketState(std::string_view s) {
  for (size_t i = 0; i < kStateNames.size(); ++i) {
    if (kStateNames[i].first == s || kStateNames[i].second == s) {
      return static_cast<TicketState>(i);
    }
  }
  return std::nullopt;
}

bool Ticket::IsOverdue(Instant now) const {
  if (state == TicketState::kSuspended || !reply_deadline) {
    return false;
  }
  if (state == TicketState::kDispatched || state == TicketState::kSigned ||
      state == TicketState::kReturnRequested) {
    return now > *reply_deadline;
  }
  return false;
}

bool Ticket::IsSignOverdue(Instant now) const {
  return state == TicketState::kDispatched && sign_deadline && now > *sign_deadline;
}

void Apply(Ticket& t, const TicketEvent& e) {
  const Fields& f = e.fields;
  t.version = e.seq;
  const std::string& type = e.type;
  if (type == "register") {
    t.state = TicketState::kRegistered;
    if (f.contains("number")) {
      t.number = GetText(f, "number");
    }
    t.type = ParseRequestType(GetText(f, "type")).value_or(RequestType::kConsultation);
    t.urgency = ParseUrgency(GetText(f, "urgency")).value_or(Urgency::kNormal);
    t.channel = ParseChannel(GetText(f, "channel")).value_or(Channel::kPhone);
    auto cat = GetId<CategoryId>(f, "category");
    t.category = cat.has_value() ? *cat : CategoryId{};
    auto region = GetId<RegionId>(f, "region");
    t.region = region.has_value() ? *region : RegionId{};
    t.address = GetText(f, "address");
    t.title = GetText(f, "title");
    t.content = GetText(f, "content");
    t.citizen_name = GetText(f, "citizen_name");
    t.citizen_phone = GetText(f, "citizen_phone");
    t.anonymous = GetText(f, "anonymous") == "1";
    t.confidential = GetText(f, "confidential") == "1";
    t.external_ref = GetText(f, "external_ref");
    t.created_at = e.at;
    t.created_by = e.actor.user;
  } else if (type == "answer") {
    t.state = TicketState::kClosed;
    t.direct_answer = GetText(f, "answer");
    t.closed_at = e.at;
  } else if (type == "reject") {
    t.state = TicketState::kRejected;
    t.reject_reason = GetText(f, "reason");
    t.closed_at = e.at;
  } else if (type == "dispatch") {
    ++t.dispatch_count;
    ApplyDispatch(t, e);
  } else if (type == "redispatch") {
    ++t.dispatch_count;
    ++t.redispatch_count;
    ApplyDispatch(t, e);
  } else if (type == "sub_dispatch") {
    ApplyDispatch(t, e);
  } else if (type == "sign") {
    t.state = TicketState::kSigned;
    t.signed_at = e.at;
    t.signed_late = t.sign_deadline && e.at > *t.sign_deadline;
  } else if (type == "request_return") {
    t.state_before = t.state;
    t.state = TicketState::kReturnRequested;
  } else if (type == "approve_return") {
    ++t.return_count;
    UnitId back = UnitField(f, "back_to_unit");
    if (back.valid()) {
      t.state = TicketState::kSigned;
      t.lead_unit = back;
      t.co_units.clear();
      t.dispatching_unit = UnitField(f, "dispatching_unit");
    } else {
      t.state = TicketState::kRegistered;
      t.lead_unit = UnitId{};
      t.co_units.clear();
      t.sign_deadline.reset();
      t.reply_deadline.reset();
      t.signed_at.reset();
    }
  } else if (type == "reject_return") {
    t.state = t.state_before;
  } else if (type == "request_extension") {
    t.extension_pending = true;
    t.extension_days_requested = IntField(f, "days");
  } else if (type == "approve_extension") {
    t.extension_pending = false;
    ++t.extension_count;
    t.reply_deadline = InstantField(f, "reply_deadline");
  } else if (type == "reject_extension") {
    t.extension_pending = false;
  } else if (type == "reply" || type == "province_reply") {
    t.state = TicketState::kReplied;
    t.reply = GetText(f, "reply");
    t.replied_at = e.at;
    t.replied_late = t.reply_deadline && e.at > *t.reply_deadline;
  } else if (type == "review_pass") {
    t.state = TicketState::kReviewed;
  } else if (type == "review_fail") {
    ++t.review_fail_count;
    t.state = TicketState::kSigned;
  } else if (type == "callback") {
    t.callback_at = e.at;
    if (GetText(f, "reached") == "1") {
      t.state = TicketState::kCallbackDone;
      t.callback_reached = true;
      t.resolved = GetText(f, "resolved") == "1";
      t.satisfaction = ParseSatisfaction(GetText(f, "satisfaction"));
      t.closed_at = e.at;
    }
  } else if (type == "rehandle") {
    ++t.rehandle_count;
    ApplyDispatch(t, e);
    t.reply.clear();
    t.replied_at.reset();
    t.replied_late = false;
    t.callback_at.reset();
    t.resolved.reset();
    t.satisfaction.reset();
    t.callback_reached = false;
    t.closed_at.reset();
  } else if (type == "archive") {
    t.state = TicketState::kArchived;
    t.archived_at = e.at;
  } else if (type == "merge") {
    t.state = TicketState::kMerged;
    t.merged_into = GetText(f, "into");
    t.closed_at = e.at;
  } else if (type == "merged_in") {
    t.merged_in.push_back(GetText(f, "child"));
  } else if (type == "withdraw") {
    t.state = TicketState::kWithdrawn;
    t.closed_at = e.at;
  } else if (type == "suspend") {
    t.state_before = t.state;
    t.state = TicketState::kSuspended;
    t.suspended_at = e.at;
  } else if (type == "resume") {
    t.state = t.state_before;
    t.suspended_at.reset();
    if (auto d = InstantField(f, "sign_deadline")) {
      t.sign_deadline = d;
    }
    if (auto d = InstantField(f, "reply_deadline")) {
      t.reply_deadline = d;
    }
  } else if (type == "escalate") {
    t.state = TicketState::kEscalated;
  } else if (type == "urge") {
    ++t.urge_count;
  } else if (type == "supervise") {
    t.supervise_level = std::max(t.supervise_level, IntField(f, "level"));
  } else if (type == "note") {
    t.notes.push_back({e.at, e.actor.user, GetText(f, "text")});
  } else if (type == "add_co_unit") {
    t.co_units.push_back(UnitField(f, "unit"));
  } else if (type == "change_deadline") {
    t.reply_deadline = InstantField(f, "reply_deadline");
  } else if (type == "attach") {
    auto size = ParseInt64(GetText(f, "size"));
    t.attachments.push_back({GetText(f, "name"), size.has_value() ? *size : 0, GetText(f, "sha256"),
                             GetText(f, "mime"), e.at, e.actor.user});
  }
}

Ticket Replay(TicketId id, std::string_view number, const std::vector<TicketEvent>& events) {
  Ticket t;
  t.id = id;
  t.number = std::string(number);
  for (const TicketEvent& e : events) {
    Apply(t, e);
  }
  return t;
}

}  // namespace hotline::domain
