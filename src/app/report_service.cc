#include "app/report_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace hotline::app {

namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kUtc8 = 8 * 3600;
constexpr int kCasesPerKind = 20;

// Days since 1970-01-01 of a local date; nullopt when malformed.
std::optional<int64_t> DayNumber(const std::string& date) {
  if (date.size() != 10) {
    return std::nullopt;
  }
  auto t = ParseInstant(date + " 12:00:00");
  if (!t) {
    return std::nullopt;
  }
  return (ToUnix(*t) + kUtc8) / kDay;
}

std::string DateOf(int64_t day) {
  return FormatLocalDate(FromUnix(day * kDay + 12 * 3600 - kUtc8));
}

std::string AddMonths(const std::string& first_of_month, int months) {
  int y = std::stoi(first_of_month.substr(0, 4));
  int m = std::stoi(first_of_month.substr(5, 2)) - 1 + months;
  y += m >= 0 ? m / 12 : (m - 11) / 12;
  m = ((m % 12) + 12) % 12;
  return fmt::format("{:04}-{:02}-01", y, m + 1);
}

const domain::kpi::KpiValue* Find(const std::vector<domain::kpi::KpiValue>& kpis,
                                  std::string_view id) {
  for (const auto& k : kpis) {
    if (k.id == id) {
      return &k;
    }
  }
  return nullptr;
}

int64_t Num(const std::vector<domain::kpi::KpiValue>& kpis, std::string_view id) {
  const auto* k = Find(kpis, id);
  return k != nullptr ? k->numerator : 0;
}

}  // namespace

std::optional<ReportKind> ParseReportKind(std::string_view code) {
  if (code == "thematic") {
    return ReportKind::kTheme;
  }
  for (ReportKind k :
       {ReportKind::kDaily, ReportKind::kWeekly, ReportKind::kMonthly, ReportKind::kTheme}) {
    if (Code(k) == code) {
      return k;
    }
  }
  return std::nullopt;
}

std::string_view Code(ReportKind k) {
  switch (k) {
    case ReportKind::kDaily:
      return "daily";
    case ReportKind::kWeekly:
      return "weekly";
    case ReportKind::kMonthly:
      return "monthly";
    case ReportKind::kTheme:
      return "theme";
  }
  return "";
}

std::string_view ChineseName(ReportKind k) {
  switch (k) {
    case ReportKind::kDaily:
      return "日报";
    case ReportKind::kWeekly:
      return "周报";
    case ReportKind::kMonthly:
      return "月报";
    case ReportKind::kTheme:
      return "专题报告";
  }
  return "";
}

void ReportService::AddTextTopics(ReportData& out,
                                  std::optional<domain::CategoryId> category) const {
  if (!hot_topics_) {
    return;
  }
  // The report goes out without them rather than not at all.
  auto topics = hot_topics_(out.from, out.to, category);
  if (topics.has_value()) {
    out.text_topics = std::move(*topics);
  } else {
    out.text_topics.emplace();
    out.text_topics_note = "文本热点未生成：" + topics.error().message;
  }
}

namespace {
std::string CentreName(const HotlineConfig& config) {
  for (const auto& u : config.org.units()) {
    if (u.kind == domain::UnitKind::kCentre) {
      return u.name;
    }
  }
  return "12345热线";
}
}  // namespace

Result<ReportData> ReportService::BuildCampaign(const ReportRequest& request) const {
  if (programmes_ == nullptr) {
    return FailedPrecondition("专题活动不可用：报告服务未接入专题（programmes）");
  }
  if (request.category) {
    return InvalidArgument("专题报告只能指定诉求分类或专题活动之一");
  }
  const int64_t id = *request.campaign;
  HOTLINE_ASSIGN_OR_RETURN(CampaignSummary summary, programmes_->FindCampaign(request.actor, id));
  const domain::programmes::Campaign& c = summary.campaign;
  ReportData out;
  out.kind = ReportKind::kTheme;
  out.from = c.from;
  out.to = c.to;
  if (!request.from.empty() || !request.to.empty()) {
    auto f = DayNumber(request.from);
    auto t = DayNumber(request.to);
    if (!f || !t || *f > *t) {
      return InvalidArgument("专题报告的期间应为 from ≤ to（YYYY-MM-DD）");
    }
    out.from = request.from;
    out.to = request.to;
  }
  auto f = DayNumber(out.from);
  auto t = DayNumber(out.to);
  if (!f || !t) {
    return Internal(fmt::format("专题活动的期间无效: {} 至 {}", out.from, out.to));
  }
  out.prev_to = DateOf(*f - 1);
  out.prev_from = DateOf(*f - 1 - (*t - *f));
  auto config = config_();
  out.theme = c.name;
  out.title =
      fmt::format("{}专题报告：{}（{} 至 {}）", CentreName(*config), c.name, out.from, out.to);
  // The indicators are the campaign's tickets' (the KPI engine's facts of those tickets).
  HOTLINE_ASSIGN_OR_RETURN(CampaignIndicators now,
                           programmes_->Indicators(request.actor, id, out.from, out.to));
  HOTLINE_ASSIGN_OR_RETURN(CampaignIndicators before,
                           programmes_->Indicators(request.actor, id, out.prev_from, out.prev_to));
  out.kpis = std::move(now.kpis);
  out.previous = std::move(before.kpis);

  CampaignReport cr;
  cr.id = c.id;
  cr.name = c.name;
  cr.description = c.description;
  cr.campaign_from = c.from;
  cr.campaign_to = c.to;
  std::vector<std::string> rule;
  if (!c.categories.empty()) {
    std::string names;
    for (domain::CategoryId cat : c.categories) {
      names += (names.empty() ? "" : "、") + config->categories.PathOf(cat);
    }
    rule.push_back("分类：" + names);
  }
  if (!c.regions.empty()) {
    std::string names;
    for (domain::RegionId r : c.regions) {
      const domain::Region* region = config->org.FindRegion(r);
      names += (names.empty() ? "" : "、") +
               (region != nullptr ? region->name : std::to_string(r.value()));
    }
    rule.push_back("区域：" + names);
  }
  if (!c.keywords.empty()) {
    std::string words;
    for (const auto& k : c.keywords) {
      words += (words.empty() ? "" : "、") + k;
    }
    rule.push_back("关键词：" + words);
  }
  for (const auto& part : rule) {
    cr.rule += (cr.rule.empty() ? "" : "；") + part;
  }
  if (cr.rule.empty()) {
    cr.rule = "无规则（仅手工标记的工单）";
  }
  // How the campaign's tickets stand now: open, closed, overdue, by lead unit.
  std::map<int64_t, UnitOverdue> by_unit;
  int64_t after = 0;
  do {
    HOTLINE_ASSIGN_OR_RETURN(CampaignTicketPage page,
                             programmes_->CampaignTickets(request.actor, id, after, 500));
    for (const CampaignTicketView& v : page.tickets) {
      const auto& ft = v.followed;
      ++cr.tickets;
      if (ft.closed) {
        ++cr.closed;
        continue;
      }
      ++cr.open;
      if (!ft.overdue) {
        continue;
      }
      ++cr.overdue;
      UnitOverdue& u = by_unit[ft.lead_unit.value()];
      if (u.name.empty()) {
        const domain::Unit* unit = config->org.FindUnit(ft.lead_unit);
        u.name = unit != nullptr ? unit->name : "未派单";
      }
      ++u.overdue;
      if (out.cases.size() < static_cast<size_t>(kCasesPerKind)) {
        out.cases.push_back({"超期未办结", ft.number,
                             ft.reply_deadline ? FormatLocalDate(*ft.reply_deadline) : ""});
      }
    }
    after = page.next_after;
  } while (after != 0);
  for (auto& [unit, u] : by_unit) {
    out.overdue_units.push_back(std::move(u));
  }
  std::sort(out.overdue_units.begin(), out.overdue_units.end(),
            [](const UnitOverdue& a, const UnitOverdue& b) {
              return a.overdue != b.overdue ? a.overdue > b.overdue : a.name < b.name;
            });
  out.campaign = std::move(cr);
  // Text hot topics within the campaign's category when it has exactly one, else city-wide.
  AddTextTopics(out, c.categories.size() == 1 ? std::optional(c.categories[0]) : std::nullopt);
  if (out.text_topics && out.text_topics_note.empty() && c.categories.size() != 1) {
    out.text_topics_note = "专题期间全市工单文本中的热点（专题不限于一个分类）";
  }
  return out;
}

Result<ReportData> ReportService::Build(const ReportRequest& request) const {
  if (request.campaign) {
    if (request.kind != ReportKind::kTheme) {
      return InvalidArgument("只有专题报告（theme）可以指定专题活动");
    }
    return BuildCampaign(request);
  }
  auto day = DayNumber(request.date);
  if (!day) {
    return InvalidArgument(fmt::format("日期应为 YYYY-MM-DD: {}", request.date));
  }
  auto config = config_();
  ReportData out;
  out.kind = request.kind;
  switch (request.kind) {
    case ReportKind::kDaily:
      out.from = out.to = request.date;
      out.prev_from = out.prev_to = DateOf(*day - 1);
      break;
    case ReportKind::kWeekly: {
      int64_t monday = *day - ((*day + 3) % 7);  // 1970-01-01 was a Thursday
      out.from = DateOf(monday);
      out.to = DateOf(monday + 6);
      out.prev_from = DateOf(monday - 7);
      out.prev_to = DateOf(monday - 1);
      break;
    }
    case ReportKind::kMonthly:
    case ReportKind::kTheme: {
      std::string first = request.date.substr(0, 8) + "01";
      out.from = first;
      out.to = DateOf(*DayNumber(AddMonths(first, 1)) - 1);
      out.prev_from = AddMonths(first, -1);
      out.prev_to = DateOf(*DayNumber(first) - 1);
      if (request.kind == ReportKind::kTheme && !request.from.empty() && !request.to.empty()) {
        auto f = DayNumber(request.from);
        auto t = DayNumber(request.to);
        if (!f || !t || *f > *t) {
          return InvalidArgument("专题报告的期间应为 from ≤ to（YYYY-MM-DD）");
        }
        out.from = request.from;
        out.to = request.to;
        out.prev_to = DateOf(*f - 1);
        out.prev_from = DateOf(*f - 1 - (*t - *f));
      }
      break;
    }
  }
  KpiScope scope;
  if (request.category) {
    const domain::Category* c = config->categories.Find(*request.category);
    if (c == nullptr) {
      return NotFound(fmt::format("诉求分类不存在: {}", request.category->value()));
    }
    scope.category = *request.category;
    out.theme = config->categories.PathOf(c->id);
  } else if (request.kind == ReportKind::kTheme) {
    return InvalidArgument("专题报告需要指定诉求分类或专题活动");
  }
  std::string centre = CentreName(*config);
  std::string when = request.kind == ReportKind::kDaily ? out.from
                     : request.kind == ReportKind::kMonthly
                         ? out.from.substr(0, 4) + "年" + out.from.substr(5, 2) + "月"
                         : out.from + " 至 " + out.to;
  out.title = request.kind == ReportKind::kTheme
                  ? fmt::format("{}专题报告：{}（{}）", centre, out.theme, when)
                  : fmt::format("{}{}（{}）", centre, ChineseName(request.kind), when);

  KpiRequest now{out.from, out.to, scope};
  KpiRequest prev{out.prev_from, out.prev_to, scope};
  HOTLINE_ASSIGN_OR_RETURN(KpiReport current, kpis_.Report(now, true));
  HOTLINE_ASSIGN_OR_RETURN(KpiReport before, kpis_.Report(prev, true));
  out.kpis = current.kpis;
  out.previous = before.kpis;
  out.by_region = current.by_region;
  out.by_category = current.by_category;

  // Hot topics: the categories that grew most against the previous period.
  {
    std::map<std::string, CategoryTrend> trends;
    for (const auto& g : current.by_category) {
      trends[g.id].name = g.name;
      trends[g.id].count = Num(g.kpis, "received");
    }
    for (const auto& g : before.by_category) {
      auto& t = trends[g.id];
      if (t.name.empty()) {
        t.name = g.name;
      }
      t.before = Num(g.kpis, "received");
    }
    for (auto& [id, t] : trends) {
      if (t.count > 0) {
        out.hot_categories.push_back(t);
      }
    }
    std::sort(out.hot_categories.begin(), out.hot_categories.end(),
              [](const CategoryTrend& a, const CategoryTrend& b) {
                int64_t da = a.count - a.before;
                int64_t db = b.count - b.before;
                if (da != db) return da > db;
                if (a.count != b.count) return a.count > b.count;
                return a.name < b.name;
              });
    if (out.hot_categories.size() > 10) {
      out.hot_categories.resize(10);
    }
  }
  AddTextTopics(out, request.category);
  for (const auto& g : current.by_unit) {
    UnitOverdue u{g.name, Num(g.kpis, "overdue"), Num(g.kpis, "overdue_replies"),
                  Num(g.kpis, "replied")};
    if (u.overdue > 0 || u.overdue_replies > 0) {
      out.overdue_units.push_back(u);
    }
  }
  std::sort(out.overdue_units.begin(), out.overdue_units.end(),
            [](const UnitOverdue& a, const UnitOverdue& b) {
              if (a.overdue + a.overdue_replies != b.overdue + b.overdue_replies)
                return a.overdue + a.overdue_replies > b.overdue + b.overdue_replies;
              return a.name < b.name;
            });
  for (const auto& [kind, kpi] : std::vector<std::pair<std::string, std::string>>{
           {"督办", "supervised"}, {"重办", "rehandle_rate"}, {"不满意", "satisfaction_rate"}}) {
    HOTLINE_ASSIGN_OR_RETURN(KpiDrillPage page, kpis_.Tickets(now, kpi, 0, kCasesPerKind));
    for (const auto& t : page.tickets) {
      out.cases.push_back({kind, t.number, t.day});
    }
  }
  if (request.kind == ReportKind::kMonthly) {
    HOTLINE_ASSIGN_OR_RETURN(Assessment a, assessments_.Assess(out.from.substr(0, 7), 20));
    out.assessment = std::move(a);
  }
  return out;
}

}  // namespace hotline::app
