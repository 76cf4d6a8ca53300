// Thin RAII wrappers over the SQLite C API with Result-based errors: Db (a connection
// with a cache of prepared statements) and Stmt (one prepared statement). A Db is used
// by one thread at a time.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/result.h"

namespace hotline::adapters::sqlite {

class Stmt {
 public:
  explicit Stmt(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& Bind(int index, int64_t v);
  Stmt& Bind(int index, std::string_view v);
  Stmt& BindNull(int index);
  Stmt& BindBlob(int index, std::string_view bytes);
  Stmt& BindOpt(int index, std::optional<int64_t> v);
  // Binds 0 as NULL (for optional foreign ids).
  Stmt& BindId(int index, int64_t v);

  // Steps once: true if a row is available, false when done; errors as kInternal
  // (or kAlreadyExists for constraint violations).
  Result<bool> Step();
  // Steps to completion.
  Status Run();
  void Reset();

  int64_t Int(int col) const;
  bool IsNull(int col) const;
  std::string Text(int col) const;
  std::string Blob(int col) const;

 private:
  sqlite3_stmt* stmt_;
};

class Db {
 public:
  // Opens (creating if `create`) a database file with the project's pragmas: WAL,
  // synchronous=FULL (durable commits), foreign keys, busy timeout.
  static Result<std::unique_ptr<Db>> Open(const std::string& path, bool create, bool read_only);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  Status Exec(std::string_view sql);
  // A cached prepared statement, reset and with bindings cleared.
  Result<Stmt*> Prepare(const char* sql);
  int64_t Changes() const;
  int64_t LastInsertId() const;
  sqlite3* raw() const { return db_; }
  Error LastError(std::string_view what) const;

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<const char*, std::unique_ptr<Stmt>> cache_;
};

}  // namespace hotline::adapters::sqlite
