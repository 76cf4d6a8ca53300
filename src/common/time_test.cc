#include "common/time.h"

#include <gtest/gtest.h>

namespace hotline {
namespace {

TEST(Time, ParsesChinaLocalByDefault) {
  auto t = ParseInstant("2024-02-09 10:00");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatLocal(*t), "2024-02-09T10:00:00+08:00");
  EXPECT_EQ(ToUnix(*t), 1707444000);
}

TEST(Time, ParsesOffsetsAndDates) {
  EXPECT_EQ(ParseInstant("2024-02-09T02:00:00Z"), ParseInstant("2024-02-09T10:00:00+08:00"));
  EXPECT_EQ(FormatLocalDate(*ParseInstant("2024-10-01")), "2024-10-01");
}

TEST(Time, RejectsMalformed) {
  EXPECT_FALSE(ParseInstant(""));
  EXPECT_FALSE(ParseInstant("2024-13-01"));
  EXPECT_FALSE(ParseInstant("2024-02-30"));
  EXPECT_FALSE(ParseInstant("2024-02-09 25:00"));
  EXPECT_FALSE(ParseInstant("2024/02/09"));
  EXPECT_FALSE(ParseInstant("2024-02-09 10:00 junk"));
}

}  // namespace
}  // namespace hotline
