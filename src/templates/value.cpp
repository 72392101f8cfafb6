#include "templates/value.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "templates/text.hpp"

namespace templates {

Object::~Object() = default;
std::string Object::str() const { return "<object>"; }

const Value* Map::find(std::string_view key) const {
  if (!index_.empty()) {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &entries_[it->second].second;
  }
  for (const auto& [k, v] : entries_)
    if (k == key) return &v;
  return nullptr;
}

void Map::set(std::string key, Value value) {
  if (!index_.empty()) {
    auto it = index_.find(std::string_view(key));
    if (it != index_.end()) {
      entries_[it->second].second = std::move(value);
      return;
    }
    index_.emplace(key, entries_.size());
    entries_.emplace_back(std::move(key), std::move(value));
    return;
  }
  for (auto& [k, v] : entries_) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  entries_.emplace_back(std::move(key), std::move(value));
  if (entries_.size() > kIndexThreshold) {
    for (std::size_t i = 0; i < entries_.size(); ++i) index_.emplace(entries_[i].first, i);
  }
}

Value::Kind Value::kind() const {
  switch (data_.index()) {
    case 0:
      return Kind::kNull;
    case 1:
      return Kind::kBool;
    case 2:
      return Kind::kInt;
    case 3:
      return Kind::kDouble;
    case 4:
      return safe_ ? Kind::kSafeString : Kind::kString;
    case 5:
      return Kind::kList;
    case 6:
      return Kind::kMap;
    case 7:
      return Kind::kObject;
    default:
      return Kind::kDateTime;
  }
}

bool Value::truthy() const {
  switch (data_.index()) {
    case 0:
      return false;
    case 1:
      return as_bool();
    case 2:
      return as_int() != 0;
    case 3:
      return as_double() != 0.0;
    case 4:
      return !str().empty();
    case 5:
      return !list().empty();
    case 6:
      return !map().empty();
    default:
      return true;
  }
}

const Value* Value::find(std::string_view key) const {
  if (is_map()) return map().find(key);
  if (is_list()) {
    std::size_t i = 0;
    auto [p, ec] = std::from_chars(key.data(), key.data() + key.size(), i);
    if (ec != std::errc() || p != key.data() + key.size() || i >= list().size()) return nullptr;
    return &list()[i];
  }
  return nullptr;
}

Value mark_safe(std::string s) { return Value::safe(std::move(s)); }

namespace {

class TextObject : public Object {
 public:
  TextObject(std::string text, Map attributes)
      : text_(std::move(text)), attributes_(std::move(attributes)) {}
  std::optional<Value> lookup(std::string_view key) const override {
    if (const Value* found = attributes_.find(key)) return *found;
    return std::nullopt;
  }
  std::string str() const override { return text_; }

 private:
  std::string text_;
  Map attributes_;
};

}  // namespace

Value text_object(std::string text, Map attributes) {
  return Value(std::shared_ptr<const Object>(
      std::make_shared<TextObject>(std::move(text), std::move(attributes))));
}

std::string python_float_repr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
  bool negative = sci.front() == '-';
  if (negative) sci.remove_prefix(1);
  std::size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e))
    if (c != '.') digits.push_back(c);
  int exp10 = std::atoi(std::string(sci.substr(e + 1)).c_str());
  int decpt = exp10 + 1;  // value = 0.DIGITS * 10^decpt
  std::string out = negative ? "-" : "";
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      out += "0.";
      out.append(static_cast<std::size_t>(-decpt), '0');
      out += digits;
    } else if (static_cast<std::size_t>(decpt) >= digits.size()) {
      out += digits;
      out.append(static_cast<std::size_t>(decpt) - digits.size(), '0');
      out += ".0";
    } else {
      out += digits.substr(0, static_cast<std::size_t>(decpt));
      out += '.';
      out += digits.substr(static_cast<std::size_t>(decpt));
    }
  } else {
    out += digits[0];
    if (digits.size() > 1) {
      out += '.';
      out += digits.substr(1);
    }
    char ebuf[16];
    std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
    out += ebuf;
  }
  return out;
}

namespace {

void append_string_repr(std::string_view s, std::string& out) {
  char quote = (s.find('\'') != std::string_view::npos && s.find('"') == std::string_view::npos)
                   ? '"'
                   : '\'';
  out.push_back(quote);
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == quote || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  out.push_back(quote);
}

void append_datetime_str(const DateTime& dt, std::string& out) {
  std::int64_t days = dt.epoch_seconds / 86400, secs = dt.epoch_seconds % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  std::int64_t y;
  unsigned m, d;
  text::civil_from_days(days, y, m, d);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02lld:%02lld:%02lld", static_cast<long long>(y),
                m, d, static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                static_cast<long long>(secs % 60));
  out += buf;
  if (dt.microseconds) {
    std::snprintf(buf, sizeof buf, ".%06d", dt.microseconds);
    out += buf;
  }
  out += "+00:00";
}

}  // namespace

void append_python_repr(const Value& value, std::string& out) {
  if (value.is_string()) {
    append_string_repr(value.str(), out);
  } else if (value.is_datetime()) {
    out += "datetime.datetime(";
    std::string s;
    append_datetime_str(value.datetime(), s);
    out += s;  // approximation: Python prints the constructor form
    out += ")";
  } else {
    append_python_str(value, out);
  }
}

void append_python_str(const Value& value, std::string& out) {
  switch (value.kind()) {
    case Value::Kind::kNull:
      out += "None";
      break;
    case Value::Kind::kBool:
      out += value.as_bool() ? "True" : "False";
      break;
    case Value::Kind::kInt: {
      char buf[24];
      auto res = std::to_chars(buf, buf + sizeof buf, value.as_int());
      out.append(buf, res.ptr);
      break;
    }
    case Value::Kind::kDouble:
      out += python_float_repr(value.as_double());
      break;
    case Value::Kind::kString:
    case Value::Kind::kSafeString:
      out += value.str();
      break;
    case Value::Kind::kList: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : value.list()) {
        if (!first) out += ", ";
        first = false;
        append_python_repr(item, out);
      }
      out.push_back(']');
      break;
    }
    case Value::Kind::kMap: {
      out.push_back('{');
      bool first = true;
      for (const auto& [k, v] : value.map().entries()) {
        if (!first) out += ", ";
        first = false;
        append_string_repr(k, out);
        out += ": ";
        append_python_repr(v, out);
      }
      out.push_back('}');
      break;
    }
    case Value::Kind::kObject:
      out += value.object().str();
      break;
    case Value::Kind::kDateTime:
      append_datetime_str(value.datetime(), out);
      break;
  }
}

std::string to_python_str(const Value& value) {
  if (value.is_string()) return value.str();
  std::string out;
  append_python_str(value, out);
  return out;
}

namespace {

double as_number(const Value& v) {
  if (v.is_bool()) return v.as_bool() ? 1 : 0;
  if (v.is_int()) return static_cast<double>(v.as_int());
  return v.as_double();
}

std::int64_t as_integer(const Value& v) { return v.is_bool() ? (v.as_bool() ? 1 : 0) : v.as_int(); }

}  // namespace

bool python_equal(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (!a.is_double() && !b.is_double()) return as_integer(a) == as_integer(b);
    return as_number(a) == as_number(b);
  }
  if (a.is_null() || b.is_null()) return a.is_null() && b.is_null();
  if (a.is_string() && b.is_string()) return a.str() == b.str();
  if (a.is_list() && b.is_list()) {
    const auto& x = a.list();
    const auto& y = b.list();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (!python_equal(x[i], y[i])) return false;
    return true;
  }
  if (a.is_map() && b.is_map()) {
    if (a.map().size() != b.map().size()) return false;
    for (const auto& [k, v] : a.map().entries()) {
      const Value* other = b.map().find(k);
      if (!other || !python_equal(v, *other)) return false;
    }
    return true;
  }
  if (a.is_datetime() && b.is_datetime()) return a.datetime() == b.datetime();
  if (a.is_object() && b.is_object()) return &a.object() == &b.object();
  return false;
}

std::optional<bool> python_less(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (!a.is_double() && !b.is_double()) return as_integer(a) < as_integer(b);
    return as_number(a) < as_number(b);
  }
  if (a.is_string() && b.is_string()) return a.str() < b.str();
  if (a.is_datetime() && b.is_datetime()) {
    const auto& x = a.datetime();
    const auto& y = b.datetime();
    return x.epoch_seconds < y.epoch_seconds ||
           (x.epoch_seconds == y.epoch_seconds && x.microseconds < y.microseconds);
  }
  if (a.is_list() && b.is_list()) {
    const auto& x = a.list();
    const auto& y = b.list();
    for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
      if (python_equal(x[i], y[i])) continue;
      return python_less(x[i], y[i]);
    }
    return x.size() < y.size();
  }
  return std::nullopt;
}

std::optional<bool> python_contains(const Value& haystack, const Value& needle) {
  if (haystack.is_string()) {
    if (!needle.is_string()) return std::nullopt;
    return haystack.str().find(needle.str()) != std::string::npos;
  }
  if (haystack.is_list()) {
    for (const auto& item : haystack.list())
      if (python_equal(item, needle)) return true;
    return false;
  }
  if (haystack.is_map()) {
    if (needle.is_list() || needle.is_map()) return std::nullopt;  // unhashable
    if (!needle.is_string()) return false;
    return haystack.map().find(needle.str()) != nullptr;
  }
  return std::nullopt;
}

}  // namespace templates
