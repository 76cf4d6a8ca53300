// Test helpers shared by every test binary: EXPECT_OK / ASSERT_OK for Result and Status,
// HasErrorCode(code) matcher, and the location of the shared data folder.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>

#include "common/result.h"

namespace hotline::testing {

template <typename R>
::testing::AssertionResult IsOk(const R& r) {
  if (r.has_value()) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << r.error().ToString();
}

MATCHER_P(HasErrorCode, code, "fails with " + std::string(::hotline::ErrorCodeName(code))) {
  if (arg.has_value()) {
    *result_listener << "which succeeded";
    return false;
  }
  *result_listener << "which failed with " << arg.error().ToString();
  return arg.error().code == code;
}

// The project source dir (set by ctest through HOTLINE_SOURCE_DIR, else the cwd's guess).
std::filesystem::path SourceDir();
// ../shared/data beside the source tree, or nullopt when it is absent (tests then skip).
std::optional<std::filesystem::path> SharedDataDir();

}  // namespace hotline::testing

#define EXPECT_OK(expr) EXPECT_TRUE(::hotline::testing::IsOk(expr))
#define ASSERT_OK(expr) ASSERT_TRUE(::hotline::testing::IsOk(expr))
