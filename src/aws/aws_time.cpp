#include "aws/aws_time.hpp"

#include <cstdio>
#include <ctime>

#include "aws/error.hpp"
#include "base/time.hpp"

namespace aws {
namespace {

std::tm utc(Clock::time_point time) {
  const std::time_t t = Clock::to_time_t(std::chrono::floor<std::chrono::seconds>(time));
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

}  // namespace

std::string format_amz_date(Clock::time_point time) {
  const std::tm tm = utc(time);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string format_date_stamp(Clock::time_point time) { return format_amz_date(time).substr(0, 8); }

Clock::time_point parse_iso8601(std::string_view text) {
  if (auto time = base::parse_rfc3339(text)) return *time;
  throw Error("InvalidResponse",
              "bad timestamp (RFC 3339 wanted): " + std::string(text.substr(0, 40)));
}

}  // namespace aws
