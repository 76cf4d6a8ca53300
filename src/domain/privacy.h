// Who may see a ticket (data scope) and which personal data they see (masking).
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "domain/org.h"
#include "domain/ticket.h"

namespace hotline::domain {

// Data scope: centre roles see every ticket; a unit's staff see tickets their unit (or a
// unit below it, for a platform) leads, co-handles or dispatched; nobody else sees any.
bool MayView(const Actor& actor, const Ticket& ticket, const OrgTree& org);

// Whether the actor sees the citizen's name and phone in full. Operators, dispatchers,
// callback agents and supervisors need them to serve the citizen; units, inspectors and
// leaders see them masked; a confidential report's reporter is never shown to any unit.
bool SeesPersonalData(const Actor& actor, const Ticket& ticket);

// 13812345678 -> 138****5678; short numbers keep their last 2 digits.
std::string MaskPhone(const std::string& phone);
// 张三丰 -> 张**; empty stays empty.
std::string MaskName(const std::string& name);

// The ticket as `actor` may see it (personal data masked or removed).
Ticket ForViewer(const Actor& actor, const Ticket& ticket);

}  // namespace hotline::domain
