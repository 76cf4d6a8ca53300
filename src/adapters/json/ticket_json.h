// JSON forms of tickets, events and fields: the store's projection documents, the CLI's
// --json output and (later) the HTTP API share them. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "domain/category.h"
#include "domain/org.h"
#include "domain/ticket.h"

namespace hotline::adapters::json {

nlohmann::json FieldsToJson(const domain::Fields& fields);
// Accepts an object of strings, numbers and booleans (numbers/booleans become text).
// kInvalidArgument for anything else.
Result<domain::Fields> FieldsFromJson(const nlohmann::json& j);

// The complete ticket (lossless: TicketFromJson(TicketToJson(t)) == t field by field).
nlohmann::json TicketToJson(const domain::Ticket& t);
Result<domain::Ticket> TicketFromJson(const nlohmann::json& j);

nlohmann::json EventToJson(const domain::TicketEvent& e);

// A ticket for people: codes plus Chinese names, unit and category names, local times,
// overdue flags at `now`.
nlohmann::json TicketForDisplay(const domain::Ticket& t, const domain::OrgTree& org,
                                const domain::CategoryTree& categories, Instant now);

// Equality of every projected field (used by rebuild verification and tests).
bool SameTicket(const domain::Ticket& a, const domain::Ticket& b);

}  // namespace hotline::adapters::json
