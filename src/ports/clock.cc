#include "ports/clock.h"

#include <chrono>

namespace hotline::ports {

Instant SystemClock::Now() const {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace hotline::ports
