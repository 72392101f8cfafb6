// JSON to Value, with the {"$datetime": ...} and {"$safe": ...} markers.
#include <nlohmann/json.hpp>

#include "templates/error.hpp"
#include "templates/text.hpp"
#include "templates/value.hpp"

namespace templates {
namespace {

int parse_digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) throw Error("invalid $datetime: " + std::string(s));
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') throw Error("invalid $datetime: " + std::string(s));
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// ISO 8601 "YYYY-MM-DD[THH:MM[:SS[.ffffff]]][Z|+HH:MM]"; naive times are taken as UTC.
DateTime parse_iso_datetime(std::string_view s) {
  auto expect = [&](std::size_t pos, char c) {
    if (pos >= s.size() || s[pos] != c) throw Error("invalid $datetime: " + std::string(s));
  };
  expect(4, '-');
  expect(7, '-');
  int year = parse_digits(s, 0, 4), month = parse_digits(s, 5, 2), day = parse_digits(s, 8, 2);
  int hour = 0, minute = 0, second = 0, micro = 0, offset = 0;
  std::size_t pos = 10;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
    hour = parse_digits(s, pos + 1, 2);
    expect(pos + 3, ':');
    minute = parse_digits(s, pos + 4, 2);
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      second = parse_digits(s, pos + 1, 2);
      pos += 3;
    }
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      int digits = 0;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        if (digits < 6) micro = micro * 10 + (s[pos] - '0');
        ++digits;
        ++pos;
      }
      for (; digits < 6; ++digits) micro *= 10;
    }
  }
  if (pos < s.size()) {
    if (s[pos] == 'Z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      int sign = s[pos] == '-' ? -1 : 1;
      int oh = parse_digits(s, pos + 1, 2);
      std::size_t mpos = pos + 3 < s.size() && s[pos + 3] == ':' ? pos + 4 : pos + 3;
      int om = parse_digits(s, mpos, 2);
      offset = sign * (oh * 3600 + om * 60);
      pos = mpos + 2;
    }
  }
  if (pos != s.size() || month < 1 || month > 12 || day < 1 ||
      day > static_cast<int>(text::days_in_month(year, static_cast<unsigned>(month))) ||
      hour > 23 || minute > 59 || second > 59) {
    throw Error("invalid $datetime: " + std::string(s));
  }
  DateTime dt;
  dt.epoch_seconds =
      text::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) *
          86400 +
      hour * 3600 + minute * 60 + second - offset;
  dt.microseconds = micro;
  return dt;
}

template <typename Json>
Value from_json(const Json& json) {
  switch (json.type()) {
    case nlohmann::detail::value_t::null:
      return Value();
    case nlohmann::detail::value_t::boolean:
      return Value(json.template get<bool>());
    case nlohmann::detail::value_t::number_integer:
      return Value(json.template get<std::int64_t>());
    case nlohmann::detail::value_t::number_unsigned:
      return Value(static_cast<std::int64_t>(json.template get<std::uint64_t>()));
    case nlohmann::detail::value_t::number_float:
      return Value(json.template get<double>());
    case nlohmann::detail::value_t::string:
      return Value(json.template get<std::string>());
    case nlohmann::detail::value_t::array: {
      Value::List list;
      list.reserve(json.size());
      for (const auto& item : json) list.push_back(from_json(item));
      return Value(std::move(list));
    }
    case nlohmann::detail::value_t::object: {
      if (json.size() == 1) {
        auto it = json.begin();
        if (it.key() == "$datetime" && it->is_string())
          return Value(parse_iso_datetime(it->template get<std::string>()));
        if (it.key() == "$safe" && it->is_string())
          return mark_safe(it->template get<std::string>());
      }
      Map map;
      for (auto it = json.begin(); it != json.end(); ++it) map.set(it.key(), from_json(it.value()));
      return Value(std::move(map));
    }
    default:
      return Value();
  }
}

}  // namespace

Value value_from_json(const nlohmann::json& json) { return from_json(json); }
Value value_from_json(const nlohmann::ordered_json& json) { return from_json(json); }

}  // namespace templates
