#include "base/time.hpp"

namespace base {

namespace {

constexpr int kFirstYear = 1900;
constexpr int kLastYear = 2200;

// Reads exactly `n` digits at `text[pos]`; advances `pos`. nullopt when they are not there.
std::optional<int> digits(std::string_view text, std::size_t& pos, std::size_t n) {
  if (pos + n > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += n;
  return value;
}

bool literal(std::string_view text, std::size_t& pos, char lower, char upper = 0) {
  if (pos >= text.size() || (text[pos] != lower && text[pos] != (upper ? upper : lower)))
    return false;
  ++pos;
  return true;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text) {
  using namespace std::chrono;
  std::size_t pos = 0;
  auto year = digits(text, pos, 4);
  if (!year || !literal(text, pos, '-')) return std::nullopt;
  auto month = digits(text, pos, 2);
  if (!month || !literal(text, pos, '-')) return std::nullopt;
  auto day = digits(text, pos, 2);
  if (!day || !literal(text, pos, 'T', 't')) return std::nullopt;
  auto hour = digits(text, pos, 2);
  if (!hour || !literal(text, pos, ':')) return std::nullopt;
  auto minute = digits(text, pos, 2);
  if (!minute || !literal(text, pos, ':')) return std::nullopt;
  auto second = digits(text, pos, 2);
  if (!second) return std::nullopt;
  if (literal(text, pos, '.')) {
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
  }
  int offset_minutes = 0;
  if (!literal(text, pos, 'Z', 'z')) {
    if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return std::nullopt;
    const int sign = text[pos++] == '+' ? 1 : -1;
    auto oh = digits(text, pos, 2);
    if (!oh || !literal(text, pos, ':')) return std::nullopt;
    auto om = digits(text, pos, 2);
    if (!om || *oh > 23 || *om > 59) return std::nullopt;
    offset_minutes = sign * (*oh * 60 + *om);
  }
  if (pos != text.size()) return std::nullopt;
  if (*hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  // The system clock counts nanoseconds in 64 bits: about 1678 to 2262. (Found by fuzzing:
  // year 0001 overflowed it.)
  if (*year < kFirstYear || *year > kLastYear) return std::nullopt;
  const year_month_day ymd{std::chrono::year{*year},
                           std::chrono::month{static_cast<unsigned>(*month)},
                           std::chrono::day{static_cast<unsigned>(*day)}};
  if (!ymd.ok()) return std::nullopt;
  return system_clock::time_point{sys_days{ymd}} + hours{*hour} + minutes{*minute} +
         seconds{*second} - minutes{offset_minutes};
}

}  // namespace base
