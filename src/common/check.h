// Assertions for bugs, never for user input. HOTLINE_CHECK is always on and aborts;
// HOTLINE_ASSERT is compiled out in release builds (NDEBUG).
#pragma once

namespace hotline::internal {
[[noreturn]] void CheckFailed(const char* file, int line, const char* cond, const char* why);
}  // namespace hotline::internal

#define HOTLINE_CHECK(cond, why)                                        \
  do {                                                                  \
    if (!(cond)) {                                                      \
      ::hotline::internal::CheckFailed(__FILE__, __LINE__, #cond, why); \
    }                                                                   \
  } while (false)

#ifdef NDEBUG
#define HOTLINE_ASSERT(cond, why) \
  do {                            \
  } while (false)
#else
#define HOTLINE_ASSERT(cond, why) HOTLINE_CHECK(cond, why)
#endif
