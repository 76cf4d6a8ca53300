#include "domain/fiscal/decimal.h"

#include <gtest/gtest.h>

namespace hotline::domain::fiscal {
namespace {

Fixed2 F(const char* s) { return Fixed2::Parse(s).value(); }

TEST(Fixed2, ParsesTheWaysDocumentsWriteNumbers) {
  EXPECT_EQ(F("402.64").hundredths(), 40264);
  EXPECT_EQ(F("402. 64").hundredths(), 40264);  // a space from PDF extraction
  EXPECT_EQ(F("4 02.64").hundredths(), 40264);
  EXPECT_EQ(F("1,234.5").hundredths(), 123450);
  EXPECT_EQ(F("100").hundredths(), 10000);
  EXPECT_EQ(F("-1.01").hundredths(), -101);
  EXPECT_EQ(F(".5").hundredths(), 50);
  EXPECT_EQ(F("98.245").hundredths(), 9825);  // a third decimal rounds half up
  EXPECT_FALSE(Fixed2::Parse("").has_value());
  EXPECT_FALSE(Fixed2::Parse("—").has_value());
  EXPECT_FALSE(Fixed2::Parse("12a").has_value());
  EXPECT_FALSE(Fixed2::Parse("1.2.3").has_value());
}

TEST(Fixed2, PrintsTwoDecimalsOrShort) {
  EXPECT_EQ(F("0").ToString(), "0.00");
  EXPECT_EQ(F("-0.5").ToString(), "-0.50");
  EXPECT_EQ(F("10").ToShortString(), "10");
  EXPECT_EQ(F("9.71").ToShortString(), "9.71");
}

TEST(Fixed2, MulDivAndPercentRoundHalfAwayFromZero) {
  // 10 × 94.44 / 98 = 9.6367…
  EXPECT_EQ(Fixed2::MulDiv(F("10"), F("94.44"), F("98"))->ToString(), "9.64");
  // 10 × 94.4 / 98 = 9.6326…
  EXPECT_EQ(Fixed2::MulDiv(F("10"), F("94.4"), F("98"))->ToString(), "9.63");
  // 196.49 / 200 = 98.245% exactly → 98.25
  EXPECT_EQ(Fixed2::Percent(F("196.49"), F("200"))->ToString(), "98.25");
  EXPECT_EQ(Fixed2::Percent(F("-1.01"), F("1.11"))->ToString(), "-90.99");
  EXPECT_FALSE(Fixed2::Percent(F("1"), F("0")).has_value());
  EXPECT_EQ(RoundedDiv(-5, 10), -1);
  EXPECT_EQ(RoundedDiv(4, 10), 0);
}

TEST(Fixed2, RoundsToFewerDecimals) {
  EXPECT_EQ(F("16.03").RoundTo(0).ToString(), "16.00");
  EXPECT_EQ(F("16.50").RoundTo(0).ToString(), "17.00");
  EXPECT_EQ(F("16.05").RoundTo(1).ToString(), "16.10");
  EXPECT_EQ(F("16.05").RoundTo(2).ToString(), "16.05");
}

}  // namespace
}  // namespace hotline::domain::fiscal
