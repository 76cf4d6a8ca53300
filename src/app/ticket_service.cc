#include "app/ticket_service.h"

#include <fmt/format.h>

#include "domain/fields.h"

namespace hotline::app {

using domain::Action;
using domain::Ticket;
using domain::TicketEvent;

Result<HotlineConfig> LoadConfig(ports::DirectoryStore& directory,
                                 const std::string& default_calendar_text) {
  HotlineConfig config;
  HOTLINE_ASSIGN_OR_RETURN(config.org, directory.LoadOrg());
  HOTLINE_ASSIGN_OR_RETURN(config.categories, directory.LoadCategories());
  HOTLINE_ASSIGN_OR_RETURN(config.routing, directory.LoadRouting());
  HOTLINE_ASSIGN_OR_RETURN(auto calendar_text, directory.GetSetting(kCalendarSetting));
  std::string text = calendar_text.value_or(default_calendar_text);
  if (!text.empty()) {
    HOTLINE_ASSIGN_OR_RETURN(config.calendar, domain::WorkCalendar::Parse(text));
  }
  HOTLINE_ASSIGN_OR_RETURN(auto policies_text, directory.GetSetting(kPoliciesSetting));
  if (policies_text.has_value()) {
    HOTLINE_ASSIGN_OR_RETURN(config.policies, domain::TimeLimitPolicies::Parse(*policies_text));
  }
  return config;
}

TicketService::TicketService(ports::TicketStore& store, const ports::Clock& clock,
                             std::shared_ptr<const HotlineConfig> config)
    : store_(store), clock_(clock), config_(std::move(config)) {}

std::shared_ptr<const HotlineConfig> TicketService::config() const {
  std::lock_guard lock(config_mu_);
  return config_;
}

void TicketService::SwapConfig(std::shared_ptr<const HotlineConfig> config) {
  std::lock_guard lock(config_mu_);
  config_ = std::move(config);
}

Result<Ticket> TicketService::Register(const domain::Actor& actor, const domain::Fields& fields) {
  auto config = this->config();
  domain::DecisionContext ctx{clock_.Now(), config->org, config->calendar, config->policies};
  if (auto cat = fields.find("category"); cat != fields.end() && !cat->second.empty()) {
    auto id = domain::ParseInt64(cat->second);
    if (!id.has_value() || config->categories.Find(domain::CategoryId{*id}) == nullptr) {
      return NotFound(fmt::format("分类不存在: {}", cat->second));
    }
  }
  HOTLINE_ASSIGN_OR_RETURN(TicketEvent event, domain::DecideRegister(fields, actor, ctx));
  Ticket ticket;
  domain::Apply(ticket, event);
  HOTLINE_ASSIGN_OR_RETURN(Ticket created, store_.Create(std::move(ticket), {std::move(event)}));
  feed_.Publish({created, std::string(domain::Code(Action::kRegister)), 0});
  return created;
}

Result<Ticket> TicketService::Act(const domain::Actor& actor, const std::string& number,
                                  const domain::Command& command,
                                  std::optional<int64_t> expected_version) {
  auto config = this->config();
  HOTLINE_ASSIGN_OR_RETURN(Ticket ticket, store_.FindByNumber(number));
  if (expected_version.has_value() && *expected_version != ticket.version) {
    return Aborted(fmt::format("工单 {} 已被他人修改（当前版本 {}，提交版本 {}），请刷新后重试",
                               number, ticket.version, *expected_version));
  }
  domain::DecisionContext ctx{clock_.Now(), config->org, config->calendar, config->policies};
  HOTLINE_ASSIGN_OR_RETURN(auto events, domain::Decide(ticket, command, actor, ctx));
  std::vector<ports::TicketWrite> writes;
  ports::TicketWrite write{ticket, events, ticket.version};
  for (const TicketEvent& e : events) {
    domain::Apply(write.ticket, e);
  }
  if (command.action == Action::kMerge) {
    const std::string into = domain::GetText(command.fields, "into");
    auto master = store_.FindByNumber(into);
    if (!master.has_value()) {
      return NotFound(fmt::format("主工单不存在: {}", into));
    }
    HOTLINE_ASSIGN_OR_RETURN(TicketEvent merged_in,
                             domain::DecideMergedIn(*master, ticket, actor, ctx));
    ports::TicketWrite master_write{*master, {merged_in}, master->version};
    domain::Apply(master_write.ticket, merged_in);
    writes.push_back(std::move(master_write));
  }
  Ticket result = write.ticket;
  writes.insert(writes.begin(), std::move(write));
  HOTLINE_RETURN_IF_ERROR(store_.Commit(writes));
  feed_.Publish({result, std::string(domain::Code(command.action)), 0});
  if (writes.size() > 1) {
    feed_.Publish({writes[1].ticket, std::string(domain::Code(Action::kMergedIn)), 0});
  }
  return result;
}

Result<TicketView> TicketService::Show(const std::string& number) {
  HOTLINE_ASSIGN_OR_RETURN(Ticket ticket, store_.FindByNumber(number));
  HOTLINE_ASSIGN_OR_RETURN(auto history, store_.History(ticket.id));
  return TicketView{std::move(ticket), std::move(history)};
}

Result<std::vector<Ticket>> TicketService::List(const ports::TicketFilter& filter) {
  return store_.List(filter);
}

Result<domain::RoutingSuggestion> TicketService::SuggestUnit(domain::CategoryId category,
                                                             domain::RegionId region) const {
  auto config = this->config();
  return config->routing.Resolve(category, region, clock_.Now(), config->categories, config->org);
}

}  // namespace hotline::app
