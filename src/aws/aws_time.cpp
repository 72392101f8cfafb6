#include "aws/aws_time.hpp"

#include <cstdio>
#include <ctime>

#include "aws/error.hpp"

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
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, consumed = 0;
  const std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute,
                  &second, &consumed) != 6) {
    throw Error("InvalidResponse", "bad timestamp: " + s.substr(0, 40));
  }
  std::string_view rest = text.substr(static_cast<std::size_t>(consumed));
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') rest.remove_prefix(1);
  }
  long offset_seconds = 0;
  if (rest == "Z" || rest.empty()) {
    offset_seconds = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    const int oh = (rest[1] - '0') * 10 + (rest[2] - '0');
    const int om = (rest[4] - '0') * 10 + (rest[5] - '0');
    offset_seconds = (rest[0] == '+' ? 1 : -1) * (oh * 3600L + om * 60L);
  } else {
    throw Error("InvalidResponse", "bad timestamp zone: " + s.substr(0, 40));
  }
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) throw Error("InvalidResponse", "bad date: " + s.substr(0, 40));
  const auto days = std::chrono::sys_days{ymd};
  return Clock::time_point{days} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
         std::chrono::seconds{second} - std::chrono::seconds{offset_seconds};
}

}  // namespace aws
