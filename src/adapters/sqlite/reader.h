// SqliteStore's pooled read connections and the writes shared by the store's source files
// (private).
#pragma once

#include "adapters/sqlite/sqlite_store.h"

namespace hotline::adapters::sqlite {

// A pooled read connection, returned to the pool on destruction.
class SqliteStore::Reader {
 public:
  Reader(SqliteStore& store, std::unique_ptr<Db> db) : store_(store), db_(std::move(db)) {}
  ~Reader() { store_.ReleaseReader(std::move(db_)); }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;
  Db& db() { return *db_; }

 private:
  SqliteStore& store_;
  std::unique_ptr<Db> db_;
};

// Inside a write transaction: replaces the routing rules and the fallback unit with
// `directory`'s (sqlite_store.cc; SaveRouting and SaveRoutingChange).
Status WriteRouting(Db& db, const domain::RoutingDirectory& directory);

#define HOTLINE_READER(name)                                 \
  HOTLINE_ASSIGN_OR_RETURN(auto name##_db, AcquireReader()); \
  Reader name(*this, std::move(name##_db))

}  // namespace hotline::adapters::sqlite
