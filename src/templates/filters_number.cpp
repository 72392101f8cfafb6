// Number and date filters: add, floatformat, date, divisibleby, get_digit, filesizeformat,
// timesince, timeuntil.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>

#include "templates/date_format.hpp"
#include "templates/error.hpp"
#include "templates/filter_support.hpp"
#include "templates/text.hpp"

namespace templates::detail {
namespace {

// A decimal number as Python's Decimal.as_tuple(): sign, digits, exponent.
struct Decimal {
  bool negative = false;
  std::string digits;
  int exponent = 0;
};
std::optional<Decimal> parse_decimal(std::string_view s) {
  Decimal d;
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) d.negative = s[i++] == '-';
  int frac = 0;
  bool dot = false;
  for (; i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'); ++i) {
    if (s[i] == '.') {
      if (dot) return std::nullopt;
      dot = true;
    } else {
      d.digits += s[i];
      if (dot) ++frac;
    }
  }
  if (d.digits.empty()) return std::nullopt;
  int exp = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E'))
    exp = std::atoi(std::string(s.substr(i + 1)).c_str()), i = s.size();
  if (i != s.size()) return std::nullopt;
  d.exponent = exp - frac;
  std::size_t nz = d.digits.find_first_not_of('0');
  d.digits = nz == std::string::npos ? "0" : d.digits.substr(nz);
  return d;
}

}  // namespace

Value add_filter(const Value& in, const Value* arg, bool) {
  auto a = python_int(in), b = python_int(*arg);
  if (a && b) {
    std::int64_t sum;
    if (!__builtin_add_overflow(*a, *b, &sum)) return Value(sum);
    // Python ints do not overflow: print the exact sum (both operands have the same sign here).
    auto magnitude = [](std::int64_t v) {
      return std::to_string(v < 0 ? ~static_cast<std::uint64_t>(v) + 1
                                  : static_cast<std::uint64_t>(v));
    };
    std::string x = magnitude(*a), y = magnitude(*b), digits;
    int carry = 0;
    for (std::size_t i = 0; i < std::max(x.size(), y.size()) || carry; ++i) {
      int d = carry + (i < x.size() ? x[x.size() - 1 - i] - '0' : 0) +
              (i < y.size() ? y[y.size() - 1 - i] - '0' : 0);
      digits.insert(digits.begin(), static_cast<char>('0' + d % 10));
      carry = d / 10;
    }
    return Value((*a < 0 ? "-" : "") + digits);
  }
  if (in.is_string() && arg->is_string()) {
    std::string s = in.str() + arg->str();
    return in.is_safe() && arg->is_safe() ? mark_safe(std::move(s)) : Value(std::move(s));
  }
  if (in.is_list() && arg->is_list()) {
    Value::List out = in.list();
    out.insert(out.end(), arg->list().begin(), arg->list().end());
    return Value(std::move(out));
  }
  if (in.is_number() && arg->is_number()) {
    if (in.is_double() || arg->is_double()) return Value(*python_float(in) + *python_float(*arg));
  }
  return Value("");
}

Value floatformat_filter(const Value& in, const Value* arg, bool) {
  std::string storage = "-1";
  std::string spec = arg ? arg_string(arg, storage) : storage;
  if (arg && arg->is_string() && !spec.empty() && spec.back() == 'g') {
    spec.pop_back();
    if (spec.empty()) spec = "-1";
  }
  std::string input_val;
  std::optional<Decimal> d;
  if (in.is_int() || in.is_double()) {
    input_val = to_python_str(in);
    if (in.is_double() && !std::isfinite(in.as_double())) return Value(input_val);
    d = parse_decimal(input_val);
  } else {
    append_python_repr(in, input_val);
    auto f = python_float(in);
    if (!f) return Value("");
    if (!std::isfinite(*f)) return Value(python_float_repr(*f));
    d = parse_decimal(python_float_repr(*f));
  }
  if (!d) return Value("");
  auto p = python_int(Value(spec));
  if (!p) return Value(input_val);
  if (d->digits.size() + static_cast<std::size_t>(std::abs(d->exponent)) > 200)
    return Value(input_val);
  // Integer digits and fraction digits of d.
  std::string int_digits, frac_digits;
  if (d->exponent >= 0) {
    int_digits = d->digits + std::string(static_cast<std::size_t>(d->exponent), '0');
  } else {
    auto fl = static_cast<std::size_t>(-d->exponent);
    std::string padded = d->digits.size() <= fl
                             ? std::string(fl - d->digits.size() + 1, '0') + d->digits
                             : d->digits;
    int_digits = padded.substr(0, padded.size() - fl);
    frac_digits = padded.substr(padded.size() - fl);
  }
  bool has_fraction = frac_digits.find_first_not_of('0') != std::string::npos;
  auto strip_zeros = [](std::string s) {
    std::size_t nz = s.find_first_not_of('0');
    return nz == std::string::npos ? std::string("0") : s.substr(nz);
  };
  if (!has_fraction && *p < 0) {
    std::string n = strip_zeros(int_digits);
    return mark_safe((d->negative && n != "0" ? "-" : "") + n);
  }
  constexpr std::int64_t kMaxPlaces = 1000;  // Django has no limit; we refuse to build huge strings
  if (*p > kMaxPlaces || *p < -kMaxPlaces) return Value(input_val);
  auto places = static_cast<std::size_t>(std::abs(*p));
  std::string all = int_digits + frac_digits;
  std::size_t keep = int_digits.size() + places;
  bool round_up = false;
  if (all.size() > keep) {
    round_up = all[keep] >= '5';
    all.resize(keep);
  } else {
    all.append(keep - all.size(), '0');
  }
  if (round_up) {
    int i = static_cast<int>(all.size()) - 1;
    while (i >= 0 && all[static_cast<std::size_t>(i)] == '9')
      all[static_cast<std::size_t>(i--)] = '0';
    if (i < 0)
      all.insert(all.begin(), '1');
    else
      ++all[static_cast<std::size_t>(i)];
  }
  std::string int_part = strip_zeros(all.substr(0, all.size() - places));
  std::string frac_part = all.substr(all.size() - places);
  bool zero = int_part == "0" && frac_part.find_first_not_of('0') == std::string::npos;
  std::string out = (d->negative && !zero) ? "-" : "";
  out += int_part;
  if (places) out += "." + frac_part;
  return mark_safe(std::move(out));
}

Value date_filter(const Value& in, const Value* arg, bool) {
  if (!in.is_datetime()) return Value("");
  std::string storage;
  std::string_view format = arg ? std::string_view(arg_string(arg, storage)) : kDateFormat;
  return Value(format_date(in.datetime(), named_date_format(format)));
}

Value time_filter(const Value& in, const Value* arg, bool) {
  if (!in.is_datetime()) return Value("");
  std::string storage;
  std::string_view format = arg ? std::string_view(arg_string(arg, storage)) : kTimeFormat;
  return Value(format_time(in.datetime(), named_date_format(format)));
}

Value divisibleby_filter(const Value& in, const Value* arg, bool) {
  const auto value = python_int(in);
  const auto divisor = python_int(*arg);
  if (!value || !divisor) throw Error("divisibleby: the value and the argument must be integers");
  if (*divisor == 0) throw Error("divisibleby: division by zero");
  if (*divisor == -1) return Value(true);
  return Value(*value % *divisor == 0);
}

Value get_digit_filter(const Value& in, const Value* arg, bool) {
  if (in.is_null()) throw Error("get_digit: the value must be a number");
  const auto position = python_int(*arg);
  const auto value = python_int(in);
  if (!position || !value || *position < 1) return in;  // Django fails silently here
  const std::string digits = std::to_string(*value);
  if (static_cast<std::uint64_t>(*position) > digits.size()) return Value(0);
  const char digit = digits[digits.size() - static_cast<std::size_t>(*position)];
  if (digit == '-') throw Error("get_digit: '-' is not a digit");
  return Value(digit - '0');
}

// "1.0\u00a0KB": Django's filesizeformat in English, its spaces non-breaking.
Value filesizeformat_filter(const Value& in, const Value*, bool) {
  constexpr std::string_view kNbsp = "\xC2\xA0";
  // Django 3.2 takes int(value): "1.5" is not a size, 1.5 is one byte.
  double bytes = static_cast<double>(python_int(in).value_or(0));
  const bool negative = bytes < 0;
  if (negative) bytes = -bytes;
  std::string out;
  if (bytes < 1024) {
    // "%(size)d byte(s)": %d truncates; English plural unless exactly one.
    out = std::to_string(static_cast<std::int64_t>(bytes));
    out += kNbsp;
    out += bytes == 1 ? "byte" : "bytes";  // English: singular for exactly one
  } else {
    static constexpr const char* kUnits[] = {"KB", "MB", "GB", "TB", "PB"};
    int unit = 0;
    double size = bytes / 1024;
    while (unit < 4 && size >= 1024) {
      size /= 1024;
      ++unit;
    }
    char number[64];
    std::snprintf(number, sizeof number, "%.1f", size);  // round(x, 1), one decimal shown
    out = std::string(number) + std::string(kNbsp) + kUnits[unit];
  }
  return Value(negative ? "-" + out : out);
}

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

std::int64_t year_of(const DateTime& dt) {
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  text::civil_from_days(floor_div(dt.epoch_seconds, 86400), y, m, d);
  return y;
}

// calendar.leapdays(y1, y2): leap years in [y1, y2).
std::int64_t leap_days(std::int64_t y1, std::int64_t y2) {
  --y1;
  --y2;
  return (floor_div(y2, 4) - floor_div(y1, 4)) - (floor_div(y2, 100) - floor_div(y1, 100)) +
         (floor_div(y2, 400) - floor_div(y1, 400));
}

// django.utils.timesince.timesince(d, now) in English, depth 2: "1 year, 3 months".
std::string timesince(DateTime d, DateTime now) {
  constexpr std::string_view kNbsp = "\xC2\xA0";
  static constexpr std::pair<std::int64_t, std::string_view> kChunks[] = {
      {60 * 60 * 24 * 365, "year"},
      {60 * 60 * 24 * 30, "month"},
      {60 * 60 * 24 * 7, "week"},
      {60 * 60 * 24, "day"},
      {60 * 60, "hour"},
      {60, "minute"}};
  std::int64_t leap = leap_days(year_of(d), year_of(now));
  if (leap != 0) {
    if (text::is_leap(year_of(d)))
      --leap;
    else if (text::is_leap(year_of(now)))
      ++leap;
  }
  const std::int64_t micros = (now.epoch_seconds - d.epoch_seconds) * 1000000 +
                              (now.microseconds - d.microseconds) - leap * 86400 * 1000000;
  std::int64_t since = floor_div(micros, 1000000);  // seconds; microseconds ignored
  const auto part = [&](std::int64_t count, std::string_view unit) {
    return std::to_string(count) + std::string(kNbsp) + std::string(unit) + (count == 1 ? "" : "s");
  };
  if (since <= 0) return part(0, "minute");
  std::size_t i = 0;
  while (i < std::size(kChunks) && since / kChunks[i].first == 0) ++i;
  if (i == std::size(kChunks)) return part(0, "minute");
  std::string out;
  for (int depth = 0; i < std::size(kChunks) && depth < 2; ++i, ++depth) {
    const std::int64_t count = since / kChunks[i].first;
    if (count == 0) break;
    if (depth) out += ", ";
    out += part(count, kChunks[i].second);
    since -= count * kChunks[i].first;
  }
  return out;
}

Value timesince_or_until(const Value& in, const Value* arg, bool until) {
  if (!in.truthy()) return Value("");
  if (!in.is_datetime()) throw Error("timesince: the value is not a date");
  DateTime other = now_utc();
  if (arg && arg->truthy()) {
    if (!arg->is_datetime()) throw Error("timesince: the argument is not a date");
    other = arg->datetime();
  }
  return until ? Value(timesince(other, in.datetime())) : Value(timesince(in.datetime(), other));
}

}  // namespace

Value timesince_filter(const Value& in, const Value* arg, bool) {
  return timesince_or_until(in, arg, false);
}

Value timeuntil_filter(const Value& in, const Value* arg, bool) {
  return timesince_or_until(in, arg, true);
}

}  // namespace templates::detail
