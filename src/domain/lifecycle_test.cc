#include "domain/lifecycle.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "testing/matchers.h"
#include "testing/small_city.h"

namespace hotline::domain {
namespace {

using hotline::testing::HasErrorCode;
using hotline::testing::SmallCity;

// An in-memory walk of one ticket through the domain alone: Decide, then Apply.
class Walk {
 public:
  Walk() : city_(hotline::testing::MakeSmallCity()), now_(*ParseInstant("2024-03-04 09:00")) {}

  Status Register(Fields f = {{"type", "投诉"}, {"content", "噪音扰民"}}) {
    auto ctx = city_->Context(now_);
    HOTLINE_ASSIGN_OR_RETURN(TicketEvent e, DecideRegister(f, city_->Act("op"), ctx));
    ticket_ = Ticket{};
    ticket_.id = TicketId{1};
    ticket_.number = "SM20240304000001";
    Apply(ticket_, e);
    return OkStatus();
  }

  Status Do(const char* login, Action a, Fields f = {}) {
    auto ctx = city_->Context(now_);
    HOTLINE_ASSIGN_OR_RETURN(auto events,
                             Decide(ticket_, Command{a, std::move(f)}, city_->Act(login), ctx));
    for (const auto& e : events) {
      Apply(ticket_, e);
      history_.push_back(e);
    }
    return OkStatus();
  }

  void Advance(Duration d) { now_ += d; }
  Ticket& ticket() { return ticket_; }
  const SmallCity& city() { return *city_; }
  Instant now() const { return now_; }
  const std::vector<TicketEvent>& history() const { return history_; }

 private:
  std::unique_ptr<SmallCity> city_;
  Instant now_;
  Ticket ticket_;
  std::vector<TicketEvent> history_;
};

const Fields kToHousing{{"lead_unit", "2"}};

TEST(Lifecycle, HappyPathFromRegistrationToArchive) {
  Walk w;
  ASSERT_OK(w.Register());
  EXPECT_EQ(w.ticket().state, TicketState::kRegistered);
  ASSERT_OK(w.Do("disp", Action::kDispatch, {{"lead_unit", "2"}, {"co_units", "3"}}));
  EXPECT_EQ(w.ticket().state, TicketState::kDispatched);
  EXPECT_EQ(w.ticket().lead_unit, SmallCity::kHousing);
  EXPECT_EQ(w.ticket().co_units, std::vector<UnitId>{SmallCity::kEnvironment});
  ASSERT_TRUE(w.ticket().reply_deadline.has_value());
  // 投诉/普通: 10 working days from Monday 2024-03-04 09:00 -> Monday 2024-03-18 09:00.
  EXPECT_EQ(FormatLocal(*w.ticket().reply_deadline), "2024-03-18T09:00:00+08:00");
  w.Advance(std::chrono::minutes(30));
  ASSERT_OK(w.Do("housing", Action::kSign));
  EXPECT_EQ(w.ticket().state, TicketState::kSigned);
  EXPECT_FALSE(w.ticket().signed_late);
  ASSERT_OK(w.Do("housing", Action::kReply, {{"reply", "已责令施工单位夜间停工"}}));
  EXPECT_EQ(w.ticket().state, TicketState::kReplied);
  ASSERT_OK(w.Do("disp", Action::kReviewPass));
  EXPECT_EQ(w.ticket().state, TicketState::kReviewed);
  ASSERT_OK(w.Do("cb", Action::kCallback,
                 {{"reached", "1"}, {"resolved", "1"}, {"satisfaction", "满意"}}));
  EXPECT_EQ(w.ticket().state, TicketState::kCallbackDone);
  EXPECT_EQ(w.ticket().satisfaction, Satisfaction::kSatisfied);
  ASSERT_OK(w.Do("system", Action::kArchive));
  EXPECT_EQ(w.ticket().state, TicketState::kArchived);
  EXPECT_EQ(w.ticket().version, 7);
}

TEST(Lifecycle, DirectAnswerClosesAtIntake) {
  Walk w;
  ASSERT_OK(w.Register({{"type", "咨询"}, {"content", "社保卡怎么补办"}}));
  EXPECT_THAT(w.Do("op", Action::kAnswer), HasErrorCode(ErrorCode::kInvalidArgument));
  ASSERT_OK(w.Do("op", Action::kAnswer, {{"answer", "携带身份证到社保窗口办理"}}));
  EXPECT_EQ(w.ticket().state, TicketState::kClosed);
  EXPECT_THAT(w.Do("disp", Action::kDispatch, kToHousing),
              HasErrorCode(ErrorCode::kFailedPrecondition));
  ASSERT_OK(w.Do("disp", Action::kArchive));
}

TEST(Lifecycle, NotAcceptedNeedsAReason) {
  Walk w;
  ASSERT_OK(w.Register());
  EXPECT_THAT(w.Do("op", Action::kReject), HasErrorCode(ErrorCode::kInvalidArgument));
  ASSERT_OK(
      w.Do("op", Action::kReject, {{"reason", "属于司法程序事项"}, {"told_channel", "电话"}}));
  EXPECT_EQ(w.ticket().state, TicketState::kRejected);
  EXPECT_EQ(w.ticket().reject_reason, "属于司法程序事项");
}

TEST(Lifecycle, ReturnApprovedGoesBackForRedispatch) {
  Walk w;
  ASSERT_OK(w.Register());
  ASSERT_OK(w.Do("disp", Action::kDispatch, kToHousing));
  ASSERT_OK(w.Do("housing", Action::kRequestReturn, {{"reason", "不属于本单位职责"}}));
  EXPECT_EQ(w.ticket().state, TicketState::kReturnRequested);
  ASSERT_OK(w.Do("disp", Action::kApproveReturn));
  EXPECT_EQ(w.ticket().state, TicketState::kRegistered);
  EXPECT_EQ(w.ticket().return_count, 1);
  EXPECT_FALSE(w.ticket().lead_unit.valid());
  ASSERT_OK(w.Do("disp", Action::kDispatch, {{"lead_unit", "3"}}));
  EXPECT_EQ(w.ticket().lead_unit, SmallCity::kEnvironment);
  EXPECT_EQ(w.ticket().dispatch_count, 2);
}

TEST(Lifecycle, ReturnRejectedRestoresThePreviousState) {
  Walk w;
  ASSERT_OK(w.Register());
  ASSERT_OK(w.Do("disp", Action::kDispatch, kToHousing));
  ASSERT_OK(w.Do("housing", Action::kSign));
  ASSERT_OK(w.Do("housing", Action::kRequestReturn, {{"reason", "不属于本单位职责"}}));
  EXPECT_THAT(w.Do("disp", Action::kRejectReturn), HasErrorCode(ErrorCode::kInvalidArgument));
  ASSERT_OK(w.Do("disp", Action::kRejectReturn, {{"comment", "属于物业监管职责"}}));
  EXPECT_EQ(w.ticket().state, TicketState::kSigned);
  EXPECT_EQ(w.ticket().return_count, 0);
}

TEST(Lifecycle, RedispatchCountsAgainstAccuracy) {
  Walk w;
  ASSERT_OK(w.Register());
  ASSERT_OK(w.Do("disp", Action::kDispatch, kToHousing));
  EXPECT_THAT(w.Do("disp", Action::kRedispatch, {{"lead_unit", "3"}}),
              HasErrorCode(ErrorCode::kInvalidArgument));  // no reason
  EXPECT_THAT(w.Do("disp", Action::kRedispatch, {{"lead_unit", "2"}, {"reason", "x"}}),
              HasErrorCode(ErrorCode::kInvalidArgument));  // same unit
  ASSERT_OK(w.Do("disp", Action::kRedispatch, {{"lead_unit", "3"}, {"reason", "派错单位"}}));
  EXPECT_EQ(w.ticket().redispatch_count, 1);
  EXPECT_EQ(w.ticket().lead_unit, SmallCity::kEnvironment);
  EXPECT_THAT(w.Do("housing", Action::kSign), HasErrorCode(ErrorCode::kPermissionDenied));
  ASSERT_OK(w.Do("env", Action::kSign));
}

TEST(Lifecycle, ExtensionMovesTheDeadlineByWorkingDays) {
  Walk w;
  ASSERT_OK(w.Register());
  ASSERT_OK(w.Do("disp", Action::kDispatch, kToHousing));
  ASSERT_OK(w.Do("housing", Action::kSign));
  Instant before = *w.ticket().reply_deadline;
  ASSERT_OK(
      w.Do("housing", Action::kRequestExtension, {{"days", "5"}, {"reason", "需要现场勘查"}}));
  EXPECT_TRUE(w.ticket().extension_pending);
  EXPECT_THAT(w.Do("housing", Action::kRequestExtension, {{"days", "5"}, {"reason", "again"}}),
              HasErrorCode(ErrorCode::kFailedPrecondition));
  ASSERT_OK(w.Do("disp", Action::kApproveExtension));
  EXPECT_FALSE(w.ticket().extension_pending);
  EXPECT_EQ(w.ticket().extension_count, 1);
  // 5 working days after Monday 2024-03-18 09:00 is Monday 2024-03-25 09:00.
  EXPECT_EQ(FormatLocal(before), "2024-03-18T09:00:00+08:00");
  EXPECT_EQ(FormatLocal(*w.ticket().reply_deadline), "2024-03-25T09:00:00+08:00");
  EXPECT_THAT(w.Do("disp", Action::kApproveExtension),
              HasErrorCode(ErrorCode::kFailedPrecondition));
}

TEST(Lifecycle, ExtensionRejectedKeepsTheDeadline) {
  Walk w;
  ASSERT_OK(w.Register());
  ASSERT_OK(w.Do("disp", Action::kDispatch, kToHousing));
  ASSERT_OK(w.Do("housing", Action::kSign));
  Instant before = *w.ticket().reply_deadline;
  ASSERT_OK(w.Do("housing", Action::kRequestExtension, {{"days", "5"}, {"reason", "需要协调"}}));
  ASSERT_OK(w.Do("disp", Action::kRejectExtension, {{"comment", "时限内可以办结"}}));
  EXPECT_EQ(*w.ticket().reply_deadline, before);
  EXPECT_EQ(w.ticket().extension_count, 0);
}

TEST(Lifecycle, ReviewFailSendsItBackToTheUnit) {
  Walk w;
  ASSERT_OK(w.Register());
  ASSERT_OK(w.Do("disp", Action::kDispatch, kToHousing));
  ASSERT_OK(w.Do("housing", Action::kSign));
  ASSERT_OK(w.Do("housing", Action::kReply, {{"reply", "已处理"}}));
  ASSERT_OK(w.Do("disp", Action::kReviewFail, {{"reason", "答复过于简单"}}));
  EXPECT_EQ(w.ticket().state, TicketState::kSigned);
  EXPECT_EQ(w.ticket().review_fail_count, 1);
}

TEST(Lifecycle, UnsatisfiedCallbackLeadsToRehandling) {
  Walk w;
  ASSERT_OK(w.Register());
  ASSERT_OK(w.Do("disp", Action::kDispatch, kToHousing));
  ASSERT_OK(w.Do("housing", Action::kSign));
  ASSERT_OK(w.Do("housing", Action::kReply, {{"reply", "已处理"}}));
  ASSERT_OK(w.Do("disp", Action::kReviewPass));
  ASSERT_OK(w.Do("cb", Action::kCallback, {{"reached", "0"}}));
  EXPECT_EQ(w.ticket().state, TicketState::kReviewed);  // not reached: try again later
  EXPECT_THAT(w.Do("cb", Action::kCallback, {{"reached", "1"}, {"resolved", "0"}}),
              HasErrorCode(ErrorCode::kInvalidArgument));  // satisfaction missing
  ASSERT_OK(w.Do("cb", Action::kCallback,
                 {{"reached", "1"}, {"resolved", "0"}, {"satisfaction", "不满意"}}));
  ASSERT_OK(w.Do("cb", Action::kRehandle, {{"reason", "噪音仍未解决"}}));
  EXPECT_EQ(w.ticket().state, TicketState::kDispatched);
  EXPECT_EQ(w.ticket().rehandle_count, 1);
  EXPECT_EQ(w.ticket().lead_unit, SmallCity::kHousing);
  EXPECT_FALSE(w.ticket().satisfaction.has_value());
  ASSERT_OK(w.Do("housing", Action::kSign));
  ASSERT_OK(w.Do("housing", Action::kReply, {{"reply", "已联合执法"}}));
  ASSERT_OK(w.Do("disp", Action::kReviewPass));
  ASSERT_OK(w.Do("cb", Action::kCallback,
                 {{"reached", "1"}, {"resolved", "1"}, {"satisfaction", "满意"}}));
  EXPECT_THAT(w.Do("cb", Action::kRehandle, {{"reason", "x"}}),
              HasErrorCode(ErrorCode::kFailedPrecondition));
}

TEST(Lifecycle, SuspensionPausesTheClock) {
  Walk w;
  ASSERT_OK(w.Register());
  ASSERT_OK(w.Do("disp", Action::kDispatch, kToHousing));
  ASSERT_OK(w.Do("housing", Action::kSign));
  Instant deadline = *w.ticket().reply_deadline;  // Mon 2024-03-18 09:00
  ASSERT_OK(w.Do("sup", Action::kSuspend, {{"reason", "等待司法鉴定"}}));
  EXPECT_EQ(w.ticket().state, TicketState::kSuspended);
  w.Advance(std::chrono::hours(24 * 7));  // one calendar week = 5 working days
  EXPECT_FALSE(w.ticket().IsOverdue(deadline + std::chrono::hours(1)));
  ASSERT_OK(w.Do("sup", Action::kResume));
  EXPECT_EQ(w.ticket().state, TicketState::kSigned);
  EXPECT_EQ(FormatLocal(*w.ticket().reply_deadline), "2024-03-25T09:00:00+08:00");
  EXPECT_NE(*w.ticket().reply_deadline, deadline);
}

TEST(Lifecycle, MergeAndWithdraw) {
  Walk w;
  ASSERT_OK(w.Register());
  EXPECT_THAT(w.Do("disp", Action::kMerge), HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(w.Do("disp", Action::kMerge, {{"into", "SM20240304000001"}}),
              HasErrorCode(ErrorCode::kInvalidArgument));  // itself
  EXPECT_THAT(w.Do("op", Action::kMerge, {{"into", "SM20240304000009"}}),
              HasErrorCode(ErrorCode::kPermissionDenied));
  ASSERT_OK(w.Do("disp", Action::kMerge, {{"into", "SM20240304000009"}}));
  EXPECT_EQ(w.ticket().state, TicketState::kMerged);
  EXPECT_THAT(w.Do("op", Action::kWithdraw), HasErrorCode(ErrorCode::kFailedPrecondition));

  Walk w2;
  ASSERT_OK(w2.Register());
  ASSERT_OK(w2.Do("disp", Action::kDispatch, kToHousing));
  ASSERT_OK(w2.Do("op", Action::kWithdraw, {{"reason", "市民已自行解决"}}));
  EXPECT_EQ(w2.ticket().state, TicketState::kWithdrawn);
}

TEST(Lifecycle, EscalationToProvinceAndItsReply) {
  Walk w;
  ASSERT_OK(w.Register());
  ASSERT_OK(w.Do("disp", Action::kEscalate, {{"reason", "涉及省属单位"}}));
  EXPECT_EQ(w.ticket().state, TicketState::kEscalated);
  EXPECT_THAT(w.Do("housing", Action::kProvinceReply, {{"reply", "x"}}),
              HasErrorCode(ErrorCode::kPermissionDenied));
  ASSERT_OK(w.Do("system", Action::kProvinceReply, {{"reply", "省电力公司已处理"}}));
  EXPECT_EQ(w.ticket().state, TicketState::kReplied);
}

TEST(Lifecycle, SubDispatchToATownshipAndReturnToThePlatform) {
  Walk w;
  ASSERT_OK(w.Register());
  ASSERT_OK(w.Do("disp", Action::kDispatch, {{"lead_unit", "4"}}));
  ASSERT_OK(w.Do("hub", Action::kSign));
  EXPECT_THAT(w.Do("hub", Action::kSubDispatch, {{"lead_unit", "2"}}),
              HasErrorCode(ErrorCode::kInvalidArgument));  // not a subordinate
  ASSERT_OK(w.Do("hub", Action::kSubDispatch, {{"lead_unit", "5"}}));
  EXPECT_EQ(w.ticket().lead_unit, SmallCity::kTownship);
  EXPECT_EQ(w.ticket().dispatching_unit, SmallCity::kCountyHub);
  ASSERT_OK(w.Do("town", Action::kRequestReturn, {{"reason", "不属于本街道"}}));
  // The platform that sub-dispatched reviews the return, not the township itself.
  EXPECT_THAT(w.Do("town", Action::kApproveReturn), HasErrorCode(ErrorCode::kPermissionDenied));
  ASSERT_OK(w.Do("hub", Action::kApproveReturn));
  EXPECT_EQ(w.ticket().state, TicketState::kSigned);
  EXPECT_EQ(w.ticket().lead_unit, SmallCity::kCountyHub);
  EXPECT_EQ(w.ticket().dispatching_unit, SmallCity::kCentre);
}

TEST(Lifecycle, UrgeSuperviseNotesCoUnitsDeadlinesAttachments) {
  Walk w;
  ASSERT_OK(w.Register());
  ASSERT_OK(w.Do("disp", Action::kDispatch, kToHousing));
  ASSERT_OK(w.Do("sup", Action::kUrge, {{"comment", "请尽快签收"}}));
  ASSERT_OK(w.Do("system", Action::kUrge));
  EXPECT_EQ(w.ticket().urge_count, 2);
  EXPECT_THAT(w.Do("sup", Action::kSupervise, {{"level", "4"}}),
              HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(w.Do("disp", Action::kSupervise, {{"level", "2"}}),
              HasErrorCode(ErrorCode::kPermissionDenied));
  ASSERT_OK(w.Do("sup", Action::kSupervise, {{"level", "2"}}));
  EXPECT_EQ(w.ticket().supervise_level, 2);
  ASSERT_OK(w.Do("housing", Action::kNote, {{"text", "已电话联系市民"}}));
  EXPECT_THAT(w.Do("env", Action::kNote, {{"text", "x"}}),
              HasErrorCode(ErrorCode::kPermissionDenied));
  ASSERT_OK(w.Do("disp", Action::kAddCoUnit, {{"unit", "3"}}));
  EXPECT_THAT(w.Do("disp", Action::kAddCoUnit, {{"unit", "3"}}),
              HasErrorCode(ErrorCode::kAlreadyExists));
  ASSERT_OK(w.Do("env", Action::kNote, {{"text", "协办单位意见"}}));
  EXPECT_THAT(
      w.Do("sup", Action::kChangeDeadline, {{"reply_deadline", "2020-01-01"}, {"reason", "x"}}),
      HasErrorCode(ErrorCode::kInvalidArgument));
  ASSERT_OK(w.Do("sup", Action::kChangeDeadline,
                 {{"reply_deadline", "2024-04-01 17:30"}, {"reason", "市领导批示延长"}}));
  EXPECT_EQ(FormatLocal(*w.ticket().reply_deadline), "2024-04-01T17:30:00+08:00");
  ASSERT_OK(w.Do("housing", Action::kAttach,
                 {{"name", "现场照片.jpg"}, {"size", "204800"}, {"mime", "image/jpeg"}}));
  ASSERT_EQ(w.ticket().attachments.size(), 1u);
  EXPECT_EQ(w.ticket().attachments[0].size, 204800);
  EXPECT_EQ(w.ticket().notes.size(), 2u);
}

TEST(Lifecycle, OverdueIsDerivedFromTheClock) {
  Walk w;
  ASSERT_OK(w.Register());
  ASSERT_OK(w.Do("disp", Action::kDispatch, kToHousing));
  Instant deadline = *w.ticket().reply_deadline;
  EXPECT_FALSE(w.ticket().IsOverdue(deadline));
  EXPECT_TRUE(w.ticket().IsOverdue(deadline + std::chrono::seconds(1)));
  EXPECT_TRUE(w.ticket().IsSignOverdue(*w.ticket().sign_deadline + std::chrono::seconds(1)));
  w.Advance(std::chrono::hours(24 * 30));
  ASSERT_OK(w.Do("housing", Action::kSign));
  EXPECT_TRUE(w.ticket().signed_late);
  ASSERT_OK(w.Do("housing", Action::kReply, {{"reply", "迟到的答复"}}));
  EXPECT_TRUE(w.ticket().replied_late);
  EXPECT_FALSE(w.ticket().IsOverdue(w.now()));
}

TEST(Lifecycle, RegistrationValidatesFields) {
  auto city = hotline::testing::MakeSmallCity();
  auto ctx = city->Context(*ParseInstant("2024-03-04 09:00"));
  Actor op = city->Act("op");
  EXPECT_THAT(DecideRegister({{"content", "x"}}, op, ctx),
              HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(DecideRegister({{"type", "投诉"}}, op, ctx),
              HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(DecideRegister({{"type", "投诉"}, {"content", "x"}, {"urgency", "很急"}}, op, ctx),
              HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(DecideRegister({{"type", "投诉"}, {"content", "\xff\xfe"}}, op, ctx),
              HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(DecideRegister({{"type", "投诉"}, {"content", std::string(70000, 'a')}}, op, ctx),
              HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(DecideRegister({{"type", "投诉"}, {"content", "x"}, {"region", "99"}}, op, ctx),
              HasErrorCode(ErrorCode::kNotFound));
  EXPECT_THAT(DecideRegister({{"type", "投诉"}, {"content", "x"}}, city->Act("housing"), ctx),
              HasErrorCode(ErrorCode::kPermissionDenied));
  // A report protects the whistle-blower by default; anonymous drops the name.
  auto e = DecideRegister(
      {{"type", "举报"}, {"content", "非法采砂"}, {"anonymous", "1"}, {"citizen_name", "张三"}}, op,
      ctx);
  ASSERT_OK(e);
  EXPECT_EQ(e->fields.at("confidential"), "1");
  EXPECT_FALSE(e->fields.contains("citizen_name"));
}

// Every action in every state: allowed exactly where the table says, and an illegal one
// fails with kFailedPrecondition naming the state and the action.
TEST(Lifecycle, EveryIllegalTransitionIsRefusedWithItsNames) {
  auto city = hotline::testing::MakeSmallCity();
  auto ctx = city->Context(*ParseInstant("2024-03-04 09:00"));
  // The legal (state, action) pairs, written out independently of the implementation.
  const std::map<TicketState, std::set<Action>> legal = {
      {TicketState::kRegistered,
       {Action::kAnswer, Action::kReject, Action::kDispatch, Action::kEscalate, Action::kMerge,
        Action::kMergedIn, Action::kWithdraw, Action::kNote, Action::kAttach}},
      {TicketState::kDispatched,
       {Action::kSign, Action::kSubDispatch, Action::kRequestReturn, Action::kRedispatch,
        Action::kSuspend, Action::kUrge, Action::kAddCoUnit, Action::kMerge, Action::kMergedIn,
        Action::kWithdraw, Action::kSupervise, Action::kChangeDeadline, Action::kNote,
        Action::kAttach}},
      {TicketState::kSigned,
       {Action::kSubDispatch, Action::kRequestReturn, Action::kRedispatch, Action::kSuspend,
        Action::kUrge, Action::kAddCoUnit, Action::kRequestExtension, Action::kApproveExtension,
        Action::kRejectExtension, Action::kReply, Action::kMerge, Action::kMergedIn,
        Action::kWithdraw, Action::kSupervise, Action::kChangeDeadline, Action::kNote,
        Action::kAttach}},
      {TicketState::kReturnRequested,
       {Action::kApproveReturn, Action::kRejectReturn, Action::kMergedIn, Action::kWithdraw,
        Action::kSupervise, Action::kNote, Action::kAttach}},
      {TicketState::kReplied,
       {Action::kReviewPass, Action::kReviewFail, Action::kMergedIn, Action::kSupervise,
        Action::kNote, Action::kAttach}},
      {TicketState::kReviewed,
       {Action::kCallback, Action::kMergedIn, Action::kNote, Action::kAttach}},
      {TicketState::kCallbackDone,
       {Action::kRehandle, Action::kArchive, Action::kNote, Action::kAttach}},
      {TicketState::kSuspended,
       {Action::kResume, Action::kMergedIn, Action::kWithdraw, Action::kSupervise,
        Action::kChangeDeadline, Action::kNote, Action::kAttach}},
      {TicketState::kEscalated,
       {Action::kProvinceReply, Action::kMergedIn, Action::kWithdraw, Action::kNote,
        Action::kAttach}},
      {TicketState::kClosed, {Action::kArchive, Action::kNote, Action::kAttach}},
      {TicketState::kRejected, {Action::kArchive, Action::kNote, Action::kAttach}},
      {TicketState::kMerged, {Action::kArchive, Action::kNote, Action::kAttach}},
      {TicketState::kWithdrawn, {Action::kArchive, Action::kNote, Action::kAttach}},
      {TicketState::kArchived, {}},
  };
  ASSERT_EQ(legal.size(), std::size(kAllStates));
  for (TicketState state : kAllStates) {
    for (Action action : AllActions()) {
      const bool expected = legal.at(state).contains(action);
      EXPECT_EQ(IsAllowedIn(action, state), expected) << Code(state) << " / " << Code(action);
      if (expected || action == Action::kMergedIn) {
        continue;
      }
      Ticket t;
      t.id = TicketId{1};
      t.number = "SM1";
      t.state = state;
      t.lead_unit = SmallCity::kHousing;
      auto r = Decide(t, Command{action, {}}, city->Act("disp"), ctx);
      ASSERT_FALSE(r.has_value()) << Code(state) << " / " << Code(action);
      EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition) << r.error().message;
      EXPECT_NE(r.error().message.find(std::string(ChineseName(state))), std::string::npos)
          << r.error().message;
      EXPECT_NE(r.error().message.find(std::string(ChineseName(action))), std::string::npos)
          << r.error().message;
    }
  }
}

// Role checks: for each action in a state where it is legal, who may take it.
TEST(Lifecycle, RolesAndUnitsAreChecked) {
  Walk w;
  ASSERT_OK(w.Register());
  EXPECT_THAT(w.Do("op", Action::kDispatch, kToHousing),
              HasErrorCode(ErrorCode::kPermissionDenied));
  EXPECT_THAT(w.Do("housing", Action::kDispatch, kToHousing),
              HasErrorCode(ErrorCode::kPermissionDenied));
  EXPECT_THAT(w.Do("boss", Action::kAnswer, {{"answer", "x"}}),
              HasErrorCode(ErrorCode::kPermissionDenied));
  ASSERT_OK(w.Do("disp", Action::kDispatch, kToHousing));
  EXPECT_THAT(w.Do("env", Action::kSign), HasErrorCode(ErrorCode::kPermissionDenied));
  EXPECT_THAT(w.Do("cb", Action::kSign), HasErrorCode(ErrorCode::kPermissionDenied));
  EXPECT_THAT(w.Do("housing", Action::kSubDispatch, {{"lead_unit", "5"}}),
              HasErrorCode(ErrorCode::kPermissionDenied));  // handler, not unit admin
  ASSERT_OK(w.Do("housing-admin", Action::kSign));
  EXPECT_THAT(w.Do("housing", Action::kApproveExtension),
              HasErrorCode(ErrorCode::kPermissionDenied));
  ASSERT_OK(w.Do("housing", Action::kReply, {{"reply", "ok"}}));
  EXPECT_THAT(w.Do("housing", Action::kReviewPass), HasErrorCode(ErrorCode::kPermissionDenied));
  ASSERT_OK(w.Do("disp", Action::kReviewPass));
  EXPECT_THAT(w.Do("disp", Action::kCallback,
                   {{"reached", "1"}, {"resolved", "1"}, {"satisfaction", "满意"}}),
              HasErrorCode(ErrorCode::kPermissionDenied));
  EXPECT_THAT(w.Do("housing", Action::kArchive), HasErrorCode(ErrorCode::kFailedPrecondition));
}

TEST(Lifecycle, DispatchTargetsAreChecked) {
  Walk w;
  ASSERT_OK(w.Register());
  EXPECT_THAT(w.Do("disp", Action::kDispatch), HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(w.Do("disp", Action::kDispatch, {{"lead_unit", "99"}}),
              HasErrorCode(ErrorCode::kNotFound));
  EXPECT_THAT(w.Do("disp", Action::kDispatch, {{"lead_unit", "1"}}),
              HasErrorCode(ErrorCode::kInvalidArgument));  // the centre itself
  EXPECT_THAT(w.Do("disp", Action::kDispatch, {{"lead_unit", "abc"}}),
              HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(w.Do("disp", Action::kDispatch, {{"lead_unit", "2"}, {"co_units", "2"}}),
              HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_EQ(w.ticket().state, TicketState::kRegistered);
}

TEST(Lifecycle, ReplayOfTheHistoryEqualsTheLiveTicket) {
  Walk w;
  ASSERT_OK(w.Register());
  ASSERT_OK(w.Do("disp", Action::kDispatch, kToHousing));
  ASSERT_OK(w.Do("housing", Action::kSign));
  ASSERT_OK(w.Do("sup", Action::kSuspend, {{"reason", "等待"}}));
  w.Advance(std::chrono::hours(50));
  ASSERT_OK(w.Do("sup", Action::kResume));
  ASSERT_OK(w.Do("housing", Action::kReply, {{"reply", "ok"}}));
  Ticket replayed;
  replayed.id = w.ticket().id;
  replayed.number = w.ticket().number;
  replayed.version = 1;
  replayed.state = TicketState::kRegistered;
  replayed.type = w.ticket().type;
  replayed.content = w.ticket().content;
  replayed.created_at = w.ticket().created_at;
  for (const auto& e : w.history()) {
    Apply(replayed, e);
  }
  EXPECT_EQ(replayed.state, w.ticket().state);
  EXPECT_EQ(replayed.version, w.ticket().version);
  EXPECT_EQ(replayed.reply_deadline, w.ticket().reply_deadline);
}

}  // namespace
}  // namespace hotline::domain
