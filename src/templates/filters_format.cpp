// Filters that format: stringformat (Python's printf-style % operator, written here because no
// C++ library implements Python's rules), wordwrap (Python's textwrap.TextWrapper as Django 3.2.25
// uses it), json_script (json.dumps with DjangoJSONEncoder, then <, >, & escaped) and random.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "base/python_json.hpp"
#include "templates/error.hpp"
#include "templates/filter_support.hpp"
#include "templates/text.hpp"

namespace templates::detail {
namespace {

constexpr int kMaxFormatWidth = 1 << 20;  // wider is refused rather than allocated

struct Unconvertible {};  // Python's ValueError/TypeError: stringformat renders ''

struct Spec {
  std::string flags;
  int width = 0;
  int precision = -1;
  char conversion = 0;
};

std::size_t code_points(std::string_view s) { return text::utf8_length(s); }

std::string pad_text(std::string body, const Spec& spec) {
  const std::size_t length = code_points(body);
  if (spec.width <= 0 || length >= static_cast<std::size_t>(spec.width)) return body;
  const std::string fill(static_cast<std::size_t>(spec.width) - length, ' ');
  return spec.flags.find('-') != std::string::npos ? body + fill : fill + body;
}

// An integer conversion (d i u x X o) with Python's sign, prefix and zero padding.
std::string format_integer(std::int64_t value, const Spec& spec) {
  const bool negative = value < 0;
  const std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  char digits_buffer[32];
  const char* pattern = spec.conversion == 'x'   ? "%llx"
                        : spec.conversion == 'X' ? "%llX"
                        : spec.conversion == 'o' ? "%llo"
                                                 : "%llu";
  std::snprintf(digits_buffer, sizeof digits_buffer, pattern,
                static_cast<unsigned long long>(magnitude));
  std::string digits = digits_buffer;
  if (spec.precision > static_cast<int>(digits.size()))
    digits.insert(0, static_cast<std::size_t>(spec.precision) - digits.size(), '0');
  std::string prefix = negative                                    ? "-"
                       : spec.flags.find('+') != std::string::npos ? "+"
                       : spec.flags.find(' ') != std::string::npos ? " "
                                                                   : "";
  if (spec.flags.find('#') != std::string::npos) {
    if (spec.conversion == 'x') prefix += "0x";
    if (spec.conversion == 'X') prefix += "0X";
    if (spec.conversion == 'o') prefix += "0o";
  }
  const bool left = spec.flags.find('-') != std::string::npos;
  const std::size_t length = prefix.size() + digits.size();
  if (!left && spec.flags.find('0') != std::string::npos && spec.width > static_cast<int>(length))
    digits.insert(0, static_cast<std::size_t>(spec.width) - length, '0');
  Spec plain = spec;
  return pad_text(prefix + digits, plain);
}

std::string format_float(double value, const Spec& spec) {
  std::string pattern(1, '%');
  pattern += spec.flags;
  if (spec.width > 0) pattern += std::to_string(spec.width);
  if (spec.precision >= 0) {
    pattern.push_back('.');
    pattern += std::to_string(std::min(spec.precision, 400));
  }
  pattern.push_back(spec.conversion);
  const int size = std::snprintf(nullptr, 0, pattern.c_str(), value);
  std::string out(static_cast<std::size_t>(size) + 1, '\0');
  std::snprintf(out.data(), out.size(), pattern.c_str(), value);
  out.pop_back();
  return out;
}

std::string format_one(const Value& value, const Spec& spec) {
  switch (spec.conversion) {
    case 's':
    case 'r':
    case 'a': {
      std::string body;
      if (spec.conversion == 's')
        body = to_python_str(value);
      else
        append_python_repr(value, body);
      if (spec.precision >= 0 && code_points(body) > static_cast<std::size_t>(spec.precision))
        body.resize(text::utf8_offset(body, static_cast<std::size_t>(spec.precision)));
      return pad_text(std::move(body), spec);
    }
    case 'd':
    case 'i':
    case 'u': {
      if (value.is_double()) {
        if (std::isnan(value.as_double())) throw Unconvertible{};
        if (!std::isfinite(value.as_double()) || std::fabs(value.as_double()) >= 9.2e18)
          throw Error("stringformat: cannot convert float infinity to integer");
      } else if (!value.is_int() && !value.is_bool()) {
        throw Unconvertible{};
      }
      return format_integer(*python_int(value), spec);
    }
    case 'x':
    case 'X':
    case 'o':
      if (!value.is_int() && !value.is_bool()) throw Unconvertible{};
      return format_integer(*python_int(value), spec);
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
      if (!value.is_int() && !value.is_bool() && !value.is_double()) throw Unconvertible{};
      return format_float(*python_float(value), spec);
    case 'c': {
      if (value.is_string() && code_points(value.str()) == 1) return pad_text(value.str(), spec);
      if (!value.is_int() && !value.is_bool()) throw Unconvertible{};
      const std::int64_t c = *python_int(value);
      if (c < 0 || c > 0x10FFFF) throw Error("stringformat: %c arg not in range(0x110000)");
      std::string encoded;
      const auto u = static_cast<std::uint32_t>(c);
      if (u < 0x80) {
        encoded.push_back(static_cast<char>(u));
      } else if (u < 0x800) {
        encoded += {static_cast<char>(0xC0 | (u >> 6)), static_cast<char>(0x80 | (u & 0x3F))};
      } else if (u < 0x10000) {
        encoded +=
            {static_cast<char>(0xE0 | (u >> 12)), static_cast<char>(0x80 | ((u >> 6) & 0x3F)),
             static_cast<char>(0x80 | (u & 0x3F))};
      } else {
        encoded +=
            {static_cast<char>(0xF0 | (u >> 18)), static_cast<char>(0x80 | ((u >> 12) & 0x3F)),
             static_cast<char>(0x80 | ((u >> 6) & 0x3F)), static_cast<char>(0x80 | (u & 0x3F))};
      }
      return pad_text(std::move(encoded), spec);
    }
    default:
      throw Unconvertible{};  // ValueError: unsupported format character
  }
}

// Python's `format % value` for one value that is not a tuple.
std::string percent_format(std::string_view format, const Value& value) {
  std::string out;
  int used = 0;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      out.push_back(format[i]);
      continue;
    }
    if (++i >= format.size()) throw Unconvertible{};  // "incomplete format"
    if (format[i] == '%') {
      out.push_back('%');
      continue;
    }
    const Value* argument = &value;
    Value keyed;
    if (format[i] == '(') {
      const std::size_t close = format.find(')', i);
      if (close == std::string_view::npos || !value.is_map()) throw Unconvertible{};
      const Value* found = value.map().find(format.substr(i + 1, close - i - 1));
      if (!found) throw Error("stringformat: KeyError");
      keyed = *found;
      argument = &keyed;
      i = close + 1;
    } else if (used++ > 0) {
      throw Unconvertible{};  // not enough arguments
    }
    Spec spec;
    while (i < format.size() && std::string_view("#0- +").find(format[i]) != std::string_view::npos)
      spec.flags.push_back(format[i++]);
    if (i < format.size() && format[i] == '*') throw Unconvertible{};
    while (i < format.size() && format[i] >= '0' && format[i] <= '9') {
      spec.width = spec.width * 10 + (format[i++] - '0');
      if (spec.width > kMaxFormatWidth) throw Error("stringformat: the width is too large");
    }
    if (i < format.size() && format[i] == '.') {
      spec.precision = 0;
      ++i;
      if (i < format.size() && format[i] == '*') throw Unconvertible{};
      while (i < format.size() && format[i] >= '0' && format[i] <= '9') {
        spec.precision = spec.precision * 10 + (format[i++] - '0');
        if (spec.precision > kMaxFormatWidth)
          throw Error("stringformat: the precision is too large");
      }
    }
    while (i < format.size() && (format[i] == 'h' || format[i] == 'l' || format[i] == 'L')) ++i;
    if (i >= format.size()) throw Unconvertible{};
    spec.conversion = format[i];
    out += format_one(*argument, spec);
  }
  if (used == 0 && !value.is_map()) throw Unconvertible{};  // not all arguments converted
  return out;
}

// Python's str.splitlines(True): the line boundaries it knows, each kept with its line.
std::vector<std::string_view> split_lines_keep_ends(std::string_view s) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t boundary = 0;
    const char c = s[i];
    if (c == '\r') {
      boundary = i + 1 < s.size() && s[i + 1] == '\n' ? 2 : 1;
    } else if (c == '\n' || c == '\x0b' || c == '\x0c' || (c >= '\x1c' && c <= '\x1e')) {
      boundary = 1;
    } else if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\x85') {
      boundary = 2;
    } else if (c == '\xE2' && i + 2 < s.size() && s[i + 1] == '\x80' &&
               (s[i + 2] == '\xA8' || s[i + 2] == '\xA9')) {
      boundary = 3;
    }
    if (boundary) {
      lines.push_back(s.substr(start, i + boundary - start));
      i += boundary;
      start = i;
    } else {
      ++i;
    }
  }
  if (start < s.size()) lines.push_back(s.substr(start));
  return lines;
}

// textwrap.TextWrapper(width, break_long_words=False, break_on_hyphens=False).wrap(line).
void wrap_line(std::string_view line, std::size_t width, std::vector<std::string>& result) {
  // expandtabs(8), then each of \t \n \v \f \r becomes a space.
  std::string munged;
  std::size_t column = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '\t') {
      const std::size_t spaces = 8 - column % 8;
      munged.append(spaces, ' ');
      column += spaces;
      continue;
    }
    if (c == '\n' || c == '\r')
      column = 0;
    else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
      ++column;
    munged.push_back(c == '\n' || c == '\x0b' || c == '\x0c' || c == '\r' ? ' ' : c);
  }
  // Chunks: runs of spaces and runs of everything else.
  std::vector<std::string_view> chunks;
  const std::string_view text = munged;
  for (std::size_t i = 0; i < text.size();) {
    const bool space = text[i] == ' ';
    std::size_t j = i;
    while (j < text.size() && (text[j] == ' ') == space) ++j;
    chunks.push_back(text.substr(i, j - i));
    i = j;
  }
  std::reverse(chunks.begin(), chunks.end());
  const auto is_blank = [](std::string_view chunk) {
    return chunk.find_first_not_of(' ') == std::string_view::npos;
  };
  bool first_line = true;
  while (!chunks.empty()) {
    std::vector<std::string_view> current;
    std::size_t current_length = 0;
    if (!first_line && is_blank(chunks.back())) chunks.pop_back();
    while (!chunks.empty()) {
      const std::size_t length = code_points(chunks.back());
      if (current_length + length > width) break;
      current.push_back(chunks.back());
      current_length += length;
      chunks.pop_back();
    }
    if (!chunks.empty() && code_points(chunks.back()) > width && current.empty()) {
      current.push_back(chunks.back());  // a long word stays whole
      chunks.pop_back();
    }
    if (!current.empty() && is_blank(current.back())) current.pop_back();
    if (!current.empty()) {
      std::string joined;
      for (std::string_view chunk : current) joined += chunk;
      result.push_back(std::move(joined));
      first_line = false;
    }
  }
}

void append_json_string(std::string_view s, std::string& out) { out += base::python_json_quote(s); }

void append_json(const Value& value, std::string& out, int depth) {
  if (depth > 100) throw Error("json_script: nested more than 100 deep");
  if (value.is_null()) {
    out += "null";
  } else if (value.is_bool()) {
    out += value.as_bool() ? "true" : "false";
  } else if (value.is_int()) {
    out += std::to_string(value.as_int());
  } else if (value.is_double()) {
    const double d = value.as_double();
    out += std::isnan(d)   ? "NaN"
           : std::isinf(d) ? (d > 0 ? "Infinity" : "-Infinity")
                           : python_float_repr(d);
  } else if (value.is_string()) {
    append_json_string(value.str(), out);
  } else if (value.is_list()) {
    out.push_back('[');
    bool first = true;
    for (const Value& item : value.list()) {
      if (!first) out += ", ";
      first = false;
      append_json(item, out, depth + 1);
    }
    out.push_back(']');
  } else if (value.is_map()) {
    out.push_back('{');
    bool first = true;
    for (const auto& [key, item] : value.map().entries()) {
      if (!first) out += ", ";
      first = false;
      append_json_string(key, out);
      out += ": ";
      append_json(item, out, depth + 1);
    }
    out.push_back('}');
  } else if (value.is_datetime()) {
    // DjangoJSONEncoder: isoformat, microseconds cut to milliseconds, UTC as "Z".
    const DateTime& dt = value.datetime();
    const std::int64_t days =
        dt.epoch_seconds >= 0 ? dt.epoch_seconds / 86400 : -((-dt.epoch_seconds + 86399) / 86400);
    const std::int64_t seconds = dt.epoch_seconds - days * 86400;
    std::int64_t y = 0;
    unsigned m = 0, d = 0;
    text::civil_from_days(days, y, m, d);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "\"%04lld-%02u-%02uT%02lld:%02lld:%02lld",
                  static_cast<long long>(y), m, d, static_cast<long long>(seconds / 3600),
                  static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
    out += buffer;
    if (dt.microseconds) {
      std::snprintf(buffer, sizeof buffer, ".%03d", dt.microseconds / 1000);
      out += buffer;
    }
    out += "Z\"";
  } else if (value.is_object() && value.object().unpack()) {
    append_json(Value(*value.object().unpack()), out, depth);  // a named tuple is an array
  } else {
    throw Error("json_script: Object of type " + to_python_str(value) +
                " is not JSON serializable");
  }
}

}  // namespace

Value stringformat_filter(const Value& in, const Value* arg, bool) {
  std::string storage;
  try {
    return Value(percent_format("%" + arg_string(arg, storage), in));
  } catch (const Unconvertible&) {
    return Value("");
  }
}

Value wordwrap_filter(const Value& in, const Value* arg, bool) {
  const auto width = python_int(*arg);
  if (!width) throw Error("wordwrap: the width must be an integer");
  if (*width <= 0)
    throw Error("wordwrap: invalid width " + std::to_string(*width) + " (must be > 0)");
  std::vector<std::string> lines;
  for (std::string_view line : split_lines_keep_ends(in.str()))
    wrap_line(line, static_cast<std::size_t>(*width), lines);
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i) out.push_back('\n');
    out += lines[i];
  }
  return Value(std::move(out));
}

Value json_script_filter(const Value& in, const Value* arg, bool) {
  std::string json;
  append_json(in, json, 0);
  std::string escaped;
  for (char c : json) {
    if (c == '<')
      escaped += "\\u003C";
    else if (c == '>')
      escaped += "\\u003E";
    else if (c == '&')
      escaped += "\\u0026";
    else
      escaped.push_back(c);
  }
  std::string out = "<script id=\"";
  out += conditional_escape(*arg).str();
  out += "\" type=\"application/json\">";
  out += escaped;
  out += "</script>";
  return mark_safe(std::move(out));
}

Value random_filter(const Value& in, const Value*, bool) {
  thread_local std::mt19937 engine{std::random_device{}()};
  if (in.is_list()) {
    if (in.list().empty()) throw Error("random: Cannot choose from an empty sequence");
    return in.list()[std::uniform_int_distribution<std::size_t>(0, in.list().size() - 1)(engine)];
  }
  if (in.is_string()) {
    const std::size_t n = code_points(in.str());
    if (n == 0) throw Error("random: Cannot choose from an empty sequence");
    const std::size_t k = std::uniform_int_distribution<std::size_t>(0, n - 1)(engine);
    const std::size_t from = text::utf8_offset(in.str(), k);
    return Value(in.str().substr(from, text::utf8_offset(in.str(), k + 1) - from));
  }
  throw Error("random: the value is not a sequence");
}

}  // namespace templates::detail
