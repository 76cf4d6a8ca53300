// StrongId<Tag, T>: a typed identifier so that a UnitId cannot be passed as a UserId.
// Value type; thread-compatible.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace hotline {

template <typename Tag, typename T = int64_t>
class StrongId {
 public:
  using ValueType = T;
  constexpr StrongId() = default;
  constexpr explicit StrongId(T value) : value_(value) {}
  constexpr T value() const { return value_; }
  constexpr bool valid() const { return value_ != T{}; }
  friend constexpr auto operator<=>(const StrongId&, const StrongId&) = default;

 private:
  T value_{};
};

}  // namespace hotline

template <typename Tag, typename T>
struct std::hash<hotline::StrongId<Tag, T>> {
  size_t operator()(const hotline::StrongId<Tag, T>& id) const noexcept {
    return std::hash<T>{}(id.value());
  }
};
