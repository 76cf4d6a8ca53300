#include "domain/programmes/programmes.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

#include "common/utf8.h"

namespace hotline::domain::programmes {

namespace {

bool Blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// A required (or optional, when !required) text of at most `max` characters.
Status Text(const std::string& s, const char* label, size_t max, bool required) {
  if (!IsValidUtf8(s)) {
    return InvalidArgument(fmt::format("{}不是有效的 UTF-8 文本", label));
  }
  if (required && Blank(s)) {
    return InvalidArgument(fmt::format("{}不能为空", label));
  }
  if (Utf8Length(s) > max) {
    return InvalidArgument(fmt::format("{}过长（最多 {} 个字）", label, max));
  }
  return OkStatus();
}

std::optional<std::chrono::sys_days> ParseDate(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') {
    return std::nullopt;
  }
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') {
      return std::nullopt;
    }
  }
  auto num = [&](size_t at, size_t n) {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      v = v * 10 + (d[i] - '0');
    }
    return v;
  };
  std::chrono::year_month_day ymd{std::chrono::year{num(0, 4)},
                                  std::chrono::month{static_cast<unsigned>(num(5, 2))},
                                  std::chrono::day{static_cast<unsigned>(num(8, 2))}};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  return std::chrono::sys_days{ymd};
}

bool ContainsAny(const Ticket& t, const std::vector<std::string>& keywords) {
  for (const std::string& k : keywords) {
    if (t.title.find(k) != std::string::npos || t.content.find(k) != std::string::npos ||
        t.address.find(k) != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool IsDate(std::string_view d) { return ParseDate(d).has_value(); }

int64_t DaysBetween(std::string_view from, std::string_view to) {
  auto f = ParseDate(from);
  auto t = ParseDate(to);
  if (!f || !t) {
    return 0;
  }
  return (*t - *f).count();
}

// ---------------------------------------------------------------------------------------

Status Validate(const Campaign& c, const OrgTree& org, const CategoryTree& categories) {
  HOTLINE_RETURN_IF_ERROR(Text(c.name, "专题名称 name", kMaxName, true));
  HOTLINE_RETURN_IF_ERROR(Text(c.description, "专题说明 description", kMaxText, false));
  if (!IsDate(c.from)) {
    return InvalidArgument("开始日期 from 应为 YYYY-MM-DD");
  }
  if (!IsDate(c.to)) {
    return InvalidArgument("结束日期 to 应为 YYYY-MM-DD");
  }
  int64_t days = DaysBetween(c.from, c.to);
  if (days < 0) {
    return InvalidArgument("结束日期 to 早于开始日期 from");
  }
  if (days + 1 > kMaxCampaignDays) {
    return InvalidArgument(fmt::format("专题期间最长 {} 天", kMaxCampaignDays));
  }
  if (c.categories.size() > kMaxListIds || c.regions.size() > kMaxListIds) {
    return InvalidArgument(fmt::format("分类和区域各最多 {} 个", kMaxListIds));
  }
  for (CategoryId id : c.categories) {
    if (categories.Find(id) == nullptr) {
      return InvalidArgument(fmt::format("categories: 诉求分类不存在: {}", id.value()));
    }
  }
  for (RegionId id : c.regions) {
    if (org.FindRegion(id) == nullptr) {
      return InvalidArgument(fmt::format("regions: 行政区划不存在: {}", id.value()));
    }
  }
  if (c.keywords.size() > kMaxKeywords) {
    return InvalidArgument(fmt::format("keywords: 关键词最多 {} 个", kMaxKeywords));
  }
  std::set<std::string> seen;
  for (const std::string& k : c.keywords) {
    HOTLINE_RETURN_IF_ERROR(Text(k, "keywords: 关键词", kMaxKeyword, true));
    if (!seen.insert(k).second) {
      return InvalidArgument("keywords: 关键词重复: " + k);
    }
  }
  return OkStatus();
}

bool Matches(const Campaign& c, const Ticket& t, const OrgTree& org,
             const CategoryTree& categories) {
  if (!c.HasRule()) {
    return false;
  }
  std::string day = FormatLocalDate(t.created_at);
  if (day < c.from || day > c.to) {
    return false;
  }
  if (!c.categories.empty()) {
    auto chain = categories.Ancestry(t.category);
    bool in = std::any_of(c.categories.begin(), c.categories.end(), [&](CategoryId id) {
      return std::find(chain.begin(), chain.end(), id) != chain.end();
    });
    if (!in) {
      return false;
    }
  }
  if (!c.regions.empty()) {
    bool in = std::any_of(c.regions.begin(), c.regions.end(), [&](RegionId id) {
      return t.region.valid() && org.IsRegionWithin(t.region, id);
    });
    if (!in) {
      return false;
    }
  }
  return c.keywords.empty() || ContainsAny(t, c.keywords);
}

// ---------------------------------------------------------------------------------------

Status Validate(const LeaderDay& d, const OrgTree& org) {
  if (!IsDate(d.date)) {
    return InvalidArgument("接线日期 date 应为 YYYY-MM-DD");
  }
  HOTLINE_RETURN_IF_ERROR(Text(d.leader, "接线领导 leader", kMaxName, true));
  HOTLINE_RETURN_IF_ERROR(Text(d.topic, "接线主题 topic", kMaxName * 2, true));
  HOTLINE_RETURN_IF_ERROR(Text(d.note, "备注 note", kMaxText, false));
  if (d.units.size() > kMaxListIds) {
    return InvalidArgument(fmt::format("units: 最多 {} 个单位", kMaxListIds));
  }
  std::set<UnitId> seen;
  for (UnitId u : d.units) {
    const Unit* unit = org.FindUnit(u);
    if (unit == nullptr || !unit->active) {
      return InvalidArgument(fmt::format("units: 单位不存在或已停用: {}", u.value()));
    }
    if (!seen.insert(u).second) {
      return InvalidArgument(fmt::format("units: 单位重复: {}", unit->name));
    }
  }
  return OkStatus();
}

bool IsFinished(TicketState s) {
  switch (s) {
    case TicketState::kCallbackDone:
    case TicketState::kClosed:
    case TicketState::kRejected:
    case TicketState::kMerged:
    case TicketState::kWithdrawn:
    case TicketState::kArchived:
      return true;
    case TicketState::kRegistered:
    case TicketState::kDispatched:
    case TicketState::kSigned:
    case TicketState::kReturnRequested:
    case TicketState::kReplied:
    case TicketState::kReviewed:
    case TicketState::kSuspended:
    case TicketState::kEscalated:
      return false;
  }
  return false;
}

FollowedTicket Follow(const Ticket& t, Instant now) {
  FollowedTicket f;
  f.id = t.id;
  f.number = t.number;
  f.state = t.state;
  f.lead_unit = t.lead_unit;
  f.reply_deadline = t.reply_deadline;
  f.closed = IsFinished(t.state);
  f.overdue = !f.closed && t.IsOverdue(now);
  return f;
}

FollowSummary Summarise(const std::vector<FollowedTicket>& tickets) {
  FollowSummary s;
  for (const FollowedTicket& f : tickets) {
    ++s.total;
    if (f.closed) {
      ++s.closed;
    } else {
      ++s.open;
    }
    if (f.overdue) {
      ++s.overdue;
    }
  }
  return s;
}

// ---------------------------------------------------------------------------------------

Status Validate(const DifficultCase& c, const OrgTree& org) {
  HOTLINE_RETURN_IF_ERROR(Text(c.reason, "疑难原因 reason", kMaxText, true));
  HOTLINE_RETURN_IF_ERROR(Text(c.resolution, "办结说明 resolution", kMaxText, false));
  if (!c.next_review.empty() && !IsDate(c.next_review)) {
    return InvalidArgument("下次会商日期 next_review 应为 YYYY-MM-DD");
  }
  if (!c.owner.empty()) {
    const User* u = org.FindUserByLogin(c.owner);
    if (u == nullptr || !u->active) {
      return InvalidArgument("owner: 协调人不是有效用户: " + c.owner);
    }
  }
  for (const CaseNote& n : c.notes) {
    HOTLINE_RETURN_IF_ERROR(Text(n.text, "协调记录 note", kMaxText, true));
  }
  return OkStatus();
}

int64_t AgeDays(const DifficultCase& c, Instant now) {
  Instant end = c.resolved && c.resolved_at ? *c.resolved_at : now;
  if (end < c.flagged_at) {
    return 0;
  }
  return std::chrono::duration_cast<std::chrono::hours>(end - c.flagged_at).count() / 24;
}

bool ReviewDue(const DifficultCase& c, Instant now) {
  return !c.resolved && !c.next_review.empty() && c.next_review < FormatLocalDate(now);
}

// ---------------------------------------------------------------------------------------

int ScoreSheet::MaxTotal() const {
  int total = 0;
  for (const SheetItem& i : items) {
    total += i.max_points;
  }
  return total;
}

Status Validate(const ScoreSheet& s) {
  HOTLINE_RETURN_IF_ERROR(Text(s.name, "评分表名称 name", kMaxName, true));
  if (s.items.empty()) {
    return InvalidArgument("items: 评分表至少要有一个评分项");
  }
  if (s.items.size() > kMaxSheetItems) {
    return InvalidArgument(fmt::format("items: 评分项最多 {} 个", kMaxSheetItems));
  }
  std::set<std::string> names;
  for (size_t i = 0; i < s.items.size(); ++i) {
    const SheetItem& item = s.items[i];
    HOTLINE_RETURN_IF_ERROR(
        Text(item.name, fmt::format("items[{}].name 评分项名称", i).c_str(), kMaxName, true));
    if (!names.insert(item.name).second) {
      return InvalidArgument(fmt::format("items[{}].name: 评分项重复: {}", i, item.name));
    }
    if (item.max_points < 1 || item.max_points > kMaxItemPoints) {
      return InvalidArgument(
          fmt::format("items[{}].max_points: 分值应为 1-{} 的整数", i, kMaxItemPoints));
    }
  }
  return OkStatus();
}

std::string_view Code(QaTarget t) {
  switch (t) {
    case QaTarget::kCall:
      return "call";
    case QaTarget::kTicket:
      return "ticket";
  }
  return "call";
}

std::optional<QaTarget> ParseQaTarget(std::string_view code) {
  if (code == "call" || code == "通话") {
    return QaTarget::kCall;
  }
  if (code == "ticket" || code == "工单") {
    return QaTarget::kTicket;
  }
  return std::nullopt;
}

double Inspection::Percent() const {
  return max_total == 0 ? 0.0 : 100.0 * static_cast<double>(total) / max_total;
}

Status ScoreAgainst(Inspection& inspection, const ScoreSheet& sheet) {
  if (inspection.scores.size() != sheet.items.size()) {
    return InvalidArgument(
        fmt::format("scores: 应有 {} 个得分（评分表“{}”的每一项一个），实际 {} 个",
                    sheet.items.size(), sheet.name, inspection.scores.size()));
  }
  if (!inspection.remarks.empty() && inspection.remarks.size() != sheet.items.size()) {
    return InvalidArgument(
        fmt::format("remarks: 应为空或每个评分项一条（{} 条）", sheet.items.size()));
  }
  int total = 0;
  for (size_t i = 0; i < sheet.items.size(); ++i) {
    int v = inspection.scores[i];
    if (v < 0 || v > sheet.items[i].max_points) {
      return InvalidArgument(fmt::format("scores[{}]: “{}”的得分应为 0-{}", i, sheet.items[i].name,
                                         sheet.items[i].max_points));
    }
    total += v;
  }
  for (size_t i = 0; i < inspection.remarks.size(); ++i) {
    HOTLINE_RETURN_IF_ERROR(Text(inspection.remarks[i],
                                 fmt::format("remarks[{}] 评分说明", i).c_str(), kMaxText, false));
  }
  HOTLINE_RETURN_IF_ERROR(Text(inspection.comment, "质检评语 comment", kMaxText, false));
  inspection.total = total;
  inspection.max_total = sheet.MaxTotal();
  return OkStatus();
}

bool IsAgentRole(Role role) { return role == Role::kOperator || role == Role::kCallback; }

std::vector<AgentQa> RankAgents(const std::vector<Inspection>& inspections) {
  std::map<std::string, AgentQa> by_agent;
  std::map<std::string, double> percent_sum;
  for (const Inspection& i : inspections) {
    AgentQa& a = by_agent[i.agent];
    a.agent = i.agent;
    ++a.inspections;
    a.points += i.total;
    a.max_points += i.max_total;
    percent_sum[i.agent] += i.Percent();
  }
  std::vector<AgentQa> out;
  for (auto& [agent, a] : by_agent) {
    // Rounded to 2 decimals, as shown: equal shown averages tie.
    a.average = std::round(percent_sum[agent] / static_cast<double>(a.inspections) * 100) / 100;
    out.push_back(a);
  }
  std::sort(out.begin(), out.end(), [](const AgentQa& x, const AgentQa& y) {
    if (x.average != y.average) {
      return x.average > y.average;
    }
    return x.agent < y.agent;
  });
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].rank =
        i > 0 && out[i].average == out[i - 1].average ? out[i - 1].rank : static_cast<int>(i) + 1;
  }
  return out;
}

}  // namespace hotline::domain::programmes
