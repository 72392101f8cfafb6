// aws: the timestamp formats AWS uses (SigV4 "20261128T075100Z", ISO 8601 expirations).
// Knows nothing of signing or services.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace aws {

using Clock = std::chrono::system_clock;

// "YYYYMMDDTHHMMSSZ" in UTC, fractions of a second dropped.
std::string format_amz_date(Clock::time_point time);

// "YYYYMMDD" in UTC.
std::string format_date_stamp(Clock::time_point time);

// Parses an RFC 3339 time, "2026-11-28T07:51:00Z" or with fractional seconds and "+01:00"
// (base::parse_rfc3339: strict). Throws aws::Error("InvalidResponse") for anything else.
Clock::time_point parse_iso8601(std::string_view text);

}  // namespace aws
