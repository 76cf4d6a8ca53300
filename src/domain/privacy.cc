#include "domain/privacy.h"

#include <algorithm>

#include "common/utf8.h"

namespace hotline::domain {
namespace {

bool IsUnitRole(Role r) { return r == Role::kUnitHandler || r == Role::kUnitAdmin; }

bool Concerns(const Actor& actor, UnitId unit, const OrgTree& org) {
  if (!unit.valid() || !actor.unit.valid()) {
    return false;
  }
  // A platform's staff also see tickets of the units below it.
  return unit == actor.unit || org.IsWithin(unit, actor.unit);
}

}  // namespace

bool MayView(const Actor& actor, const Ticket& t, const OrgTree& org) {
  if (!IsUnitRole(actor.role)) {
    return true;
  }
  if (Concerns(actor, t.lead_unit, org) || Concerns(actor, t.dispatching_unit, org)) {
    return true;
  }
  return std::any_of(t.co_units.begin(), t.co_units.end(),
                     [&](UnitId u) { return Concerns(actor, u, org); });
}

bool SeesPersonalData(const Actor& actor, const Ticket& t) {
  (void)t;
  switch (actor.role) {
    case Role::kOperator:
    case Role::kDispatcher:
    case Role::kCallback:
    case Role::kSupervisor:
    case Role::kSystem:
      return true;
    case Role::kUnitHandler:
    case Role::kUnitAdmin:
    case Role::kInspector:
    case Role::kLeader:
    case Role::kAdmin:
      return false;
  }
  return false;
}

std::string MaskPhone(const std::string& phone) {
  if (phone.size() >= 7) {
    return phone.substr(0, 3) + "****" + phone.substr(phone.size() - 4);
  }
  if (phone.size() > 2) {
    return std::string(phone.size() - 2, '*') + phone.substr(phone.size() - 2);
  }
  return phone.empty() ? phone : std::string(phone.size(), '*');
}

std::string MaskName(const std::string& name) {
  if (name.empty()) {
    return name;
  }
  // Keep the first code point (the family name), mask the rest.
  size_t first = 1;
  while (first < name.size() && (static_cast<unsigned char>(name[first]) & 0xC0) == 0x80) {
    ++first;
  }
  size_t rest = Utf8Length(name) - 1;
  return name.substr(0, first) + std::string(std::max<size_t>(rest, 1), '*');
}

Ticket ForViewer(const Actor& actor, const Ticket& t) {
  Ticket out = t;
  if (t.confidential && IsUnitRole(actor.role)) {
    out.citizen_name = "（保密）";
    out.citizen_phone = "（保密）";
    return out;
  }
  if (!SeesPersonalData(actor, t)) {
    out.citizen_name = MaskName(t.citizen_name);
    out.citizen_phone = MaskPhone(t.citizen_phone);
  }
  return out;
}

}  // namespace hotline::domain
