// Password hashing with Argon2id (libsodium's crypto_pwhash_str, memory-hard) and random
// tokens for sessions and API keys. Thread-safe.
#pragma once

#include <string>

#include "common/result.h"

namespace hotline::adapters::security {

// Initialises libsodium; safe to call many times. kInternal if it cannot start.
Status InitSecurity();
// An Argon2id hash string ("$argon2id$v=19$m=...") with a random salt.
Result<std::string> HashPassword(const std::string& password);
// True if `password` matches `hash`; false for a wrong password or a malformed hash.
bool VerifyPassword(const std::string& hash, const std::string& password);
// A random URL-safe token of `bytes` random bytes (hex encoded).
std::string RandomToken(size_t bytes = 32);
// SHA-256 of `data`, hex encoded (for storing high-entropy tokens and keys).
std::string Sha256Hex(const std::string& data);
// Constant-time comparison.
bool SafeEqual(const std::string& a, const std::string& b);

}  // namespace hotline::adapters::security
