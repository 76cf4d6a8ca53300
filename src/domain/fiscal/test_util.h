// Helpers for the fiscal tests: reading test documents and applying planted faults.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "testing/matchers.h"

namespace hotline::domain::fiscal::testing {

inline std::string ReadTestData(const std::string& name) {
  const auto path = hotline::testing::SourceDir() / "src" / "domain" / "fiscal" / "testdata" / name;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "missing test document " << path;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Replaces the only occurrence of `from` in `text`; fails the test when it is not unique.
inline std::string ReplaceOnce(std::string text, const std::string& from, const std::string& to) {
  const size_t pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << "not found: " << from;
  if (pos == std::string::npos) {
    return text;
  }
  EXPECT_EQ(text.find(from, pos + 1), std::string::npos) << "not unique: " << from;
  text.replace(pos, from.size(), to);
  return text;
}

}  // namespace hotline::domain::fiscal::testing
