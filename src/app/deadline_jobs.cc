#include "app/deadline_jobs.h"

#include <fmt/format.h>

#include <chrono>

#include "domain/lifecycle.h"

namespace hotline::app {

using domain::kpi::DueStep;
using domain::kpi::StepKind;

namespace {

// Reminders are due at most this long before a deadline (1 working day before a deadline
// after the longest holiday is well inside it).
constexpr auto kLookahead = std::chrono::hours(24 * 21);

constexpr char kRemindPrefix[] = "【时限提醒】";

std::string PlatformName(const domain::OrgTree& org, domain::UnitId unit) {
  for (const domain::Unit* u = org.FindUnit(unit); u != nullptr; u = org.FindUnit(u->parent)) {
    if (u->kind == domain::UnitKind::kPlatform) {
      return u->name;
    }
    if (!u->parent.valid()) {
      break;
    }
  }
  return "";
}

domain::Command CommandFor(const DueStep& d, const domain::Ticket& t, const HotlineConfig& config,
                           bool as_supervisor) {
  domain::Command c;
  const std::string deadline = FormatLocal(d.deadline);
  switch (d.step.kind) {
    case StepKind::kRemind: {
      auto remind = config.policies.For(t.type, t.urgency).remind_before_reply;
      c.action = domain::Action::kNote;
      c.fields["text"] = fmt::format("{}距答复期限（{}）已不足{}，请抓紧办理。", kRemindPrefix,
                                     deadline, domain::ChineseTimeLimit(remind));
      break;
    }
    case StepKind::kUrge:
      c.action = domain::Action::kUrge;
      c.fields["comment"] =
          fmt::format("【超期自动催办】已超过答复期限（{}），请立即办理并答复。", deadline);
      break;
    case StepKind::kSupervise: {
      std::string who;
      if (d.step.level == 1) {
        std::string platform = PlatformName(config.org, t.lead_unit);
        who = platform.empty() ? "请承办单位上级督促办理" : "请" + platform + "督促办理";
      } else {
        who = "由市12345热线中心督办";
      }
      std::string text = fmt::format("【{}级督办】超过答复期限（{}）{}仍未答复，{}。", d.step.level,
                                     deadline, domain::ChineseTimeLimit(d.step.after), who);
      if (as_supervisor) {
        c.action = domain::Action::kSupervise;
        c.fields["level"] = std::to_string(d.step.level);
        c.fields["comment"] = text;
      } else {
        c.action = domain::Action::kUrge;
        c.fields["comment"] = text;
      }
      break;
    }
  }
  return c;
}

// Whether an interrupted earlier pass already took the step (claimed, acted, crashed before
// FinishStep): an event of the step's action by the job's actor, at or after the step was
// due. Returns its seq, or 0.
int64_t TakenIn(const std::vector<domain::TicketEvent>& history, const DueStep& d,
                domain::Action action, const domain::Actor& actor) {
  for (const domain::TicketEvent& e : history) {
    if (e.type != domain::Code(action) || e.actor.user != actor.user || e.at < d.due_at) {
      continue;
    }
    auto f = [&](const char* k) {
      auto it = e.fields.find(k);
      return it == e.fields.end() ? std::string() : it->second;
    };
    if (action == domain::Action::kNote && !f("text").starts_with(kRemindPrefix)) {
      continue;
    }
    if (action == domain::Action::kSupervise && f("level") != std::to_string(d.step.level)) {
      continue;
    }
    if (action == domain::Action::kUrge && d.step.kind == StepKind::kSupervise &&
        !f("comment").starts_with(fmt::format("【{}级督办】", d.step.level))) {
      continue;
    }
    if (action == domain::Action::kUrge && d.step.kind == StepKind::kUrge &&
        !f("comment").starts_with("【超期自动催办】")) {
      continue;
    }
    return e.seq;
  }
  return 0;
}

}  // namespace

DeadlineJobs::DeadlineJobs(TicketService& service, ports::TicketStore& tickets,
                           ports::KpiStore& ledger, DeadlineJobOptions options)
    : service_(service), tickets_(tickets), ledger_(ledger), options_(std::move(options)) {}

Result<JobRunReport> DeadlineJobs::RunOnce(Instant now) {
  auto config = service_.config();
  HOTLINE_ASSIGN_OR_RETURN(domain::Actor system, config->org.ActorFor(options_.system_login));
  std::optional<domain::Actor> supervisor;
  if (!options_.supervisor_login.empty()) {
    HOTLINE_ASSIGN_OR_RETURN(supervisor, config->org.ActorFor(options_.supervisor_login));
  } else {
    const domain::Unit* centre = config->org.Centre();
    for (const domain::User& u : config->org.users()) {
      if (u.active && u.role == domain::Role::kSupervisor &&
          (centre == nullptr || u.unit == centre->id)) {
        auto a = config->org.ActorFor(u.login);
        if (a.has_value()) {
          supervisor = *a;
          break;
        }
      }
    }
  }

  JobRunReport report;
  report.at = now;
  ports::TicketFilter filter;
  filter.states = {domain::TicketState::kDispatched, domain::TicketState::kSigned,
                   domain::TicketState::kReturnRequested};
  filter.reply_deadline_before = now + kLookahead;
  filter.limit = options_.page;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(auto page, tickets_.List(filter));
    for (const domain::Ticket& listed : page) {
      ++report.scanned;
      auto due =
          domain::kpi::DueSteps(listed, options_.ladder, config->calendar, config->policies, now);
      for (const DueStep& d : due) {
        // Re-read: an earlier step of this pass moved the ticket on.
        HOTLINE_ASSIGN_OR_RETURN(domain::Ticket t, tickets_.Find(listed.id));
        bool as_supervisor = d.step.kind == StepKind::kSupervise && supervisor.has_value();
        const domain::Actor& actor = as_supervisor ? *supervisor : system;
        domain::Command cmd = CommandFor(d, t, *config, as_supervisor);
        JobStepReport line{t.number, d.step.code, std::string(domain::Code(cmd.action)),
                           "",       "",          d.due_at};
        HOTLINE_ASSIGN_OR_RETURN(ports::StepClaim claim, ledger_.ClaimStep(t.id, d.key, now));
        if (claim == ports::StepClaim::kAlreadyDone) {
          ++report.skipped;
          continue;
        }
        if (claim == ports::StepClaim::kPending) {
          HOTLINE_ASSIGN_OR_RETURN(auto history, tickets_.History(t.id));
          if (int64_t seq = TakenIn(history, d, cmd.action, actor); seq > 0) {
            HOTLINE_RETURN_IF_ERROR(ledger_.FinishStep(t.id, d.key, seq));
            ++report.recovered;
            line.outcome = "recovered";
            report.steps.push_back(std::move(line));
            continue;
          }
        }
        auto acted = service_.Act(actor, t.number, cmd, t.version);
        if (!acted.has_value()) {
          // The claim stays pending: the next pass checks the history and tries again.
          ++report.failed;
          line.outcome = "failed";
          line.detail = acted.error().message;
          report.steps.push_back(std::move(line));
          continue;
        }
        HOTLINE_RETURN_IF_ERROR(ledger_.FinishStep(t.id, d.key, acted->version));
        line.outcome = "fired";
        if (cmd.action == domain::Action::kNote) {
          ++report.reminded;
        } else if (cmd.action == domain::Action::kUrge) {
          ++report.urged;
        } else {
          ++report.supervised;
        }
        report.steps.push_back(std::move(line));
      }
    }
    if (static_cast<int>(page.size()) < filter.limit) {
      break;
    }
    filter.after_id = page.back().id.value();
  }
  return report;
}

}  // namespace hotline::app
