// AuditLog port: an append-only, hash-chained record of every change and every read of
// unmasked personal data. Each entry carries the hash of the previous one, so editing or
// deleting an entry breaks the chain, which Verify() reports.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time.h"

namespace hotline::ports {

struct AuditRecord {
  Instant at;
  std::string login;   ///< who ("" for anonymous / failed logins: the attempted name)
  std::string action;  ///< e.g. "ticket.dispatch", "personal_data.read", "auth.login_failed"
  std::string target;  ///< e.g. the ticket number
  std::string detail;  ///< free text (JSON) with what changed or was read
  std::string remote;  ///< client address
};

struct AuditEntry {
  int64_t seq = 0;
  AuditRecord record;
  std::string prev_hash;
  std::string hash;
};

struct AuditVerification {
  int64_t entries = 0;
  std::string head_hash;              ///< hash of the last entry ("" when empty)
  std::vector<std::string> problems;  ///< empty when the chain is intact
};

/// Thread-safe.
class AuditLog {
 public:
  virtual ~AuditLog() = default;
  /// Appends one entry (hash = SHA-256 over the previous hash and the record).
  virtual Status Append(const AuditRecord& record) = 0;
  /// Entries with seq > after, at most limit.
  virtual Result<std::vector<AuditEntry>> Entries(int64_t after, int limit) = 0;
  /// Recomputes the whole chain; lists every entry whose hash or link is wrong and every
  /// gap in the sequence.
  virtual Result<AuditVerification> Verify() = 0;
};

}  // namespace hotline::ports
