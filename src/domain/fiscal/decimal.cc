#include "domain/fiscal/decimal.h"

#include <fmt/format.h>

namespace hotline::domain::fiscal {

int64_t RoundedDiv(int64_t num, int64_t den) {
  if (den < 0) {
    num = -num;
    den = -den;
  }
  const int64_t half = den / 2;
  if (num >= 0) {
    return (num + half) / den;
  }
  return -((-num + half) / den);
}

std::optional<Fixed2> Fixed2::Parse(std::string_view text) {
  // Keep digits, one dot and a leading sign; spaces and thousands separators are noise
  // that PDF extraction and typists put inside numbers.
  bool negative = false;
  bool seen_digit = false;
  bool seen_dot = false;
  bool seen_sign = false;
  int64_t whole = 0;
  int64_t frac = 0;
  int frac_digits = 0;
  int extra_first = -1;  // first digit beyond the second decimal, for rounding
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == ',') {
      continue;
    }
    if ((c == '-' || c == '+') && !seen_digit && !seen_dot && !seen_sign) {
      negative = c == '-';
      seen_sign = true;
      continue;
    }
    if (c == '.' && !seen_dot) {
      seen_dot = true;
      continue;
    }
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    seen_digit = true;
    const int digit = c - '0';
    if (!seen_dot) {
      if (whole > 100'000'000'000LL) {
        return std::nullopt;  // absurdly large; not an amount of this document
      }
      whole = whole * 10 + digit;
    } else if (frac_digits < 2) {
      frac = frac * 10 + digit;
      ++frac_digits;
    } else if (extra_first < 0) {
      extra_first = digit;
    }
  }
  if (!seen_digit) {
    return std::nullopt;
  }
  while (frac_digits < 2) {
    frac *= 10;
    ++frac_digits;
  }
  int64_t value = whole * 100 + frac;
  if (extra_first >= 5) {
    ++value;
  }
  return Fixed2(negative ? -value : value);
}

std::string Fixed2::ToString() const {
  const int64_t abs = hundredths_ < 0 ? -hundredths_ : hundredths_;
  return fmt::format("{}{}.{:02d}", hundredths_ < 0 ? "-" : "", abs / 100, abs % 100);
}

std::string Fixed2::ToShortString() const {
  if (hundredths_ % 100 == 0) {
    return fmt::format("{}", hundredths_ / 100);
  }
  return ToString();
}

std::optional<Fixed2> Fixed2::MulDiv(Fixed2 a, Fixed2 b, Fixed2 c) {
  if (c.hundredths_ == 0) {
    return std::nullopt;
  }
  // (a/100)*(b/100)/(c/100) in hundredths is a*b/c.
  return Fixed2(RoundedDiv(a.hundredths_ * b.hundredths_, c.hundredths_));
}

std::optional<Fixed2> Fixed2::Percent(Fixed2 num, Fixed2 den) {
  if (den.hundredths_ == 0) {
    return std::nullopt;
  }
  return Fixed2(RoundedDiv(num.hundredths_ * 10000, den.hundredths_));
}

Fixed2 Fixed2::RoundTo(int decimals) const {
  if (decimals >= 2) {
    return *this;
  }
  const int64_t unit = decimals == 1 ? 10 : 100;
  return Fixed2(RoundedDiv(hundredths_, unit) * unit);
}

}  // namespace hotline::domain::fiscal
