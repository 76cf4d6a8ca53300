#include "common/check.h"

#include <cstdio>
#include <cstdlib>

namespace hotline::internal {

void CheckFailed(const char* file, int line, const char* cond, const char* why) {
  std::fprintf(stderr, "%s:%d: check failed: %s (%s)\n", file, line, cond, why);
  std::abort();
}

}  // namespace hotline::internal
