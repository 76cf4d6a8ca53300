// hotline programme ...: themes and programmes from the shell (docs/programmes.md).
//   programme campaign list|add|show|tag   thematic campaigns and their indicators
//   programme leader-day list|add|show|link leader hotline days and their tickets
//   programme difficult list               open (or all) difficult cases with their age
//   programme qa ranking                   agents' QA averages and ranks for a period
// Each acts as `--as LOGIN` (default admin) through app::ProgrammeService, so the roles and
// validation are those of the API. Tables in Chinese, then one JSON line (or only JSON with
// --json). Exit 0 on success, 2 on bad input, 1 on other errors.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "app/programme_service.h"
#include "cli/commands.h"
#include "cli/common.h"

namespace hotline::cli {
namespace {

using nlohmann::json;

struct Opened {
  Session session;
  std::unique_ptr<app::ProgrammeService> programmes;
  domain::Actor actor;
};

Result<Opened> Open(const std::string& store, const std::string& as) {
  HOTLINE_ASSIGN_OR_RETURN(Session s, OpenSession(store));
  HOTLINE_ASSIGN_OR_RETURN(domain::Actor actor, s.config->org.ActorFor(as));
  Opened o{std::move(s), nullptr, actor};
  auto* service = o.session.service.get();
  o.programmes =
      std::make_unique<app::ProgrammeService>(*o.session.store, *o.session.store, *o.session.clock,
                                              [service] { return service->config(); });
  return o;
}

void FailWith(const Error& e) { Fail(e, e.code == ErrorCode::kInvalidArgument ? 2 : 1); }

double Round2(double v) { return std::round(v * 100) / 100; }

struct Common {
  std::string store;
  std::string as = "admin";
  bool json_only = false;
};

void AddCommon(CLI::App* cmd, const std::shared_ptr<Common>& c) {
  cmd->add_option("--store", c->store, "数据库文件")->required();
  cmd->add_option("--as", c->as, "操作人登录名（默认 admin）");
  cmd->add_flag("--json", c->json_only, "只输出 JSON");
}

void Print(const Common& c, const std::string& table, const json& j) {
  if (!c.json_only) {
    std::fputs(table.c_str(), stdout);
  }
  std::puts(j.dump().c_str());
}

json KpiJson(const domain::kpi::KpiValue& v) {
  return {{"id", v.id},
          {"name", v.name},
          {"value", Round2(v.value)},
          {"numerator", v.numerator},
          {"denominator", v.denominator ? json(*v.denominator) : json(nullptr)}};
}

// ------------------------------------------------------------------ campaigns

void CampaignList(const Common& c) {
  auto o = Open(c.store, c.as);
  if (!o.has_value()) {
    return FailWith(o.error());
  }
  auto list = o->programmes->Campaigns(o->actor);
  if (!list.has_value()) {
    return FailWith(list.error());
  }
  std::string table;
  json out = json::array();
  for (const auto& s : *list) {
    table +=
        fmt::format("#{} {} {}~{} 工单 {} 件{}\n", s.campaign.id, s.campaign.name, s.campaign.from,
                    s.campaign.to, s.tickets, s.campaign.HasRule() ? "" : "（仅手工标记）");
    out.push_back({{"id", s.campaign.id},
                   {"name", s.campaign.name},
                   {"from", s.campaign.from},
                   {"to", s.campaign.to},
                   {"tickets", s.tickets}});
  }
  Print(c, table, {{"campaigns", out}});
}

struct CampaignAdd {
  std::string name, description, from, to;
  std::vector<std::string> categories, regions, keywords;
};

void CampaignAddRun(const Common& c, const CampaignAdd& a) {
  auto o = Open(c.store, c.as);
  if (!o.has_value()) {
    return FailWith(o.error());
  }
  auto config = o->session.service->config();
  domain::programmes::Campaign campaign;
  campaign.name = a.name;
  campaign.description = a.description;
  campaign.from = a.from;
  campaign.to = a.to;
  campaign.keywords = a.keywords;
  for (const auto& path : a.categories) {
    const domain::Category* cat = config->categories.FindByPath(path);
    if (cat == nullptr) {
      return Fail("诉求分类不存在: " + path, 2);
    }
    campaign.categories.push_back(cat->id);
  }
  for (const auto& r : a.regions) {
    const domain::Region* region = config->org.FindRegionByCode(r);
    for (const auto& each : config->org.regions()) {
      if (region == nullptr && each.name == r) {
        region = &each;
      }
    }
    if (region == nullptr) {
      return Fail("行政区划不存在: " + r, 2);
    }
    campaign.regions.push_back(region->id);
  }
  auto made = o->programmes->CreateCampaign(o->actor, campaign);
  if (!made.has_value()) {
    return FailWith(made.error());
  }
  auto view = o->programmes->FindCampaign(o->actor, made->id);
  int64_t tickets = view.has_value() ? view->tickets : 0;
  Print(c, fmt::format("已建专题 #{} {}，匹配工单 {} 件\n", made->id, made->name, tickets),
        {{"id", made->id}, {"name", made->name}, {"tickets", tickets}});
}

void CampaignShow(const Common& c, int64_t id, const std::string& from, const std::string& to) {
  auto o = Open(c.store, c.as);
  if (!o.has_value()) {
    return FailWith(o.error());
  }
  auto ind = o->programmes->Indicators(o->actor, id, from, to);
  if (!ind.has_value()) {
    return FailWith(ind.error());
  }
  std::string table =
      fmt::format("专题 #{} {}（{}~{}），工单 {} 件；统计期间 {}~{}\n", id, ind->campaign.name,
                  ind->campaign.from, ind->campaign.to, ind->tickets, ind->from, ind->to);
  json kpis = json::array();
  for (const auto& v : ind->kpis) {
    if (v.denominator) {
      table += fmt::format("  {:<12} {:>7.2f}%  ({}/{})\n", v.name, v.value, v.numerator,
                           *v.denominator);
    } else {
      table += fmt::format("  {:<12} {:>7}\n", v.name, v.numerator);
    }
    kpis.push_back(KpiJson(v));
  }
  Print(c, table,
        {{"id", id},
         {"from", ind->from},
         {"to", ind->to},
         {"tickets", ind->tickets},
         {"kpis", kpis}});
}

void CampaignTag(const Common& c, int64_t id, const std::vector<std::string>& numbers) {
  auto o = Open(c.store, c.as);
  if (!o.has_value()) {
    return FailWith(o.error());
  }
  if (auto st = o->programmes->TagTickets(o->actor, id, numbers); !st.has_value()) {
    return FailWith(st.error());
  }
  Print(c, fmt::format("已给 {} 件工单打上专题 #{} 标签\n", numbers.size(), id),
        {{"id", id}, {"tagged", numbers.size()}});
}

// ------------------------------------------------------------------ leader days

void DayList(const Common& c, const std::string& from, const std::string& to) {
  auto o = Open(c.store, c.as);
  if (!o.has_value()) {
    return FailWith(o.error());
  }
  auto list = o->programmes->LeaderDays(o->actor, from, to);
  if (!list.has_value()) {
    return FailWith(list.error());
  }
  std::string table;
  json out = json::array();
  for (const auto& d : *list) {
    table += fmt::format("#{} {} {}：{}\n", d.id, d.date, d.leader, d.topic);
    out.push_back({{"id", d.id}, {"date", d.date}, {"leader", d.leader}, {"topic", d.topic}});
  }
  Print(c, table, {{"leader_days", out}});
}

void DayAdd(const Common& c, const domain::programmes::LeaderDay& d,
            const std::vector<std::string>& unit_codes) {
  auto o = Open(c.store, c.as);
  if (!o.has_value()) {
    return FailWith(o.error());
  }
  domain::programmes::LeaderDay day = d;
  auto config = o->session.service->config();
  for (const auto& code : unit_codes) {
    const domain::Unit* u = config->org.FindUnitByCode(code);
    if (u == nullptr) {
      return Fail("单位不存在: " + code, 2);
    }
    day.units.push_back(u->id);
  }
  auto made = o->programmes->CreateLeaderDay(o->actor, day);
  if (!made.has_value()) {
    return FailWith(made.error());
  }
  Print(c, fmt::format("已安排领导接线日 #{} {} {}\n", made->id, made->date, made->leader),
        {{"id", made->id}, {"date", made->date}});
}

void DayShow(const Common& c, int64_t id) {
  auto o = Open(c.store, c.as);
  if (!o.has_value()) {
    return FailWith(o.error());
  }
  auto view = o->programmes->LeaderDayDetail(o->actor, id);
  if (!view.has_value()) {
    return FailWith(view.error());
  }
  auto config = o->session.service->config();
  std::string table = fmt::format("领导接线日 #{} {} {}：{}\n", id, view->day.date,
                                  view->day.leader, view->day.topic);
  json tickets = json::array();
  for (const auto& t : view->tickets) {
    const domain::Unit* u = config->org.FindUnit(t.lead_unit);
    table += fmt::format("  {} {} {}{}\n", t.number, domain::ChineseName(t.state),
                         u != nullptr ? u->name : "-", t.overdue ? " 【超期】" : "");
    tickets.push_back({{"number", t.number},
                       {"state", domain::Code(t.state)},
                       {"closed", t.closed},
                       {"overdue", t.overdue}});
  }
  const auto& s = view->summary;
  table +=
      fmt::format("共 {} 件：已办结 {}，在办 {}，超期 {}\n", s.total, s.closed, s.open, s.overdue);
  Print(c, table,
        {{"id", id},
         {"tickets", tickets},
         {"summary",
          {{"total", s.total}, {"closed", s.closed}, {"open", s.open}, {"overdue", s.overdue}}}});
}

void DayLink(const Common& c, int64_t id, const std::vector<std::string>& numbers) {
  auto o = Open(c.store, c.as);
  if (!o.has_value()) {
    return FailWith(o.error());
  }
  for (const auto& n : numbers) {
    if (auto st = o->programmes->LinkTicket(o->actor, id, n); !st.has_value()) {
      return FailWith(st.error());
    }
  }
  Print(c, fmt::format("已关联 {} 件工单\n", numbers.size()),
        {{"id", id}, {"linked", numbers.size()}});
}

// ------------------------------------------------------------------ difficult cases, QA

void DifficultList(const Common& c, bool all) {
  auto o = Open(c.store, c.as);
  if (!o.has_value()) {
    return FailWith(o.error());
  }
  ports::DifficultFilter f;
  if (!all) {
    f.resolved = false;
  }
  auto list = o->programmes->DifficultCases(o->actor, f);
  if (!list.has_value()) {
    return FailWith(list.error());
  }
  std::string table;
  json out = json::array();
  for (const auto& v : *list) {
    table += fmt::format("#{} {} {}天 {} 协调人 {}{}{}\n", v.c.id, v.c.number, v.age_days,
                         v.c.reason, v.c.owner.empty() ? "-" : v.c.owner,
                         v.review_due ? " 【会商逾期】" : "", v.c.resolved ? " 已办结" : "");
    out.push_back({{"id", v.c.id},
                   {"number", v.c.number},
                   {"age_days", v.age_days},
                   {"resolved", v.c.resolved},
                   {"review_due", v.review_due}});
  }
  Print(c, table, {{"cases", out}});
}

void QaRanking(const Common& c, const std::string& from, const std::string& to) {
  auto o = Open(c.store, c.as);
  if (!o.has_value()) {
    return FailWith(o.error());
  }
  auto r = o->programmes->Ranking(o->actor, from, to);
  if (!r.has_value()) {
    return FailWith(r.error());
  }
  std::string table = fmt::format("坐席质检排名 {}~{}\n", from, to);
  json out = json::array();
  for (const auto& a : r->agents) {
    table += fmt::format("  {:>3}  {:<12} {:>6.2f} 分  {} 次\n", a.rank, a.agent, a.average,
                         a.inspections);
    out.push_back({{"agent", a.agent},
                   {"rank", a.rank},
                   {"average", a.average},
                   {"inspections", a.inspections}});
  }
  Print(c, table, {{"from", from}, {"to", to}, {"agents", out}});
}

}  // namespace

void RegisterProgrammeCommands(CLI::App& app) {
  auto* group = app.add_subcommand("programme", "专题、领导接线日、疑难件和坐席质检");
  group->require_subcommand(1);

  auto* campaign = group->add_subcommand("campaign", "专题（一季一主题）");
  campaign->require_subcommand(1);
  {
    auto c = std::make_shared<Common>();
    auto* cmd = campaign->add_subcommand("list", "专题列表");
    AddCommon(cmd, c);
    cmd->callback([c] { CampaignList(*c); });
  }
  {
    auto c = std::make_shared<Common>();
    auto a = std::make_shared<CampaignAdd>();
    auto* cmd = campaign->add_subcommand("add", "新建专题");
    AddCommon(cmd, c);
    cmd->add_option("--name", a->name, "专题名称")->required();
    cmd->add_option("--from", a->from, "开始日期 YYYY-MM-DD")->required();
    cmd->add_option("--to", a->to, "结束日期 YYYY-MM-DD")->required();
    cmd->add_option("--description", a->description, "说明");
    cmd->add_option("--category", a->categories, "诉求分类路径（可多次）");
    cmd->add_option("--region", a->regions, "区划代码或名称（可多次）");
    cmd->add_option("--keyword", a->keywords, "关键词（可多次）");
    cmd->callback([c, a] { CampaignAddRun(*c, *a); });
  }
  {
    auto c = std::make_shared<Common>();
    auto id = std::make_shared<int64_t>(0);
    auto from = std::make_shared<std::string>();
    auto to = std::make_shared<std::string>();
    auto* cmd = campaign->add_subcommand("show", "专题指标");
    AddCommon(cmd, c);
    cmd->add_option("id", *id, "专题编号")->required();
    cmd->add_option("--from", *from, "统计开始日期（默认专题开始）");
    cmd->add_option("--to", *to, "统计结束日期（默认专题结束）");
    cmd->callback([c, id, from, to] { CampaignShow(*c, *id, *from, *to); });
  }
  {
    auto c = std::make_shared<Common>();
    auto id = std::make_shared<int64_t>(0);
    auto numbers = std::make_shared<std::vector<std::string>>();
    auto* cmd = campaign->add_subcommand("tag", "手工给工单打专题标签");
    AddCommon(cmd, c);
    cmd->add_option("id", *id, "专题编号")->required();
    cmd->add_option("numbers", *numbers, "工单号")->required();
    cmd->callback([c, id, numbers] { CampaignTag(*c, *id, *numbers); });
  }

  auto* day = group->add_subcommand("leader-day", "领导接线日");
  day->require_subcommand(1);
  {
    auto c = std::make_shared<Common>();
    auto from = std::make_shared<std::string>();
    auto to = std::make_shared<std::string>();
    auto* cmd = day->add_subcommand("list", "接线日列表");
    AddCommon(cmd, c);
    cmd->add_option("--from", *from, "开始日期");
    cmd->add_option("--to", *to, "结束日期");
    cmd->callback([c, from, to] { DayList(*c, *from, *to); });
  }
  {
    auto c = std::make_shared<Common>();
    auto d = std::make_shared<domain::programmes::LeaderDay>();
    auto units = std::make_shared<std::vector<std::string>>();
    auto* cmd = day->add_subcommand("add", "安排接线日");
    AddCommon(cmd, c);
    cmd->add_option("--date", d->date, "日期 YYYY-MM-DD")->required();
    cmd->add_option("--leader", d->leader, "接线领导")->required();
    cmd->add_option("--topic", d->topic, "主题")->required();
    cmd->add_option("--unit", *units, "出席单位代码（可多次）");
    cmd->add_option("--note", d->note, "备注");
    cmd->callback([c, d, units] { DayAdd(*c, *d, *units); });
  }
  {
    auto c = std::make_shared<Common>();
    auto id = std::make_shared<int64_t>(0);
    auto* cmd = day->add_subcommand("show", "接线日工单跟踪");
    AddCommon(cmd, c);
    cmd->add_option("id", *id, "接线日编号")->required();
    cmd->callback([c, id] { DayShow(*c, *id); });
  }
  {
    auto c = std::make_shared<Common>();
    auto id = std::make_shared<int64_t>(0);
    auto numbers = std::make_shared<std::vector<std::string>>();
    auto* cmd = day->add_subcommand("link", "关联当天受理的工单");
    AddCommon(cmd, c);
    cmd->add_option("id", *id, "接线日编号")->required();
    cmd->add_option("numbers", *numbers, "工单号")->required();
    cmd->callback([c, id, numbers] { DayLink(*c, *id, *numbers); });
  }

  auto* difficult = group->add_subcommand("difficult", "疑难件");
  difficult->require_subcommand(1);
  {
    auto c = std::make_shared<Common>();
    auto all = std::make_shared<bool>(false);
    auto* cmd = difficult->add_subcommand("list", "疑难件列表（默认未办结的）");
    AddCommon(cmd, c);
    cmd->add_flag("--all", *all, "包括已办结的");
    cmd->callback([c, all] { DifficultList(*c, *all); });
  }

  auto* qa = group->add_subcommand("qa", "坐席质检");
  qa->require_subcommand(1);
  {
    auto c = std::make_shared<Common>();
    auto from = std::make_shared<std::string>();
    auto to = std::make_shared<std::string>();
    auto* cmd = qa->add_subcommand("ranking", "坐席质检平均分和排名");
    AddCommon(cmd, c);
    cmd->add_option("--from", *from, "开始日期")->required();
    cmd->add_option("--to", *to, "结束日期")->required();
    cmd->callback([c, from, to] { QaRanking(*c, *from, *to); });
  }
}

}  // namespace hotline::cli
