#include "common/result.h"

#include <gtest/gtest.h>

#include <string>

#include "testing/matchers.h"

namespace hotline {
namespace {

Result<int> Half(int v) {
  if (v % 2 != 0) {
    return InvalidArgument("odd");
  }
  return v / 2;
}

Result<int> Quarter(int v) {
  HOTLINE_ASSIGN_OR_RETURN(int half, Half(v));
  return Half(half);
}

Status CheckEven(int v) {
  HOTLINE_RETURN_IF_ERROR(Half(v));
  return OkStatus();
}

TEST(Result, CarriesValueOrError) {
  Result<std::string> ok = std::string("x");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(*ok, "x");
  Result<std::string> bad = NotFound("no such ticket");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(bad.value_or("fallback"), "fallback");
}

TEST(Result, MacrosPropagate) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_THAT(Quarter(6), testing::HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_OK(CheckEven(4));
  EXPECT_THAT(CheckEven(3), testing::HasErrorCode(ErrorCode::kInvalidArgument));
}

TEST(ResultDeathTest, ValueOnErrorAborts) {
  Result<int> bad = Internal("boom");
  EXPECT_DEATH((void)bad.value(), "Result::value");
}

}  // namespace
}  // namespace hotline
