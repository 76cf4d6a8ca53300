// The ticket lifecycle: every action a person or system can take on a work order,
// checked against the ticket's state and the actor's role and unit. Decide() is pure:
// it reads the ticket, the command and the context and returns the events to append,
// or an error that names the state and the action. Thread-safe (no shared state).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/calendar/time_limits.h"
#include "domain/calendar/work_calendar.h"
#include "domain/org.h"
#include "domain/ticket.h"

namespace hotline::domain {

enum class Action : uint8_t {
  kRegister,          // 登记
  kAnswer,            // 即问即答/直办
  kReject,            // 不予受理
  kDispatch,          // 派单
  kSign,              // 签收
  kSubDispatch,       // 二级派单
  kRequestReturn,     // 退单申请
  kApproveReturn,     // 同意退单
  kRejectReturn,      // 驳回退单
  kRedispatch,        // 改派
  kRequestExtension,  // 延期申请
  kApproveExtension,  // 同意延期
  kRejectExtension,   // 驳回延期
  kReply,             // 答复
  kReviewPass,        // 审核通过
  kReviewFail,        // 审核不通过
  kCallback,          // 回访
  kRehandle,          // 重办
  kArchive,           // 归档
  kMerge,             // 并单 (this ticket into another)
  kMergedIn,          // 被并单 (recorded on the master; system-generated)
  kWithdraw,          // 撤单
  kSuspend,           // 挂起
  kResume,            // 恢复
  kEscalate,          // 上报省平台
  kProvinceReply,     // 省平台答复
  kUrge,              // 催办
  kSupervise,         // 督办
  kNote,              // 备注
  kAddCoUnit,         // 增加协办单位
  kChangeDeadline,    // 调整办理时限
  kAttach,            // 附件
};

std::string_view Code(Action a);
std::string_view ChineseName(Action a);
std::optional<Action> ParseAction(std::string_view code_or_chinese);
const std::vector<Action>& AllActions();

struct Command {
  Action action = Action::kNote;
  Fields fields;
};

// What Decide needs besides the ticket. References must outlive the call.
struct DecisionContext {
  Instant now;
  const OrgTree& org;
  const WorkCalendar& calendar;
  const TimeLimitPolicies& policies;
};

// A new ticket's registration event (ticket id and number are assigned by the store).
// Required fields: type, content; optional: urgency, channel, category, region, address,
// title, citizen_name, citizen_phone, anonymous, confidential, external_ref.
// kInvalidArgument for bad fields; kPermissionDenied for roles that may not register.
Result<TicketEvent> DecideRegister(const Fields& fields, const Actor& actor,
                                   const DecisionContext& ctx);

// The events `command` yields on `ticket`. kFailedPrecondition when the action is not
// allowed in the ticket's state (the message names both); kPermissionDenied when the
// actor's role or unit may not take it; kInvalidArgument for bad fields.
// kMerge is decided here for the merged ticket; the caller records kMergedIn on the master
// with DecideMergedIn().
Result<std::vector<TicketEvent>> Decide(const Ticket& ticket, const Command& command,
                                        const Actor& actor, const DecisionContext& ctx);

// The event recorded on `master` when `child` is merged into it.
Result<TicketEvent> DecideMergedIn(const Ticket& master, const Ticket& child, const Actor& actor,
                                   const DecisionContext& ctx);

// Whether `action` is allowed in `state` at all (ignoring role and fields).
bool IsAllowedIn(Action action, TicketState state);

}  // namespace hotline::domain
