// CredentialStore port: signed-in sessions (so a restart does not log everybody out) and
// API keys for systems (telephony, the province platform, Open311 clients). Only hashes of
// tokens and keys are stored: a copy of the store does not let anyone in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time.h"

namespace hotline::ports {

struct StoredSession {
  std::string token_hash;  ///< SHA-256 (hex) of the session token
  std::string login;
  std::string csrf;
  Instant expires;
};

struct ApiKeyRecord {
  int64_t id = 0;
  std::string name;      ///< what the key is for, e.g. "电话系统"
  std::string login;     ///< the user whose role and unit the key acts as
  std::string key_hash;  ///< SHA-256 (hex) of the key
  std::string prefix;    ///< the key's first characters, to recognise it in lists
  Instant created;
  std::optional<Instant> revoked;
};

/// Thread-safe.
class CredentialStore {
 public:
  virtual ~CredentialStore() = default;

  virtual Status PutSession(const StoredSession& session) = 0;
  /// nullopt when there is no such session (expired ones are returned; the caller checks).
  virtual Result<std::optional<StoredSession>> FindSession(const std::string& token_hash) = 0;
  virtual Status DeleteSession(const std::string& token_hash) = 0;
  /// Removes sessions that expired before `now`; returns how many.
  virtual Result<int64_t> DeleteExpiredSessions(Instant now) = 0;

  /// Stores a new key; returns its id.
  virtual Result<int64_t> CreateApiKey(const ApiKeyRecord& key) = 0;
  virtual Result<std::optional<ApiKeyRecord>> FindApiKey(const std::string& key_hash) = 0;
  virtual Result<std::vector<ApiKeyRecord>> ListApiKeys() = 0;
  /// kNotFound for an unknown id; revoking twice keeps the first time.
  virtual Status RevokeApiKey(int64_t id, Instant at) = 0;
};

}  // namespace hotline::ports
