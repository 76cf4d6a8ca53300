// SqliteStore's routing directory history (schema 004): the directory and the record of
// its change are written in one transaction, so the history never misses a change.
#include <fmt/format.h>

#include "adapters/sqlite/queries.h"
#include "adapters/sqlite/reader.h"
#include "adapters/sqlite/sqlite_store.h"
#include "domain/fields.h"

namespace hotline::adapters::sqlite {
namespace {

namespace q = queries;

// Must match the key SaveRouting/LoadRouting use in sqlite_store.cc.
constexpr char kFallbackUnitSetting[] = "routing_fallback_unit";
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
    HOTLINE_RETURN_IF_ERROR(db.Exec(q::kDeleteRules));
    for (const auto& rule : directory.rules()) {
      HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(q::kInsertRule));
      s->Bind(1, rule.id.value())
          .BindId(2, rule.category.value())
          .BindId(3, rule.region.value())
          .Bind(4, rule.lead_unit.value())
          .Bind(5, domain::JoinIds(rule.co_units))
          .Bind(6, int64_t{rule.priority})
          .BindOpt(
              7, rule.valid_from ? std::optional<int64_t>(ToUnix(*rule.valid_from)) : std::nullopt)
          .BindOpt(8, rule.valid_to ? std::optional<int64_t>(ToUnix(*rule.valid_to)) : std::nullopt)
          .Bind(9, rule.note);
      HOTLINE_RETURN_IF_ERROR(s->Run());
    }
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(q::kPutSetting));
    s->Bind(1, kFallbackUnitSetting).Bind(2, std::to_string(directory.fallback_unit().value()));
    HOTLINE_RETURN_IF_ERROR(s->Run());
    HOTLINE_ASSIGN_OR_RETURN(Stmt * h, db.Prepare(kInsertChange));
    h->Bind(1, ToUnix(change.at))
        .Bind(2, change.login)
        .Bind(3, change.action)
        .Bind(4, change.rule)
        .Bind(5, change.before)
        .Bind(6, change.after);
    return h->Run();
  });
}

Result<std::vector<ports::RoutingChange>> SqliteStore::RoutingHistory() {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kSelectChanges));
  std::vector<ports::RoutingChange> out;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      break;
    }
    out.push_back({s->Int(0), FromUnix(s->Int(1)), s->Text(2), s->Text(3), s->Int(4), s->Text(5),
                   s->Text(6)});
  }
  return out;
}

}  // namespace hotline::adapters::sqlite
