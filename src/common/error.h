// Error and ErrorCode: the one way expected failures travel through the code.
// Value types; thread-compatible. ErrorCode knows nothing about HTTP: only the
// HTTP adapter maps codes to statuses.
#pragma once

#include <string>
#include <string_view>

namespace hotline {

enum class ErrorCode {
  kInvalidArgument,     // bad input: a malformed field, an unknown value
  kNotFound,            // no such ticket, unit, user...
  kAlreadyExists,       // a unique key is taken
  kFailedPrecondition,  // an action not allowed in the current state (illegal transition)
  kAborted,             // a concurrent change won (stale version)
  kPermissionDenied,    // the actor may not do this
  kUnauthenticated,     // no valid identity
  kResourceExhausted,   // limits, rate limits, full queues
  kUnavailable,         // a dependency is down; retrying may help
  kInternal,            // a bug or a corrupted store
};

std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  std::string ToString() const;
};

inline Error InvalidArgument(std::string message) {
  return {ErrorCode::kInvalidArgument, std::move(message)};
}
inline Error NotFound(std::string message) { return {ErrorCode::kNotFound, std::move(message)}; }
inline Error AlreadyExists(std::string message) {
  return {ErrorCode::kAlreadyExists, std::move(message)};
}
inline Error FailedPrecondition(std::string message) {
  return {ErrorCode::kFailedPrecondition, std::move(message)};
}
inline Error Aborted(std::string message) { return {ErrorCode::kAborted, std::move(message)}; }
inline Error PermissionDenied(std::string message) {
  return {ErrorCode::kPermissionDenied, std::move(message)};
}
inline Error Unavailable(std::string message) {
  return {ErrorCode::kUnavailable, std::move(message)};
}
inline Error Internal(std::string message) { return {ErrorCode::kInternal, std::move(message)}; }

}  // namespace hotline
