// SqliteStore's KpiStore: KPI facts and daily aggregates written in the same transaction as
// the events (schema 006), their rebuild from the log, and the job-step ledger.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "adapters/json/ticket_json.h"
#include "adapters/sqlite/reader.h"
#include "adapters/sqlite/sqlite_store.h"

namespace hotline::adapters::sqlite {

using domain::kpi::Fact;
using domain::kpi::Measure;

namespace {

// The directory setting that holds the calendar text (app::kCalendarSetting).
constexpr char kCalendarSettingKey[] = "calendar";
constexpr char kNeedsRebuild[] = "kpi_needs_rebuild";

constexpr char kFindDoc[] = "SELECT doc FROM tickets WHERE id = ?1";
constexpr char kGetSetting[] = "SELECT value FROM settings WHERE key = ?1";
constexpr char kInsertFact[] =
    "INSERT INTO kpi_facts (ticket_id, seq, measure, unit, day, category, region, type, channel, "
    "value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
    "ON CONFLICT DO UPDATE SET value = value + excluded.value";
constexpr char kAddDaily[] =
    "INSERT INTO kpi_daily (day, unit, category, region, type, channel, measure, value) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
    "ON CONFLICT DO UPDATE SET value = value + excluded.value";
constexpr char kAllEventRows[] =
    "SELECT ticket_id, seq, at, actor_user, actor_role, actor_unit, actor_name, type, fields "
    "FROM ticket_events ORDER BY ticket_id, seq";
constexpr char kClaim[] =
    "INSERT INTO job_steps (ticket_id, step, claimed_at) VALUES (?1, ?2, ?3) "
    "ON CONFLICT DO NOTHING";
constexpr char kStepState[] = "SELECT done_at FROM job_steps WHERE ticket_id = ?1 AND step = ?2";
constexpr char kFinish[] =
    "UPDATE job_steps SET done_at = strftime('%s', 'now'), event_seq = ?3 "
    "WHERE ticket_id = ?1 AND step = ?2";

// A statement prepared for one call (the Db cache is keyed by static SQL text).
class OneShot {
 public:
  static Result<std::unique_ptr<OneShot>> Prepare(Db& db, const std::string& sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db.raw(), sql.c_str(), static_cast<int>(sql.size()), &raw, nullptr) !=
        SQLITE_OK) {
      return db.LastError("prepare");
    }
    return std::unique_ptr<OneShot>(new OneShot(raw));
  }
  Stmt& stmt() { return stmt_; }

 private:
  explicit OneShot(sqlite3_stmt* raw) : stmt_(raw) {}
  Stmt stmt_;
};

// WHERE clause and bindings of a query over kpi_daily or kpi_facts.
struct Where {
  std::string sql;
  std::vector<std::string> text;  // bound in order after the ints
  std::vector<int64_t> ints;
  std::vector<int> order;  // 0: next int, 1: next text
};

void AddIn(Where& w, const std::string& column, const std::vector<int64_t>& values) {
  if (values.empty()) {
    return;
  }
  w.sql += fmt::format(" AND {} IN (", column);
  for (size_t i = 0; i < values.size(); ++i) {
    w.sql += i == 0 ? "?" : ",?";
    w.ints.push_back(values[i]);
    w.order.push_back(0);
  }
  w.sql += ")";
}

void AddIn(Where& w, const std::string& column, const std::vector<std::string>& values) {
  if (values.empty()) {
    return;
  }
  w.sql += fmt::format(" AND {} IN (", column);
  for (size_t i = 0; i < values.size(); ++i) {
    w.sql += i == 0 ? "?" : ",?";
    w.text.push_back(values[i]);
    w.order.push_back(1);
  }
  w.sql += ")";
}

// `p` prefixes the columns ("f." in a join).
Where WhereOf(const ports::KpiQuery& q, const std::string& p = "") {
  Where w;
  w.sql = fmt::format(" WHERE {0}day >= ? AND {0}day <= ?", p);
  w.text = {q.from, q.to};
  w.order = {1, 1};
  AddIn(w, p + "unit", q.units);
  AddIn(w, p + "region", q.regions);
  AddIn(w, p + "category", q.categories);
  AddIn(w, p + "type", q.types);
  AddIn(w, p + "channel", q.channels);
  return w;
}

int Bind(Stmt& s, const Where& w) {
  size_t ii = 0;
  size_t ti = 0;
  int index = 1;
  for (int kind : w.order) {
    if (kind == 0) {
      s.Bind(index++, w.ints[ii++]);
    } else {
      s.Bind(index++, std::string_view(w.text[ti++]));
    }
  }
  return index;
}

Status InsertFacts(Db& db, int64_t ticket_id, int64_t seq, const Fact& f) {
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kInsertFact));
  s->Bind(1, ticket_id)
      .Bind(2, seq)
      .Bind(3, static_cast<int64_t>(f.measure))
      .Bind(4, f.key.unit)
      .Bind(5, f.key.day)
      .Bind(6, f.key.category)
      .Bind(7, f.key.region)
      .Bind(8, f.key.type)
      .Bind(9, f.key.channel)
      .Bind(10, f.value);
  HOTLINE_RETURN_IF_ERROR(s->Run());
  HOTLINE_ASSIGN_OR_RETURN(Stmt * d, db.Prepare(kAddDaily));
  d->Bind(1, f.key.day)
      .Bind(2, f.key.unit)
      .Bind(3, f.key.category)
      .Bind(4, f.key.region)
      .Bind(5, f.key.type)
      .Bind(6, f.key.channel)
      .Bind(7, static_cast<int64_t>(f.measure))
      .Bind(8, f.value);
  return d->Run();
}

}  // namespace

std::shared_ptr<const domain::WorkCalendar> SqliteStore::KpiCalendar(Db& db) {
  std::string text;
  auto s = db.Prepare(kGetSetting);
  if (s.has_value()) {
    (*s)->Bind(1, std::string_view(kCalendarSettingKey));
    auto row = (*s)->Step();
    if (row.has_value() && *row) {
      text = (*s)->Text(0);
    }
    (*s)->Reset();
  }
  std::lock_guard lock(kpi_mu_);
  if (!kpi_calendar_ || text != kpi_calendar_text_) {
    auto parsed = text.empty() ? Result<domain::WorkCalendar>(domain::WorkCalendar::PlainWeeks())
                               : domain::WorkCalendar::Parse(text);
    kpi_calendar_ = std::make_shared<const domain::WorkCalendar>(
        parsed.has_value() ? *parsed : domain::WorkCalendar::PlainWeeks());
    kpi_calendar_text_ = text;
  }
  return kpi_calendar_;
}

Result<SqliteStore::KpiFacts> SqliteStore::KpiFactsForNew(
    const std::vector<domain::TicketEvent>& events) {
  std::shared_ptr<const domain::WorkCalendar> calendar;
  {
    HOTLINE_READER(r);
    calendar = KpiCalendar(r.db());
  }
  KpiFacts out;
  domain::Ticket t;
  for (const domain::TicketEvent& e : events) {
    for (Fact& f : domain::kpi::Contributions(t, e, *calendar)) {
      out.emplace_back(e.seq, std::move(f));
    }
    domain::Apply(t, e);
  }
  return out;
}

Result<SqliteStore::KpiFacts> SqliteStore::KpiFactsFor(const ports::TicketWrite& w) {
  KpiFacts out;
  if (w.events.empty()) {
    return out;
  }
  std::shared_ptr<const domain::WorkCalendar> calendar;
  domain::Ticket t;
  {
    HOTLINE_READER(r);
    calendar = KpiCalendar(r.db());
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kFindDoc));
    s->Bind(1, w.ticket.id.value());
    HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      s->Reset();
      return NotFound(fmt::format("工单不存在: {}", w.ticket.number));
    }
    auto j = nlohmann::json::parse(s->Text(0), nullptr, false);
    s->Reset();
    if (j.is_discarded() || !j.is_object()) {
      return Internal("工单文档不是有效的 JSON（数据库已损坏？）");
    }
    j["id"] = w.ticket.id.value();
    j["number"] = w.ticket.number;
    HOTLINE_ASSIGN_OR_RETURN(t, json::TicketFromJson(j));
  }
  if (t.version != w.expected_version) {
    return Aborted(
        fmt::format("工单 {} 已被他人修改（当前版本 {}，基于版本 {} 的修改被拒绝），请刷新后重试",
                    w.ticket.number, t.version, w.expected_version));
  }
  for (const domain::TicketEvent& e : w.events) {
    for (Fact& f : domain::kpi::Contributions(t, e, *calendar)) {
      out.emplace_back(e.seq, std::move(f));
    }
    domain::Apply(t, e);
  }
  return out;
}

Status SqliteStore::WriteKpiFacts(Db& db, int64_t ticket_id, const KpiFacts& facts) {
  for (const auto& [seq, f] : facts) {
    HOTLINE_RETURN_IF_ERROR(InsertFacts(db, ticket_id, seq, f));
  }
  return OkStatus();
}

Status SqliteStore::RebuildKpi() {
  return RunWrite([&](Db& db) -> Status {
    auto calendar = KpiCalendar(db);
    HOTLINE_RETURN_IF_ERROR(db.Exec("DELETE FROM kpi_facts; DELETE FROM kpi_daily;"));
    HOTLINE_ASSIGN_OR_RETURN(auto rows, OneShot::Prepare(db, kAllEventRows));
    Stmt& s = rows->stmt();
    domain::Ticket t;
    int64_t current = 0;
    while (true) {
      HOTLINE_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) {
        break;
      }
      int64_t id = s.Int(0);
      if (id != current) {
        t = domain::Ticket{};
        t.id = domain::TicketId{id};
        current = id;
      }
      domain::TicketEvent e;
      e.ticket = domain::TicketId{id};
      e.seq = s.Int(1);
      e.at = FromUnix(s.Int(2));
      e.actor.user = domain::UserId{s.Int(3)};
      e.actor.role = domain::ParseRole(s.Text(4)).value_or(domain::Role::kSystem);
      e.actor.unit = domain::UnitId{s.Int(5)};
      e.actor.name = s.Text(6);
      e.type = s.Text(7);
      auto j = nlohmann::json::parse(s.Text(8), nullptr, false);
      if (j.is_discarded()) {
        return Internal("事件字段不是有效的 JSON（数据库已损坏？）");
      }
      HOTLINE_ASSIGN_OR_RETURN(e.fields, json::FieldsFromJson(j));
      for (const Fact& f : domain::kpi::Contributions(t, e, *calendar)) {
        HOTLINE_RETURN_IF_ERROR(InsertFacts(db, id, e.seq, f));
      }
      domain::Apply(t, e);
    }
    HOTLINE_ASSIGN_OR_RETURN(Stmt * del, db.Prepare("DELETE FROM settings WHERE key = ?1"));
    del->Bind(1, std::string_view(kNeedsRebuild));
    return del->Run();
  });
}

Status SqliteStore::RebuildKpiIfNeeded() {
  HOTLINE_ASSIGN_OR_RETURN(auto flag, GetSetting(kNeedsRebuild));
  if (!flag.has_value()) {
    return OkStatus();
  }
  return RebuildKpi();
}

Result<std::vector<std::pair<std::string, int64_t>>> SqliteStore::KpiAggregateDump() {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(
      Stmt * s, r.db().Prepare("SELECT day, unit, category, region, type, channel, measure, value "
                               "FROM kpi_daily WHERE value <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7"));
  std::vector<std::pair<std::string, int64_t>> out;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      break;
    }
    out.emplace_back(
        fmt::format("{}|{}|{}|{}|{}|{}|{}", s->Text(0), s->Int(1), s->Int(2), s->Int(3), s->Text(4),
                    s->Text(5), domain::kpi::Code(static_cast<Measure>(s->Int(6)))),
        s->Int(7));
  }
  s->Reset();
  return out;
}

Result<std::vector<ports::KpiGroupRow>> SqliteStore::KpiSums(const ports::KpiQuery& q,
                                                             ports::KpiGroup group) {
  const char* column = "''";
  switch (group) {
    case ports::KpiGroup::kNone:
      break;
    case ports::KpiGroup::kDay:
      column = "day";
      break;
    case ports::KpiGroup::kUnit:
      column = "unit";
      break;
    case ports::KpiGroup::kRegion:
      column = "region";
      break;
    case ports::KpiGroup::kCategory:
      column = "category";
      break;
  }
  Where w = WhereOf(q);
  std::string sql = fmt::format(
      "SELECT CAST({0} AS TEXT), measure, SUM(value) FROM kpi_daily{1} GROUP BY {0}, measure "
      "ORDER BY {0}",
      column, w.sql);
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(auto stmt, OneShot::Prepare(r.db(), sql));
  Stmt& s = stmt->stmt();
  Bind(s, w);
  std::vector<ports::KpiGroupRow> out;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) {
      break;
    }
    std::string key = s.Text(0);
    if (out.empty() || out.back().key != key) {
      out.push_back({key, {}});
    }
    int64_t m = s.Int(1);
    if (m >= 0 && m < static_cast<int64_t>(domain::kpi::kMeasureCount)) {
      out.back().sums[static_cast<size_t>(m)] += s.Int(2);
    }
  }
  if (out.empty() && group == ports::KpiGroup::kNone) {
    out.push_back({"", {}});
  }
  return out;
}

Result<std::vector<ports::KpiTicketRef>> SqliteStore::KpiTickets(const ports::KpiQuery& q,
                                                                 Measure measure, int64_t after_id,
                                                                 int limit) {
  Where w = WhereOf(q, "f.");
  std::string sql = fmt::format(
      "SELECT f.ticket_id, t.number, MIN(f.day), SUM(f.value) FROM kpi_facts f "
      "JOIN tickets t ON t.id = f.ticket_id{} AND f.measure = ? AND f.ticket_id > ? "
      "GROUP BY f.ticket_id ORDER BY f.ticket_id LIMIT ?",
      w.sql);
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(auto stmt, OneShot::Prepare(r.db(), sql));
  Stmt& s = stmt->stmt();
  int next = Bind(s, w);
  s.Bind(next, static_cast<int64_t>(measure)).Bind(next + 1, after_id).Bind(next + 2, limit);
  std::vector<ports::KpiTicketRef> out;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) {
      break;
    }
    out.push_back({s.Int(0), s.Text(1), s.Text(2), s.Int(3)});
  }
  return out;
}

Result<ports::StepClaim> SqliteStore::ClaimStep(domain::TicketId ticket, const std::string& key,
                                                Instant at) {
  ports::StepClaim claim = ports::StepClaim::kClaimed;
  Status st = RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kClaim));
    s->Bind(1, ticket.value()).Bind(2, key).Bind(3, ToUnix(at));
    HOTLINE_RETURN_IF_ERROR(s->Run());
    if (db.Changes() == 1) {
      claim = ports::StepClaim::kClaimed;
      return OkStatus();
    }
    HOTLINE_ASSIGN_OR_RETURN(Stmt * q, db.Prepare(kStepState));
    q->Bind(1, ticket.value()).Bind(2, key);
    HOTLINE_ASSIGN_OR_RETURN(bool row, q->Step());
    claim = row && !q->IsNull(0) ? ports::StepClaim::kAlreadyDone : ports::StepClaim::kPending;
    q->Reset();
    return OkStatus();
  });
  HOTLINE_RETURN_IF_ERROR(st);
  return claim;
}

Status SqliteStore::FinishStep(domain::TicketId ticket, const std::string& key, int64_t seq) {
  return RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kFinish));
    s->Bind(1, ticket.value()).Bind(2, key).Bind(3, seq);
    return s->Run();
  });
}

}  // namespace hotline::adapters::sqlite
