#include "adapters/security/password.h"

#include <gtest/gtest.h>

#include "testing/matchers.h"

namespace hotline::adapters::security {
namespace {

TEST(Password, HashesWithArgon2idAndVerifies) {
  auto hash = HashPassword("correct horse");
  ASSERT_OK(hash);
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse"));
  EXPECT_FALSE(VerifyPassword(*hash, "wrong horse!"));
  EXPECT_FALSE(VerifyPassword("not a hash", "correct horse"));
  EXPECT_NE(*HashPassword("correct horse"), *hash);  // salted
  EXPECT_THAT(HashPassword("short"), hotline::testing::HasErrorCode(ErrorCode::kInvalidArgument));
}

TEST(Password, TokensAreRandomAndCompareSafely) {
  std::string a = RandomToken();
  std::string b = RandomToken();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
  EXPECT_TRUE(SafeEqual(a, a));
  EXPECT_FALSE(SafeEqual(a, b));
  EXPECT_FALSE(SafeEqual(a, a.substr(1)));
}

}  // namespace
}  // namespace hotline::adapters::security
