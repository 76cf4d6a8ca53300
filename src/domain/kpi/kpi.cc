#include "domain/kpi/kpi.h"

#include <algorithm>
#include <array>
#include <utility>

namespace hotline::domain::kpi {
namespace {

constexpr std::array<std::string_view, kMeasureCount> kMeasureCodes{
    "received",   "rejected",        "answered_directly", "dispatched",      "wrong_dispatch",
    "signed",     "signed_late",     "replied",           "replied_late",    "handling_mdays",
    "callbacks",  "valid_callbacks", "satisfied",         "basic_satisfied", "unsatisfied",
    "resolved",   "closed",          "first_time_closed", "rehandled",       "returns_approved",
    "extensions", "urged",           "auto_urged",        "supervised",      "review_failed",
    "withdrawn",  "merged",          "escalated",         "sub_dispatched",  "return_rejected"};

int64_t Get(const Sums& s, Measure m) { return s[static_cast<size_t>(m)]; }

}  // namespace

std::string_view Code(Measure m) { return kMeasureCodes[static_cast<size_t>(m)]; }

std::optional<Measure> ParseMeasure(std::string_view code) {
  for (size_t i = 0; i < kMeasureCodes.size(); ++i) {
    if (kMeasureCodes[i] == code) {
      return static_cast<Measure>(i);
    }
  }
  return std::nullopt;
}

std::vector<Fact> Contributions(const Ticket& before, const TicketEvent& e,
                                const WorkCalendar& calendar) {
  Ticket after = before;
  Apply(after, e);
  std::vector<Fact> out;
  FactKey key{FormatLocalDate(e.at),         before.lead_unit.value(),
              after.category.value(),        after.region.value(),
              std::string(Code(after.type)), std::string(Code(after.channel))};
  auto add = [&](Measure m, int64_t value = 1) { out.push_back({key, m, value}); };
  auto add_for = [&](UnitId unit, Measure m) {
    FactKey k = key;
    k.unit = unit.value();
    out.push_back({std::move(k), m, 1});
  };
  const std::string& t = e.type;
  if (t == "register") {
    add(Measure::kReceived);
  } else if (t == "reject") {
    add(Measure::kRejected);
  } else if (t == "answer") {
    add(Measure::kAnsweredDirectly);
  } else if (t == "dispatch") {
    add_for(after.lead_unit, Measure::kDispatched);
  } else if (t == "redispatch") {
    add(Measure::kWrongDispatch);
    add_for(after.lead_unit, Measure::kDispatched);
  } else if (t == "sub_dispatch") {
    add_for(after.lead_unit, Measure::kSubDispatched);
  } else if (t == "sign") {
    add(Measure::kSigned);
    if (after.signed_late) {
      add(Measure::kSignedLate);
    }
  } else if (t == "approve_return") {
    add(Measure::kReturnsApproved);
    if (after.state == TicketState::kRegistered) {
      add(Measure::kWrongDispatch);  // back to the centre: the centre's dispatch was wrong
    }
  } else if (t == "reject_return") {
    add(Measure::kReturnRejected);  // against the unit that asked (still the lead unit)
  } else if (t == "approve_extension") {
    add(Measure::kExtensions);
  } else if (t == "reply" || t == "province_reply") {
    add(Measure::kReplied);
    if (after.replied_late) {
      add(Measure::kRepliedLate);
    }
    if (before.dispatched_at && *before.dispatched_at <= e.at) {
      Duration d = calendar.Elapsed(*before.dispatched_at, e.at, LimitUnit::kWorkingDays);
      add(Measure::kHandlingMilliDays, d.count() * 1000 / 86400);
    }
  } else if (t == "review_fail") {
    add(Measure::kReviewFailed);
  } else if (t == "callback") {
    add(Measure::kCallbacks);
    if (after.callback_reached) {
      add(Measure::kClosed);
      if (before.return_count == 0 && before.redispatch_count == 0 && before.rehandle_count == 0) {
        add(Measure::kFirstTimeClosed);
      }
      if (after.satisfaction.has_value()) {
        add(Measure::kValidCallbacks);
        switch (*after.satisfaction) {
          case Satisfaction::kSatisfied:
            add(Measure::kSatisfied);
            break;
          case Satisfaction::kBasicSatisfied:
            add(Measure::kBasicSatisfied);
            break;
          case Satisfaction::kUnsatisfied:
            add(Measure::kUnsatisfied);
            break;
        }
        if (after.resolved.value_or(false)) {
          add(Measure::kResolved);
        }
      }
    }
  } else if (t == "rehandle") {
    add(Measure::kRehandled);
  } else if (t == "urge") {
    add(Measure::kUrged);
    if (e.actor.role == Role::kSystem) {
      add(Measure::kAutoUrged);
    }
  } else if (t == "supervise") {
    add(Measure::kSupervised);
  } else if (t == "withdraw") {
    add(Measure::kWithdrawn);
  } else if (t == "merge") {
    add(Measure::kMerged);
  } else if (t == "escalate") {
    add(Measure::kEscalated);
  }
  return out;
}

std::vector<Fact> ContributionsOfLog(const std::vector<TicketEvent>& events,
                                     const WorkCalendar& calendar) {
  std::vector<Fact> out;
  Ticket t;
  if (!events.empty()) {
    t.id = events.front().ticket;
  }
  for (const TicketEvent& e : events) {
    auto facts = Contributions(t, e, calendar);
    out.insert(out.end(), std::make_move_iterator(facts.begin()),
               std::make_move_iterator(facts.end()));
    Apply(t, e);
  }
  return out;
}

const std::vector<KpiDefinition>& Definitions() {
  using M = Measure;
  static const std::vector<KpiDefinition> defs{
      {"received", "登记量", "件", M::kReceived},
      {"acceptance_rate", "受理率", "%", M::kRejected},
      {"instant_answer_rate", "即问即答率", "%", M::kAnsweredDirectly},
      {"dispatched", "派单量", "件", M::kDispatched},
      {"dispatch_accuracy", "转办准确率", "%", M::kWrongDispatch},
      {"on_time_sign_rate", "按时签收率", "%", M::kSignedLate},
      {"replied", "答复量", "件", M::kReplied},
      {"on_time_completion_rate", "按时办结率", "%", M::kRepliedLate},
      {"overdue_replies", "超期答复量", "件", M::kRepliedLate},
      {"overdue", "超期件（自动催办）", "件", M::kAutoUrged},
      {"avg_handling_days", "平均办理时长", "工作日", M::kReplied},
      {"callback_rate", "回访率", "%", M::kValidCallbacks},
      {"satisfaction_rate", "满意率", "%", M::kUnsatisfied},
      {"resolution_rate", "解决率", "%", M::kResolved},
      {"first_time_rate", "一次办结率", "%", M::kFirstTimeClosed},
      {"rehandle_rate", "重办率", "%", M::kRehandled},
      {"returns", "退单量（同意）", "件", M::kReturnsApproved},
      {"extensions", "延期量（同意）", "件", M::kExtensions},
      {"urged", "催办量", "件", M::kUrged},
      {"supervised", "督办量", "件", M::kSupervised},
      {"rejected", "不予受理量", "件", M::kRejected},
      {"wrong_returns", "退单被驳回量（错退）", "件", M::kReturnRejected},
  };
  return defs;
}

const KpiDefinition* FindDefinition(std::string_view id) {
  for (const KpiDefinition& d : Definitions()) {
    if (d.id == id) {
      return &d;
    }
  }
  return nullptr;
}

std::vector<KpiValue> Compute(const Sums& s) {
  using M = Measure;
  const int64_t accepted = Get(s, M::kReceived) - Get(s, M::kRejected);
  const int64_t valid = Get(s, M::kValidCallbacks);
  const int64_t closed = Get(s, M::kClosed);
  auto pair_of = [&](std::string_view id) -> std::pair<int64_t, std::optional<int64_t>> {
    if (id == "received") return {Get(s, M::kReceived), std::nullopt};
    if (id == "acceptance_rate") return {accepted, Get(s, M::kReceived)};
    if (id == "instant_answer_rate") return {Get(s, M::kAnsweredDirectly), accepted};
    if (id == "dispatched") return {Get(s, M::kDispatched), std::nullopt};
    if (id == "dispatch_accuracy") {
      return {Get(s, M::kDispatched) - Get(s, M::kWrongDispatch), Get(s, M::kDispatched)};
    }
    if (id == "on_time_sign_rate") {
      return {Get(s, M::kSigned) - Get(s, M::kSignedLate), Get(s, M::kSigned)};
    }
    if (id == "replied") return {Get(s, M::kReplied), std::nullopt};
    if (id == "on_time_completion_rate") {
      return {Get(s, M::kReplied) - Get(s, M::kRepliedLate), Get(s, M::kReplied)};
    }
    if (id == "overdue_replies") return {Get(s, M::kRepliedLate), std::nullopt};
    if (id == "overdue") return {Get(s, M::kAutoUrged), std::nullopt};
    if (id == "avg_handling_days") return {Get(s, M::kHandlingMilliDays), Get(s, M::kReplied)};
    if (id == "callback_rate") return {valid, Get(s, M::kReplied)};
    if (id == "satisfaction_rate") {
      return {Get(s, M::kSatisfied) + Get(s, M::kBasicSatisfied), valid};
    }
    if (id == "resolution_rate") return {Get(s, M::kResolved), valid};
    if (id == "first_time_rate") return {Get(s, M::kFirstTimeClosed), closed};
    if (id == "rehandle_rate") return {Get(s, M::kRehandled), closed};
    if (id == "returns") return {Get(s, M::kReturnsApproved), std::nullopt};
    if (id == "extensions") return {Get(s, M::kExtensions), std::nullopt};
    if (id == "urged") return {Get(s, M::kUrged), std::nullopt};
    if (id == "supervised") return {Get(s, M::kSupervised), std::nullopt};
    if (id == "rejected") return {Get(s, M::kRejected), std::nullopt};
    if (id == "wrong_returns") return {Get(s, M::kReturnRejected), std::nullopt};
    return {0, std::nullopt};
  };
  std::vector<KpiValue> out;
  for (const KpiDefinition& d : Definitions()) {
    auto [num, den] = pair_of(d.id);
    KpiValue v{std::string(d.id), std::string(d.name), std::string(d.unit), 0, num, den};
    if (!den.has_value()) {
      v.value = static_cast<double>(num);
    } else if (*den > 0) {
      // avg_handling_days: the numerator is in thousandths of a working day.
      v.value = d.unit == "%" ? 100.0 * static_cast<double>(num) / static_cast<double>(*den)
                              : static_cast<double>(num) / 1000.0 / static_cast<double>(*den);
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace hotline::domain::kpi
