#include "adapters/json/ticket_json.h"

#include <cstdint>
#include <limits>
#include <stdexcept>

#include "domain/lifecycle.h"

namespace hotline::adapters::json {

using domain::Ticket;
using nlohmann::json;

namespace {

json OptInstant(const std::optional<Instant>& t) { return t ? json(ToUnix(*t)) : json(nullptr); }

// An integer field of a ticket document. nlohmann's get<int64_t>() converts a floating-point
// number with a plain cast, which is undefined behaviour when it is out of range (1e300):
// only integers in range are accepted.
struct BadNumber : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <typename T>
T Integer(const json& v) {
  if (v.is_number_unsigned()) {
    auto u = v.get<uint64_t>();
    if (u <= static_cast<uint64_t>(std::numeric_limits<T>::max())) {
      return static_cast<T>(u);
    }
  } else if (v.is_number_integer()) {
    auto i = v.get<int64_t>();
    if (i >= std::numeric_limits<T>::min() && i <= std::numeric_limits<T>::max()) {
      return static_cast<T>(i);
    }
  }
  throw BadNumber("应为整数: " + v.dump());
}

std::optional<Instant> GetOptInstant(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    return std::nullopt;
  }
  return FromUnix(Integer<int64_t>(*it));
}

json UnitIds(const std::vector<domain::UnitId>& ids) {
  json arr = json::array();
  for (auto id : ids) {
    arr.push_back(id.value());
  }
  return arr;
}

std::string LocalOrNull(const std::optional<Instant>& t) {
  return t ? FormatLocal(*t) : std::string();
}

}  // namespace

json FieldsToJson(const domain::Fields& fields) {
  json j = json::object();
  for (const auto& [k, v] : fields) {
    j[k] = v;
  }
  return j;
}

Result<domain::Fields> FieldsFromJson(const json& j) {
  if (!j.is_object()) {
    return InvalidArgument("请求体应为 JSON 对象");
  }
  domain::Fields out;
  for (const auto& [k, v] : j.items()) {
    if (v.is_string()) {
      out[k] = v.get<std::string>();
    } else if (v.is_boolean()) {
      out[k] = v.get<bool>() ? "1" : "0";
    } else if (v.is_number_integer()) {
      out[k] = std::to_string(v.get<int64_t>());
    } else if (v.is_number()) {
      out[k] = v.dump();
    } else if (v.is_array()) {
      std::string joined;
      for (const auto& item : v) {
        if (!item.is_number_integer() && !item.is_string()) {
          return InvalidArgument("字段 " + k + " 的数组元素应为编号");
        }
        if (!joined.empty()) {
          joined += ',';
        }
        joined += item.is_string() ? item.get<std::string>() : std::to_string(item.get<int64_t>());
      }
      out[k] = joined;
    } else if (v.is_null()) {
      continue;
    } else {
      return InvalidArgument("字段 " + k + " 的类型不受支持");
    }
  }
  return out;
}

json TicketToJson(const Ticket& t) {
  json j;
  j["id"] = t.id.value();
  j["number"] = t.number;
  j["version"] = t.version;
  j["state"] = domain::Code(t.state);
  j["state_before"] = domain::Code(t.state_before);
  j["type"] = domain::Code(t.type);
  j["urgency"] = domain::Code(t.urgency);
  j["channel"] = domain::Code(t.channel);
  j["category"] = t.category.value();
  j["region"] = t.region.value();
  j["address"] = t.address;
  j["title"] = t.title;
  j["content"] = t.content;
  j["citizen_name"] = t.citizen_name;
  j["citizen_phone"] = t.citizen_phone;
  j["anonymous"] = t.anonymous;
  j["confidential"] = t.confidential;
  j["external_ref"] = t.external_ref;
  j["created_at"] = ToUnix(t.created_at);
  j["created_by"] = t.created_by.value();
  j["dispatching_unit"] = t.dispatching_unit.value();
  j["lead_unit"] = t.lead_unit.value();
  j["co_units"] = UnitIds(t.co_units);
  j["dispatched_at"] = OptInstant(t.dispatched_at);
  j["sign_deadline"] = OptInstant(t.sign_deadline);
  j["reply_deadline"] = OptInstant(t.reply_deadline);
  j["signed_at"] = OptInstant(t.signed_at);
  j["replied_at"] = OptInstant(t.replied_at);
  j["reply"] = t.reply;
  j["direct_answer"] = t.direct_answer;
  j["reject_reason"] = t.reject_reason;
  j["extension_pending"] = t.extension_pending;
  j["extension_days_requested"] = t.extension_days_requested;
  j["suspended_at"] = OptInstant(t.suspended_at);
  j["closed_at"] = OptInstant(t.closed_at);
  j["archived_at"] = OptInstant(t.archived_at);
  j["callback_at"] = OptInstant(t.callback_at);
  j["resolved"] = t.resolved ? json(*t.resolved) : json(nullptr);
  j["satisfaction"] =
      t.satisfaction ? json(std::string(domain::Code(*t.satisfaction))) : json(nullptr);
  j["callback_reached"] = t.callback_reached;
  j["dispatch_count"] = t.dispatch_count;
  j["redispatch_count"] = t.redispatch_count;
  j["return_count"] = t.return_count;
  j["rehandle_count"] = t.rehandle_count;
  j["extension_count"] = t.extension_count;
  j["urge_count"] = t.urge_count;
  j["supervise_level"] = t.supervise_level;
  j["review_fail_count"] = t.review_fail_count;
  j["signed_late"] = t.signed_late;
  j["replied_late"] = t.replied_late;
  j["merged_into"] = t.merged_into;
  j["merged_in"] = t.merged_in;
  json notes = json::array();
  for (const auto& n : t.notes) {
    notes.push_back({{"at", ToUnix(n.at)}, {"by", n.by.value()}, {"text", n.text}});
  }
  j["notes"] = notes;
  json atts = json::array();
  for (const auto& a : t.attachments) {
    atts.push_back({{"name", a.name},
                    {"size", a.size},
                    {"sha256", a.sha256},
                    {"mime", a.mime},
                    {"at", ToUnix(a.at)},
                    {"by", a.by.value()}});
  }
  j["attachments"] = atts;
  return j;
}

Result<Ticket> TicketFromJson(const json& j) {
  try {
    Ticket t;
    t.id = domain::TicketId{Integer<int64_t>(j.at("id"))};
    t.number = j.at("number").get<std::string>();
    t.version = Integer<int64_t>(j.at("version"));
    auto state = domain::ParseTicketState(j.at("state").get<std::string>());
    auto before = domain::ParseTicketState(j.at("state_before").get<std::string>());
    auto type = domain::ParseRequestType(j.at("type").get<std::string>());
    auto urgency = domain::ParseUrgency(j.at("urgency").get<std::string>());
    auto channel = domain::ParseChannel(j.at("channel").get<std::string>());
    if (!state || !before || !type || !urgency || !channel) {
      return InvalidArgument("工单文档中的枚举值无效");
    }
    t.state = *state;
    t.state_before = *before;
    t.type = *type;
    t.urgency = *urgency;
    t.channel = *channel;
    t.category = domain::CategoryId{Integer<int64_t>(j.at("category"))};
    t.region = domain::RegionId{Integer<int64_t>(j.at("region"))};
    t.address = j.at("address").get<std::string>();
    t.title = j.at("title").get<std::string>();
    t.content = j.at("content").get<std::string>();
    t.citizen_name = j.at("citizen_name").get<std::string>();
    t.citizen_phone = j.at("citizen_phone").get<std::string>();
    t.anonymous = j.at("anonymous").get<bool>();
    t.confidential = j.at("confidential").get<bool>();
    t.external_ref = j.at("external_ref").get<std::string>();
    t.created_at = FromUnix(Integer<int64_t>(j.at("created_at")));
    t.created_by = domain::UserId{Integer<int64_t>(j.at("created_by"))};
    t.dispatching_unit = domain::UnitId{Integer<int64_t>(j.at("dispatching_unit"))};
    t.lead_unit = domain::UnitId{Integer<int64_t>(j.at("lead_unit"))};
    for (const auto& id : j.at("co_units")) {
      t.co_units.emplace_back(Integer<int64_t>(id));
    }
    t.dispatched_at = GetOptInstant(j, "dispatched_at");
    t.sign_deadline = GetOptInstant(j, "sign_deadline");
    t.reply_deadline = GetOptInstant(j, "reply_deadline");
    t.signed_at = GetOptInstant(j, "signed_at");
    t.replied_at = GetOptInstant(j, "replied_at");
    t.reply = j.at("reply").get<std::string>();
    t.direct_answer = j.at("direct_answer").get<std::string>();
    t.reject_reason = j.at("reject_reason").get<std::string>();
    t.extension_pending = j.at("extension_pending").get<bool>();
    t.extension_days_requested = Integer<int>(j.at("extension_days_requested"));
    t.suspended_at = GetOptInstant(j, "suspended_at");
    t.closed_at = GetOptInstant(j, "closed_at");
    t.archived_at = GetOptInstant(j, "archived_at");
    t.callback_at = GetOptInstant(j, "callback_at");
    if (!j.at("resolved").is_null()) {
      t.resolved = j.at("resolved").get<bool>();
    }
    if (!j.at("satisfaction").is_null()) {
      t.satisfaction = domain::ParseSatisfaction(j.at("satisfaction").get<std::string>());
    }
    t.callback_reached = j.at("callback_reached").get<bool>();
    t.dispatch_count = Integer<int>(j.at("dispatch_count"));
    t.redispatch_count = Integer<int>(j.at("redispatch_count"));
    t.return_count = Integer<int>(j.at("return_count"));
    t.rehandle_count = Integer<int>(j.at("rehandle_count"));
    t.extension_count = Integer<int>(j.at("extension_count"));
    t.urge_count = Integer<int>(j.at("urge_count"));
    t.supervise_level = Integer<int>(j.at("supervise_level"));
    t.review_fail_count = Integer<int>(j.at("review_fail_count"));
    t.signed_late = j.at("signed_late").get<bool>();
    t.replied_late = j.at("replied_late").get<bool>();
    t.merged_into = j.at("merged_into").get<std::string>();
    t.merged_in = j.at("merged_in").get<std::vector<std::string>>();
    for (const auto& n : j.at("notes")) {
      t.notes.push_back({FromUnix(Integer<int64_t>(n.at("at"))),
                         domain::UserId{Integer<int64_t>(n.at("by"))},
                         n.at("text").get<std::string>()});
    }
    for (const auto& a : j.at("attachments")) {
      t.attachments.push_back({a.at("name").get<std::string>(), Integer<int64_t>(a.at("size")),
                               a.at("sha256").get<std::string>(), a.at("mime").get<std::string>(),
                               FromUnix(Integer<int64_t>(a.at("at"))),
                               domain::UserId{Integer<int64_t>(a.at("by"))}});
    }
    return t;
  } catch (const json::exception& e) {
    return InvalidArgument(std::string("工单文档格式错误: ") + e.what());
  } catch (const BadNumber& e) {
    return InvalidArgument(std::string("工单文档格式错误: ") + e.what());
  }
}

json EventToJson(const domain::TicketEvent& e) {
  return {{"seq", e.seq},
          {"at", FormatLocal(e.at)},
          {"type", e.type},
          {"action",
           [&] {
             auto a = domain::ParseAction(e.type);
             return a ? std::string(domain::ChineseName(*a)) : e.type;
           }()},
          {"actor",
           {{"user", e.actor.user.value()},
            {"role", domain::Code(e.actor.role)},
            {"unit", e.actor.unit.value()},
            {"name", e.actor.name}}},
          {"fields", FieldsToJson(e.fields)}};
}

json TicketForDisplay(const Ticket& t, const domain::OrgTree& org,
                      const domain::CategoryTree& categories, Instant now) {
  json j = TicketToJson(t);
  auto unit_name = [&](domain::UnitId id) {
    const domain::Unit* u = org.FindUnit(id);
    return u != nullptr ? u->name : std::string();
  };
  j["state_name"] = domain::ChineseName(t.state);
  j["type_name"] = domain::ChineseName(t.type);
  j["urgency_name"] = domain::ChineseName(t.urgency);
  j["channel_name"] = domain::ChineseName(t.channel);
  j["category_path"] = t.category.valid() ? categories.PathOf(t.category) : "";
  const domain::Region* region = org.FindRegion(t.region);
  j["region_name"] = region != nullptr ? region->name : "";
  j["lead_unit_name"] = unit_name(t.lead_unit);
  json co = json::array();
  for (auto id : t.co_units) {
    co.push_back(unit_name(id));
  }
  j["co_unit_names"] = co;
  j["created_at_local"] = FormatLocal(t.created_at);
  j["sign_deadline_local"] = LocalOrNull(t.sign_deadline);
  j["reply_deadline_local"] = LocalOrNull(t.reply_deadline);
  j["overdue"] = t.IsOverdue(now);
  j["sign_overdue"] = t.IsSignOverdue(now);
  j["satisfaction_name"] = t.satisfaction ? domain::ChineseName(*t.satisfaction) : "";
  return j;
}

bool SameTicket(const Ticket& a, const Ticket& b) { return TicketToJson(a) == TicketToJson(b); }

}  // namespace hotline::adapters::json
