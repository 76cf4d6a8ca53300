// Every SQL statement of the SQLite adapter, in one place.
#pragma once

namespace hotline::adapters::sqlite::queries {

inline constexpr char kNextTicketId[] = "SELECT COALESCE(MAX(id), 0) + 1 FROM tickets";
inline constexpr char kNextNumber[] =
    "INSERT INTO ticket_numbers (day, last_seq) VALUES (?1, 1) "
    "ON CONFLICT (day) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq";
inline constexpr char kInsertEvent[] =
    "INSERT INTO ticket_events (ticket_id, seq, at, actor_user, actor_role, actor_unit, "
    "actor_name, type, fields) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
inline constexpr char kInsertTicket[] =
    "INSERT INTO tickets (id, number, version, state, type, urgency, category_id, region_id, "
    "lead_unit, citizen_phone, created_at, reply_deadline, doc) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
inline constexpr char kUpdateTicket[] =
    "UPDATE tickets SET version = ?3, state = ?4, type = ?5, urgency = ?6, category_id = ?7, "
    "region_id = ?8, lead_unit = ?9, citizen_phone = ?10, created_at = ?11, "
    "reply_deadline = ?12, doc = ?13, number = ?2 WHERE id = ?1 AND version = ?14";
inline constexpr char kTicketExists[] = "SELECT version FROM tickets WHERE id = ?1";
inline constexpr char kDeleteTicketUnits[] = "DELETE FROM ticket_units WHERE ticket_id = ?1";
inline constexpr char kInsertTicketUnit[] =
    "INSERT OR REPLACE INTO ticket_units (unit_id, ticket_id, role) VALUES (?1, ?2, ?3)";
inline constexpr char kFindTicket[] = "SELECT id, number, doc FROM tickets WHERE id = ?1";
inline constexpr char kFindTicketByNumber[] =
    "SELECT id, number, doc FROM tickets WHERE number = ?1";
inline constexpr char kHistory[] =
    "SELECT seq, at, actor_user, actor_role, actor_unit, actor_name, type, fields "
    "FROM ticket_events WHERE ticket_id = ?1 ORDER BY seq";
inline constexpr char kAllEvents[] =
    "SELECT ticket_id, seq, at, actor_user, actor_role, actor_unit, actor_name, type, fields "
    "FROM ticket_events ORDER BY ticket_id, seq";
inline constexpr char kAllTicketDocs[] = "SELECT id, number, doc FROM tickets ORDER BY id";
inline constexpr char kCountTickets[] = "SELECT COUNT(*) FROM tickets";
inline constexpr char kCountEvents[] = "SELECT COUNT(*) FROM ticket_events";
inline constexpr char kCountByState[] =
    "SELECT state, COUNT(*) FROM tickets GROUP BY state ORDER BY state";

inline constexpr char kDeleteRegions[] = "DELETE FROM regions";
inline constexpr char kDeleteUnits[] = "DELETE FROM units";
inline constexpr char kDeleteUsers[] = "DELETE FROM users";
inline constexpr char kInsertRegion[] =
    "INSERT INTO regions (id, code, name, level, parent) VALUES (?1, ?2, ?3, ?4, ?5)";
inline constexpr char kInsertUnit[] =
    "INSERT INTO units (id, code, name, level, kind, parent, region, active) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
inline constexpr char kInsertUser[] =
    "INSERT INTO users (id, login, name, role, unit, active) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
inline constexpr char kSelectRegions[] =
    "SELECT id, code, name, level, parent FROM regions ORDER BY id";
inline constexpr char kSelectUnits[] =
    "SELECT id, code, name, level, kind, parent, region, active FROM units ORDER BY id";
inline constexpr char kSelectUsers[] =
    "SELECT id, login, name, role, unit, active FROM users ORDER BY id";
inline constexpr char kDeleteCategories[] = "DELETE FROM categories";
inline constexpr char kInsertCategory[] =
    "INSERT INTO categories (id, name, parent, level) VALUES (?1, ?2, ?3, ?4)";
inline constexpr char kSelectCategories[] =
    "SELECT id, name, parent, level FROM categories ORDER BY id";
inline constexpr char kDeleteRules[] = "DELETE FROM routing_rules";
inline constexpr char kInsertRule[] =
    "INSERT INTO routing_rules (id, category, region, lead_unit, co_units, priority, "
    "valid_from, valid_to, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
inline constexpr char kSelectRules[] =
    "SELECT id, category, region, lead_unit, co_units, priority, valid_from, valid_to, note "
    "FROM routing_rules ORDER BY id";
inline constexpr char kSetPassword[] = "UPDATE users SET password_hash = ?2 WHERE id = ?1";
inline constexpr char kGetPassword[] =
    "SELECT COALESCE(password_hash, '') FROM users WHERE login = ?1";
inline constexpr char kPutSetting[] =
    "INSERT INTO settings (key, value) VALUES (?1, ?2) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
inline constexpr char kGetSetting[] = "SELECT value FROM settings WHERE key = ?1";

}  // namespace hotline::adapters::sqlite::queries
