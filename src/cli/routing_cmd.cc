// hotline routing check|list|history|add|remove: the routing directory (派单目录) from the
// shell. `check` lists the categories x regions no rule covers (gaps) and the rules the
// directory cannot choose between (conflicts); exit 0 when clean, 2 when not, 1 on error.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/common.h"

namespace hotline::cli {
namespace {

std::string RuleLine(const domain::RoutingRule& r, const app::HotlineConfig& config) {
  const domain::Region* region = config.org.FindRegion(r.region);
  const domain::Unit* lead = config.org.FindUnit(r.lead_unit);
  std::string co;
  for (auto id : r.co_units) {
    const domain::Unit* u = config.org.FindUnit(id);
    co += (co.empty() ? "" : "、") + (u != nullptr ? u->name : fmt::format("#{}", id.value()));
  }
  return fmt::format("#{}\t{}\t{}\t{}{}\t优先级 {}{}{}{}", r.id.value(),
                     r.category.valid() ? config.categories.PathOf(r.category) : "任意分类",
                     region != nullptr ? region->name : "全市",
                     lead != nullptr ? lead->name : fmt::format("#{}", r.lead_unit.value()),
                     co.empty() ? "" : "（协办: " + co + "）", r.priority,
                     r.valid_from ? " 自 " + FormatLocal(*r.valid_from) : "",
                     r.valid_to ? " 至 " + FormatLocal(*r.valid_to) : "",
                     r.note.empty() ? "" : " 备注: " + r.note);
}

void RunCheck(const std::string& store) {
  auto session = OpenSession(store);
  if (!session.has_value()) {
    return Fail(session.error());
  }
  const app::HotlineConfig& config = *session->config;
  const Instant now = session->clock->Now();
  size_t gaps = 0;
  for (auto level : {domain::UnitLevel::kCounty, domain::UnitLevel::kTownship}) {
    for (const auto& g : config.routing.Gaps(config.categories, config.org, level, now)) {
      const domain::Region* r = config.org.FindRegion(g.region);
      std::printf("缺口: %s × %s（%s）没有承办单位\n", config.categories.PathOf(g.category).c_str(),
                  r != nullptr ? r->name.c_str() : "?",
                  std::string(domain::ChineseName(level)).c_str());
      ++gaps;
    }
  }
  auto conflicts = config.routing.Conflicts();
  for (const auto& c : conflicts) {
    std::printf("冲突: 规则 #%lld 与 #%lld：%s\n", static_cast<long long>(c.a.value()),
                static_cast<long long>(c.b.value()), c.why.c_str());
  }
  auto problems = config.routing.Validate(config.categories, config.org);
  for (const auto& p : problems) {
    std::printf("问题: %s\n", p.c_str());
  }
  const domain::Unit* fallback = config.org.FindUnit(config.routing.fallback_unit());
  std::printf("规则 %zu 条；兜底单位: %s\n", config.routing.rules().size(),
              fallback != nullptr ? fallback->name.c_str() : "未设置");
  nlohmann::json last = {{"gaps", gaps}, {"conflicts", conflicts.size()}};
  if (!problems.empty()) {
    last["problems"] = problems.size();
  }
  std::printf("%s\n", last.dump().c_str());
  if (gaps > 0 || !conflicts.empty() || !problems.empty()) {
    ExitCode() = 2;
  }
}

void RunList(const std::string& store) {
  auto session = OpenSession(store);
  if (!session.has_value()) {
    return Fail(session.error());
  }
  const app::HotlineConfig& config = *session->config;
  for (const auto& r : config.routing.rules()) {
    std::printf("%s\n", RuleLine(r, config).c_str());
  }
  const domain::Unit* fallback = config.org.FindUnit(config.routing.fallback_unit());
  std::printf("兜底单位: %s\n", fallback != nullptr ? fallback->name.c_str() : "未设置");
}

void RunHistory(const std::string& store) {
  auto session = OpenSession(store);
  if (!session.has_value()) {
    return Fail(session.error());
  }
  auto history = session->store->RoutingHistory();
  if (!history.has_value()) {
    return Fail(history.error());
  }
  for (const auto& h : *history) {
    std::printf("%lld\t%s\t%s\t%s\t规则 #%lld\t修改前 %s\t修改后 %s\n",
                static_cast<long long>(h.seq), FormatLocal(h.at).c_str(), h.login.c_str(),
                h.action.c_str(), static_cast<long long>(h.rule),
                h.before.empty() ? "（无）" : h.before.c_str(),
                h.after.empty() ? "（无）" : h.after.c_str());
  }
  std::printf("共 %zu 条修改记录\n", history->size());
}

// A rule as the history keeps it (the same fields as the admin API's documents).
std::string RuleDoc(const domain::RoutingRule& r) {
  nlohmann::json co = nlohmann::json::array();
  for (auto id : r.co_units) {
    co.push_back(id.value());
  }
  return nlohmann::json{
      {"id", r.id.value()},
      {"category", r.category.value()},
      {"region", r.region.value()},
      {"lead_unit", r.lead_unit.value()},
      {"co_units", co},
      {"priority", r.priority},
      {"valid_from", r.valid_from ? nlohmann::json(FormatLocal(*r.valid_from)) : nullptr},
      {"valid_to", r.valid_to ? nlohmann::json(FormatLocal(*r.valid_to)) : nullptr},
      {"note", r.note}}
      .dump();
}

struct AddArgs {
  std::string store = "var/hotline.db";
  std::string category;
  std::string region;
  std::string lead;
  std::vector<std::string> co;
  int priority = 0;
  std::string from;
  std::string to;
  std::string note;
};

void RunAdd(const AddArgs& a) {
  auto session = OpenSession(a.store);
  if (!session.has_value()) {
    return Fail(session.error());
  }
  const app::HotlineConfig& config = *session->config;
  domain::RoutingRule rule;
  if (!a.category.empty()) {
    const domain::Category* c = config.categories.FindByPath(a.category);
    if (c == nullptr) {
      return Fail("分类不存在: " + a.category);
    }
    rule.category = c->id;
  }
  if (!a.region.empty()) {
    const domain::Region* r = config.org.FindRegionByCode(a.region);
    if (r == nullptr) {
      return Fail("区域不存在: " + a.region);
    }
    rule.region = r->id;
  }
  const domain::Unit* lead = config.org.FindUnitByCode(a.lead);
  if (lead == nullptr) {
    return Fail("主办单位不存在: " + a.lead + "（用单位代码）");
  }
  rule.lead_unit = lead->id;
  for (const auto& code : a.co) {
    const domain::Unit* u = config.org.FindUnitByCode(code);
    if (u == nullptr) {
      return Fail("协办单位不存在: " + code);
    }
    rule.co_units.push_back(u->id);
  }
  rule.priority = a.priority;
  for (auto [text, target] :
       {std::pair{&a.from, &rule.valid_from}, std::pair{&a.to, &rule.valid_to}}) {
    if (!text->empty()) {
      auto t = ParseInstant(*text);
      if (!t) {
        return Fail("日期格式错误: " + *text + "（应为 YYYY-MM-DD）");
      }
      *target = *t;
    }
  }
  rule.note = a.note;
  auto history = session->store->RoutingHistory();
  if (!history.has_value()) {
    return Fail(history.error());
  }
  int64_t id = 0;
  for (const auto& r : config.routing.rules()) {
    id = std::max(id, r.id.value());
  }
  for (const auto& h : *history) {
    id = std::max(id, h.rule);
  }
  rule.id = domain::RuleId{id + 1};
  auto rules = config.routing.rules();
  rules.push_back(rule);
  domain::RoutingDirectory next(std::move(rules), config.routing.fallback_unit());
  if (auto problems = next.Validate(config.categories, config.org); !problems.empty()) {
    return Fail(problems.front());
  }
  ports::RoutingChange change{0,  session->clock->Now(), "cli", "create", rule.id.value(),
                              "", RuleDoc(rule)};
  if (auto st = session->store->SaveRoutingChange(next, change); !st.has_value()) {
    return Fail(st.error());
  }
  (void)session->store->Append({change.at, "cli", "admin.routing.create",
                                fmt::format("rule:{}", rule.id.value()), change.after, "local"});
  std::printf("已添加 %s\n", RuleLine(rule, config).c_str());
  for (const auto& c : next.Conflicts()) {
    if (c.a == rule.id || c.b == rule.id) {
      std::printf("警告: 与规则 #%lld 冲突：%s\n",
                  static_cast<long long>((c.a == rule.id ? c.b : c.a).value()), c.why.c_str());
    }
  }
}

void RunRemove(const std::string& store, int64_t id) {
  auto session = OpenSession(store);
  if (!session.has_value()) {
    return Fail(session.error());
  }
  const app::HotlineConfig& config = *session->config;
  std::vector<domain::RoutingRule> rules;
  std::string before;
  for (const auto& r : config.routing.rules()) {
    if (r.id.value() == id) {
      before = RuleDoc(r);
    } else {
      rules.push_back(r);
    }
  }
  if (before.empty()) {
    return Fail(fmt::format("派单规则不存在: #{}", id));
  }
  domain::RoutingDirectory next(std::move(rules), config.routing.fallback_unit());
  ports::RoutingChange change{0, session->clock->Now(), "cli", "delete", id, before, ""};
  if (auto st = session->store->SaveRoutingChange(next, change); !st.has_value()) {
    return Fail(st.error());
  }
  (void)session->store->Append(
      {change.at, "cli", "admin.routing.delete", fmt::format("rule:{}", id), before, "local"});
  std::printf("已删除规则 #%lld\n", static_cast<long long>(id));
}

}  // namespace

void RegisterRoutingCommands(CLI::App& app) {
  auto* cmd = app.add_subcommand("routing", "派单目录：检查缺口与冲突、列出规则、修改历史");
  cmd->require_subcommand(1);
  auto store = std::make_shared<std::string>("var/hotline.db");

  auto* check = cmd->add_subcommand(
      "check",
      "列出没有承办单位的分类 × 区域（缺口）和相互冲突的规则；无问题退出码 0，有问题 2，出错 1");
  check->add_option("--store", *store, "数据库文件路径")->capture_default_str();
  check->callback([store] { RunCheck(*store); });

  auto* list = cmd->add_subcommand("list", "列出派单规则与兜底单位");
  list->add_option("--store", *store, "数据库文件路径")->capture_default_str();
  list->callback([store] { RunList(*store); });

  auto* history = cmd->add_subcommand("history", "派单目录的修改历史（谁、何时、修改前后）");
  history->add_option("--store", *store, "数据库文件路径")->capture_default_str();
  history->callback([store] { RunHistory(*store); });

  auto args = std::make_shared<AddArgs>();
  auto* add = cmd->add_subcommand("add", "新增派单规则（与现有规则冲突时给出警告）");
  add->add_option("--store", args->store, "数据库文件路径")->capture_default_str();
  add->add_option("--category", args->category, "分类路径，如 城乡建设/市政设施（不填为任意分类）");
  add->add_option("--region", args->region, "区域代码或名称（不填为全市）");
  add->add_option("--lead", args->lead, "主办单位代码")->required();
  add->add_option("--co", args->co, "协办单位代码（可多个）");
  add->add_option("--priority", args->priority, "优先级（同等具体时大者优先）");
  add->add_option("--from", args->from, "生效日期 YYYY-MM-DD");
  add->add_option("--to", args->to, "失效日期 YYYY-MM-DD（不含）");
  add->add_option("--note", args->note, "备注");
  add->callback([args] { RunAdd(*args); });

  auto id = std::make_shared<int64_t>(0);
  auto* remove = cmd->add_subcommand("remove", "删除派单规则");
  remove->add_option("--store", *store, "数据库文件路径")->capture_default_str();
  remove->add_option("id", *id, "规则编号（routing list 的第一列）")->required();
  remove->callback([store, id] { RunRemove(*store, *id); });
}

}  // namespace hotline::cli
