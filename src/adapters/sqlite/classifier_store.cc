// SqliteStore's ClassifierStore: model versions, training tickets and the suggestions made
// at registration (schema 008, docs/classify.md).

#include "adapters/sqlite/reader.h"
#include "adapters/sqlite/sqlite_store.h"
#include "domain/kpi/kpi.h"

namespace hotline::adapters::sqlite {

namespace {

constexpr char kInsertModel[] =
    "INSERT INTO classifier_models (created_at, trained_by, source, training_rows, metrics, "
    "model, model_bytes, active, activated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, NULL)";
constexpr char kDeactivate[] =
    "UPDATE classifier_models SET active = 0 WHERE active = 1 AND id <> ?1";
constexpr char kActivate[] =
    "UPDATE classifier_models SET active = 1, activated_at = ?2 WHERE id = ?1";
constexpr char kModelExists[] = "SELECT active FROM classifier_models WHERE id = ?1";
constexpr char kListModels[] =
    "SELECT id, created_at, trained_by, source, training_rows, metrics, model_bytes, active, "
    "activated_at FROM classifier_models ORDER BY id DESC";
constexpr char kActiveModel[] = "SELECT id FROM classifier_models WHERE active = 1";
constexpr char kModelBytes[] = "SELECT model FROM classifier_models WHERE id = ?1";
// "Dispatched at least once": a dispatch fact of the KPI engine (dispatch or redispatch by
// the dispatching authority, schema 006), which is indexed by ticket.
constexpr char kDispatchedTickets[] =
    "SELECT id, category_id, title, content FROM ("
    "SELECT t.id, t.category_id, json_extract(t.doc, '$.title') AS title, "
    "json_extract(t.doc, '$.content') AS content FROM tickets t "
    "WHERE t.category_id IS NOT NULL AND t.state <> 'merged' AND EXISTS ("
    "SELECT 1 FROM kpi_facts f WHERE f.ticket_id = t.id AND f.measure = ?1) "
    "ORDER BY t.id DESC LIMIT ?2) ORDER BY id";
constexpr char kInsertSuggestion[] =
    "INSERT INTO classify_suggestions (ticket_id, at, model_version, suggestions, category1, "
    "category2, category3, unit1) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
    "ON CONFLICT (ticket_id) DO NOTHING";
constexpr char kFindSuggestion[] =
    "SELECT ticket_id, at, model_version, suggestions, category1, category2, category3, unit1 "
    "FROM classify_suggestions WHERE ticket_id = ?1";
// Tickets whose first dispatch fact falls on the dates ?2..?3.
constexpr char kOutcomes[] =
    "SELECT d.ticket_id, t.category_id, t.lead_unit, s.ticket_id IS NOT NULL, s.category1, "
    "s.category2, s.category3, s.unit1 FROM "
    "(SELECT DISTINCT ticket_id FROM kpi_facts WHERE measure = ?1 AND day >= ?2 AND day <= ?3) d "
    "JOIN tickets t ON t.id = d.ticket_id "
    "LEFT JOIN classify_suggestions s ON s.ticket_id = d.ticket_id "
    "WHERE t.state <> 'merged' AND NOT EXISTS (SELECT 1 FROM kpi_facts p "
    "WHERE p.ticket_id = d.ticket_id AND p.measure = ?1 AND p.day < ?2) "
    "ORDER BY d.ticket_id";

constexpr int64_t kDispatchMeasure = static_cast<int64_t>(domain::kpi::Measure::kDispatched);

int64_t IntOr0(const Stmt& s, int col) { return s.IsNull(col) ? 0 : s.Int(col); }

Status InsertSuggestion(Db& db, const ports::ClassifySuggestionRecord& rec) {
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kInsertSuggestion));
  s->Bind(1, rec.ticket.value())
      .Bind(2, ToUnix(rec.at))
      .BindOpt(3, rec.model_version)
      .Bind(4, std::string_view(rec.suggestions))
      .BindId(5, rec.categories[0].value())
      .BindId(6, rec.categories[1].value())
      .BindId(7, rec.categories[2].value())
      .BindId(8, rec.unit.value());
  return s->Run();
}

Status ActivateIn(Db& db, int64_t version, Instant at) {
  HOTLINE_ASSIGN_OR_RETURN(Stmt * find, db.Prepare(kModelExists));
  find->Bind(1, version);
  HOTLINE_ASSIGN_OR_RETURN(bool found, find->Step());
  find->Reset();
  if (!found) {
    return NotFound("没有这个分类模型版本: " + std::to_string(version));
  }
  HOTLINE_ASSIGN_OR_RETURN(Stmt * off, db.Prepare(kDeactivate));
  off->Bind(1, version);
  HOTLINE_RETURN_IF_ERROR(off->Run());
  HOTLINE_ASSIGN_OR_RETURN(Stmt * on, db.Prepare(kActivate));
  on->Bind(1, version).Bind(2, ToUnix(at));
  return on->Run();
}

}  // namespace

Result<int64_t> SqliteStore::AddClassifierModel(const ports::ClassifierModelInfo& info,
                                                const std::string& model, bool activate) {
  int64_t version = 0;
  Status written = RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kInsertModel));
    s->Bind(1, ToUnix(info.created_at))
        .Bind(2, std::string_view(info.trained_by))
        .Bind(3, std::string_view(info.source))
        .Bind(4, info.training_rows)
        .Bind(5, std::string_view(info.metrics))
        .BindBlob(6, model)
        .Bind(7, static_cast<int64_t>(model.size()));
    HOTLINE_RETURN_IF_ERROR(s->Run());
    version = db.LastInsertId();
    if (activate) {
      return ActivateIn(db, version, info.created_at);
    }
    return OkStatus();
  });
  HOTLINE_RETURN_IF_ERROR(written);
  return version;
}

Status SqliteStore::ActivateClassifierModel(int64_t version, Instant at) {
  return RunWrite([&](Db& db) { return ActivateIn(db, version, at); });
}

Result<std::vector<ports::ClassifierModelInfo>> SqliteStore::ListClassifierModels() {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kListModels));
  std::vector<ports::ClassifierModelInfo> out;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      break;
    }
    ports::ClassifierModelInfo m;
    m.version = s->Int(0);
    m.created_at = FromUnix(s->Int(1));
    m.trained_by = s->Text(2);
    m.source = s->Text(3);
    m.training_rows = s->Int(4);
    m.metrics = s->Text(5);
    m.model_bytes = s->Int(6);
    m.active = s->Int(7) != 0;
    if (!s->IsNull(8)) {
      m.activated_at = FromUnix(s->Int(8));
    }
    out.push_back(std::move(m));
  }
  s->Reset();
  return out;
}

Result<std::optional<int64_t>> SqliteStore::ActiveClassifierVersion() {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kActiveModel));
  HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
  std::optional<int64_t> out;
  if (row) {
    out = s->Int(0);
  }
  s->Reset();
  return out;
}

Result<std::string> SqliteStore::LoadClassifierModel(int64_t version) {
  HOTLINE_READER(r);
  // Incremental blob I/O reads the model's pages straight into the result: selecting the
  // column would first assemble the tens of MB in SQLite's own buffer, then copy them.
  sqlite3_blob* blob = nullptr;
  if (sqlite3_blob_open(r.db().raw(), "main", "classifier_models", "model", version, 0, &blob) ==
      SQLITE_OK) {
    std::string bytes(static_cast<size_t>(sqlite3_blob_bytes(blob)), '\0');
    const int rc = sqlite3_blob_read(blob, bytes.data(), static_cast<int>(bytes.size()), 0);
    sqlite3_blob_close(blob);
    if (rc == SQLITE_OK) {
      return bytes;
    }
  } else {
    sqlite3_blob_close(blob);  // a no-op on null
  }
  // No such row (or an unexpected failure of the blob API): the plain query says which.
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kModelBytes));
  s->Bind(1, version);
  HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) {
    s->Reset();
    return NotFound("没有这个分类模型版本: " + std::to_string(version));
  }
  std::string bytes = s->Blob(0);
  s->Reset();
  return bytes;
}

Result<std::vector<ports::LabelledTicket>> SqliteStore::DispatchedTickets(int64_t limit) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kDispatchedTickets));
  s->Bind(1, kDispatchMeasure).Bind(2, limit);
  std::vector<ports::LabelledTicket> out;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      break;
    }
    out.push_back(
        {domain::TicketId{s->Int(0)}, domain::CategoryId{s->Int(1)}, s->Text(2), s->Text(3)});
  }
  s->Reset();
  return out;
}

Status SqliteStore::PutClassifySuggestion(const ports::ClassifySuggestionRecord& rec) {
  return RunWrite([&](Db& db) -> Status { return InsertSuggestion(db, rec); });
}

Status SqliteStore::PutClassifySuggestions(
    const std::vector<ports::ClassifySuggestionRecord>& records) {
  if (records.empty()) {
    return OkStatus();
  }
  // One write job: its savepoint makes the rows all-or-nothing inside the writer's
  // transaction.
  return RunWrite([&](Db& db) -> Status {
    for (const ports::ClassifySuggestionRecord& rec : records) {
      HOTLINE_RETURN_IF_ERROR(InsertSuggestion(db, rec));
      HOTLINE_RETURN_IF_ERROR(Fault("suggestions.after_row"));
    }
    return OkStatus();
  });
}

Result<std::optional<ports::ClassifySuggestionRecord>> SqliteStore::FindClassifySuggestion(
    domain::TicketId ticket) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kFindSuggestion));
  s->Bind(1, ticket.value());
  HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
  std::optional<ports::ClassifySuggestionRecord> out;
  if (row) {
    ports::ClassifySuggestionRecord rec;
    rec.ticket = domain::TicketId{s->Int(0)};
    rec.at = FromUnix(s->Int(1));
    if (!s->IsNull(2)) {
      rec.model_version = s->Int(2);
    }
    rec.suggestions = s->Text(3);
    for (int k = 0; k < 3; ++k) {
      rec.categories[static_cast<size_t>(k)] = domain::CategoryId{IntOr0(*s, 4 + k)};
    }
    rec.unit = domain::UnitId{IntOr0(*s, 7)};
    out = std::move(rec);
  }
  s->Reset();
  return out;
}

Result<std::vector<domain::SuggestionOutcome>> SqliteStore::SuggestionOutcomes(
    const std::string& from, const std::string& to) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kOutcomes));
  s->Bind(1, kDispatchMeasure).Bind(2, std::string_view(from)).Bind(3, std::string_view(to));
  std::vector<domain::SuggestionOutcome> out;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      break;
    }
    domain::SuggestionOutcome o;
    o.ticket = domain::TicketId{s->Int(0)};
    o.final_category = domain::CategoryId{IntOr0(*s, 1)};
    o.final_unit = domain::UnitId{IntOr0(*s, 2)};
    o.suggested = s->Int(3) != 0;
    for (int k = 0; k < 3; ++k) {
      o.categories[static_cast<size_t>(k)] = domain::CategoryId{IntOr0(*s, 4 + k)};
    }
    o.unit = domain::UnitId{IntOr0(*s, 7)};
    out.push_back(o);
  }
  s->Reset();
  return out;
}

}  // namespace hotline::adapters::sqlite
