// Clock port: the only way code reads the time, so tests can fix it.
#pragma once

#include <atomic>

#include "common/time.h"

namespace hotline::ports {

/// Source of the current instant. Implementations must be thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  /// The current instant (UTC, second precision).
  virtual Instant Now() const = 0;
};

/// The system's wall clock.
class SystemClock final : public Clock {
 public:
  Instant Now() const override;
};

/// A clock that moves only when told to; thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Instant start) : now_(ToUnix(start)) {}
  Instant Now() const override { return FromUnix(now_.load()); }
  void Set(Instant t) { now_.store(ToUnix(t)); }
  void Advance(Duration d) { now_.fetch_add(d.count()); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace hotline::ports
