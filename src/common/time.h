// Time in the hotline: instants are UTC system_clock time points with second
// precision; wall-clock reading happens only through the Clock port. China has a
// single time zone (UTC+8, no DST), which the calendar uses for local dates.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hotline {

using Instant = std::chrono::sys_seconds;
using Duration = std::chrono::seconds;

inline constexpr std::chrono::hours kChinaUtcOffset{8};

// Seconds since the Unix epoch.
inline int64_t ToUnix(Instant t) { return t.time_since_epoch().count(); }
inline Instant FromUnix(int64_t s) { return Instant{Duration{s}}; }

// "2024-02-09T10:00:00+08:00" (China local time, the form people read).
std::string FormatLocal(Instant t);
// "2024-02-09" in China local time.
std::string FormatLocalDate(Instant t);
// Accepts "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]", "YYYY-MM-DDTHH:MM[:SS]" in China local
// time, or with a trailing "Z" / "+08:00" style offset. nullopt when malformed.
std::optional<Instant> ParseInstant(std::string_view text);

}  // namespace hotline
