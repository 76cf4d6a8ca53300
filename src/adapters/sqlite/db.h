// Thin RAII wrappers over the SQLite C API with Result-based errors: Db (a connection
// with a cache of prepared statements) and Stmt (one prepared statement, with helpers that
// bind a whole row of parameters and read rows through a function). A Db is used by one
// thread at a time.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/result.h"

namespace hotline::adapters::sqlite {

class Stmt;

namespace internal {
// What a row reader returns, without a Result around it.
template <typename T>
struct Unwrapped {
  using type = T;
};
template <typename T>
struct Unwrapped<Result<T>> {
  using type = T;
};
template <typename F>
using RowOf = typename Unwrapped<std::decay_t<std::invoke_result_t<F&, const Stmt&>>>::type;
}  // namespace internal

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
  // Binds a pointer that SQL functions of this process read with sqlite3_value_pointer
  // under `type` (a string literal); it must outlive the statement's steps.
  Stmt& BindPointer(int index, void* pointer, const char* type);
  Stmt& BindOpt(int index, std::optional<int64_t> v);
  // Binds 0 as NULL (for optional foreign ids).
  Stmt& BindId(int index, int64_t v);
  // Binds `values` to ?1, ?2, … in order: integers (bool as 0 or 1), text (std::string,
  // std::string_view, const char*), std::optional<int64_t> and std::nullopt (NULL).
  template <typename... Values>
  Stmt& BindAll(const Values&... values) {
    int index = 0;
    (BindValue(++index, values), ...);
    return *this;
  }

  // Steps once: true if a row is available, false when done; errors as kInternal
  // (or kAlreadyExists for constraint violations).
  Result<bool> Step();
  // Steps to completion.
  Status Run();
  void Reset();

  int64_t Int(int col) const;
  double Double(int col) const;
  bool IsNull(int col) const;
  std::string Text(int col) const;
  std::string Blob(int col) const;

  // Steps to completion calling `row(*this)` on each row; `row` returns void or a Status,
  // whose first error stops the loop.
  template <typename F>
  Status Each(F&& row) {
    while (true) {
      HOTLINE_ASSIGN_OR_RETURN(bool has, Step());
      if (!has) {
        return OkStatus();
      }
      if constexpr (std::is_void_v<std::invoke_result_t<F&, Stmt&>>) {
        row(*this);
      } else {
        HOTLINE_RETURN_IF_ERROR(row(*this));
      }
    }
  }
  // Every row as read by `read(const Stmt&)`, which returns a value or a Result (whose
  // first error stops the loop).
  template <typename F>
  Result<std::vector<internal::RowOf<F>>> All(F&& read) {
    std::vector<internal::RowOf<F>> out;
    HOTLINE_RETURN_IF_ERROR(Each([&](const Stmt& row) -> Status {
      HOTLINE_ASSIGN_OR_RETURN(auto value, Result<internal::RowOf<F>>(read(row)));
      out.push_back(std::move(value));
      return OkStatus();
    }));
    return out;
  }
  // The first row as read by `read(const Stmt&)`, or nullopt when there is none; the
  // statement is reset afterwards (no read transaction is left open).
  template <typename F>
  Result<std::optional<internal::RowOf<F>>> First(F&& read) {
    HOTLINE_ASSIGN_OR_RETURN(bool has, Step());
    if (!has) {
      return std::optional<internal::RowOf<F>>();
    }
    Result<internal::RowOf<F>> value = read(static_cast<const Stmt&>(*this));
    Reset();
    if (!value.has_value()) {
      return value.error();
    }
    return std::optional<internal::RowOf<F>>(std::move(value).value());
  }

 private:
  template <typename V>
  void BindValue(int index, const V& v) {
    if constexpr (std::is_same_v<V, std::nullopt_t>) {
      BindNull(index);
    } else if constexpr (std::is_same_v<V, std::optional<int64_t>>) {
      BindOpt(index, v);
    } else if constexpr (std::is_integral_v<V>) {
      Bind(index, static_cast<int64_t>(v));
    } else {
      Bind(index, std::string_view(v));
    }
  }

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
