// SqliteStore's AuditLog: appends are serialised by the store's single writer thread, so
// each entry links to the true previous one.
#include <fmt/format.h>
#include <sodium.h>

#include "adapters/sqlite/sqlite_store.h"

namespace hotline::adapters::sqlite {
namespace {

constexpr char kLastHash[] = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
constexpr char kInsertAudit[] =
    "INSERT INTO audit_log (seq, at, login, action, target, detail, remote, prev_hash, hash) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
constexpr char kSelectAudit[] =
    "SELECT seq, at, login, action, target, detail, remote, prev_hash, hash FROM audit_log "
    "WHERE seq > ?1 ORDER BY seq LIMIT ?2";

// SHA-256 (hex) over the previous hash and every field, length-prefixed so that no two
// different records serialise alike.
std::string ChainHash(int64_t seq, const std::string& prev, const ports::AuditRecord& r) {
  std::string data;
  auto add = [&data](const std::string& s) {
    data += std::to_string(s.size());
    data += ':';
    data += s;
  };
  add(std::to_string(seq));
  add(prev);
  add(std::to_string(ToUnix(r.at)));
  add(r.login);
  add(r.action);
  add(r.target);
  add(r.detail);
  add(r.remote);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

Result<ports::AuditEntry> EntryFromRow(Stmt& s) {
  ports::AuditEntry e;
  e.seq = s.Int(0);
  e.record.at = FromUnix(s.Int(1));
  e.record.login = s.Text(2);
  e.record.action = s.Text(3);
  e.record.target = s.Text(4);
  e.record.detail = s.Text(5);
  e.record.remote = s.Text(6);
  e.prev_hash = s.Text(7);
  e.hash = s.Text(8);
  return e;
}

}  // namespace

Status SqliteStore::Append(const ports::AuditRecord& record) {
  if (sodium_init() < 0) {
    return Internal("libsodium 初始化失败");
  }
  return RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * last, db.Prepare(kLastHash));
    HOTLINE_ASSIGN_OR_RETURN(bool row, last->Step());
    int64_t seq = row ? last->Int(0) + 1 : 1;
    std::string prev = row ? last->Text(1) : std::string();
    last->Reset();
    HOTLINE_ASSIGN_OR_RETURN(Stmt * ins, db.Prepare(kInsertAudit));
    ins->Bind(1, seq)
        .Bind(2, ToUnix(record.at))
        .Bind(3, record.login)
        .Bind(4, record.action)
        .Bind(5, record.target)
        .Bind(6, record.detail)
        .Bind(7, record.remote)
        .Bind(8, prev)
        .Bind(9, ChainHash(seq, prev, record));
    return ins->Run();
  });
}

Result<std::vector<ports::AuditEntry>> SqliteStore::Entries(int64_t after, int limit) {
  HOTLINE_ASSIGN_OR_RETURN(auto db, AcquireReader());
  std::vector<ports::AuditEntry> out;
  Status st = [&]() -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db->Prepare(kSelectAudit));
    s->Bind(1, after).Bind(2, int64_t{limit});
    while (true) {
      HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) {
        return OkStatus();
      }
      HOTLINE_ASSIGN_OR_RETURN(auto e, EntryFromRow(*s));
      out.push_back(std::move(e));
    }
  }();
  ReleaseReader(std::move(db));
  if (!st.has_value()) {
    return st.error();
  }
  return out;
}

Result<ports::AuditVerification> SqliteStore::Verify() {
  if (sodium_init() < 0) {
    return Internal("libsodium 初始化失败");
  }
  ports::AuditVerification v;
  std::string prev;
  int64_t expected_seq = 1;
  int64_t after = 0;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(auto batch, Entries(after, 5000));
    if (batch.empty()) {
      break;
    }
    for (const auto& e : batch) {
      ++v.entries;
      if (e.seq != expected_seq) {
        v.problems.push_back(
            fmt::format("缺少第 {} 至 {} 条记录（已被删除）", expected_seq, e.seq - 1));
      }
      if (e.prev_hash != prev) {
        v.problems.push_back(fmt::format("第 {} 条记录的前序哈希与上一条不符", e.seq));
      }
      if (ChainHash(e.seq, e.prev_hash, e.record) != e.hash) {
        v.problems.push_back(fmt::format("第 {} 条记录的内容与其哈希不符（已被修改）", e.seq));
      }
      prev = e.hash;
      expected_seq = e.seq + 1;
      after = e.seq;
    }
  }
  v.head_hash = prev;
  return v;
}

}  // namespace hotline::adapters::sqlite
