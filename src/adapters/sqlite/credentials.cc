// SqliteStore's CredentialStore: sessions and API keys (schema 005).
#include <fmt/format.h>

#include "adapters/sqlite/reader.h"
#include "adapters/sqlite/sqlite_store.h"

namespace hotline::adapters::sqlite {
namespace {

constexpr char kPutSession[] =
    "INSERT OR REPLACE INTO sessions (token_hash, login, csrf, expires) VALUES (?1, ?2, ?3, ?4)";
constexpr char kFindSession[] =
    "SELECT token_hash, login, csrf, expires FROM sessions WHERE token_hash = ?1";
constexpr char kDeleteSession[] = "DELETE FROM sessions WHERE token_hash = ?1";
constexpr char kDeleteExpired[] = "DELETE FROM sessions WHERE expires < ?1";
constexpr char kInsertKey[] =
    "INSERT INTO api_keys (name, login, key_hash, prefix, created) VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr char kKeyColumns[] =
    "SELECT id, name, login, key_hash, prefix, created, revoked FROM api_keys";
constexpr char kRevokeKey[] = "UPDATE api_keys SET revoked = COALESCE(revoked, ?2) WHERE id = ?1";

ports::ApiKeyRecord KeyFromRow(const Stmt& s) {
  ports::ApiKeyRecord k;
  k.id = s.Int(0);
  k.name = s.Text(1);
  k.login = s.Text(2);
  k.key_hash = s.Text(3);
  k.prefix = s.Text(4);
  k.created = FromUnix(s.Int(5));
  if (!s.IsNull(6)) {
    k.revoked = FromUnix(s.Int(6));
  }
  return k;
}

}  // namespace

Status SqliteStore::PutSession(const ports::StoredSession& session) {
  return RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kPutSession));
    s->Bind(1, session.token_hash)
        .Bind(2, session.login)
        .Bind(3, session.csrf)
        .Bind(4, ToUnix(session.expires));
    return s->Run();
  });
}

Result<std::optional<ports::StoredSession>> SqliteStore::FindSession(
    const std::string& token_hash) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kFindSession));
  s->Bind(1, token_hash);
  HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
  std::optional<ports::StoredSession> out;
  if (row) {
    out = ports::StoredSession{s->Text(0), s->Text(1), s->Text(2), FromUnix(s->Int(3))};
  }
  s->Reset();
  return out;
}

Status SqliteStore::DeleteSession(const std::string& token_hash) {
  return RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kDeleteSession));
    s->Bind(1, token_hash);
    return s->Run();
  });
}

Result<int64_t> SqliteStore::DeleteExpiredSessions(Instant now) {
  int64_t removed = 0;
  Status written = RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kDeleteExpired));
    s->Bind(1, ToUnix(now));
    HOTLINE_RETURN_IF_ERROR(s->Run());
    removed = db.Changes();
    return OkStatus();
  });
  HOTLINE_RETURN_IF_ERROR(written);
  return removed;
}

Result<int64_t> SqliteStore::CreateApiKey(const ports::ApiKeyRecord& key) {
  int64_t id = 0;
  Status written = RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kInsertKey));
    s->Bind(1, key.name)
        .Bind(2, key.login)
        .Bind(3, key.key_hash)
        .Bind(4, key.prefix)
        .Bind(5, ToUnix(key.created));
    HOTLINE_RETURN_IF_ERROR(s->Run());
    id = db.LastInsertId();
    return OkStatus();
  });
  HOTLINE_RETURN_IF_ERROR(written);
  return id;
}

Result<std::optional<ports::ApiKeyRecord>> SqliteStore::FindApiKey(const std::string& key_hash) {
  static const std::string sql = std::string(kKeyColumns) + " WHERE key_hash = ?1";
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(sql.c_str()));
  s->Bind(1, key_hash);
  HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
  std::optional<ports::ApiKeyRecord> out;
  if (row) {
    out = KeyFromRow(*s);
  }
  s->Reset();
  return out;
}

Result<std::vector<ports::ApiKeyRecord>> SqliteStore::ListApiKeys() {
  static const std::string sql = std::string(kKeyColumns) + " ORDER BY id";
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(sql.c_str()));
  std::vector<ports::ApiKeyRecord> out;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      break;
    }
    out.push_back(KeyFromRow(*s));
  }
  return out;
}

Status SqliteStore::RevokeApiKey(int64_t id, Instant at) {
  return RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kRevokeKey));
    s->Bind(1, id).Bind(2, ToUnix(at));
    HOTLINE_RETURN_IF_ERROR(s->Run());
    if (db.Changes() == 0) {
      return NotFound(fmt::format("API 密钥不存在: {}", id));
    }
    return OkStatus();
  });
}

}  // namespace hotline::adapters::sqlite
