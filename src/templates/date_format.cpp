#include "templates/date_format.hpp"

#include <charconv>
#include <chrono>

#include "templates/text.hpp"

namespace templates {
namespace {

constexpr std::string_view kFormatChars = "aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ";
constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};
constexpr const char* kMonthsAp[] = {"Jan.", "Feb.", "March", "April", "May",  "June",
                                     "July", "Aug.", "Sept.", "Oct.",  "Nov.", "Dec."};
constexpr const char* kWeekdays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                     "Friday", "Saturday", "Sunday"};

struct Parts {
  std::int64_t year;
  unsigned month, day;
  int hour, minute, second, micro;
  int weekday;  // Python weekday(): Monday == 0
  int yday;     // 1-based day of year
  std::int64_t epoch;
};

Parts split(const DateTime& dt) {
  Parts p{};
  std::int64_t days = dt.epoch_seconds / 86400, secs = dt.epoch_seconds % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  text::civil_from_days(days, p.year, p.month, p.day);
  p.hour = static_cast<int>(secs / 3600);
  p.minute = static_cast<int>(secs / 60 % 60);
  p.second = static_cast<int>(secs % 60);
  p.micro = dt.microseconds;
  p.weekday = static_cast<int>(((days % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday (3)
  p.yday = static_cast<int>(days - text::days_from_civil(p.year, 1, 1)) + 1;
  p.epoch = dt.epoch_seconds;
  return p;
}

void append_int(std::string& out, long long v, int width = 0) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v < 0 ? -v : v);
  auto len = static_cast<int>(res.ptr - buf);
  if (v < 0) out += '-';
  if (len < width) out.append(static_cast<std::size_t>(width - len), '0');
  out.append(buf, res.ptr);
}

std::string month3(unsigned m) { return std::string(kMonths[m - 1], 3); }

void append_char(const Parts& p, char c, std::string& out);

int hour12(const Parts& p) { return p.hour % 12 == 0 ? 12 : p.hour % 12; }

void append_f(const Parts& p, std::string& out) {
  append_int(out, hour12(p));
  if (p.minute != 0) {
    out += ':';
    append_int(out, p.minute, 2);
  }
}

void append_char(const Parts& p, char c, std::string& out) {
  switch (c) {
    case 'a':
      out += p.hour > 11 ? "p.m." : "a.m.";
      break;
    case 'A':
      out += p.hour > 11 ? "PM" : "AM";
      break;
    case 'b':
      out += text::to_lower(month3(p.month));
      break;
    case 'c': {
      append_int(out, p.year, 4);
      out += '-';
      append_int(out, p.month, 2);
      out += '-';
      append_int(out, p.day, 2);
      out += 'T';
      append_int(out, p.hour, 2);
      out += ':';
      append_int(out, p.minute, 2);
      out += ':';
      append_int(out, p.second, 2);
      if (p.micro) {
        out += '.';
        append_int(out, p.micro, 6);
      }
      out += "+00:00";
      break;
    }
    case 'd':
      append_int(out, p.day, 2);
      break;
    case 'D':
      out += std::string(kWeekdays[p.weekday], 3);
      break;
    case 'e':
      out += "UTC";
      break;
    case 'E':
      out += kMonths[p.month - 1];
      break;
    case 'f':
      append_f(p, out);
      break;
    case 'F':
      out += kMonths[p.month - 1];
      break;
    case 'g':
      append_int(out, hour12(p));
      break;
    case 'G':
      append_int(out, p.hour);
      break;
    case 'h':
      append_int(out, hour12(p), 2);
      break;
    case 'H':
      append_int(out, p.hour, 2);
      break;
    case 'i':
      append_int(out, p.minute, 2);
      break;
    case 'I':
      out += '0';
      break;
    case 'j':
      append_int(out, p.day);
      break;
    case 'l':
      out += kWeekdays[p.weekday];
      break;
    case 'L':
      out += text::is_leap(p.year) ? "True" : "False";
      break;
    case 'm':
      append_int(out, p.month, 2);
      break;
    case 'M':
      out += month3(p.month);
      break;
    case 'n':
      append_int(out, p.month);
      break;
    case 'N':
      out += kMonthsAp[p.month - 1];
      break;
    case 'o': {            // ISO year
      int wd = p.weekday;  // Monday 0
      std::int64_t thursday_yday = p.yday - wd + 3;
      std::int64_t y = p.year;
      if (thursday_yday < 1)
        --y;
      else if (thursday_yday > (text::is_leap(p.year) ? 366 : 365))
        ++y;
      append_int(out, y);
      break;
    }
    case 'O':
      out += "+0000";
      break;
    case 'P':
      if (p.minute == 0 && p.hour == 0)
        out += "midnight";
      else if (p.minute == 0 && p.hour == 12)
        out += "noon";
      else {
        append_f(p, out);
        out += ' ';
        out += p.hour > 11 ? "p.m." : "a.m.";
      }
      break;
    case 'r': {
      out += std::string(kWeekdays[p.weekday], 3);
      out += ", ";
      append_int(out, p.day, 2);
      out += ' ';
      out += month3(p.month);
      out += ' ';
      append_int(out, p.year, 4);
      out += ' ';
      append_int(out, p.hour, 2);
      out += ':';
      append_int(out, p.minute, 2);
      out += ':';
      append_int(out, p.second, 2);
      out += " +0000";
      break;
    }
    case 's':
      append_int(out, p.second, 2);
      break;
    case 'S':
      if (p.day >= 11 && p.day <= 13)
        out += "th";
      else if (p.day % 10 == 1)
        out += "st";
      else if (p.day % 10 == 2)
        out += "nd";
      else if (p.day % 10 == 3)
        out += "rd";
      else
        out += "th";
      break;
    case 't':
      append_int(out, text::days_in_month(p.year, p.month), 2);
      break;
    case 'T':
      out += "UTC";
      break;
    case 'u':
      append_int(out, p.micro, 6);
      break;
    case 'U':
      append_int(out, p.epoch);
      break;
    case 'w':
      append_int(out, (p.weekday + 1) % 7);
      break;
    case 'W': {  // ISO week number
      int wd = p.weekday;
      std::int64_t thursday_yday = p.yday - wd + 3;
      std::int64_t y = p.year;
      int year_len = text::is_leap(y) ? 366 : 365;
      if (thursday_yday < 1) {
        --y;
        thursday_yday += text::is_leap(y) ? 366 : 365;
      } else if (thursday_yday > year_len) {
        thursday_yday -= year_len;
      }
      append_int(out, (thursday_yday - 1) / 7 + 1);
      break;
    }
    case 'y':
      append_int(out, p.year % 100, 2);
      break;
    case 'Y':
      append_int(out, p.year);
      break;
    case 'z':
      append_int(out, p.yday);
      break;
    case 'Z':
      out += '0';
      break;
    default:
      out += c;
  }
}

}  // namespace

std::string format_date(const DateTime& dt, std::string_view format) {
  const Parts p = split(dt);
  std::string out;
  // Same splitting as Django: a format character counts unless a backslash precedes it; in the
  // literal pieces between them, "\\X" becomes "X".
  auto is_format_at = [&](std::size_t k) {
    return kFormatChars.find(format[k]) != std::string_view::npos &&
           (k == 0 || format[k - 1] != '\\');
  };
  std::size_t i = 0;
  while (i < format.size()) {
    if (is_format_at(i)) {
      append_char(p, format[i], out);
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < format.size() && !is_format_at(end)) ++end;
    for (std::size_t k = i; k < end; ++k) {
      if (format[k] == '\\' && k + 1 < end && format[k + 1] != '\n') {
        out += format[k + 1];
        ++k;
      } else {
        out += format[k];
      }
    }
    i = end;
  }
  return out;
}

std::string_view named_date_format(std::string_view format) {
  static constexpr std::pair<std::string_view, std::string_view> kNamed[] = {
      {"DATE_FORMAT", kDateFormat},         {"DATETIME_FORMAT", kDateTimeFormat},
      {"TIME_FORMAT", kTimeFormat},         {"YEAR_MONTH_FORMAT", "F Y"},
      {"MONTH_DAY_FORMAT", "F j"},          {"SHORT_DATE_FORMAT", "m/d/Y"},
      {"SHORT_DATETIME_FORMAT", "m/d/Y P"},
  };
  for (const auto& [name, value] : kNamed)
    if (format == name) return value;
  return format;
}

std::string format_time(const DateTime& dt, std::string_view format) {
  // Django's TimeFormat knows only these; any other format character is an AttributeError,
  // which the filter turns into "".
  constexpr std::string_view kTimeCharacters = "aAefgGhHiOPsTuZ";
  for (std::size_t i = 0; i < format.size(); ++i) {
    const char c = format[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (letter && kTimeCharacters.find(c) == std::string_view::npos) return std::string();
  }
  return format_date(dt, format);
}

DateTime now_utc() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
  DateTime dt;
  dt.epoch_seconds = us / 1000000;
  dt.microseconds = static_cast<std::int32_t>(us % 1000000);
  return dt;
}

}  // namespace templates
