// Logic and sequence filters: default, default_if_none, length, first, last, join, slice, yesno,
// pluralize.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "templates/error.hpp"
#include "templates/filter_support.hpp"
#include "templates/text.hpp"

namespace templates::detail {
namespace {

// The most `join` makes of one string's characters (Django sets no bound).
constexpr std::size_t kMaxJoinBytes = std::size_t{16} << 20;

}  // namespace

Value default_filter(const Value& in, const Value* arg, bool) { return in.truthy() ? in : *arg; }

Value default_if_none_filter(const Value& in, const Value* arg, bool) {
  return in.is_null() ? *arg : in;
}

Value length_filter(const Value& in, const Value*, bool) {
  if (in.is_string()) return Value(static_cast<std::int64_t>(text::utf8_length(in.str())));
  if (in.is_list()) return Value(static_cast<std::int64_t>(in.list().size()));
  if (in.is_map()) return Value(static_cast<std::int64_t>(in.map().size()));
  return Value(0);
}

Value first_filter(const Value& in, const Value*, bool) {
  if (in.is_list()) return in.list().empty() ? Value("") : in.list().front();
  if (in.is_string()) {
    const std::string& s = in.str();
    if (s.empty()) return Value("");
    return Value(s.substr(0, text::utf8_char_size(static_cast<unsigned char>(s[0]))));
  }
  return Value("");
}

Value last_filter(const Value& in, const Value*, bool) {
  if (in.is_list()) return in.list().empty() ? Value("") : in.list().back();
  if (in.is_string()) {
    const std::string& s = in.str();
    if (s.empty()) return Value("");
    std::size_t n = text::utf8_length(s);
    return Value(s.substr(text::utf8_offset(s, n - 1)));
  }
  return Value("");
}

Value join_filter(const Value& in, const Value* arg, bool autoescape) {
  std::vector<Value> items;
  if (in.is_list()) {
    items = in.list();
  } else if (in.is_string()) {
    // A string joins its characters, as in Python: each join multiplies the length by the
    // separator's, so a chain of them grows exponentially. Past kMaxJoinBytes (escaping can
    // make a character six bytes) it is an error rather than a full memory.
    const std::string& s = in.str();
    const std::size_t separator = conditional_escape(*arg).str().size();
    if (s.size() > kMaxJoinBytes / (6 + separator))
      throw Error("join: the result would be over " + std::to_string(kMaxJoinBytes >> 20) +
                  " MiB (joining the characters of a string of " + std::to_string(s.size()) +
                  " bytes)");
    items = python_characters(s);
  } else {
    return in;
  }
  std::string out;
  Value sep = conditional_escape(*arg);
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep.str();
    if (autoescape) {
      out += conditional_escape(items[i]).str();
    } else {
      if (!items[i].is_string()) return in;  // ''.join() of non-strings raises TypeError
      out += items[i].str();
    }
  }
  return mark_safe(std::move(out));
}

Value slice_filter(const Value& in, const Value* arg, bool) {
  std::string storage;
  const std::string& spec = arg_string(arg, storage);
  std::array<std::optional<std::int64_t>, 3> bits;
  std::size_t count = 0, start = 0;
  while (true) {
    std::size_t colon = spec.find(':', start);
    std::string part =
        spec.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    if (count >= 3) return in;
    if (!part.empty()) {
      auto n = python_int(Value(part));
      if (!n) return in;
      bits[count] = n;
    }
    ++count;
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  std::optional<std::int64_t> lo, hi, step;
  if (count == 1)
    hi = bits[0];
  else {
    lo = bits[0];
    hi = bits[1];
    step = bits[2];
  }
  std::int64_t st = step.value_or(1);
  if (st == 0) return in;
  std::int64_t len;
  std::vector<std::size_t> offsets;  // code point offsets for strings
  if (in.is_list()) {
    len = static_cast<std::int64_t>(in.list().size());
  } else if (in.is_string()) {
    const std::string& s = in.str();
    for (std::size_t i = 0; i < s.size();
         i += text::utf8_char_size(static_cast<unsigned char>(s[i])))
      offsets.push_back(i);
    offsets.push_back(s.size());
    len = static_cast<std::int64_t>(offsets.size()) - 1;
  } else {
    return in;
  }
  auto clamp = [&](std::optional<std::int64_t> v, std::int64_t dflt) {
    if (!v) return dflt;
    std::int64_t x = *v;
    if (x < 0) x += len;
    if (st > 0) return std::clamp<std::int64_t>(x, 0, len);
    return std::clamp<std::int64_t>(x, -1, len - 1);
  };
  std::int64_t a = clamp(lo, st > 0 ? 0 : len - 1);
  std::int64_t b = clamp(hi, st > 0 ? len : -1);
  std::vector<std::int64_t> idx;
  for (std::int64_t i = a; st > 0 ? i < b : i > b; i += st) idx.push_back(i);
  if (in.is_list()) {
    Value::List out;
    for (auto i : idx) out.push_back(in.list()[static_cast<std::size_t>(i)]);
    return Value(std::move(out));
  }
  std::string out;
  const std::string& s = in.str();
  for (auto i : idx) {
    auto k = static_cast<std::size_t>(i);
    out.append(s, offsets[k], offsets[k + 1] - offsets[k]);
  }
  return Value(std::move(out));
}

Value yesno_filter(const Value& in, const Value* arg, bool) {
  std::string storage = "yes,no,maybe";
  std::string spec = arg ? arg_string(arg, storage) : storage;
  std::vector<std::string> bits;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = spec.find(',', start);
    bits.push_back(
        spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (bits.size() < 2) return in;
  // Unpacking anything but three bits fails in Python: then maybe = no.
  std::string yes = bits[0], no = bits[1], maybe = bits.size() == 3 ? bits[2] : bits[1];
  if (in.is_null()) return Value(maybe);
  return Value(in.truthy() ? yes : no);
}

Value pluralize_filter(const Value& in, const Value* arg, bool) {
  std::string storage = "s";
  std::string spec = arg ? arg_string(arg, storage) : storage;
  if (spec.find(',') == std::string::npos) spec = "," + spec;
  std::size_t comma = spec.find(',');
  if (spec.find(',', comma + 1) != std::string::npos) return Value("");
  std::string singular = spec.substr(0, comma), plural = spec.substr(comma + 1);
  if (in.is_number() || in.is_string()) {
    auto f = python_float(in);
    if (!f) return Value("");
    return Value(*f == 1 ? singular : plural);
  }
  if (in.is_list()) return Value(in.list().size() == 1 ? singular : plural);
  if (in.is_map()) return Value(in.map().size() == 1 ? singular : plural);
  return Value("");
}

}  // namespace templates::detail
