#include "domain/lifecycle.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <initializer_list>

#include "domain/fields.h"

namespace hotline::domain {
namespace {

struct ActionInfo {
  Action action;
  std::string_view code;
  std::string_view chinese;
};

constexpr std::array<ActionInfo, 32> kActions{{
    {Action::kRegister, "register", "登记"},
    {Action::kAnswer, "answer", "即问即答"},
    {Action::kReject, "reject", "不予受理"},
    {Action::kDispatch, "dispatch", "派单"},
    {Action::kSign, "sign", "签收"},
    {Action::kSubDispatch, "sub_dispatch", "二级派单"},
    {Action::kRequestReturn, "request_return", "退单申请"},
    {Action::kApproveReturn, "approve_return", "同意退单"},
    {Action::kRejectReturn, "reject_return", "驳回退单"},
    {Action::kRedispatch, "redispatch", "改派"},
    {Action::kRequestExtension, "request_extension", "延期申请"},
    {Action::kApproveExtension, "approve_extension", "同意延期"},
    {Action::kRejectExtension, "reject_extension", "驳回延期"},
    {Action::kReply, "reply", "答复"},
    {Action::kReviewPass, "review_pass", "审核通过"},
    {Action::kReviewFail, "review_fail", "审核不通过"},
    {Action::kCallback, "callback", "回访"},
    {Action::kRehandle, "rehandle", "重办"},
    {Action::kArchive, "archive", "归档"},
    {Action::kMerge, "merge", "并单"},
    {Action::kMergedIn, "merged_in", "被并单"},
    {Action::kWithdraw, "withdraw", "撤单"},
    {Action::kSuspend, "suspend", "挂起"},
    {Action::kResume, "resume", "恢复办理"},
    {Action::kEscalate, "escalate", "上报省平台"},
    {Action::kProvinceReply, "province_reply", "省平台答复"},
    {Action::kUrge, "urge", "催办"},
    {Action::kSupervise, "supervise", "督办"},
    {Action::kNote, "note", "备注"},
    {Action::kAddCoUnit, "add_co_unit", "增加协办单位"},
    {Action::kChangeDeadline, "change_deadline", "调整时限"},
    {Action::kAttach, "attach", "上传附件"},
}};

using S = TicketState;

// The states in which each action applies (role and field checks come after).
bool StateAllows(Action a, S s) {
  auto in = [s](std::initializer_list<S> states) {
    return std::find(states.begin(), states.end(), s) != states.end();
  };
  switch (a) {
    case Action::kRegister:
      return false;
    case Action::kAnswer:
    case Action::kReject:
    case Action::kDispatch:
    case Action::kEscalate:
      return s == S::kRegistered;
    case Action::kSign:
      return s == S::kDispatched;
    case Action::kSubDispatch:
    case Action::kRequestReturn:
    case Action::kRedispatch:
    case Action::kSuspend:
    case Action::kUrge:
    case Action::kAddCoUnit:
      return in({S::kDispatched, S::kSigned});
    case Action::kApproveReturn:
    case Action::kRejectReturn:
      return s == S::kReturnRequested;
    case Action::kRequestExtension:
    case Action::kApproveExtension:
    case Action::kRejectExtension:
    case Action::kReply:
      return s == S::kSigned;
    case Action::kReviewPass:
    case Action::kReviewFail:
      return s == S::kReplied;
    case Action::kCallback:
      return s == S::kReviewed;
    case Action::kRehandle:
      return s == S::kCallbackDone;
    case Action::kArchive:
      return in({S::kClosed, S::kCallbackDone, S::kRejected, S::kMerged, S::kWithdrawn});
    case Action::kMerge:
      return in({S::kRegistered, S::kDispatched, S::kSigned});
    case Action::kMergedIn:
      return in({S::kRegistered, S::kDispatched, S::kSigned, S::kReturnRequested, S::kReplied,
                 S::kReviewed, S::kSuspended, S::kEscalated});
    case Action::kWithdraw:
      return in({S::kRegistered, S::kDispatched, S::kSigned, S::kReturnRequested, S::kSuspended,
                 S::kEscalated});
    case Action::kResume:
      return s == S::kSuspended;
    case Action::kProvinceReply:
      return s == S::kEscalated;
    case Action::kSupervise:
      return in({S::kDispatched, S::kSigned, S::kReturnRequested, S::kSuspended, S::kReplied});
    case Action::kChangeDeadline:
      return in({S::kDispatched, S::kSigned, S::kSuspended});
    case Action::kNote:
    case Action::kAttach:
      return s != S::kArchived;
  }
  return false;
}

bool RoleIn(const Actor& actor, std::initializer_list<Role> roles) {
  return std::find(roles.begin(), roles.end(), actor.role) != roles.end();
}

bool IsUnitStaff(const Actor& actor) {
  return RoleIn(actor, {Role::kUnitHandler, Role::kUnitAdmin});
}

bool IsLeadStaff(const Actor& actor, const Ticket& t) {
  return IsUnitStaff(actor) && t.lead_unit.valid() && actor.unit == t.lead_unit;
}

bool IsCoStaff(const Actor& actor, const Ticket& t) {
  return IsUnitStaff(actor) &&
         std::find(t.co_units.begin(), t.co_units.end(), actor.unit) != t.co_units.end();
}

// The centre's dispatchers, or the admin of a platform that sub-dispatched the ticket.
bool IsDispatchingAuthority(const Actor& actor, const Ticket& t, const OrgTree& org) {
  if (actor.role == Role::kDispatcher) {
    return true;
  }
  const Unit* centre = org.Centre();
  return actor.role == Role::kUnitAdmin && t.dispatching_unit.valid() &&
         actor.unit == t.dispatching_unit && (centre == nullptr || centre->id != actor.unit);
}

// Centre-side roles see every ticket (their data scope is enforced by the server).
bool IsCentreRole(const Actor& actor) {
  return RoleIn(actor, {Role::kOperator, Role::kDispatcher, Role::kCallback, Role::kSupervisor,
                        Role::kInspector, Role::kLeader, Role::kAdmin, Role::kSystem});
}

Status Permit(bool allowed, const Actor& actor, Action a) {
  if (allowed) {
    return OkStatus();
  }
  return PermissionDenied(
      fmt::format("角色“{}”无权执行“{}”", ChineseName(actor.role), ChineseName(a)));
}

Status CheckPermission(Action a, const Ticket& t, const Actor& actor, const OrgTree& org) {
  switch (a) {
    case Action::kRegister:
      return Permit(RoleIn(actor, {Role::kOperator, Role::kDispatcher, Role::kSystem}), actor, a);
    case Action::kAnswer:
    case Action::kReject:
      return Permit(RoleIn(actor, {Role::kOperator, Role::kDispatcher}), actor, a);
    case Action::kDispatch:
    case Action::kEscalate:
    case Action::kMerge:
    case Action::kMergedIn:
      return Permit(actor.role == Role::kDispatcher, actor, a);
    case Action::kSign:
    case Action::kRequestReturn:
    case Action::kRequestExtension:
    case Action::kReply:
      if (IsUnitStaff(actor) && !IsLeadStaff(actor, t)) {
        return PermissionDenied(fmt::format("本单位不是工单 {} 的主办单位", t.number));
      }
      return Permit(IsLeadStaff(actor, t), actor, a);
    case Action::kSubDispatch:
      if (actor.role == Role::kUnitAdmin && !IsLeadStaff(actor, t)) {
        return PermissionDenied(fmt::format("本单位不是工单 {} 的主办单位", t.number));
      }
      return Permit(actor.role == Role::kUnitAdmin, actor, a);
    case Action::kApproveReturn:
    case Action::kRejectReturn:
    case Action::kRedispatch:
    case Action::kApproveExtension:
    case Action::kRejectExtension:
    case Action::kReviewPass:
    case Action::kReviewFail:
    case Action::kAddCoUnit:
      return Permit(IsDispatchingAuthority(actor, t, org), actor, a);
    case Action::kCallback:
      // A callback agent's call, or the citizen's own rating taken by the system (the
      // portal, an SMS reply): both are the citizen's verdict on the reply.
      return Permit(RoleIn(actor, {Role::kCallback, Role::kSystem}), actor, a);
    case Action::kRehandle:
      return Permit(RoleIn(actor, {Role::kCallback, Role::kDispatcher}), actor, a);
    case Action::kArchive:
      return Permit(RoleIn(actor, {Role::kDispatcher, Role::kSystem, Role::kAdmin}), actor, a);
    case Action::kWithdraw:
      return Permit(RoleIn(actor, {Role::kOperator, Role::kDispatcher, Role::kSystem}), actor, a);
    case Action::kSuspend:
    case Action::kResume:
    case Action::kChangeDeadline:
      return Permit(RoleIn(actor, {Role::kDispatcher, Role::kSupervisor}), actor, a);
    case Action::kProvinceReply:
      return Permit(RoleIn(actor, {Role::kSystem, Role::kDispatcher}), actor, a);
    case Action::kUrge:
      return Permit(RoleIn(actor, {Role::kSupervisor, Role::kDispatcher, Role::kSystem}), actor, a);
    case Action::kSupervise:
      return Permit(actor.role == Role::kSupervisor, actor, a);
    case Action::kNote:
    case Action::kAttach:
      if (IsUnitStaff(actor)) {
        return Permit(IsLeadStaff(actor, t) || IsCoStaff(actor, t) ||
                          (t.dispatching_unit.valid() && actor.unit == t.dispatching_unit),
                      actor, a);
      }
      return Permit(IsCentreRole(actor), actor, a);
  }
  return Permit(false, actor, a);
}

TicketEvent NewEvent(const Ticket& t, Action a, const Actor& actor, Instant now,
                     Fields fields = {}) {
  TicketEvent e;
  e.ticket = t.id;
  e.seq = t.version + 1;
  e.at = now;
  e.actor = actor;
  e.type = std::string(Code(a));
  e.fields = std::move(fields);
  return e;
}

// A unit that can be dispatched to: exists, active, not the centre itself.
Result<UnitId> TargetUnit(const Fields& f, std::string_view key, const OrgTree& org,
                          bool required) {
  auto id = GetId<UnitId>(f, key);
  if (!id.has_value()) {
    return id.error();
  }
  if (!id->valid()) {
    if (required) {
      return InvalidArgument(fmt::format("缺少字段 {}", key));
    }
    return UnitId{};
  }
  const Unit* u = org.FindUnit(*id);
  if (u == nullptr) {
    return NotFound(fmt::format("单位不存在: {}", id->value()));
  }
  if (!u->active) {
    return FailedPrecondition(fmt::format("单位已停用: {}", u->name));
  }
  if (u->kind == UnitKind::kCentre) {
    return InvalidArgument(fmt::format("不能派单给热线中心本身: {}", u->name));
  }
  return *id;
}

Result<std::vector<UnitId>> TargetUnits(const Fields& f, const OrgTree& org, UnitId lead) {
  auto ids = GetIdList<UnitId>(f, "co_units");
  if (!ids.has_value()) {
    return ids.error();
  }
  for (UnitId id : *ids) {
    Fields one{{"u", std::to_string(id.value())}};
    auto checked = TargetUnit(one, "u", org, true);
    if (!checked.has_value()) {
      return checked.error();
    }
    if (id == lead) {
      return InvalidArgument("协办单位不能与主办单位相同");
    }
  }
  return *ids;
}

// Dispatch-like events carry the new lead, co-units and both deadlines.
Fields DispatchFields(UnitId dispatching, UnitId lead, const std::vector<UnitId>& co,
                      Instant sign_deadline, Instant reply_deadline) {
  return {{"dispatching_unit", std::to_string(dispatching.value())},
          {"lead_unit", std::to_string(lead.value())},
          {"co_units", JoinIds(co)},
          {"sign_deadline", std::to_string(ToUnix(sign_deadline))},
          {"reply_deadline", std::to_string(ToUnix(reply_deadline))}};
}

UnitId CentreId(const OrgTree& org) {
  const Unit* c = org.Centre();
  return c == nullptr ? UnitId{} : c->id;
}

Result<std::vector<TicketEvent>> One(TicketEvent e) {
  return std::vector<TicketEvent>{std::move(e)};
}

Status RequireText(const Fields& f, std::string_view key, std::string_view what) {
  auto v = GetText(f, key);
  if (v.empty()) {
    return InvalidArgument(fmt::format("缺少{}（字段 {}）", what, key));
  }
  return OkStatus();
}

}  // namespace

std::string_view Code(Action a) {
  for (const auto& info : kActions) {
    if (info.action == a) {
      return info.code;
    }
  }
  return "unknown";
}

std::string_view ChineseName(Action a) {
  for (const auto& info : kActions) {
    if (info.action == a) {
      return info.chinese;
    }
  }
  return "未知操作";
}

std::optional<Action> ParseAction(std::string_view s) {
  for (const auto& info : kActions) {
    if (info.code == s || info.chinese == s) {
      return info.action;
    }
  }
  return std::nullopt;
}

const std::vector<Action>& AllActions() {
  static const std::vector<Action> all = [] {
    std::vector<Action> v;
    for (const auto& info : kActions) {
      v.push_back(info.action);
    }
    return v;
  }();
  return all;
}

bool IsAllowedIn(Action action, TicketState state) { return StateAllows(action, state); }

Result<TicketEvent> DecideRegister(const Fields& f, const Actor& actor,
                                   const DecisionContext& ctx) {
  Ticket empty;
  HOTLINE_RETURN_IF_ERROR(CheckPermission(Action::kRegister, empty, actor, ctx.org));
  Fields out;
  auto type = ParseRequestType(GetText(f, "type"));
  if (!type) {
    return InvalidArgument(
        fmt::format("诉求类型无效: “{}”（咨询/求助/投诉/举报/建议/表扬）", GetText(f, "type")));
  }
  out["type"] = std::string(Code(*type));
  std::string urgency_text = GetText(f, "urgency");
  auto urgency =
      urgency_text.empty() ? std::optional<Urgency>(Urgency::kNormal) : ParseUrgency(urgency_text);
  if (!urgency) {
    return InvalidArgument(fmt::format("紧急程度无效: “{}”（普通/紧急/特急）", urgency_text));
  }
  out["urgency"] = std::string(Code(*urgency));
  std::string channel_text = GetText(f, "channel");
  auto channel =
      channel_text.empty() ? std::optional<Channel>(Channel::kPhone) : ParseChannel(channel_text);
  if (!channel) {
    return InvalidArgument(fmt::format("来源渠道无效: “{}”", channel_text));
  }
  out["channel"] = std::string(Code(*channel));
  HOTLINE_RETURN_IF_ERROR(RequireText(f, "content", "诉求内容"));
  HOTLINE_RETURN_IF_ERROR(CheckTextLimits(f));
  auto region = GetId<RegionId>(f, "region");
  if (!region.has_value()) {
    return region.error();
  }
  if (region->valid() && ctx.org.FindRegion(*region) == nullptr) {
    return NotFound(fmt::format("区域不存在: {}", region->value()));
  }
  auto category = GetId<CategoryId>(f, "category");
  if (!category.has_value()) {
    return category.error();
  }
  for (const char* key : {"anonymous", "confidential"}) {
    auto b = GetBool(f, key);
    if (!b.has_value()) {
      return b.error();
    }
    out[key] = *b ? "1" : "0";
  }
  for (const char* key : {"title", "content", "address", "citizen_name", "citizen_phone",
                          "external_ref", "region", "category"}) {
    if (auto it = f.find(key); it != f.end() && !it->second.empty()) {
      out[key] = it->second;
    }
  }
  if (out["anonymous"] == "1") {
    out.erase("citizen_name");
  }
  if (*type == RequestType::kReport && !f.contains("confidential")) {
    out["confidential"] = "1";  // a whistle-blower is protected unless said otherwise
  }
  TicketEvent e;
  e.seq = 1;
  e.at = ctx.now;
  e.actor = actor;
  e.type = std::string(Code(Action::kRegister));
  e.fields = std::move(out);
  return e;
}

Result<std::vector<TicketEvent>> Decide(const Ticket& t, const Command& cmd, const Actor& actor,
                                        const DecisionContext& ctx) {
  const Action a = cmd.action;
  const Fields& f = cmd.fields;
  if (!StateAllows(a, t.state)) {
    return FailedPrecondition(fmt::format("工单 {} 当前状态为“{}”，不能执行“{}”", t.number,
                                          ChineseName(t.state), ChineseName(a)));
  }
  HOTLINE_RETURN_IF_ERROR(CheckPermission(a, t, actor, ctx.org));
  HOTLINE_RETURN_IF_ERROR(CheckTextLimits(f));
  const Instant now = ctx.now;
  const TimeLimitPolicy& policy = ctx.policies.For(t.type, t.urgency);

  switch (a) {
    case Action::kRegister:
    case Action::kMergedIn:
      break;
    case Action::kAnswer:
      HOTLINE_RETURN_IF_ERROR(RequireText(f, "answer", "答复内容"));
      return One(
          NewEvent(t, a, actor, now,
                   {{"answer", GetText(f, "answer")}, {"kb_article", GetText(f, "kb_article")}}));
    case Action::kReject:
      HOTLINE_RETURN_IF_ERROR(RequireText(f, "reason", "不予受理理由"));
      return One(NewEvent(
          t, a, actor, now,
          {{"reason", GetText(f, "reason")}, {"told_channel", GetText(f, "told_channel")}}));
    case Action::kDispatch:
    case Action::kRedispatch: {
      HOTLINE_ASSIGN_OR_RETURN(UnitId lead, TargetUnit(f, "lead_unit", ctx.org, true));
      HOTLINE_ASSIGN_OR_RETURN(auto co, TargetUnits(f, ctx.org, lead));
      if (a == Action::kRedispatch && lead == t.lead_unit) {
        return InvalidArgument("改派的单位与当前主办单位相同");
      }
      if (a == Action::kRedispatch) {
        HOTLINE_RETURN_IF_ERROR(RequireText(f, "reason", "改派理由"));
      }
      UnitId dispatching = actor.role == Role::kDispatcher ? CentreId(ctx.org) : actor.unit;
      Fields out = DispatchFields(dispatching, lead, co, ctx.calendar.Deadline(now, policy.sign),
                                  ctx.calendar.Deadline(now, policy.reply));
      out["reason"] = GetText(f, "reason");
      out["note"] = GetText(f, "note");
      return One(NewEvent(t, a, actor, now, std::move(out)));
    }
    case Action::kSign:
      return One(NewEvent(t, a, actor, now));
    case Action::kSubDispatch: {
      HOTLINE_ASSIGN_OR_RETURN(UnitId lead, TargetUnit(f, "lead_unit", ctx.org, true));
      if (lead == t.lead_unit || !ctx.org.IsWithin(lead, t.lead_unit)) {
        return InvalidArgument("二级派单只能派给本单位的下级单位");
      }
      HOTLINE_ASSIGN_OR_RETURN(auto co, TargetUnits(f, ctx.org, lead));
      // The subordinate unit must sign within the sign limit; the reply deadline stays.
      Instant reply = t.reply_deadline.value_or(ctx.calendar.Deadline(now, policy.reply));
      Fields out =
          DispatchFields(t.lead_unit, lead, co, ctx.calendar.Deadline(now, policy.sign), reply);
      out["note"] = GetText(f, "note");
      return One(NewEvent(t, a, actor, now, std::move(out)));
    }
    case Action::kRequestReturn:
      HOTLINE_RETURN_IF_ERROR(RequireText(f, "reason", "退单理由"));
      return One(NewEvent(t, a, actor, now, {{"reason", GetText(f, "reason")}}));
    case Action::kApproveReturn: {
      Fields out{{"comment", GetText(f, "comment")}};
      // A return from a sub-dispatch goes back to the platform that sent it; a return
      // from a centre dispatch goes back to the centre's dispatchers.
      UnitId centre = CentreId(ctx.org);
      if (t.dispatching_unit.valid() && t.dispatching_unit != centre) {
        out["back_to_unit"] = std::to_string(t.dispatching_unit.value());
        out["dispatching_unit"] = std::to_string(centre.value());
      }
      return One(NewEvent(t, a, actor, now, std::move(out)));
    }
    case Action::kRejectReturn:
      HOTLINE_RETURN_IF_ERROR(RequireText(f, "comment", "驳回理由"));
      return One(NewEvent(t, a, actor, now, {{"comment", GetText(f, "comment")}}));
    case Action::kRequestExtension: {
      if (t.extension_pending) {
        return FailedPrecondition(fmt::format("工单 {} 已有待审核的延期申请", t.number));
      }
      auto days = GetInt(f, "days", 1, 60);
      if (!days.has_value()) {
        return days.error();
      }
      HOTLINE_RETURN_IF_ERROR(RequireText(f, "reason", "延期理由"));
      return One(NewEvent(t, a, actor, now,
                          {{"days", std::to_string(*days)}, {"reason", GetText(f, "reason")}}));
    }
    case Action::kApproveExtension: {
      if (!t.extension_pending) {
        return FailedPrecondition(fmt::format("工单 {} 没有待审核的延期申请", t.number));
      }
      int days = t.extension_days_requested;
      if (f.contains("days")) {
        auto d = GetInt(f, "days", 1, 60);
        if (!d.has_value()) {
          return d.error();
        }
        days = *d;
      }
      Instant base = t.reply_deadline.value_or(now);
      Instant deadline = ctx.calendar.Deadline(base, TimeLimit{LimitUnit::kWorkingDays, days});
      return One(NewEvent(t, a, actor, now,
                          {{"days", std::to_string(days)},
                           {"reply_deadline", std::to_string(ToUnix(deadline))},
                           {"comment", GetText(f, "comment")}}));
    }
    case Action::kRejectExtension:
      if (!t.extension_pending) {
        return FailedPrecondition(fmt::format("工单 {} 没有待审核的延期申请", t.number));
      }
      return One(NewEvent(t, a, actor, now, {{"comment", GetText(f, "comment")}}));
    case Action::kReply:
      HOTLINE_RETURN_IF_ERROR(RequireText(f, "reply", "答复内容"));
      return One(NewEvent(t, a, actor, now, {{"reply", GetText(f, "reply")}}));
    case Action::kReviewPass:
      return One(NewEvent(t, a, actor, now, {{"comment", GetText(f, "comment")}}));
    case Action::kReviewFail:
      HOTLINE_RETURN_IF_ERROR(RequireText(f, "reason", "审核不通过理由"));
      return One(NewEvent(t, a, actor, now, {{"reason", GetText(f, "reason")}}));
    case Action::kCallback: {
      auto reached = GetBool(f, "reached", true);
      if (!reached.has_value()) {
        return reached.error();
      }
      if (!*reached) {
        return One(
            NewEvent(t, a, actor, now, {{"reached", "0"}, {"comment", GetText(f, "comment")}}));
      }
      auto resolved = GetBool(f, "resolved");
      if (!resolved.has_value()) {
        return resolved.error();
      }
      if (!f.contains("resolved")) {
        return InvalidArgument("缺少字段 resolved（是否解决）");
      }
      auto sat = ParseSatisfaction(GetText(f, "satisfaction"));
      if (!sat) {
        return InvalidArgument(
            fmt::format("满意度无效: “{}”（满意/基本满意/不满意）", GetText(f, "satisfaction")));
      }
      // How the verdict was taken: a call by the agent, or the citizen's own rating.
      std::string method = GetText(f, "method");
      if (method.empty()) {
        method = actor.role == Role::kSystem ? "portal" : "phone";
      }
      return One(NewEvent(t, a, actor, now,
                          {{"reached", "1"},
                           {"resolved", *resolved ? "1" : "0"},
                           {"satisfaction", std::string(Code(*sat))},
                           {"comment", GetText(f, "comment")},
                           {"method", method}}));
    }
    case Action::kRehandle: {
      if (t.satisfaction != Satisfaction::kUnsatisfied && t.resolved != false) {
        return FailedPrecondition(fmt::format("工单 {} 回访满意且已解决，不能重办", t.number));
      }
      HOTLINE_RETURN_IF_ERROR(RequireText(f, "reason", "重办理由"));
      Fields out = DispatchFields(t.dispatching_unit, t.lead_unit, t.co_units,
                                  ctx.calendar.Deadline(now, policy.sign),
                                  ctx.calendar.Deadline(now, policy.reply));
      out["reason"] = GetText(f, "reason");
      return One(NewEvent(t, a, actor, now, std::move(out)));
    }
    case Action::kArchive:
      return One(NewEvent(t, a, actor, now));
    case Action::kMerge: {
      std::string into = GetText(f, "into");
      if (into.empty()) {
        return InvalidArgument("缺少字段 into（并入的主工单编号）");
      }
      if (into == t.number) {
        return InvalidArgument("工单不能并入自身");
      }
      return One(NewEvent(t, a, actor, now, {{"into", into}, {"reason", GetText(f, "reason")}}));
    }
    case Action::kWithdraw:
      return One(NewEvent(t, a, actor, now, {{"reason", GetText(f, "reason")}}));
    case Action::kSuspend:
      HOTLINE_RETURN_IF_ERROR(RequireText(f, "reason", "挂起理由"));
      return One(NewEvent(t, a, actor, now, {{"reason", GetText(f, "reason")}}));
    case Action::kResume: {
      Fields out{{"comment", GetText(f, "comment")}};
      Instant paused = t.suspended_at.value_or(now);
      if (t.sign_deadline && !t.signed_at) {
        out["sign_deadline"] = std::to_string(
            ToUnix(ExtendForPause(ctx.calendar, *t.sign_deadline, paused, now, policy.sign.unit)));
      }
      if (t.reply_deadline) {
        out["reply_deadline"] = std::to_string(ToUnix(
            ExtendForPause(ctx.calendar, *t.reply_deadline, paused, now, policy.reply.unit)));
      }
      return One(NewEvent(t, a, actor, now, std::move(out)));
    }
    case Action::kEscalate:
      HOTLINE_RETURN_IF_ERROR(RequireText(f, "reason", "上报理由"));
      return One(NewEvent(t, a, actor, now, {{"reason", GetText(f, "reason")}}));
    case Action::kProvinceReply:
      HOTLINE_RETURN_IF_ERROR(RequireText(f, "reply", "省平台答复内容"));
      return One(NewEvent(t, a, actor, now, {{"reply", GetText(f, "reply")}}));
    case Action::kUrge:
      return One(NewEvent(t, a, actor, now, {{"comment", GetText(f, "comment")}}));
    case Action::kSupervise: {
      auto level = GetInt(f, "level", 1, 3);
      if (!level.has_value()) {
        return level.error();
      }
      return One(NewEvent(t, a, actor, now,
                          {{"level", std::to_string(*level)}, {"comment", GetText(f, "comment")}}));
    }
    case Action::kNote:
      HOTLINE_RETURN_IF_ERROR(RequireText(f, "text", "备注内容"));
      return One(NewEvent(t, a, actor, now, {{"text", GetText(f, "text")}}));
    case Action::kAddCoUnit: {
      HOTLINE_ASSIGN_OR_RETURN(UnitId unit, TargetUnit(f, "unit", ctx.org, true));
      if (unit == t.lead_unit ||
          std::find(t.co_units.begin(), t.co_units.end(), unit) != t.co_units.end()) {
        return AlreadyExists("该单位已是本工单的承办单位");
      }
      return One(NewEvent(t, a, actor, now, {{"unit", std::to_string(unit.value())}}));
    }
    case Action::kChangeDeadline: {
      auto when = ParseInstant(GetText(f, "reply_deadline"));
      if (!when) {
        return InvalidArgument(fmt::format("办理时限格式无效: “{}”", GetText(f, "reply_deadline")));
      }
      if (*when <= now) {
        return InvalidArgument("新的办理时限必须晚于当前时间");
      }
      HOTLINE_RETURN_IF_ERROR(RequireText(f, "reason", "调整理由"));
      return One(NewEvent(
          t, a, actor, now,
          {{"reply_deadline", std::to_string(ToUnix(*when))}, {"reason", GetText(f, "reason")}}));
    }
    case Action::kAttach: {
      HOTLINE_RETURN_IF_ERROR(RequireText(f, "name", "附件名称"));
      auto size = GetInt(f, "size", 0, int64_t{1} << 40);
      if (!size.has_value()) {
        return size.error();
      }
      return One(NewEvent(t, a, actor, now,
                          {{"name", GetText(f, "name")},
                           {"size", std::to_string(*size)},
                           {"sha256", GetText(f, "sha256")},
                           {"mime", GetText(f, "mime")}}));
    }
  }
  return Internal(fmt::format("未处理的操作: {}", Code(a)));
}

Result<TicketEvent> DecideMergedIn(const Ticket& master, const Ticket& child, const Actor& actor,
                                   const DecisionContext& ctx) {
  if (!StateAllows(Action::kMergedIn, master.state)) {
    return FailedPrecondition(fmt::format("主工单 {} 当前状态为“{}”，不能并入其他工单",
                                          master.number, ChineseName(master.state)));
  }
  HOTLINE_RETURN_IF_ERROR(CheckPermission(Action::kMergedIn, master, actor, ctx.org));
  return NewEvent(master, Action::kMergedIn, actor, ctx.now, {{"child", child.number}});
}

}  // namespace hotline::domain
