// Fixed2: an exact decimal with two fractional digits, stored as an integer count of
// hundredths. Amounts in the disclosure are 万元 with two decimals, percentages and
// scores are also written with two decimals, so every comparison the rules make is exact
// integer arithmetic (no double). Value type; thread-compatible.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hotline::domain::fiscal {

class Fixed2 {
 public:
  constexpr Fixed2() = default;
  static constexpr Fixed2 FromHundredths(int64_t hundredths) { return Fixed2(hundredths); }
  static constexpr Fixed2 FromInt(int64_t whole) { return Fixed2(whole * 100); }

  // Parses "402.64", "-1.01", "1,234.5", "402. 64" (spaces are ignored), "100" and
  // full-width digits are not accepted. More than two decimals are rounded half away
  // from zero. nullopt when `text` is not a number.
  static std::optional<Fixed2> Parse(std::string_view text);

  constexpr int64_t hundredths() const { return hundredths_; }
  // "402.64", "-1.01", "0.00".
  std::string ToString() const;
  // Like ToString but drops a ".00" tail ("10", "9.71", "94.40" stays "94.40").
  std::string ToShortString() const;
  double ToDouble() const { return static_cast<double>(hundredths_) / 100.0; }

  constexpr Fixed2 operator+(Fixed2 o) const { return Fixed2(hundredths_ + o.hundredths_); }
  constexpr Fixed2 operator-(Fixed2 o) const { return Fixed2(hundredths_ - o.hundredths_); }
  constexpr Fixed2 operator-() const { return Fixed2(-hundredths_); }
  Fixed2& operator+=(Fixed2 o) {
    hundredths_ += o.hundredths_;
    return *this;
  }
  constexpr auto operator<=>(const Fixed2&) const = default;

  constexpr Fixed2 Abs() const { return Fixed2(hundredths_ < 0 ? -hundredths_ : hundredths_); }
  constexpr bool IsZero() const { return hundredths_ == 0; }

  // a * b / c rounded half away from zero; nullopt when c is zero.
  static std::optional<Fixed2> MulDiv(Fixed2 a, Fixed2 b, Fixed2 c);
  // 100 * num / den as a percentage with two decimals; nullopt when den is zero.
  static std::optional<Fixed2> Percent(Fixed2 num, Fixed2 den);
  // Rounds to `decimals` (0, 1 or 2) fractional digits, half away from zero.
  Fixed2 RoundTo(int decimals) const;

 private:
  explicit constexpr Fixed2(int64_t hundredths) : hundredths_(hundredths) {}
  int64_t hundredths_ = 0;
};

// Divides rounding half away from zero. `den` must not be zero.
int64_t RoundedDiv(int64_t num, int64_t den);

}  // namespace hotline::domain::fiscal
