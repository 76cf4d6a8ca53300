// SqliteStore's ProgrammeStore: campaigns, leader hotline days, difficult cases and agent QA
// (schema 009). Every write runs in the store's write transaction (its own savepoint), so a
// failure leaves nothing half-written. A campaign's KPI sums read the KPI facts (schema 006)
// of its tickets.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "adapters/sqlite/reader.h"
#include "adapters/sqlite/sqlite_store.h"
#include "domain/fields.h"

namespace hotline::adapters::sqlite {

using domain::programmes::Campaign;
using domain::programmes::CaseNote;
using domain::programmes::DifficultCase;
using domain::programmes::Inspection;
using domain::programmes::LeaderDay;
using domain::programmes::ScoreSheet;
using nlohmann::json;

namespace {

// The SQL of the programmes stays here, beside the code that binds it (schema 009).
constexpr char kInsertCampaign[] =
    "INSERT INTO campaigns (name, description, date_from, date_to, categories, regions, "
    "keywords, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
constexpr char kUpdateCampaign[] =
    "UPDATE campaigns SET name = ?2, description = ?3, date_from = ?4, date_to = ?5, "
    "categories = ?6, regions = ?7, keywords = ?8 WHERE id = ?1";
constexpr char kResetCampaignRule[] = "UPDATE campaigns SET scanned_to = 0 WHERE id = ?1";
constexpr char kDropRuleMembers[] =
    "DELETE FROM campaign_tickets WHERE campaign_id = ?1 AND how = 'rule'";
constexpr char kDeleteCampaign[] = "DELETE FROM campaigns WHERE id = ?1";
constexpr char kFindCampaign[] =
    "SELECT id, name, description, date_from, date_to, categories, regions, keywords, "
    "created_by, created_at, scanned_to FROM campaigns WHERE id = ?1";
constexpr char kListCampaigns[] =
    "SELECT id, name, description, date_from, date_to, categories, regions, keywords, "
    "created_by, created_at, scanned_to FROM campaigns ORDER BY date_from DESC, id DESC";
constexpr char kCampaignExists[] = "SELECT scanned_to FROM campaigns WHERE id = ?1";
constexpr char kAddRuleMember[] =
    "INSERT INTO campaign_tickets (campaign_id, ticket_id, how) VALUES (?1, ?2, 'rule') "
    "ON CONFLICT DO NOTHING";
constexpr char kAddManualMember[] =
    "INSERT INTO campaign_tickets (campaign_id, ticket_id, how) VALUES (?1, ?2, 'manual') "
    "ON CONFLICT DO UPDATE SET how = 'manual'";
constexpr char kMoveScanned[] =
    "UPDATE campaigns SET scanned_to = MAX(scanned_to, ?2) WHERE id = ?1";
constexpr char kExcludeMember[] =
    "UPDATE campaign_tickets SET how = 'excluded' WHERE campaign_id = ?1 AND ticket_id = ?2 "
    "AND how <> 'excluded'";
constexpr char kCampaignMembers[] =
    "SELECT ct.ticket_id, t.number, ct.how FROM campaign_tickets ct "
    "JOIN tickets t ON t.id = ct.ticket_id WHERE ct.campaign_id = ?1 AND ct.how <> 'excluded' "
    "AND ct.ticket_id > ?2 ORDER BY ct.ticket_id LIMIT ?3";
constexpr char kCampaignCount[] =
    "SELECT COUNT(*) FROM campaign_tickets WHERE campaign_id = ?1 AND how <> 'excluded'";
constexpr char kCampaignSums[] =
    "SELECT f.measure, SUM(f.value) FROM campaign_tickets ct "
    "JOIN kpi_facts f ON f.ticket_id = ct.ticket_id "
    "WHERE ct.campaign_id = ?1 AND ct.how <> 'excluded' AND f.day >= ?2 AND f.day <= ?3 "
    "GROUP BY f.measure";

constexpr char kInsertDay[] =
    "INSERT INTO leader_days (day, leader, topic, units, note, created_by, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr char kUpdateDay[] =
    "UPDATE leader_days SET day = ?2, leader = ?3, topic = ?4, units = ?5, note = ?6 "
    "WHERE id = ?1";
constexpr char kDeleteDay[] = "DELETE FROM leader_days WHERE id = ?1";
constexpr char kFindDay[] =
    "SELECT id, day, leader, topic, units, note, created_by, created_at FROM leader_days "
    "WHERE id = ?1";
constexpr char kListDays[] =
    "SELECT id, day, leader, topic, units, note, created_by, created_at FROM leader_days "
    "WHERE (?1 = '' OR day >= ?1) AND (?2 = '' OR day <= ?2) ORDER BY day DESC, id DESC";
constexpr char kDayExists[] = "SELECT 1 FROM leader_days WHERE id = ?1";
constexpr char kLinkTicket[] =
    "INSERT INTO leader_day_tickets (day_id, ticket_id, seq) VALUES (?1, ?2, "
    "(SELECT COALESCE(MAX(seq), 0) + 1 FROM leader_day_tickets WHERE day_id = ?1))";
constexpr char kUnlinkTicket[] =
    "DELETE FROM leader_day_tickets WHERE day_id = ?1 AND ticket_id = ?2";
constexpr char kDayTickets[] =
    "SELECT ticket_id FROM leader_day_tickets WHERE day_id = ?1 ORDER BY seq";

constexpr char kInsertCase[] =
    "INSERT INTO difficult_cases (ticket_id, reason, flagged_by, flagged_at, owner, "
    "next_review) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr char kUpdateCase[] =
    "UPDATE difficult_cases SET owner = ?2, next_review = ?3, resolved = ?4, resolved_at = ?5, "
    "resolution = ?6 WHERE id = ?1";
constexpr char kInsertNote[] =
    "INSERT INTO difficult_notes (case_id, seq, at, by, text) VALUES (?1, "
    "(SELECT COALESCE(MAX(seq), 0) + 1 FROM difficult_notes WHERE case_id = ?1), ?2, ?3, ?4)";
constexpr char kFindCase[] =
    "SELECT c.id, c.ticket_id, t.number, c.reason, c.flagged_by, c.flagged_at, c.owner, "
    "c.next_review, c.resolved, c.resolved_at, c.resolution FROM difficult_cases c "
    "LEFT JOIN tickets t ON t.id = c.ticket_id WHERE c.id = ?1";
constexpr char kListCases[] =
    "SELECT c.id, c.ticket_id, t.number, c.reason, c.flagged_by, c.flagged_at, c.owner, "
    "c.next_review, c.resolved, c.resolved_at, c.resolution FROM difficult_cases c "
    "LEFT JOIN tickets t ON t.id = c.ticket_id "
    "WHERE (?1 < 0 OR c.resolved = ?1) AND (?2 = '' OR c.owner = ?2) "
    "AND (?3 = 0 OR c.ticket_id = ?3) ORDER BY c.flagged_at, c.id";
constexpr char kCaseNotes[] =
    "SELECT at, by, text FROM difficult_notes WHERE case_id = ?1 ORDER BY seq";

constexpr char kInsertSheet[] =
    "INSERT INTO qa_sheets (name, items, active, created_by, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr char kUpdateSheet[] =
    "UPDATE qa_sheets SET name = ?2, items = ?3, active = ?4 WHERE id = ?1";
constexpr char kFindSheet[] =
    "SELECT id, name, items, active, created_by, created_at FROM qa_sheets WHERE id = ?1";
constexpr char kListSheets[] =
    "SELECT id, name, items, active, created_by, created_at FROM qa_sheets ORDER BY id";
constexpr char kSheetUsed[] = "SELECT COUNT(*) FROM qa_inspections WHERE sheet_id = ?1";
constexpr char kInsertInspection[] =
    "INSERT INTO qa_inspections (sheet_id, agent, target_kind, target, inspector, at, day, "
    "scores, remarks, comment, total, max_total) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
constexpr char kListInspections[] =
    "SELECT id, sheet_id, agent, target_kind, target, inspector, at, scores, remarks, comment, "
    "total, max_total FROM qa_inspections WHERE (?1 = '' OR day >= ?1) AND (?2 = '' OR day <= ?2) "
    "AND (?3 = '' OR agent = ?3) AND id > ?4 ORDER BY id LIMIT ?5";
constexpr char kCallAgent[] = "SELECT agent FROM calls WHERE call_id = ?1";

template <typename Id>
std::vector<Id> SplitIds(const std::string& text) {
  std::vector<Id> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    auto v = domain::ParseInt64(std::string_view(text).substr(start, end - start));
    if (v.has_value()) {
      out.push_back(Id{*v});
    }
    start = end + 1;
  }
  return out;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) {
    out += out.empty() ? "" : "\n";
    out += l;
  }
  return out;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// A name taken (the UNIQUE constraint) as a clear error.
Status NameTaken(Status st, const std::string& what, const std::string& name) {
  if (!st.has_value() && st.error().code == ErrorCode::kAlreadyExists) {
    return AlreadyExists(fmt::format("{}已存在: {}", what, name));
  }
  return st;
}

Campaign ReadCampaign(const Stmt& s) {
  Campaign c;
  c.id = s.Int(0);
  c.name = s.Text(1);
  c.description = s.Text(2);
  c.from = s.Text(3);
  c.to = s.Text(4);
  c.categories = SplitIds<domain::CategoryId>(s.Text(5));
  c.regions = SplitIds<domain::RegionId>(s.Text(6));
  c.keywords = SplitLines(s.Text(7));
  c.created_by = s.Text(8);
  c.created_at = FromUnix(s.Int(9));
  c.scanned_to = s.Int(10);
  return c;
}

LeaderDay ReadDay(const Stmt& s) {
  LeaderDay d;
  d.id = s.Int(0);
  d.date = s.Text(1);
  d.leader = s.Text(2);
  d.topic = s.Text(3);
  d.units = SplitIds<domain::UnitId>(s.Text(4));
  d.note = s.Text(5);
  d.created_by = s.Text(6);
  d.created_at = FromUnix(s.Int(7));
  return d;
}

DifficultCase ReadCase(const Stmt& s) {
  DifficultCase c;
  c.id = s.Int(0);
  c.ticket = domain::TicketId{s.Int(1)};
  c.number = s.IsNull(2) ? "" : s.Text(2);
  c.reason = s.Text(3);
  c.flagged_by = s.Text(4);
  c.flagged_at = FromUnix(s.Int(5));
  c.owner = s.Text(6);
  c.next_review = s.Text(7);
  c.resolved = s.Int(8) != 0;
  if (!s.IsNull(9)) {
    c.resolved_at = FromUnix(s.Int(9));
  }
  c.resolution = s.Text(10);
  return c;
}

std::string ItemsJson(const ScoreSheet& s) {
  json items = json::array();
  for (const auto& i : s.items) {
    items.push_back({{"name", i.name}, {"max_points", i.max_points}});
  }
  return items.dump();
}

Result<ScoreSheet> ReadSheet(const Stmt& s) {
  ScoreSheet sheet;
  sheet.id = s.Int(0);
  sheet.name = s.Text(1);
  try {
    for (const json& i : json::parse(s.Text(2))) {
      sheet.items.push_back({i.at("name").get<std::string>(), i.at("max_points").get<int>()});
    }
  } catch (const json::exception& e) {
    return Internal(fmt::format("qa_sheets {}: items 损坏: {}", sheet.id, e.what()));
  }
  sheet.active = s.Int(3) != 0;
  sheet.created_by = s.Text(4);
  sheet.created_at = FromUnix(s.Int(5));
  return sheet;
}

Result<Inspection> ReadInspection(const Stmt& s) {
  Inspection i;
  i.id = s.Int(0);
  i.sheet = s.Int(1);
  i.agent = s.Text(2);
  i.target_kind =
      domain::programmes::ParseQaTarget(s.Text(3)).value_or(domain::programmes::QaTarget::kCall);
  i.target = s.Text(4);
  i.inspector = s.Text(5);
  i.at = FromUnix(s.Int(6));
  try {
    i.scores = json::parse(s.Text(7)).get<std::vector<int>>();
    i.remarks = json::parse(s.Text(8)).get<std::vector<std::string>>();
  } catch (const json::exception& e) {
    return Internal(fmt::format("qa_inspections {}: 损坏: {}", i.id, e.what()));
  }
  i.comment = s.Text(9);
  i.total = static_cast<int>(s.Int(10));
  i.max_total = static_cast<int>(s.Int(11));
  return i;
}

// Runs an UPDATE/DELETE; kNotFound with `missing` when it changed no row.
Status RunChanging(Db& db, Stmt& s, const std::string& missing) {
  HOTLINE_RETURN_IF_ERROR(s.Run());
  if (db.Changes() == 0) {
    return NotFound(missing);
  }
  return OkStatus();
}

// The value of `found` (a First() result), or kNotFound with `missing`.
template <typename T>
Result<T> Found(Result<std::optional<T>> found, const std::string& missing) {
  if (!found.has_value()) {
    return found.error();
  }
  if (!found->has_value()) {
    return NotFound(missing);
  }
  return std::move(**found);
}

// Whether `sql` (bound to `id`) finds a row.
Result<bool> Exists(Db& db, const char* sql, int64_t id) {
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(sql));
  HOTLINE_ASSIGN_OR_RETURN(auto row, s->Bind(1, id).First([](const Stmt&) { return true; }));
  return row.has_value();
}

// Adds the notes of difficult case `id` after its last one.
Status InsertNotes(Db& db, int64_t id, const std::vector<CaseNote>& notes) {
  for (const CaseNote& n : notes) {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * note, db.Prepare(kInsertNote));
    HOTLINE_RETURN_IF_ERROR(note->BindAll(id, ToUnix(n.at), n.by, n.text).Run());
  }
  return OkStatus();
}

}  // namespace

// ---------------------------------------------------------------------------- campaigns

Result<int64_t> SqliteStore::CreateCampaign(const Campaign& c) {
  int64_t id = 0;
  Status written =
      NameTaken(RunWrite([&](Db& db) -> Status {
                  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kInsertCampaign));
                  HOTLINE_RETURN_IF_ERROR(
                      s->BindAll(c.name, c.description, c.from, c.to, domain::JoinIds(c.categories),
                                 domain::JoinIds(c.regions), JoinLines(c.keywords), c.created_by,
                                 ToUnix(c.created_at))
                          .Run());
                  id = db.LastInsertId();
                  return OkStatus();
                }),
                "专题名称", c.name);
  HOTLINE_RETURN_IF_ERROR(written);
  return id;
}

Status SqliteStore::UpdateCampaign(const Campaign& c, bool rule_changed) {
  return NameTaken(
      RunWrite([&](Db& db) -> Status {
        HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kUpdateCampaign));
        s->BindAll(c.id, c.name, c.description, c.from, c.to, domain::JoinIds(c.categories),
                   domain::JoinIds(c.regions), JoinLines(c.keywords));
        HOTLINE_RETURN_IF_ERROR(RunChanging(db, *s, fmt::format("专题不存在: {}", c.id)));
        if (rule_changed) {
          HOTLINE_ASSIGN_OR_RETURN(Stmt * drop, db.Prepare(kDropRuleMembers));
          HOTLINE_RETURN_IF_ERROR(drop->Bind(1, c.id).Run());
          HOTLINE_ASSIGN_OR_RETURN(Stmt * reset, db.Prepare(kResetCampaignRule));
          HOTLINE_RETURN_IF_ERROR(reset->Bind(1, c.id).Run());
        }
        return OkStatus();
      }),
      "专题名称", c.name);
}

Status SqliteStore::DeleteCampaign(int64_t id) {
  return RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kDeleteCampaign));
    return RunChanging(db, s->Bind(1, id), fmt::format("专题不存在: {}", id));
  });
}

Result<Campaign> SqliteStore::FindCampaign(int64_t id) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kFindCampaign));
  return Found(s->Bind(1, id).First(ReadCampaign), fmt::format("专题不存在: {}", id));
}

Result<std::vector<Campaign>> SqliteStore::ListCampaigns() {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kListCampaigns));
  return s->All(ReadCampaign);
}

Status SqliteStore::AddCampaignTickets(int64_t campaign, const std::vector<int64_t>& ticket_ids,
                                       bool manual, int64_t scanned_to) {
  return RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(bool found, Exists(db, kCampaignExists, campaign));
    if (!found) {
      return NotFound(fmt::format("专题不存在: {}", campaign));
    }
    for (int64_t t : ticket_ids) {
      HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(manual ? kAddManualMember : kAddRuleMember));
      HOTLINE_RETURN_IF_ERROR(s->BindAll(campaign, t).Run());
    }
    HOTLINE_ASSIGN_OR_RETURN(Stmt * move, db.Prepare(kMoveScanned));
    return move->BindAll(campaign, scanned_to).Run();
  });
}

Status SqliteStore::RemoveCampaignTicket(int64_t campaign, int64_t ticket_id) {
  return RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kExcludeMember));
    return RunChanging(db, s->BindAll(campaign, ticket_id), "该工单不在本专题中");
  });
}

Result<std::vector<ports::CampaignTicket>> SqliteStore::CampaignTickets(int64_t campaign,
                                                                        int64_t after_id,
                                                                        int limit) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kCampaignMembers));
  return s->BindAll(campaign, after_id, limit).All([](const Stmt& row) {
    return ports::CampaignTicket{row.Int(0), row.Text(1), row.Text(2) == "manual"};
  });
}

Result<int64_t> SqliteStore::CampaignTicketCount(int64_t campaign) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kCampaignCount));
  HOTLINE_ASSIGN_OR_RETURN(auto n,
                           s->Bind(1, campaign).First([](const Stmt& row) { return row.Int(0); }));
  return n.value_or(0);
}

Result<domain::kpi::Sums> SqliteStore::CampaignSums(int64_t campaign, const std::string& from,
                                                    const std::string& to) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kCampaignSums));
  domain::kpi::Sums sums{};
  HOTLINE_RETURN_IF_ERROR(s->BindAll(campaign, from, to).Each([&](Stmt& row) -> Status {
    int64_t m = row.Int(0);
    if (m < 0 || static_cast<size_t>(m) >= sums.size()) {
      return Internal(fmt::format("kpi_facts: 未知指标量 {}", m));
    }
    sums[static_cast<size_t>(m)] += row.Int(1);
    return OkStatus();
  }));
  return sums;
}

// ---------------------------------------------------------------------------- leader days

Result<int64_t> SqliteStore::CreateLeaderDay(const LeaderDay& d) {
  int64_t id = 0;
  Status written = RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kInsertDay));
    HOTLINE_RETURN_IF_ERROR(s->BindAll(d.date, d.leader, d.topic, domain::JoinIds(d.units), d.note,
                                       d.created_by, ToUnix(d.created_at))
                                .Run());
    id = db.LastInsertId();
    return OkStatus();
  });
  HOTLINE_RETURN_IF_ERROR(written);
  return id;
}

Status SqliteStore::UpdateLeaderDay(const LeaderDay& d) {
  return RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kUpdateDay));
    s->BindAll(d.id, d.date, d.leader, d.topic, domain::JoinIds(d.units), d.note);
    return RunChanging(db, *s, fmt::format("领导接线日不存在: {}", d.id));
  });
}

Status SqliteStore::DeleteLeaderDay(int64_t id) {
  return RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kDeleteDay));
    return RunChanging(db, s->Bind(1, id), fmt::format("领导接线日不存在: {}", id));
  });
}

Result<LeaderDay> SqliteStore::FindLeaderDay(int64_t id) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kFindDay));
  return Found(s->Bind(1, id).First(ReadDay), fmt::format("领导接线日不存在: {}", id));
}

Result<std::vector<LeaderDay>> SqliteStore::ListLeaderDays(const std::string& from,
                                                           const std::string& to) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kListDays));
  return s->BindAll(from, to).All(ReadDay);
}

Status SqliteStore::LinkLeaderDayTicket(int64_t day, int64_t ticket_id) {
  return RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(bool found, Exists(db, kDayExists, day));
    if (!found) {
      return NotFound(fmt::format("领导接线日不存在: {}", day));
    }
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kLinkTicket));
    Status st = s->BindAll(day, ticket_id).Run();
    if (!st.has_value() && st.error().code == ErrorCode::kAlreadyExists) {
      return AlreadyExists("该工单已关联到本次领导接线日");
    }
    return st;
  });
}

Status SqliteStore::UnlinkLeaderDayTicket(int64_t day, int64_t ticket_id) {
  return RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kUnlinkTicket));
    return RunChanging(db, s->BindAll(day, ticket_id), "该工单未关联到本次领导接线日");
  });
}

Result<std::vector<int64_t>> SqliteStore::LeaderDayTickets(int64_t day) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kDayTickets));
  return s->Bind(1, day).All([](const Stmt& row) { return row.Int(0); });
}

// ---------------------------------------------------------------------------- difficult cases

Result<int64_t> SqliteStore::CreateDifficultCase(const DifficultCase& c) {
  int64_t id = 0;
  Status st = RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kInsertCase));
    HOTLINE_RETURN_IF_ERROR(s->BindAll(c.ticket.value(), c.reason, c.flagged_by,
                                       ToUnix(c.flagged_at), c.owner, c.next_review)
                                .Run());
    id = db.LastInsertId();
    return InsertNotes(db, id, c.notes);
  });
  if (!st.has_value()) {
    if (st.error().code == ErrorCode::kAlreadyExists) {
      return AlreadyExists("该工单已是未办结的疑难件");
    }
    return st.error();
  }
  return id;
}

Status SqliteStore::UpdateDifficultCase(const DifficultCase& c,
                                        const std::vector<CaseNote>& new_notes) {
  return RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kUpdateCase));
    s->BindAll(c.id, c.owner, c.next_review, c.resolved,
               c.resolved_at ? std::optional<int64_t>(ToUnix(*c.resolved_at)) : std::nullopt,
               c.resolution);
    HOTLINE_RETURN_IF_ERROR(RunChanging(db, *s, fmt::format("疑难件不存在: {}", c.id)));
    HOTLINE_RETURN_IF_ERROR(InsertNotes(db, c.id, new_notes));
    return Fault("difficult.after_notes");
  });
}

Result<DifficultCase> SqliteStore::FindDifficultCase(int64_t id) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kFindCase));
  HOTLINE_ASSIGN_OR_RETURN(
      DifficultCase c, Found(s->Bind(1, id).First(ReadCase), fmt::format("疑难件不存在: {}", id)));
  HOTLINE_ASSIGN_OR_RETURN(Stmt * notes, r.db().Prepare(kCaseNotes));
  HOTLINE_ASSIGN_OR_RETURN(c.notes, notes->Bind(1, id).All([](const Stmt& row) {
    return CaseNote{FromUnix(row.Int(0)), row.Text(1), row.Text(2)};
  }));
  return c;
}

Result<std::vector<DifficultCase>> SqliteStore::ListDifficultCases(
    const ports::DifficultFilter& filter) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kListCases));
  return s
      ->BindAll(filter.resolved ? int64_t{*filter.resolved ? 1 : 0} : int64_t{-1}, filter.owner,
                filter.ticket ? filter.ticket->value() : int64_t{0})
      .All(ReadCase);
}

// ---------------------------------------------------------------------------- quality inspection

Result<int64_t> SqliteStore::CreateSheet(const ScoreSheet& sheet) {
  int64_t id = 0;
  Status written =
      NameTaken(RunWrite([&](Db& db) -> Status {
                  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kInsertSheet));
                  HOTLINE_RETURN_IF_ERROR(s->BindAll(sheet.name, ItemsJson(sheet), sheet.active,
                                                     sheet.created_by, ToUnix(sheet.created_at))
                                              .Run());
                  id = db.LastInsertId();
                  return OkStatus();
                }),
                "评分表名称", sheet.name);
  HOTLINE_RETURN_IF_ERROR(written);
  return id;
}

Status SqliteStore::UpdateSheet(const ScoreSheet& sheet) {
  return NameTaken(
      RunWrite([&](Db& db) -> Status {
        HOTLINE_ASSIGN_OR_RETURN(Stmt * find, db.Prepare(kFindSheet));
        HOTLINE_ASSIGN_OR_RETURN(
            std::string stored_items,
            Found(find->Bind(1, sheet.id).First([](const Stmt& row) { return row.Text(2); }),
                  fmt::format("评分表不存在: {}", sheet.id)));
        if (stored_items != ItemsJson(sheet)) {
          HOTLINE_ASSIGN_OR_RETURN(Stmt * used, db.Prepare(kSheetUsed));
          HOTLINE_ASSIGN_OR_RETURN(
              auto n, used->Bind(1, sheet.id).First([](const Stmt& row) { return row.Int(0); }));
          if (n.value_or(0) > 0) {
            return FailedPrecondition(
                fmt::format("评分表已用于 {} 次质检，评分项不能再修改（可停用后新建评分表）", *n));
          }
        }
        HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kUpdateSheet));
        return s->BindAll(sheet.id, sheet.name, ItemsJson(sheet), sheet.active).Run();
      }),
      "评分表名称", sheet.name);
}

Result<ScoreSheet> SqliteStore::FindSheet(int64_t id) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kFindSheet));
  return Found(s->Bind(1, id).First(ReadSheet), fmt::format("评分表不存在: {}", id));
}

Result<std::vector<ScoreSheet>> SqliteStore::ListSheets() {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kListSheets));
  return s->All(ReadSheet);
}

Result<int64_t> SqliteStore::CreateInspection(const Inspection& i) {
  int64_t id = 0;
  Status written = RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kInsertInspection));
    HOTLINE_RETURN_IF_ERROR(s->BindAll(i.sheet, i.agent, domain::programmes::Code(i.target_kind),
                                       i.target, i.inspector, ToUnix(i.at), FormatLocalDate(i.at),
                                       json(i.scores).dump(), json(i.remarks).dump(), i.comment,
                                       i.total, i.max_total)
                                .Run());
    id = db.LastInsertId();
    return OkStatus();
  });
  HOTLINE_RETURN_IF_ERROR(written);
  return id;
}

Result<std::vector<Inspection>> SqliteStore::ListInspections(const ports::InspectionFilter& f) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kListInspections));
  return s->BindAll(f.from, f.to, f.agent, f.after_id, f.limit).All(ReadInspection);
}

Result<std::string> SqliteStore::CallAgent(const std::string& call_id) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kCallAgent));
  return Found(s->BindAll(call_id).First([](const Stmt& row) { return row.Text(0); }),
               "通话记录不存在: " + call_id);
}

}  // namespace hotline::adapters::sqlite
