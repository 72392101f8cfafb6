// base: reading timestamps strictly. Knows nothing of any other layer.
//
//   auto t = base::parse_rfc3339("2026-11-28T07:51:00Z");   // nullopt unless well formed
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace base {

// An RFC 3339 date-time: "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)", "T" and "Z" in
// either case. Exactly that many digits, every field in range (the day for its month and year,
// hour 00-23, minute 00-59, second 00-60 where 60 is a leap second counted as the next minute's
// first), and an offset; years 1900-2200 (what the system clock holds, with room). The fraction
// is read and dropped. nullopt for anything else, including a missing offset, signs, spaces or
// trailing bytes.
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);

}  // namespace base
