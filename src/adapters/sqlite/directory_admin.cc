// SqliteStore's routing directory history (schema 004): the directory and the record of
// its change are written in one transaction, so the history never misses a change.
#include <fmt/format.h>

#include "adapters/sqlite/reader.h"
#include "adapters/sqlite/sqlite_store.h"
#include "domain/fields.h"

namespace hotline::adapters::sqlite {
namespace {

constexpr char kInsertChange[] =
    "INSERT INTO routing_history (at, login, action, rule, before_doc, after_doc) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr char kSelectChanges[] =
    "SELECT seq, at, login, action, rule, before_doc, after_doc FROM routing_history "
    "ORDER BY seq";

}  // namespace

Status SqliteStore::SaveRoutingChange(const domain::RoutingDirectory& directory,
                                      const ports::RoutingChange& change) {
  return RunWrite([&](Db& db) -> Status {
    HOTLINE_RETURN_IF_ERROR(WriteRouting(db, directory));
    HOTLINE_ASSIGN_OR_RETURN(Stmt * h, db.Prepare(kInsertChange));
    return h
        ->BindAll(ToUnix(change.at), change.login, change.action, change.rule, change.before,
                  change.after)
        .Run();
  });
}

Result<std::vector<ports::RoutingChange>> SqliteStore::RoutingHistory() {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kSelectChanges));
  return s->All([](const Stmt& row) {
    return ports::RoutingChange{row.Int(0), FromUnix(row.Int(1)), row.Text(2), row.Text(3),
                                row.Int(4), row.Text(5),          row.Text(6)};
  });
}

}  // namespace hotline::adapters::sqlite
