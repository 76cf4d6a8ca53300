// hotline ticket create|show|list|act: walk a ticket through its whole lifecycle.
#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/json/ticket_json.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/intake_suggestions.h"
#include "domain/fields.h"
#include "domain/lifecycle.h"

namespace hotline::cli {
namespace {

using nlohmann::json;

struct CommonArgs {
  std::string store = "var/hotline.db";
  std::string as;
  bool json = false;
};

// Unit, region and category fields may be given by code, name or path instead of id.
Status ResolveNames(domain::Fields& f, const app::HotlineConfig& config) {
  auto unit_id = [&](const std::string& v) -> Result<std::string> {
    if (domain::ParseInt64(v).has_value()) {
      return v;
    }
    const domain::Unit* u = config.org.FindUnitByCode(v);
    if (u == nullptr) {
      for (const auto& candidate : config.org.units()) {
        if (candidate.name == v) {
          u = &candidate;
        }
      }
    }
    if (u == nullptr) {
      return NotFound("单位不存在: " + v);
    }
    return std::to_string(u->id.value());
  };
  for (const char* key : {"lead_unit", "unit"}) {
    if (auto it = f.find(key); it != f.end() && !it->second.empty()) {
      HOTLINE_ASSIGN_OR_RETURN(it->second, unit_id(it->second));
    }
  }
  if (auto it = f.find("co_units"); it != f.end() && !it->second.empty()) {
    std::string out;
    size_t pos = 0;
    std::string list = it->second;
    while (pos <= list.size()) {
      size_t end = list.find(',', pos);
      if (end == std::string::npos) {
        end = list.size();
      }
      HOTLINE_ASSIGN_OR_RETURN(std::string id, unit_id(list.substr(pos, end - pos)));
      out += (out.empty() ? "" : ",") + id;
      pos = end + 1;
    }
    it->second = out;
  }
  if (auto it = f.find("region");
      it != f.end() && !it->second.empty() && !domain::ParseInt64(it->second).has_value()) {
    const domain::Region* r = config.org.FindRegionByCode(it->second);
    if (r == nullptr) {
      return NotFound("区域不存在: " + it->second);
    }
    it->second = std::to_string(r->id.value());
  }
  if (auto it = f.find("category");
      it != f.end() && !it->second.empty() && !domain::ParseInt64(it->second).has_value()) {
    const domain::Category* c = config.categories.FindByPath(it->second);
    if (c == nullptr) {
      return NotFound("分类不存在: " + it->second);
    }
    it->second = std::to_string(c->id.value());
  }
  return OkStatus();
}

void PrintTicket(const Session& s, const domain::Ticket& t, bool as_json,
                 const std::vector<domain::TicketEvent>* history) {
  json j = adapters::json::TicketForDisplay(t, s.config->org, s.config->categories, s.clock->Now());
  if (history != nullptr) {
    json h = json::array();
    for (const auto& e : *history) {
      h.push_back(adapters::json::EventToJson(e));
    }
    j["history"] = h;
  }
  if (as_json) {
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  std::printf("工单 %s  [%s]  版本 %lld\n", t.number.c_str(),
              j["state_name"].get<std::string>().c_str(), static_cast<long long>(t.version));
  std::printf("  类型 %s  紧急程度 %s  渠道 %s\n", j["type_name"].get<std::string>().c_str(),
              j["urgency_name"].get<std::string>().c_str(),
              j["channel_name"].get<std::string>().c_str());
  std::printf("  分类 %s  区域 %s  地址 %s\n", j["category_path"].get<std::string>().c_str(),
              j["region_name"].get<std::string>().c_str(), t.address.c_str());
  std::printf("  内容 %s\n", t.content.c_str());
  if (t.lead_unit.valid()) {
    std::printf("  主办 %s  签收时限 %s  办理时限 %s%s\n",
                j["lead_unit_name"].get<std::string>().c_str(),
                j["sign_deadline_local"].get<std::string>().c_str(),
                j["reply_deadline_local"].get<std::string>().c_str(),
                j["overdue"].get<bool>() ? "  【已超期】" : "");
  }
  if (!t.reply.empty()) {
    std::printf("  答复 %s\n", t.reply.c_str());
  }
  if (!t.direct_answer.empty()) {
    std::printf("  直接答复 %s\n", t.direct_answer.c_str());
  }
  if (history != nullptr) {
    std::printf("  历史:\n");
    for (const auto& e : j["history"]) {
      std::printf("    #%lld %s %s（%s）%s\n", e["seq"].get<long long>(),
                  e["at"].get<std::string>().c_str(), e["action"].get<std::string>().c_str(),
                  e["actor"]["name"].get<std::string>().c_str(),
                  e["fields"].empty() ? "" : e["fields"].dump().c_str());
    }
  }
}

Result<domain::Actor> ActorOrFail(const Session& s, const std::string& login) {
  if (login.empty()) {
    return InvalidArgument("请用 --as LOGIN 指定操作人（演示账号见 hotline demo 的输出）");
  }
  return s.config->org.ActorFor(login);
}

Result<domain::Fields> ParseSets(const std::vector<std::string>& sets) {
  domain::Fields f;
  for (const auto& kv : sets) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return InvalidArgument("--set 应为 key=value 形式: " + kv);
    }
    f[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return f;
}

}  // namespace

void RegisterTicketCommands(CLI::App& app) {
  auto* ticket = app.add_subcommand("ticket", "工单：登记、查看、列表、办理操作");
  ticket->require_subcommand(1);

  // create
  {
    auto args = std::make_shared<CommonArgs>();
    auto fields = std::make_shared<std::map<std::string, std::string>>();
    auto model = std::make_shared<std::string>();
    auto* cmd = ticket->add_subcommand("create", "登记新工单");
    cmd->add_option("--store", args->store, "数据库文件路径")->capture_default_str();
    cmd->add_option("--as", args->as, "操作人登录名（话务员、派单员或系统）")->required();
    cmd->add_option("--type", (*fields)["type"], "诉求类型：咨询/求助/投诉/举报/建议/表扬")
        ->required();
    cmd->add_option("--content", (*fields)["content"], "诉求内容")->required();
    cmd->add_option("--title", (*fields)["title"], "标题");
    cmd->add_option("--urgency", (*fields)["urgency"], "普通/紧急/特急");
    cmd->add_option("--channel", (*fields)["channel"], "来源渠道：电话/网站/微信...");
    cmd->add_option("--category", (*fields)["category"],
                    "分类编号或路径（如 城乡建设/住房保障/物业管理）");
    cmd->add_option("--region", (*fields)["region"], "区域编号、代码或名称");
    cmd->add_option("--address", (*fields)["address"], "地址");
    cmd->add_option("--name", (*fields)["citizen_name"], "诉求人姓名");
    cmd->add_option("--phone", (*fields)["citizen_phone"], "诉求人电话");
    cmd->add_flag(
        "--anonymous", [fields](int64_t) { (*fields)["anonymous"] = "1"; }, "匿名");
    cmd->add_flag(
        "--confidential", [fields](int64_t) { (*fields)["confidential"] = "1"; }, "举报人保密");
    cmd->add_option("--model", *model,
                    "分类模型文件（记录分类建议用；默认用库中启用的模型版本，没有时用 "
                    "var/classify.model）");
    cmd->add_flag("--json", args->json, "以 JSON 输出");
    cmd->callback([args, fields, model] {
      auto s = OpenSession(args->store);
      if (!s.has_value()) {
        return Fail(s.error());
      }
      auto actor = ActorOrFail(*s, args->as);
      if (!actor.has_value()) {
        return Fail(actor.error());
      }
      domain::Fields f;
      for (const auto& [k, v] : *fields) {
        if (!v.empty()) {
          f[k] = v;
        }
      }
      if (auto st = ResolveNames(f, *s->config); !st.has_value()) {
        return Fail(st.error());
      }
      auto t = s->service->Register(*actor, f);
      if (!t.has_value()) {
        return Fail(t.error());
      }
      // The classifier's suggestion, recorded right after the ticket's own transaction
      // (docs/classify.md): without a usable model the ticket stands and stderr says so.
      IntakeSuggestions suggestions(*s, *model);
      auto suggestion = suggestions.Record(*t);
      if (args->json) {
        json j = adapters::json::TicketForDisplay(*t, s->config->org, s->config->categories,
                                                  s->clock->Now());
        j["classify_suggestion"] = suggestion ? suggestions.ToJson(*suggestion) : json(nullptr);
        std::printf("%s\n", j.dump(2).c_str());
        return;
      }
      PrintTicket(*s, *t, false, nullptr);
      if (suggestion) {
        std::printf("  分类建议 %s\n", suggestions.Describe(*suggestion).c_str());
      }
    });
  }

  // show
  {
    auto args = std::make_shared<CommonArgs>();
    auto number = std::make_shared<std::string>();
    auto* cmd = ticket->add_subcommand("show", "查看工单及其全部历史");
    cmd->add_option("number", *number, "工单编号")->required();
    cmd->add_option("--store", args->store, "数据库文件路径")->capture_default_str();
    cmd->add_flag("--json", args->json, "以 JSON 输出");
    cmd->callback([args, number] {
      auto s = OpenSession(args->store);
      if (!s.has_value()) {
        return Fail(s.error());
      }
      auto view = s->service->Show(*number);
      if (!view.has_value()) {
        return Fail(view.error());
      }
      PrintTicket(*s, view->ticket, args->json, &view->history);
    });
  }

  // list
  {
    auto args = std::make_shared<CommonArgs>();
    struct ListArgs {
      std::vector<std::string> states;
      std::string unit;
      std::string phone;
      std::string text;
      bool overdue = false;
      int limit = 50;
      int64_t after = 0;
    };
    auto la = std::make_shared<ListArgs>();
    auto* cmd = ticket->add_subcommand("list", "按条件列出工单（按编号升序，游标分页）");
    cmd->add_option("--store", args->store, "数据库文件路径")->capture_default_str();
    cmd->add_option("--state", la->states, "状态（可多次）：registered/dispatched/signed/...");
    cmd->add_option("--unit", la->unit, "承办单位代码");
    cmd->add_option("--phone", la->phone, "诉求人电话");
    cmd->add_option("--text", la->text, "内容包含的文字");
    cmd->add_flag("--overdue", la->overdue, "只列出已超期的工单");
    cmd->add_option("--limit", la->limit, "最多条数")->check(CLI::Range(1, 10000));
    cmd->add_option("--after", la->after, "游标：上一页最后一件的 id");
    cmd->add_flag("--json", args->json, "以 JSON 输出");
    cmd->callback([args, la] {
      auto s = OpenSession(args->store);
      if (!s.has_value()) {
        return Fail(s.error());
      }
      ports::TicketFilter f;
      for (const auto& st : la->states) {
        auto parsed = domain::ParseTicketState(st);
        if (!parsed) {
          return Fail("未知状态: " + st);
        }
        f.states.push_back(*parsed);
      }
      if (!la->unit.empty()) {
        const domain::Unit* u = s->config->org.FindUnitByCode(la->unit);
        if (u == nullptr) {
          return Fail("单位不存在: " + la->unit);
        }
        f.unit = u->id;
      }
      if (la->overdue) {
        f.reply_deadline_before = s->clock->Now();
        f.states = {domain::TicketState::kDispatched, domain::TicketState::kSigned,
                    domain::TicketState::kReturnRequested};
      }
      f.citizen_phone = la->phone;
      f.text = la->text;
      f.limit = la->limit;
      f.after_id = la->after;
      auto list = s->service->List(f);
      if (!list.has_value()) {
        return Fail(list.error());
      }
      json arr = json::array();
      for (const auto& t : *list) {
        json j = adapters::json::TicketForDisplay(t, s->config->org, s->config->categories,
                                                  s->clock->Now());
        if (args->json) {
          arr.push_back(j);
        } else {
          std::printf("%-18s %-8s %-4s %-24s %s\n", t.number.c_str(),
                      j["state_name"].get<std::string>().c_str(),
                      j["type_name"].get<std::string>().c_str(),
                      j["lead_unit_name"].get<std::string>().c_str(),
                      j["overdue"].get<bool>() ? "超期" : "");
        }
      }
      if (args->json) {
        json out{{"tickets", arr},
                 {"next_after", list->empty() ? json(nullptr) : json(list->back().id.value())}};
        std::printf("%s\n", out.dump(2).c_str());
      } else {
        std::printf("共 %zu 件\n", list->size());
      }
    });
  }

  // act
  {
    auto args = std::make_shared<CommonArgs>();
    auto number = std::make_shared<std::string>();
    auto action = std::make_shared<std::string>();
    auto sets = std::make_shared<std::vector<std::string>>();
    auto version = std::make_shared<int64_t>(-1);
    std::string actions_help = "操作：";
    for (auto a : domain::AllActions()) {
      if (a != domain::Action::kRegister && a != domain::Action::kMergedIn) {
        actions_help +=
            std::string(domain::Code(a)) + "(" + std::string(domain::ChineseName(a)) + ") ";
      }
    }
    auto* cmd = ticket->add_subcommand("act", "对工单执行一项办理操作");
    cmd->add_option("number", *number, "工单编号")->required();
    cmd->add_option("action", *action, actions_help)->required();
    cmd->add_option("--store", args->store, "数据库文件路径")->capture_default_str();
    cmd->add_option("--as", args->as, "操作人登录名")->required();
    cmd->add_option("--set", *sets,
                    "操作字段 key=value，可多次，如 --set lead_unit=city-housing --set reply=...");
    cmd->add_option("--version", *version, "基于的工单版本（不符则拒绝，防止覆盖他人修改）");
    cmd->add_flag("--json", args->json, "以 JSON 输出");
    cmd->callback([args, number, action, sets, version] {
      auto a = domain::ParseAction(*action);
      if (!a || *a == domain::Action::kRegister || *a == domain::Action::kMergedIn) {
        return Fail("未知操作: " + *action + "（hotline ticket act --help 列出全部操作）");
      }
      auto fields = ParseSets(*sets);
      if (!fields.has_value()) {
        return Fail(fields.error());
      }
      auto s = OpenSession(args->store);
      if (!s.has_value()) {
        return Fail(s.error());
      }
      auto actor = ActorOrFail(*s, args->as);
      if (!actor.has_value()) {
        return Fail(actor.error());
      }
      if (auto st = ResolveNames(*fields, *s->config); !st.has_value()) {
        return Fail(st.error());
      }
      std::optional<int64_t> expected;
      if (*version >= 0) {
        expected = *version;
      }
      auto t = s->service->Act(*actor, *number, domain::Command{*a, *fields}, expected);
      if (!t.has_value()) {
        return Fail(t.error());
      }
      PrintTicket(*s, *t, args->json, nullptr);
    });
  }
}

}  // namespace hotline::cli
