#include "adapters/sqlite/db.h"

#include <fmt/format.h>

namespace hotline::adapters::sqlite {

Stmt::~Stmt() { sqlite3_finalize(stmt_); }

Stmt& Stmt::Bind(int index, int64_t v) {
  sqlite3_bind_int64(stmt_, index, v);
  return *this;
}

Stmt& Stmt::Bind(int index, std::string_view v) {
  sqlite3_bind_text(stmt_, index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}

Stmt& Stmt::BindBlob(int index, std::string_view bytes) {
  sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  return *this;
}

Stmt& Stmt::BindPointer(int index, void* pointer, const char* type) {
  sqlite3_bind_pointer(stmt_, index, pointer, type, nullptr);
  return *this;
}

Stmt& Stmt::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Stmt& Stmt::BindOpt(int index, std::optional<int64_t> v) {
  return v ? Bind(index, *v) : BindNull(index);
}

Stmt& Stmt::BindId(int index, int64_t v) { return v == 0 ? BindNull(index) : Bind(index, v); }

Result<bool> Stmt::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  sqlite3* db = sqlite3_db_handle(stmt_);
  std::string msg = fmt::format("SQLite 错误 {}: {}", rc, sqlite3_errmsg(db));
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    return AlreadyExists(msg);
  }
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
    return Unavailable(msg);
  }
  return Internal(msg);
}

Status Stmt::Run() {
  while (true) {
    auto r = Step();
    if (!r.has_value()) {
      return r.error();
    }
    if (!*r) {
      return OkStatus();
    }
  }
}

void Stmt::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Stmt::Int(int col) const { return sqlite3_column_int64(stmt_, col); }

double Stmt::Double(int col) const { return sqlite3_column_double(stmt_, col); }

bool Stmt::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

std::string Stmt::Text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  int n = sqlite3_column_bytes(stmt_, col);
  return p == nullptr ? std::string() : std::string(p, static_cast<size_t>(n));
}

std::string Stmt::Blob(int col) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  int n = sqlite3_column_bytes(stmt_, col);
  return p == nullptr ? std::string() : std::string(p, static_cast<size_t>(n));
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, bool create, bool read_only) {
  sqlite3* raw = nullptr;
  int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (create && !read_only) {
    flags |= SQLITE_OPEN_CREATE;
  }
  flags |= SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = raw != nullptr ? sqlite3_errmsg(raw) : "out of memory";
    sqlite3_close(raw);
    if (rc == SQLITE_CANTOPEN) {
      return NotFound(fmt::format("无法打开数据库 {}: {}", path, msg));
    }
    return Unavailable(fmt::format("无法打开数据库 {}: {}", path, msg));
  }
  std::unique_ptr<Db> db(new Db(raw));
  sqlite3_busy_timeout(raw, 10000);
  HOTLINE_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys = ON"));
  if (!read_only) {
    HOTLINE_RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode = WAL"));
    HOTLINE_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous = FULL"));
  }
  return db;
}

Db::~Db() {
  cache_.clear();
  sqlite3_close(db_);
}

Status Db::Exec(std::string_view sql) {
  char* err = nullptr;
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err != nullptr ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    if ((rc & 0xff) == SQLITE_BUSY) {
      return Unavailable("数据库忙: " + msg);
    }
    return Internal(fmt::format("SQLite 错误 {}: {}", rc, msg));
  }
  return OkStatus();
}

Result<Stmt*> Db::Prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    it->second->Reset();
    return it->second.get();
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    return LastError(sql);
  }
  auto [ins, _] = cache_.emplace(sql, std::make_unique<Stmt>(stmt));
  return ins->second.get();
}

int64_t Db::Changes() const { return sqlite3_changes64(db_); }

int64_t Db::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }

Error Db::LastError(std::string_view what) const {
  return Internal(fmt::format("SQLite 错误: {} ({})", sqlite3_errmsg(db_), what));
}

}  // namespace hotline::adapters::sqlite
