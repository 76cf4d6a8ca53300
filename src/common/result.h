// Result<T>: a value or an Error, shaped like C++23 std::expected so that it can
// become an alias later. Status = Result<void>. Thread-compatible value type.
#pragma once

#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "common/check.h"
#include "common/error.h"

namespace hotline {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(const T& value) : data_(value) {}            // NOLINT(google-explicit-constructor)
  Result(T&& value) : data_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(const Error& error) : data_(error) {}        // NOLINT(google-explicit-constructor)
  Result(Error&& error) : data_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  template <typename U>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, T> &&
           !std::is_same_v<std::decay_t<U>, Error> && !std::is_same_v<std::decay_t<U>, Result>)
      Result(U&& value)
      : data_(std::in_place_index<0>, std::forward<U>(value)) {}  // NOLINT

  bool has_value() const { return data_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    HOTLINE_CHECK(has_value(), "Result::value() on an error");
    return std::get<0>(data_);
  }
  const T& value() const& {
    HOTLINE_CHECK(has_value(), "Result::value() on an error");
    return std::get<0>(data_);
  }
  T&& value() && {
    HOTLINE_CHECK(has_value(), "Result::value() on an error");
    return std::get<0>(std::move(data_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    HOTLINE_CHECK(!has_value(), "Result::error() on a value");
    return std::get<1>(data_);
  }
  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(data_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, Error> data_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(const Error& error) : error_(error) {}        // NOLINT(google-explicit-constructor)
  Result(Error&& error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool has_value() const { return !error_.has_value(); }
  explicit operator bool() const { return has_value(); }
  const Error& error() const {
    HOTLINE_CHECK(error_.has_value(), "Status::error() on OK");
    return *error_;
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

inline Status OkStatus() { return {}; }

}  // namespace hotline

// Propagates an error from an expression returning Result/Status.
#define HOTLINE_RETURN_IF_ERROR(expr)   \
  do {                                  \
    auto hotline_status_ = (expr);      \
    if (!hotline_status_.has_value()) { \
      return hotline_status_.error();   \
    }                                   \
  } while (false)

#define HOTLINE_CONCAT_INNER(a, b) a##b
#define HOTLINE_CONCAT(a, b) HOTLINE_CONCAT_INNER(a, b)
// Declares `lhs` from a Result's value or returns its error.
#define HOTLINE_ASSIGN_OR_RETURN(lhs, expr)                     \
  auto HOTLINE_CONCAT(hotline_result_, __LINE__) = (expr);      \
  if (!HOTLINE_CONCAT(hotline_result_, __LINE__).has_value()) { \
    return HOTLINE_CONCAT(hotline_result_, __LINE__).error();   \
  }                                                             \
  lhs = std::move(HOTLINE_CONCAT(hotline_result_, __LINE__)).value()
