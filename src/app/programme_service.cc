#include "app/programme_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace hotline::app {

using domain::Actor;
using domain::Role;
using namespace domain::programmes;  // NOLINT(google-build-using-namespace)

namespace {

constexpr size_t kMaxTag = 500;
constexpr int kScanPage = 1000;
constexpr int64_t kMaxIndicatorDays = 366 * 3;

bool OneOf(Role r, std::initializer_list<Role> roles) {
  return std::find(roles.begin(), roles.end(), r) != roles.end();
}

Status Require(const Actor& a, std::initializer_list<Role> roles, const char* what) {
  if (OneOf(a.role, roles)) {
    return OkStatus();
  }
  return PermissionDenied(fmt::format("角色“{}”无权{}", domain::ChineseName(a.role), what));
}

Status ViewCampaigns(const Actor& a) {
  return Require(
      a, {Role::kLeader, Role::kSupervisor, Role::kInspector, Role::kDispatcher, Role::kAdmin},
      "查看专题");
}
Status ManageCampaigns(const Actor& a) {
  return Require(a, {Role::kLeader, Role::kSupervisor, Role::kAdmin}, "管理专题");
}
Status TagCampaigns(const Actor& a) {
  return Require(a, {Role::kLeader, Role::kSupervisor, Role::kDispatcher, Role::kAdmin},
                 "给工单打专题标签");
}
Status ViewLeaderDays(const Actor& a) {
  return Require(a,
                 {Role::kLeader, Role::kSupervisor, Role::kInspector, Role::kDispatcher,
                  Role::kOperator, Role::kAdmin},
                 "查看领导接线日");
}
Status ManageLeaderDays(const Actor& a) {
  return Require(a, {Role::kLeader, Role::kSupervisor, Role::kAdmin}, "安排领导接线日");
}
Status LinkLeaderDays(const Actor& a) {
  return Require(
      a, {Role::kLeader, Role::kSupervisor, Role::kDispatcher, Role::kOperator, Role::kAdmin},
      "关联领导接线日工单");
}
Status ViewDifficult(const Actor& a) {
  return Require(
      a, {Role::kSupervisor, Role::kDispatcher, Role::kAdmin, Role::kLeader, Role::kInspector},
      "查看疑难件");
}
Status ManageDifficult(const Actor& a) {
  return Require(a, {Role::kSupervisor, Role::kDispatcher, Role::kAdmin}, "标记或跟踪疑难件");
}
Status ViewSheets(const Actor& a) {
  return Require(a,
                 {Role::kInspector, Role::kSupervisor, Role::kLeader, Role::kAdmin, Role::kOperator,
                  Role::kCallback},
                 "查看质检评分表");
}
Status ManageSheets(const Actor& a) {
  return Require(a, {Role::kInspector, Role::kAdmin}, "管理质检评分表");
}
bool SeesAllQa(Role r) {
  return OneOf(r, {Role::kInspector, Role::kSupervisor, Role::kLeader, Role::kAdmin});
}

// A period of local dates: both valid, from <= to, at most `max_days` long.
Status CheckPeriod(const std::string& from, const std::string& to, int64_t max_days) {
  if (!IsDate(from)) {
    return InvalidArgument("from 应为日期 YYYY-MM-DD");
  }
  if (!IsDate(to)) {
    return InvalidArgument("to 应为日期 YYYY-MM-DD");
  }
  int64_t days = DaysBetween(from, to);
  if (days < 0) {
    return InvalidArgument("from 不能晚于 to");
  }
  if (days + 1 > max_days) {
    return InvalidArgument(fmt::format("统计期间最长 {} 天", max_days));
  }
  return OkStatus();
}

bool SameRule(const Campaign& a, const Campaign& b) {
  return a.from == b.from && a.to == b.to && a.categories == b.categories &&
         a.regions == b.regions && a.keywords == b.keywords;
}

}  // namespace

const std::vector<std::string>& CampaignHeadlineKpis() {
  static const std::vector<std::string> ids{"received", "on_time_completion_rate",
                                            "satisfaction_rate", "resolution_rate"};
  return ids;
}

std::string ProgrammeService::LoginOf(const Actor& actor) const {
  auto config = config_();
  const domain::User* u = config->org.FindUser(actor.user);
  return u != nullptr ? u->login : actor.name;
}

Result<domain::Ticket> ProgrammeService::TicketByNumber(const std::string& number) {
  auto t = tickets_.FindByNumber(number);
  if (!t.has_value() && t.error().code == ErrorCode::kNotFound) {
    return NotFound("工单不存在: " + number);
  }
  return t;
}

// ---------------------------------------------------------------------------- campaigns

Result<std::vector<CampaignSummary>> ProgrammeService::Campaigns(const Actor& actor) {
  HOTLINE_RETURN_IF_ERROR(ViewCampaigns(actor));
  HOTLINE_ASSIGN_OR_RETURN(auto list, store_.ListCampaigns());
  std::vector<CampaignSummary> out;
  for (Campaign& c : list) {
    HOTLINE_RETURN_IF_ERROR(RefreshCampaign(c.id));
    HOTLINE_ASSIGN_OR_RETURN(int64_t n, store_.CampaignTicketCount(c.id));
    out.push_back({std::move(c), n});
  }
  return out;
}

Result<CampaignSummary> ProgrammeService::FindCampaign(const Actor& actor, int64_t id) {
  HOTLINE_RETURN_IF_ERROR(ViewCampaigns(actor));
  HOTLINE_RETURN_IF_ERROR(RefreshCampaign(id));
  HOTLINE_ASSIGN_OR_RETURN(Campaign c, store_.FindCampaign(id));
  HOTLINE_ASSIGN_OR_RETURN(int64_t n, store_.CampaignTicketCount(id));
  return CampaignSummary{std::move(c), n};
}

Result<Campaign> ProgrammeService::CreateCampaign(const Actor& actor, Campaign c) {
  HOTLINE_RETURN_IF_ERROR(ManageCampaigns(actor));
  auto config = config_();
  HOTLINE_RETURN_IF_ERROR(Validate(c, config->org, config->categories));
  c.created_by = LoginOf(actor);
  c.created_at = clock_.Now();
  c.scanned_to = 0;
  HOTLINE_ASSIGN_OR_RETURN(c.id, store_.CreateCampaign(c));
  HOTLINE_RETURN_IF_ERROR(RefreshCampaign(c.id));
  return store_.FindCampaign(c.id);
}

Result<Campaign> ProgrammeService::UpdateCampaign(const Actor& actor, Campaign c) {
  HOTLINE_RETURN_IF_ERROR(ManageCampaigns(actor));
  HOTLINE_ASSIGN_OR_RETURN(Campaign stored, store_.FindCampaign(c.id));
  auto config = config_();
  HOTLINE_RETURN_IF_ERROR(Validate(c, config->org, config->categories));
  c.created_by = stored.created_by;
  c.created_at = stored.created_at;
  HOTLINE_RETURN_IF_ERROR(store_.UpdateCampaign(c, !SameRule(c, stored)));
  HOTLINE_RETURN_IF_ERROR(RefreshCampaign(c.id));
  return store_.FindCampaign(c.id);
}

Status ProgrammeService::DeleteCampaign(const Actor& actor, int64_t id) {
  HOTLINE_RETURN_IF_ERROR(ManageCampaigns(actor));
  return store_.DeleteCampaign(id);
}

Result<int64_t> ProgrammeService::RefreshCampaign(int64_t id) {
  std::lock_guard lock(refresh_mu_);
  HOTLINE_ASSIGN_OR_RETURN(Campaign c, store_.FindCampaign(id));
  if (!c.HasRule()) {
    return int64_t{0};
  }
  // The newest ticket now: nothing to do when the rule has seen it. Ids are given in commit
  // order by the store's one writer, so every ticket committed later has a larger id.
  ports::TicketFilter newest;
  newest.newest_first = true;
  newest.limit = 1;
  HOTLINE_ASSIGN_OR_RETURN(auto top, tickets_.List(newest));
  int64_t high = top.empty() ? 0 : top.front().id.value();
  if (high <= c.scanned_to) {
    return int64_t{0};
  }
  auto config = config_();
  ports::TicketFilter filter;
  if (c.scanned_to == 0) {
    // The first scan reads the period's tickets by registration time; later ones read only
    // the tickets registered since (by id), whatever the period.
    filter.created_from = ParseInstant(c.from);
    filter.created_to = *ParseInstant(c.to) + std::chrono::hours(24);
  }
  filter.after_id = c.scanned_to;
  filter.limit = kScanPage;
  int64_t matched = 0;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(auto page, tickets_.List(filter));
    if (page.empty()) {
      break;
    }
    std::vector<int64_t> ids;
    for (const domain::Ticket& t : page) {
      if (Matches(c, t, config->org, config->categories)) {
        ids.push_back(t.id.value());
      }
    }
    int64_t last = page.back().id.value();
    HOTLINE_RETURN_IF_ERROR(store_.AddCampaignTickets(id, ids, false, last));
    matched += static_cast<int64_t>(ids.size());
    filter.after_id = last;
    if (static_cast<int>(page.size()) < kScanPage) {
      break;
    }
  }
  // Seen up to `high` even when the period's last ticket is older: the next scan starts there.
  HOTLINE_RETURN_IF_ERROR(store_.AddCampaignTickets(id, {}, false, high));
  return matched;
}

Status ProgrammeService::TagTickets(const Actor& actor, int64_t id,
                                    const std::vector<std::string>& numbers) {
  HOTLINE_RETURN_IF_ERROR(TagCampaigns(actor));
  if (numbers.empty()) {
    return InvalidArgument("numbers: 至少一个工单号");
  }
  if (numbers.size() > kMaxTag) {
    return InvalidArgument(fmt::format("numbers: 一次最多 {} 个工单", kMaxTag));
  }
  HOTLINE_RETURN_IF_ERROR(store_.FindCampaign(id));
  std::vector<int64_t> ids;
  for (const std::string& n : numbers) {
    HOTLINE_ASSIGN_OR_RETURN(domain::Ticket t, TicketByNumber(n));
    ids.push_back(t.id.value());
  }
  return store_.AddCampaignTickets(id, ids, true, 0);
}

Status ProgrammeService::UntagTicket(const Actor& actor, int64_t id, const std::string& number) {
  HOTLINE_RETURN_IF_ERROR(TagCampaigns(actor));
  // The rule may not have seen the ticket yet: apply it first, so that removing a ticket
  // registered since the last scan excludes it instead of failing.
  HOTLINE_RETURN_IF_ERROR(RefreshCampaign(id));
  HOTLINE_ASSIGN_OR_RETURN(domain::Ticket t, TicketByNumber(number));
  return store_.RemoveCampaignTicket(id, t.id.value());
}

Result<CampaignTicketPage> ProgrammeService::CampaignTickets(const Actor& actor, int64_t id,
                                                             int64_t after, int limit) {
  HOTLINE_RETURN_IF_ERROR(ViewCampaigns(actor));
  HOTLINE_RETURN_IF_ERROR(RefreshCampaign(id));
  HOTLINE_ASSIGN_OR_RETURN(auto members, store_.CampaignTickets(id, after, limit));
  CampaignTicketPage page;
  Instant now = clock_.Now();
  for (const ports::CampaignTicket& m : members) {
    HOTLINE_ASSIGN_OR_RETURN(domain::Ticket t, tickets_.Find(domain::TicketId{m.ticket_id}));
    page.tickets.push_back({m, Follow(t, now)});
  }
  if (static_cast<int>(members.size()) == limit && !members.empty()) {
    page.next_after = members.back().ticket_id;
  }
  return page;
}

Result<CampaignIndicators> ProgrammeService::Indicators(const Actor& actor, int64_t id,
                                                        const std::string& from,
                                                        const std::string& to) {
  HOTLINE_RETURN_IF_ERROR(ViewCampaigns(actor));
  HOTLINE_RETURN_IF_ERROR(RefreshCampaign(id));
  HOTLINE_ASSIGN_OR_RETURN(Campaign c, store_.FindCampaign(id));
  CampaignIndicators out;
  out.from = from.empty() ? c.from : from;
  out.to = to.empty() ? c.to : to;
  HOTLINE_RETURN_IF_ERROR(CheckPeriod(out.from, out.to, kMaxIndicatorDays));
  HOTLINE_ASSIGN_OR_RETURN(domain::kpi::Sums sums, store_.CampaignSums(id, out.from, out.to));
  HOTLINE_ASSIGN_OR_RETURN(out.tickets, store_.CampaignTicketCount(id));
  out.kpis = domain::kpi::Compute(sums);
  out.campaign = std::move(c);
  return out;
}

// ---------------------------------------------------------------------------- leader days

Result<std::vector<LeaderDay>> ProgrammeService::LeaderDays(const Actor& actor,
                                                            const std::string& from,
                                                            const std::string& to) {
  HOTLINE_RETURN_IF_ERROR(ViewLeaderDays(actor));
  if (!from.empty() && !IsDate(from)) {
    return InvalidArgument("from 应为日期 YYYY-MM-DD");
  }
  if (!to.empty() && !IsDate(to)) {
    return InvalidArgument("to 应为日期 YYYY-MM-DD");
  }
  return store_.ListLeaderDays(from, to);
}

Result<LeaderDayView> ProgrammeService::LeaderDayDetail(const Actor& actor, int64_t id) {
  HOTLINE_RETURN_IF_ERROR(ViewLeaderDays(actor));
  LeaderDayView view;
  HOTLINE_ASSIGN_OR_RETURN(view.day, store_.FindLeaderDay(id));
  HOTLINE_ASSIGN_OR_RETURN(auto ids, store_.LeaderDayTickets(id));
  Instant now = clock_.Now();
  for (int64_t tid : ids) {
    HOTLINE_ASSIGN_OR_RETURN(domain::Ticket t, tickets_.Find(domain::TicketId{tid}));
    view.tickets.push_back(Follow(t, now));
  }
  view.summary = Summarise(view.tickets);
  return view;
}

Result<LeaderDay> ProgrammeService::CreateLeaderDay(const Actor& actor, LeaderDay d) {
  HOTLINE_RETURN_IF_ERROR(ManageLeaderDays(actor));
  HOTLINE_RETURN_IF_ERROR(Validate(d, config_()->org));
  d.created_by = LoginOf(actor);
  d.created_at = clock_.Now();
  HOTLINE_ASSIGN_OR_RETURN(d.id, store_.CreateLeaderDay(d));
  return d;
}

Result<LeaderDay> ProgrammeService::UpdateLeaderDay(const Actor& actor, LeaderDay d) {
  HOTLINE_RETURN_IF_ERROR(ManageLeaderDays(actor));
  HOTLINE_ASSIGN_OR_RETURN(LeaderDay stored, store_.FindLeaderDay(d.id));
  HOTLINE_RETURN_IF_ERROR(Validate(d, config_()->org));
  if (d.date != stored.date) {
    HOTLINE_ASSIGN_OR_RETURN(auto linked, store_.LeaderDayTickets(d.id));
    if (!linked.empty()) {
      return FailedPrecondition(
          fmt::format("已关联 {} 件工单，不能改接线日期（先取消关联）", linked.size()));
    }
  }
  d.created_by = stored.created_by;
  d.created_at = stored.created_at;
  HOTLINE_RETURN_IF_ERROR(store_.UpdateLeaderDay(d));
  return d;
}

Status ProgrammeService::DeleteLeaderDay(const Actor& actor, int64_t id) {
  HOTLINE_RETURN_IF_ERROR(ManageLeaderDays(actor));
  return store_.DeleteLeaderDay(id);
}

Status ProgrammeService::LinkTicket(const Actor& actor, int64_t id, const std::string& number) {
  HOTLINE_RETURN_IF_ERROR(LinkLeaderDays(actor));
  HOTLINE_ASSIGN_OR_RETURN(LeaderDay d, store_.FindLeaderDay(id));
  HOTLINE_ASSIGN_OR_RETURN(domain::Ticket t, TicketByNumber(number));
  std::string day = FormatLocalDate(t.created_at);
  if (day != d.date) {
    return InvalidArgument(
        fmt::format("工单 {} 受理于 {}，不是本次接线日（{}）受理的", number, day, d.date));
  }
  return store_.LinkLeaderDayTicket(id, t.id.value());
}

Status ProgrammeService::UnlinkTicket(const Actor& actor, int64_t id, const std::string& number) {
  HOTLINE_RETURN_IF_ERROR(LinkLeaderDays(actor));
  HOTLINE_RETURN_IF_ERROR(store_.FindLeaderDay(id));
  HOTLINE_ASSIGN_OR_RETURN(domain::Ticket t, TicketByNumber(number));
  return store_.UnlinkLeaderDayTicket(id, t.id.value());
}

// ---------------------------------------------------------------------------- difficult cases

Result<domain::programmes::DifficultCase> ProgrammeService::FlagDifficult(
    const Actor& actor, const std::string& number, domain::programmes::DifficultCase c) {
  HOTLINE_RETURN_IF_ERROR(ManageDifficult(actor));
  HOTLINE_RETURN_IF_ERROR(Validate(c, config_()->org));
  HOTLINE_ASSIGN_OR_RETURN(domain::Ticket t, TicketByNumber(number));
  if (IsFinished(t.state)) {
    return FailedPrecondition(
        fmt::format("工单 {} 已{}，不能再标为疑难件", number, domain::ChineseName(t.state)));
  }
  c.ticket = t.id;
  c.number = t.number;
  c.flagged_by = LoginOf(actor);
  c.flagged_at = clock_.Now();
  c.resolved = false;
  c.resolved_at.reset();
  c.resolution.clear();
  HOTLINE_ASSIGN_OR_RETURN(c.id, store_.CreateDifficultCase(c));
  return store_.FindDifficultCase(c.id);
}

Result<domain::programmes::DifficultCase> ProgrammeService::UpdateDifficult(
    const Actor& actor, int64_t id, const CaseUpdate& update) {
  HOTLINE_RETURN_IF_ERROR(ManageDifficult(actor));
  HOTLINE_ASSIGN_OR_RETURN(domain::programmes::DifficultCase c, store_.FindDifficultCase(id));
  if (c.resolved) {
    return FailedPrecondition("疑难件已办结，不能再修改");
  }
  Instant now = clock_.Now();
  if (update.owner) {
    c.owner = *update.owner;
  }
  if (update.next_review) {
    c.next_review = *update.next_review;
  }
  std::vector<CaseNote> notes;
  if (update.note) {
    notes.push_back({now, LoginOf(actor), *update.note});
  }
  if (update.resolution) {
    c.resolved = true;
    c.resolved_at = now;
    c.resolution = *update.resolution;
    if (c.resolution.find_first_not_of(" \t\r\n") == std::string::npos) {
      return InvalidArgument("办结说明 resolution 不能为空");
    }
  }
  domain::programmes::DifficultCase check = c;
  check.notes = notes;
  HOTLINE_RETURN_IF_ERROR(Validate(check, config_()->org));
  HOTLINE_RETURN_IF_ERROR(store_.UpdateDifficultCase(c, notes));
  return store_.FindDifficultCase(id);
}

Result<DifficultCaseView> ProgrammeService::FindDifficult(const Actor& actor, int64_t id) {
  HOTLINE_RETURN_IF_ERROR(ViewDifficult(actor));
  DifficultCaseView v;
  HOTLINE_ASSIGN_OR_RETURN(v.c, store_.FindDifficultCase(id));
  Instant now = clock_.Now();
  v.age_days = AgeDays(v.c, now);
  v.review_due = ReviewDue(v.c, now);
  auto t = tickets_.Find(v.c.ticket);
  if (t.has_value()) {
    v.ticket = Follow(*t, now);
  }
  return v;
}

Result<std::vector<DifficultCaseView>> ProgrammeService::DifficultCases(
    const Actor& actor, const ports::DifficultFilter& filter) {
  HOTLINE_RETURN_IF_ERROR(ViewDifficult(actor));
  HOTLINE_ASSIGN_OR_RETURN(auto list, store_.ListDifficultCases(filter));
  Instant now = clock_.Now();
  std::vector<DifficultCaseView> out;
  for (auto& c : list) {
    DifficultCaseView v;
    v.age_days = AgeDays(c, now);
    v.review_due = ReviewDue(c, now);
    auto t = tickets_.Find(c.ticket);
    if (t.has_value()) {
      v.ticket = Follow(*t, now);
    }
    v.c = std::move(c);
    out.push_back(std::move(v));
  }
  return out;
}

// ---------------------------------------------------------------------------- quality inspection

Result<std::vector<ScoreSheet>> ProgrammeService::Sheets(const Actor& actor) {
  HOTLINE_RETURN_IF_ERROR(ViewSheets(actor));
  return store_.ListSheets();
}

Result<ScoreSheet> ProgrammeService::CreateSheet(const Actor& actor, ScoreSheet s) {
  HOTLINE_RETURN_IF_ERROR(ManageSheets(actor));
  HOTLINE_RETURN_IF_ERROR(Validate(s));
  s.created_by = LoginOf(actor);
  s.created_at = clock_.Now();
  HOTLINE_ASSIGN_OR_RETURN(s.id, store_.CreateSheet(s));
  return s;
}

Result<ScoreSheet> ProgrammeService::UpdateSheet(const Actor& actor, ScoreSheet s) {
  HOTLINE_RETURN_IF_ERROR(ManageSheets(actor));
  HOTLINE_ASSIGN_OR_RETURN(ScoreSheet stored, store_.FindSheet(s.id));
  HOTLINE_RETURN_IF_ERROR(Validate(s));
  s.created_by = stored.created_by;
  s.created_at = stored.created_at;
  HOTLINE_RETURN_IF_ERROR(store_.UpdateSheet(s));
  return s;
}

Result<Inspection> ProgrammeService::Inspect(const Actor& actor, Inspection i) {
  HOTLINE_RETURN_IF_ERROR(Require(actor, {Role::kInspector}, "质检评分"));
  HOTLINE_ASSIGN_OR_RETURN(ScoreSheet sheet, store_.FindSheet(i.sheet));
  if (!sheet.active) {
    return FailedPrecondition(fmt::format("评分表“{}”已停用", sheet.name));
  }
  HOTLINE_RETURN_IF_ERROR(ScoreAgainst(i, sheet));
  auto config = config_();
  if (i.target.empty()) {
    return InvalidArgument("target: 应为通话编号或工单号");
  }
  std::string recorded;  // the agent the call or ticket names
  if (i.target_kind == QaTarget::kCall) {
    HOTLINE_ASSIGN_OR_RETURN(recorded, store_.CallAgent(i.target));
  } else {
    HOTLINE_ASSIGN_OR_RETURN(domain::Ticket t, TicketByNumber(i.target));
    const domain::User* u = config->org.FindUser(t.created_by);
    recorded = u != nullptr ? u->login : "";
    i.target = t.number;
  }
  if (i.agent.empty()) {
    i.agent = recorded;
  } else if (i.target_kind == QaTarget::kCall && !recorded.empty() && recorded != i.agent) {
    return InvalidArgument(
        fmt::format("agent: 通话 {} 的坐席是 {}，不是 {}", i.target, recorded, i.agent));
  }
  if (i.agent.empty()) {
    return InvalidArgument("agent: 无法从通话或工单确定被质检坐席，请填写 agent");
  }
  const domain::User* agent = config->org.FindUserByLogin(i.agent);
  if (agent == nullptr || !IsAgentRole(agent->role)) {
    return InvalidArgument("agent: 不是话务员或回访员: " + i.agent);
  }
  i.inspector = LoginOf(actor);
  i.at = clock_.Now();
  HOTLINE_ASSIGN_OR_RETURN(i.id, store_.CreateInspection(i));
  return i;
}

Result<std::vector<Inspection>> ProgrammeService::Inspections(const Actor& actor,
                                                              ports::InspectionFilter filter) {
  if (!SeesAllQa(actor.role)) {
    if (!IsAgentRole(actor.role)) {
      return PermissionDenied(
          fmt::format("角色“{}”无权查看质检结果", domain::ChineseName(actor.role)));
    }
    std::string me = LoginOf(actor);
    if (!filter.agent.empty() && filter.agent != me) {
      return PermissionDenied("坐席只能查看自己的质检结果");
    }
    filter.agent = me;
  }
  if (!filter.from.empty() && !IsDate(filter.from)) {
    return InvalidArgument("from 应为日期 YYYY-MM-DD");
  }
  if (!filter.to.empty() && !IsDate(filter.to)) {
    return InvalidArgument("to 应为日期 YYYY-MM-DD");
  }
  return store_.ListInspections(filter);
}

Result<QaRanking> ProgrammeService::Ranking(const Actor& actor, const std::string& from,
                                            const std::string& to) {
  if (!SeesAllQa(actor.role) && !IsAgentRole(actor.role)) {
    return PermissionDenied(
        fmt::format("角色“{}”无权查看质检排名", domain::ChineseName(actor.role)));
  }
  HOTLINE_RETURN_IF_ERROR(CheckPeriod(from, to, kMaxIndicatorDays));
  std::vector<Inspection> all;
  ports::InspectionFilter f;
  f.from = from;
  f.to = to;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(auto page, store_.ListInspections(f));
    if (page.empty()) {
      break;
    }
    f.after_id = page.back().id;
    bool last = static_cast<int>(page.size()) < f.limit;
    std::move(page.begin(), page.end(), std::back_inserter(all));
    if (last) {
      break;
    }
  }
  QaRanking out;
  out.from = from;
  out.to = to;
  out.agents = RankAgents(all);
  out.ranked = static_cast<int64_t>(out.agents.size());
  if (!SeesAllQa(actor.role)) {
    std::string me = LoginOf(actor);
    std::erase_if(out.agents, [&](const AgentQa& a) { return a.agent != me; });
  }
  return out;
}

}  // namespace hotline::app
