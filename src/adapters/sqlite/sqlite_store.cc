#include "adapters/sqlite/sqlite_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "adapters/json/ticket_json.h"
#include "adapters/sqlite/queries.h"
#include "adapters/sqlite/reader.h"
#include "adapters/sqlite/schema.h"
#include "domain/fields.h"

namespace hotline::adapters::sqlite {

namespace q = queries;
using domain::Ticket;
using domain::TicketEvent;

namespace {

constexpr char kFallbackUnitSetting[] = "routing_fallback_unit";
// Idle read connections kept open: enough for every concurrent caller of a busy server, so
// that a read never pays for opening a connection.
constexpr size_t kMaxIdleReaders = 256;

Status RunCached(Db& db, const char* sql) {
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(sql));
  return s->Run();
}

std::string CompactDate(Instant t) {
  std::string d = FormatLocalDate(t);
  return d.substr(0, 4) + d.substr(5, 2) + d.substr(8, 2);
}

// Serialised once, outside the writer thread, so that the one writer only runs SQL.
std::string FieldsJson(const TicketEvent& e) { return json::FieldsToJson(e.fields).dump(); }

// The projection document: the whole ticket but its id and number, which are columns.
std::string DocOf(const Ticket& t) {
  auto j = json::TicketToJson(t);
  j.erase("id");
  j.erase("number");
  return j.dump();
}

Status InsertEvent(Db& db, const TicketEvent& e, const std::string& fields_json) {
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(q::kInsertEvent));
  s->Bind(1, e.ticket.value())
      .Bind(2, e.seq)
      .Bind(3, ToUnix(e.at))
      .Bind(4, e.actor.user.value())
      .Bind(5, domain::Code(e.actor.role))
      .Bind(6, e.actor.unit.value())
      .Bind(7, e.actor.name)
      .Bind(8, e.type)
      .Bind(9, fields_json);
  auto st = s->Run();
  if (!st.has_value() && st.error().code == ErrorCode::kAlreadyExists) {
    return Aborted(
        fmt::format("工单 {} 的事件序号 {} 已存在（并发修改）", e.ticket.value(), e.seq));
  }
  return st;
}

// Binds the projection columns shared by insert and update (?1..?13).
void BindProjection(Stmt& s, const Ticket& t, const std::string& doc) {
  s.Bind(1, t.id.value())
      .Bind(2, t.number)
      .Bind(3, t.version)
      .Bind(4, domain::Code(t.state))
      .Bind(5, domain::Code(t.type))
      .Bind(6, domain::Code(t.urgency))
      .BindId(7, t.category.value())
      .BindId(8, t.region.value())
      .BindId(9, t.lead_unit.value())
      .Bind(10, t.citizen_phone)
      .Bind(11, ToUnix(t.created_at))
      .BindOpt(12,
               t.reply_deadline ? std::optional<int64_t>(ToUnix(*t.reply_deadline)) : std::nullopt)
      .Bind(13, doc);
}

Status WriteTicketUnits(Db& db, const Ticket& t) {
  HOTLINE_ASSIGN_OR_RETURN(Stmt * del, db.Prepare(q::kDeleteTicketUnits));
  del->Bind(1, t.id.value());
  HOTLINE_RETURN_IF_ERROR(del->Run());
  auto insert = [&](domain::UnitId unit, std::string_view role) -> Status {
    if (!unit.valid()) {
      return OkStatus();
    }
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(q::kInsertTicketUnit));
    s->Bind(1, unit.value()).Bind(2, t.id.value()).Bind(3, role);
    return s->Run();
  };
  HOTLINE_RETURN_IF_ERROR(insert(t.lead_unit, "lead"));
  for (auto co : t.co_units) {
    HOTLINE_RETURN_IF_ERROR(insert(co, "co"));
  }
  if (t.dispatching_unit.valid() && t.dispatching_unit != t.lead_unit) {
    HOTLINE_RETURN_IF_ERROR(insert(t.dispatching_unit, "dispatcher"));
  }
  return OkStatus();
}

Result<Ticket> TicketFromDoc(int64_t id, const std::string& number, const std::string& doc) {
  auto j = nlohmann::json::parse(doc, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Internal("工单文档不是有效的 JSON（数据库已损坏？）");
  }
  j["id"] = id;
  j["number"] = number;
  return json::TicketFromJson(j);
}

Result<TicketEvent> EventFromRow(Stmt& s, int first_col, domain::TicketId id) {
  TicketEvent e;
  e.ticket = id;
  e.seq = s.Int(first_col);
  e.at = FromUnix(s.Int(first_col + 1));
  e.actor.user = domain::UserId{s.Int(first_col + 2)};
  e.actor.role = domain::ParseRole(s.Text(first_col + 3)).value_or(domain::Role::kSystem);
  e.actor.unit = domain::UnitId{s.Int(first_col + 4)};
  e.actor.name = s.Text(first_col + 5);
  e.type = s.Text(first_col + 6);
  auto j = nlohmann::json::parse(s.Text(first_col + 7), nullptr, false);
  if (j.is_discarded()) {
    return Internal("事件字段不是有效的 JSON（数据库已损坏？）");
  }
  HOTLINE_ASSIGN_OR_RETURN(e.fields, json::FieldsFromJson(j));
  return e;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const SqliteOptions& options) {
  if (options.path.empty()) {
    return InvalidArgument("数据库路径为空");
  }
  if (!options.create && !std::filesystem::exists(options.path)) {
    return NotFound(
        fmt::format("数据库不存在: {}（先运行 hotline demo 或 hotline store init）", options.path));
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(options));
  HOTLINE_ASSIGN_OR_RETURN(store->writer_db_, Db::Open(options.path, options.create, false));
  if (!options.durable) {
    HOTLINE_RETURN_IF_ERROR(store->writer_db_->Exec("PRAGMA synchronous = NORMAL"));
  }
  HOTLINE_RETURN_IF_ERROR(store->Migrate());
  auto prefix = store->GetSetting("ticket_prefix");
  if (prefix.has_value() && prefix->has_value()) {
    store->options_.ticket_prefix = **prefix;
  }
  store->writer_ = std::thread([s = store.get()] { s->WriterLoop(); });
  HOTLINE_RETURN_IF_ERROR(store->RebuildKpiIfNeeded());
  return store;
}

SqliteStore::~SqliteStore() {
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  if (writer_.joinable()) {
    writer_.join();
  }
}

Status SqliteStore::Migrate() {
  Db& db = *writer_db_;
  HOTLINE_RETURN_IF_ERROR(
      db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
              "name TEXT NOT NULL, applied_at INTEGER NOT NULL)"));
  // Every migration not yet recorded is applied, in order: a store that has a later one
  // (written while an earlier number was still on a branch) still gets the earlier one.
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare("SELECT version FROM schema_migrations"));
  std::set<int> applied;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      break;
    }
    applied.insert(static_cast<int>(s->Int(0)));
  }
  s->Reset();
  int current = applied.empty() ? 0 : *applied.rbegin();
  if (current > kMigrations.back().version) {
    return Internal(fmt::format("数据库结构版本 {} 比本程序支持的 {} 更新，请升级 hotline", current,
                                kMigrations.back().version));
  }
  for (const Migration& m : kMigrations) {
    if (applied.count(m.version) != 0) {
      continue;
    }
    HOTLINE_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
    Status st = db.Exec(m.sql);
    if (st.has_value()) {
      auto ins = db.Prepare(
          "INSERT INTO schema_migrations (version, name, applied_at) "
          "VALUES (?1, ?2, strftime('%s', 'now'))");
      st = ins.has_value() ? (*ins)->Bind(1, m.version).Bind(2, m.name).Run() : Status(ins.error());
    }
    if (!st.has_value()) {
      (void)db.Exec("ROLLBACK");
      return Internal(
          fmt::format("迁移 {:03d}_{} 失败: {}", m.version, m.name, st.error().message));
    }
    HOTLINE_RETURN_IF_ERROR(db.Exec("COMMIT"));
    current = std::max(current, m.version);
  }
  schema_version_ = current;
  return OkStatus();
}

void SqliteStore::SetFaultHook(std::function<Status(std::string_view)> hook) {
  std::lock_guard lock(hook_mu_);
  fault_hook_ = std::move(hook);
}

Status SqliteStore::Fault(std::string_view point) {
  std::lock_guard lock(hook_mu_);
  return fault_hook_ ? fault_hook_(point) : OkStatus();
}

Status SqliteStore::RunWrite(std::function<Status(Db&)> fn) {
  auto job = std::make_unique<WriteJob>();
  job->fn = std::move(fn);
  std::future<Status> done = job->done.get_future();
  {
    std::lock_guard lock(queue_mu_);
    if (stopping_) {
      return Unavailable("存储正在关闭");
    }
    queue_.push_back(std::move(job));
  }
  queue_cv_.notify_one();
  return done.get();
}

void SqliteStore::WriterLoop() {
  Db& db = *writer_db_;
  while (true) {
    std::vector<std::unique_ptr<WriteJob>> batch;
    {
      std::unique_lock lock(queue_mu_);
      queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) {
        return;
      }
      while (!queue_.empty() && batch.size() < options_.max_group) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<Status> results(batch.size());
    Status begun = db.Exec("BEGIN IMMEDIATE");
    if (!begun.has_value()) {
      for (auto& job : batch) {
        job->done.set_value(begun);
      }
      continue;
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      Status st = RunCached(db, "SAVEPOINT job");
      if (st.has_value()) {
        try {
          st = batch[i]->fn(db);
        } catch (const std::exception& e) {
          st = Internal(std::string("写入时发生异常: ") + e.what());
        }
        if (st.has_value()) {
          st = RunCached(db, "RELEASE job");
        } else {
          (void)RunCached(db, "ROLLBACK TO job");
          (void)RunCached(db, "RELEASE job");
        }
      }
      results[i] = st;
    }
    Status committed = db.Exec("COMMIT");
    if (!committed.has_value()) {
      (void)db.Exec("ROLLBACK");
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i]->done.set_value(committed.has_value() ? results[i] : committed);
    }
  }
}

Result<std::unique_ptr<Db>> SqliteStore::AcquireReader() {
  {
    std::lock_guard lock(readers_mu_);
    if (!readers_.empty()) {
      auto db = std::move(readers_.back());
      readers_.pop_back();
      return db;
    }
  }
  return Db::Open(options_.path, false, true);
}

void SqliteStore::ReleaseReader(std::unique_ptr<Db> db) {
  if (db == nullptr) {
    return;
  }
  std::lock_guard lock(readers_mu_);
  if (readers_.size() < kMaxIdleReaders) {
    readers_.push_back(std::move(db));
  }
}

Result<Ticket> SqliteStore::Create(Ticket ticket, std::vector<TicketEvent> events) {
  if (events.empty()) {
    return InvalidArgument("新工单没有登记事件");
  }
  Ticket stored;
  // Everything but the id and number is known before the write: serialise it here, in the
  // caller's thread. The registration event's fields gain the number, so that one is
  // serialised in the writer.
  const std::string doc = DocOf(ticket);
  std::vector<std::string> later_fields;
  for (size_t i = 1; i < events.size(); ++i) {
    later_fields.push_back(FieldsJson(events[i]));
  }
  HOTLINE_ASSIGN_OR_RETURN(KpiFacts kpi_facts, KpiFactsForNew(events));
  Status st = RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * next, db.Prepare(q::kNextTicketId));
    HOTLINE_ASSIGN_OR_RETURN(bool row, next->Step());
    domain::TicketId id{row ? next->Int(0) : 1};
    next->Reset();
    HOTLINE_ASSIGN_OR_RETURN(Stmt * num, db.Prepare(q::kNextNumber));
    std::string day = CompactDate(events.front().at);
    num->Bind(1, day);
    HOTLINE_ASSIGN_OR_RETURN(bool got, num->Step());
    if (!got) {
      return Internal("无法分配工单编号");
    }
    int64_t seq = num->Int(0);
    num->Reset();
    std::string number = fmt::format("{}{}{:06d}", options_.ticket_prefix, day, seq);
    Ticket t = ticket;
    t.id = id;
    t.number = number;
    std::vector<TicketEvent> evs = events;
    evs.front().fields["number"] = number;
    for (size_t i = 0; i < evs.size(); ++i) {
      evs[i].ticket = id;
      HOTLINE_RETURN_IF_ERROR(
          InsertEvent(db, evs[i], i == 0 ? FieldsJson(evs[0]) : later_fields[i - 1]));
    }
    HOTLINE_RETURN_IF_ERROR(Fault("create.after_events"));
    HOTLINE_ASSIGN_OR_RETURN(Stmt * ins, db.Prepare(q::kInsertTicket));
    BindProjection(*ins, t, doc);
    HOTLINE_RETURN_IF_ERROR(ins->Run());
    HOTLINE_RETURN_IF_ERROR(WriteTicketUnits(db, t));
    HOTLINE_RETURN_IF_ERROR(WriteKpiFacts(db, id.value(), kpi_facts));
    stored = std::move(t);
    return OkStatus();
  });
  if (!st.has_value()) {
    return st.error();
  }
  return stored;
}

Status SqliteStore::Commit(const std::vector<ports::TicketWrite>& writes) {
  std::vector<std::string> docs;
  std::vector<std::vector<std::string>> fields;
  std::vector<KpiFacts> kpi_facts;
  for (const ports::TicketWrite& w : writes) {
    HOTLINE_ASSIGN_OR_RETURN(KpiFacts f, KpiFactsFor(w));
    kpi_facts.push_back(std::move(f));
    docs.push_back(DocOf(w.ticket));
    fields.emplace_back();
    for (const TicketEvent& e : w.events) {
      fields.back().push_back(FieldsJson(e));
    }
  }
  return RunWrite([&](Db& db) -> Status {
    for (size_t wi = 0; wi < writes.size(); ++wi) {
      const ports::TicketWrite& w = writes[wi];
      HOTLINE_ASSIGN_OR_RETURN(Stmt * up, db.Prepare(q::kUpdateTicket));
      BindProjection(*up, w.ticket, docs[wi]);
      up->Bind(14, w.expected_version);
      HOTLINE_RETURN_IF_ERROR(up->Run());
      if (db.Changes() != 1) {
        HOTLINE_ASSIGN_OR_RETURN(Stmt * ex, db.Prepare(q::kTicketExists));
        ex->Bind(1, w.ticket.id.value());
        HOTLINE_ASSIGN_OR_RETURN(bool exists, ex->Step());
        if (!exists) {
          return NotFound(fmt::format("工单不存在: {}", w.ticket.number));
        }
        int64_t current = ex->Int(0);
        ex->Reset();
        return Aborted(fmt::format(
            "工单 {} 已被他人修改（当前版本 {}，基于版本 {} 的修改被拒绝），请刷新后重试",
            w.ticket.number, current, w.expected_version));
      }
      for (size_t ei = 0; ei < w.events.size(); ++ei) {
        HOTLINE_RETURN_IF_ERROR(InsertEvent(db, w.events[ei], fields[wi][ei]));
      }
      HOTLINE_RETURN_IF_ERROR(Fault("commit.after_events"));
      HOTLINE_RETURN_IF_ERROR(WriteTicketUnits(db, w.ticket));
      HOTLINE_RETURN_IF_ERROR(WriteKpiFacts(db, w.ticket.id.value(), kpi_facts[wi]));
    }
    return OkStatus();
  });
}

Result<Ticket> SqliteStore::Find(domain::TicketId id) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(q::kFindTicket));
  s->Bind(1, id.value());
  HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) {
    return NotFound(fmt::format("工单不存在: #{}", id.value()));
  }
  int64_t found_id = s->Int(0);
  std::string found_number = s->Text(1);
  std::string doc = s->Text(2);
  s->Reset();
  return TicketFromDoc(found_id, found_number, doc);
}

Result<Ticket> SqliteStore::FindByNumber(const std::string& number) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(q::kFindTicketByNumber));
  s->Bind(1, number);
  HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) {
    return NotFound(fmt::format("工单不存在: {}", number));
  }
  int64_t found_id = s->Int(0);
  std::string found_number = s->Text(1);
  std::string doc = s->Text(2);
  s->Reset();
  return TicketFromDoc(found_id, found_number, doc);
}

Result<std::vector<TicketEvent>> SqliteStore::History(domain::TicketId id) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(q::kHistory));
  s->Bind(1, id.value());
  std::vector<TicketEvent> out;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      break;
    }
    HOTLINE_ASSIGN_OR_RETURN(TicketEvent e, EventFromRow(*s, 0, id));
    out.push_back(std::move(e));
  }
  s->Reset();
  if (out.empty()) {
    return NotFound(fmt::format("工单不存在: #{}", id.value()));
  }
  return out;
}

namespace {

// The WHERE clause of a ticket filter, built from fixed fragments; every value is bound,
// never spliced. Parameter 1 is the cursor.
struct FilterSql {
  std::string where;
  std::vector<std::function<void(Stmt&)>> binds;
};

FilterSql BuildFilter(const ports::TicketFilter& f) {
  FilterSql out;
  out.where = f.newest_first && f.after_id > 0 ? "t.id < ?1" : "t.id > ?1";
  std::string& sql = out.where;
  auto& binds = out.binds;
  int next = 2;
  auto add = [&](const std::string& clause, auto value) {
    int idx = next++;
    std::string c = clause;
    auto pos = c.find('?');
    c.replace(pos, 1, "?" + std::to_string(idx));
    sql += " AND " + c;
    binds.push_back([idx, value](Stmt& s) { s.Bind(idx, value); });
  };
  if (!f.states.empty()) {
    sql += " AND t.state IN (";
    for (size_t i = 0; i < f.states.size(); ++i) {
      int idx = next++;
      sql += (i ? ", ?" : "?") + std::to_string(idx);
      std::string code(domain::Code(f.states[i]));
      binds.push_back([idx, code](Stmt& s) { s.Bind(idx, std::string_view(code)); });
    }
    sql += ")";
  }
  if (f.unit) {
    add("t.id IN (SELECT ticket_id FROM ticket_units WHERE unit_id = ?)", f.unit->value());
  }
  if (f.lead_unit) {
    add("t.lead_unit = ?", f.lead_unit->value());
  }
  if (f.region) {
    add("t.region_id = ?", f.region->value());
  }
  if (f.category) {
    add("t.category_id = ?", f.category->value());
  }
  if (f.type) {
    add("t.type = ?", std::string(domain::Code(*f.type)));
  }
  if (f.created_from) {
    add("t.created_at >= ?", ToUnix(*f.created_from));
  }
  if (f.created_to) {
    add("t.created_at < ?", ToUnix(*f.created_to));
  }
  if (f.reply_deadline_before) {
    add("t.reply_deadline < ?", ToUnix(*f.reply_deadline_before));
  }
  if (!f.citizen_phone.empty()) {
    add("t.citizen_phone = ?", f.citizen_phone);
  }
  if (!f.text.empty()) {
    add("instr(t.doc, ?) > 0", f.text);
  }
  return out;
}

}  // namespace

Result<std::vector<Ticket>> SqliteStore::List(const ports::TicketFilter& f) {
  FilterSql filter = BuildFilter(f);
  std::string sql = "SELECT t.id, t.number, t.doc FROM tickets t WHERE " + filter.where +
                    (f.newest_first ? " ORDER BY t.id DESC" : " ORDER BY t.id") + " LIMIT " +
                    std::to_string(std::clamp(f.limit, 1, 10000));
  auto& binds = filter.binds;
  HOTLINE_READER(r);
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(r.db().raw(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    return r.db().LastError("list");
  }
  Stmt s(raw);
  s.Bind(1, f.after_id);
  for (auto& b : binds) {
    b(s);
  }
  std::vector<Ticket> out;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) {
      break;
    }
    HOTLINE_ASSIGN_OR_RETURN(Ticket t, TicketFromDoc(s.Int(0), s.Text(1), s.Text(2)));
    out.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<std::pair<domain::TicketId, int64_t>>> SqliteStore::ListVersions(
    const ports::TicketFilter& f) {
  FilterSql filter = BuildFilter(f);
  std::string sql = "SELECT t.id, t.version FROM tickets t WHERE " + filter.where +
                    (f.newest_first ? " ORDER BY t.id DESC" : " ORDER BY t.id") + " LIMIT " +
                    std::to_string(std::clamp(f.limit, 1, 10000));
  HOTLINE_READER(r);
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(r.db().raw(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    return r.db().LastError("list versions");
  }
  Stmt s(raw);
  s.Bind(1, f.after_id);
  for (auto& b : filter.binds) {
    b(s);
  }
  std::vector<std::pair<domain::TicketId, int64_t>> out;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) {
      break;
    }
    out.emplace_back(domain::TicketId{s.Int(0)}, s.Int(1));
  }
  return out;
}

Result<int64_t> SqliteStore::Count(const ports::TicketFilter& f) {
  FilterSql filter = BuildFilter(f);
  std::string sql = "SELECT COUNT(*) FROM tickets t WHERE " + filter.where;
  HOTLINE_READER(r);
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(r.db().raw(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    return r.db().LastError("count");
  }
  Stmt s(raw);
  s.Bind(1, f.after_id);
  for (auto& b : filter.binds) {
    b(s);
  }
  HOTLINE_ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.Int(0) : 0;
}

Result<ports::StoreSummary> SqliteStore::Summary() {
  HOTLINE_READER(r);
  ports::StoreSummary out;
  for (auto [sql, target] :
       {std::pair{q::kCountTickets, &out.tickets}, std::pair{q::kCountEvents, &out.events}}) {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(sql));
    HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
    *target = row ? s->Int(0) : 0;
    s->Reset();
  }
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(q::kCountByState));
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      break;
    }
    if (auto st = domain::ParseTicketState(s->Text(0))) {
      out.by_state.emplace_back(*st, s->Int(1));
    }
  }
  return out;
}

Result<std::vector<Ticket>> SqliteStore::ReplayAll(Db& db) {
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(q::kAllEvents));
  std::vector<Ticket> out;
  std::vector<TicketEvent> events;
  int64_t current = 0;
  auto flush = [&] {
    if (!events.empty()) {
      out.push_back(domain::Replay(domain::TicketId{current}, "", events));
      events.clear();
    }
  };
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      break;
    }
    int64_t id = s->Int(0);
    if (id != current) {
      flush();
      current = id;
    }
    HOTLINE_ASSIGN_OR_RETURN(TicketEvent e, EventFromRow(*s, 1, domain::TicketId{id}));
    events.push_back(std::move(e));
  }
  flush();
  s->Reset();
  return out;
}

Status SqliteStore::RebuildProjections() {
  return RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(auto tickets, ReplayAll(db));
    HOTLINE_RETURN_IF_ERROR(db.Exec("DELETE FROM ticket_units; DELETE FROM tickets;"));
    for (const Ticket& t : tickets) {
      HOTLINE_ASSIGN_OR_RETURN(Stmt * ins, db.Prepare(q::kInsertTicket));
      BindProjection(*ins, t, DocOf(t));
      HOTLINE_RETURN_IF_ERROR(ins->Run());
      HOTLINE_RETURN_IF_ERROR(WriteTicketUnits(db, t));
    }
    return OkStatus();
  });
}

Result<std::vector<std::string>> SqliteStore::VerifyProjections() {
  HOTLINE_READER(r);
  HOTLINE_RETURN_IF_ERROR(r.db().Exec("BEGIN"));  // one consistent snapshot for both reads
  auto replayed = ReplayAll(r.db());
  std::map<int64_t, std::pair<std::string, std::string>> docs;  // id -> (number, doc)
  Status st = OkStatus();
  if (replayed.has_value()) {
    auto s = r.db().Prepare(q::kAllTicketDocs);
    if (!s.has_value()) {
      st = s.error();
    } else {
      while (true) {
        auto row = (*s)->Step();
        if (!row.has_value()) {
          st = row.error();
          break;
        }
        if (!*row) {
          break;
        }
        docs[(*s)->Int(0)] = {(*s)->Text(1), (*s)->Text(2)};
      }
      (*s)->Reset();
    }
  }
  (void)r.db().Exec("COMMIT");
  if (!replayed.has_value()) {
    return replayed.error();
  }
  HOTLINE_RETURN_IF_ERROR(st);
  std::vector<std::string> differing;
  for (const Ticket& t : *replayed) {
    auto it = docs.find(t.id.value());
    if (it == docs.end()) {
      differing.push_back(t.number);
      continue;
    }
    auto live = TicketFromDoc(it->first, it->second.first, it->second.second);
    if (!live.has_value() || !json::SameTicket(*live, t)) {
      differing.push_back(t.number);
    }
    docs.erase(it);
  }
  for (const auto& [id, row] : docs) {
    auto live = TicketFromDoc(id, row.first, row.second);
    differing.push_back(live.has_value() ? live->number : fmt::format("#{}", id));
  }
  return differing;
}

Status SqliteStore::SaveOrg(const domain::OrgTree& org) {
  return RunWrite([&](Db& db) -> Status {
    // Password hashes are not part of the org tree: keep them across the rewrite.
    HOTLINE_RETURN_IF_ERROR(db.Exec(
        "CREATE TEMP TABLE IF NOT EXISTS kept_passwords (id INTEGER PRIMARY KEY, hash TEXT); "
        "DELETE FROM kept_passwords; "
        "INSERT INTO kept_passwords SELECT id, password_hash FROM users "
        "WHERE password_hash IS NOT NULL;"));
    HOTLINE_RETURN_IF_ERROR(db.Exec("DELETE FROM users; DELETE FROM units; DELETE FROM regions;"));
    for (const auto& r : org.regions()) {
      HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(q::kInsertRegion));
      s->Bind(1, r.id.value())
          .Bind(2, r.code)
          .Bind(3, r.name)
          .Bind(4, domain::Code(r.level))
          .BindId(5, r.parent.value());
      HOTLINE_RETURN_IF_ERROR(s->Run());
    }
    for (const auto& u : org.units()) {
      HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(q::kInsertUnit));
      s->Bind(1, u.id.value())
          .Bind(2, u.code)
          .Bind(3, u.name)
          .Bind(4, domain::Code(u.level))
          .Bind(5, domain::Code(u.kind))
          .BindId(6, u.parent.value())
          .BindId(7, u.region.value())
          .Bind(8, int64_t{u.active ? 1 : 0});
      HOTLINE_RETURN_IF_ERROR(s->Run());
    }
    for (const auto& u : org.users()) {
      HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(q::kInsertUser));
      s->Bind(1, u.id.value())
          .Bind(2, u.login)
          .Bind(3, u.name)
          .Bind(4, domain::Code(u.role))
          .BindId(5, u.unit.value())
          .Bind(6, int64_t{u.active ? 1 : 0});
      HOTLINE_RETURN_IF_ERROR(s->Run());
    }
    return db.Exec(
        "UPDATE users SET password_hash = (SELECT hash FROM kept_passwords k "
        "WHERE k.id = users.id); DELETE FROM kept_passwords;");
  });
}

Result<domain::OrgTree> SqliteStore::LoadOrg() {
  HOTLINE_READER(r);
  std::vector<domain::Region> regions;
  std::vector<domain::Unit> units;
  std::vector<domain::User> users;
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(q::kSelectRegions));
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      break;
    }
    regions.push_back({domain::RegionId{s->Int(0)}, s->Text(1), s->Text(2),
                       domain::ParseUnitLevel(s->Text(3)).value_or(domain::UnitLevel::kCity),
                       domain::RegionId{s->Int(4)}});
  }
  HOTLINE_ASSIGN_OR_RETURN(s, r.db().Prepare(q::kSelectUnits));
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      break;
    }
    units.push_back({domain::UnitId{s->Int(0)}, s->Text(1), s->Text(2),
                     domain::ParseUnitLevel(s->Text(3)).value_or(domain::UnitLevel::kCity),
                     domain::ParseUnitKind(s->Text(4)).value_or(domain::UnitKind::kDepartment),
                     domain::UnitId{s->Int(5)}, domain::RegionId{s->Int(6)}, s->Int(7) != 0});
  }
  HOTLINE_ASSIGN_OR_RETURN(s, r.db().Prepare(q::kSelectUsers));
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      break;
    }
    users.push_back({domain::UserId{s->Int(0)}, s->Text(1), s->Text(2),
                     domain::ParseRole(s->Text(3)).value_or(domain::Role::kOperator),
                     domain::UnitId{s->Int(4)}, s->Int(5) != 0});
  }
  return domain::OrgTree::Build(std::move(regions), std::move(units), std::move(users));
}

Status SqliteStore::SaveCategories(const domain::CategoryTree& tree) {
  return RunWrite([&](Db& db) -> Status {
    HOTLINE_RETURN_IF_ERROR(db.Exec(q::kDeleteCategories));
    for (const auto& c : tree.all()) {
      HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(q::kInsertCategory));
      s->Bind(1, c.id.value())
          .Bind(2, c.name)
          .BindId(3, c.parent.value())
          .Bind(4, int64_t{c.level});
      HOTLINE_RETURN_IF_ERROR(s->Run());
    }
    return OkStatus();
  });
}

Result<domain::CategoryTree> SqliteStore::LoadCategories() {
  HOTLINE_READER(r);
  std::vector<domain::Category> cats;
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(q::kSelectCategories));
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      break;
    }
    cats.push_back({domain::CategoryId{s->Int(0)}, s->Text(1), domain::CategoryId{s->Int(2)},
                    static_cast<int>(s->Int(3))});
  }
  return domain::CategoryTree::Build(std::move(cats));
}

Status WriteRouting(Db& db, const domain::RoutingDirectory& directory) {
  HOTLINE_RETURN_IF_ERROR(db.Exec(q::kDeleteRules));
  for (const auto& rule : directory.rules()) {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(q::kInsertRule));
    s->Bind(1, rule.id.value())
        .BindId(2, rule.category.value())
        .BindId(3, rule.region.value())
        .Bind(4, rule.lead_unit.value())
        .Bind(5, domain::JoinIds(rule.co_units))
        .Bind(6, int64_t{rule.priority})
        .BindOpt(7,
                 rule.valid_from ? std::optional<int64_t>(ToUnix(*rule.valid_from)) : std::nullopt)
        .BindOpt(8, rule.valid_to ? std::optional<int64_t>(ToUnix(*rule.valid_to)) : std::nullopt)
        .Bind(9, rule.note);
    HOTLINE_RETURN_IF_ERROR(s->Run());
  }
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(q::kPutSetting));
  s->Bind(1, kFallbackUnitSetting).Bind(2, std::to_string(directory.fallback_unit().value()));
  return s->Run();
}

Status SqliteStore::SaveRouting(const domain::RoutingDirectory& directory) {
  return RunWrite([&](Db& db) -> Status { return WriteRouting(db, directory); });
}

Result<domain::RoutingDirectory> SqliteStore::LoadRouting() {
  std::vector<domain::RoutingRule> rules;
  {
    HOTLINE_READER(r);
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(q::kSelectRules));
    while (true) {
      HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) {
        break;
      }
      domain::RoutingRule rule;
      rule.id = domain::RuleId{s->Int(0)};
      rule.category = domain::CategoryId{s->Int(1)};
      rule.region = domain::RegionId{s->Int(2)};
      rule.lead_unit = domain::UnitId{s->Int(3)};
      domain::Fields f{{"co", s->Text(4)}};
      auto co = domain::GetIdList<domain::UnitId>(f, "co");
      if (co.has_value()) {
        rule.co_units = *co;
      }
      rule.priority = static_cast<int>(s->Int(5));
      if (!s->IsNull(6)) {
        rule.valid_from = FromUnix(s->Int(6));
      }
      if (!s->IsNull(7)) {
        rule.valid_to = FromUnix(s->Int(7));
      }
      rule.note = s->Text(8);
      rules.push_back(std::move(rule));
    }
  }
  HOTLINE_ASSIGN_OR_RETURN(auto fallback, GetSetting(kFallbackUnitSetting));
  domain::UnitId fallback_unit;
  if (fallback.has_value()) {
    auto v = domain::ParseInt64(*fallback);
    if (v.has_value()) {
      fallback_unit = domain::UnitId{*v};
    }
  }
  return domain::RoutingDirectory(std::move(rules), fallback_unit);
}

Status SqliteStore::SetPasswordHash(domain::UserId user, const std::string& hash) {
  return RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(q::kSetPassword));
    s->Bind(1, user.value()).Bind(2, hash);
    HOTLINE_RETURN_IF_ERROR(s->Run());
    if (db.Changes() != 1) {
      return NotFound(fmt::format("用户不存在: #{}", user.value()));
    }
    return OkStatus();
  });
}

Result<std::string> SqliteStore::GetPasswordHash(const std::string& login) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(q::kGetPassword));
  s->Bind(1, login);
  HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) {
    return NotFound("用户不存在: " + login);
  }
  std::string hash = s->Text(0);
  s->Reset();
  return hash;
}

Status SqliteStore::PutSetting(const std::string& key, const std::string& value) {
  return RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(q::kPutSetting));
    s->Bind(1, key).Bind(2, value);
    return s->Run();
  });
}

Result<std::optional<std::string>> SqliteStore::GetSetting(const std::string& key) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(q::kGetSetting));
  s->Bind(1, key);
  HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
  std::optional<std::string> out;
  if (row) {
    out = s->Text(0);
  }
  s->Reset();
  return out;
}

}  // namespace hotline::adapters::sqlite
