#include "templates/expression.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "templates/date_format.hpp"
#include "templates/error.hpp"
#include "templates/filters.hpp"
#include "templates/text.hpp"

namespace templates::detail {
namespace {

// Length of a quoted string starting at s[pos] ("..." or '...', backslash escapes), or 0.
std::size_t quoted_length(std::string_view s, std::size_t pos) {
  if (pos >= s.size() || (s[pos] != '"' && s[pos] != '\'')) return 0;
  char quote = s[pos];
  for (std::size_t i = pos + 1; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == quote) {
      return i + 1 - pos;
    }
  }
  return 0;
}

// Length of a constant (quoted string, optionally wrapped in _( )) at s[pos], or 0.
std::size_t constant_length(std::string_view s, std::size_t pos) {
  if (s.substr(pos, 2) == "_(") {
    std::size_t q = quoted_length(s, pos + 2);
    if (q && pos + 2 + q < s.size() && s[pos + 2 + q] == ')') return q + 3;
    return 0;
  }
  return quoted_length(s, pos);
}

// [\w.]+ | [-+.]?\d[\d.e]*
std::size_t var_length(std::string_view s, std::size_t pos) {
  std::size_t i = pos;
  while (i < s.size() && (text::is_word(s[i]) || s[i] == '.')) ++i;
  if (i > pos) return i - pos;
  i = pos;
  if (i < s.size() && (s[i] == '-' || s[i] == '+' || s[i] == '.')) ++i;
  if (i >= s.size() || s[i] < '0' || s[i] > '9') return 0;
  while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == 'e')) ++i;
  return i - pos;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Python float() syntax (without inf/nan/underscores).
bool parse_python_float(std::string_view s, double& out) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++frac_digits;
  }
  if (int_digits + frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  if (i != s.size()) return false;
  std::string_view body = s;
  bool negative = body[0] == '-';
  if (body[0] == '+' || body[0] == '-') body.remove_prefix(1);
  auto ec = std::from_chars(body.data(), body.data() + body.size(), out).ec;
  if (ec == std::errc::result_out_of_range)
    out = std::strtod(std::string(body).c_str(), nullptr);  // inf or 0
  if (negative) out = -out;
  return true;
}

bool parse_python_int(std::string_view s, std::int64_t& out) {
  std::string_view digits = s;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty()) return false;
  for (char c : digits)
    if (!is_digit(c)) return false;
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc()) return false;
  out = negative ? -v : v;
  return true;
}

// Python-ish attribute lookups Django templates commonly use on built-in types.
bool lookup_builtin_attribute(const Value& current, std::string_view bit, Value& scratch) {
  if (current.is_map()) {
    const auto& map = current.map();
    if (bit == "items" || bit == "keys" || bit == "values") {
      Value::List list;
      list.reserve(map.size());
      for (const auto& [k, v] : map.entries()) {
        if (bit == "items")
          list.emplace_back(Value::List{Value(k), v});
        else if (bit == "keys")
          list.emplace_back(k);
        else
          list.push_back(v);
      }
      scratch = Value(std::move(list));
      return true;
    }
    return false;
  }
  if (current.is_string()) {
    if (bit == "upper")
      scratch = Value(text::to_upper(current.str()));
    else if (bit == "lower")
      scratch = Value(text::to_lower(current.str()));
    else if (bit == "strip")
      scratch = Value(std::string(text::strip(current.str())));
    else
      return false;
    return true;
  }
  if (current.is_datetime()) {
    const auto& dt = current.datetime();
    std::int64_t days = dt.epoch_seconds / 86400, secs = dt.epoch_seconds % 86400;
    if (secs < 0) secs += 86400, --days;
    std::int64_t y;
    unsigned m, d;
    text::civil_from_days(days, y, m, d);
    if (bit == "year")
      scratch = Value(y);
    else if (bit == "month")
      scratch = Value(m);
    else if (bit == "day")
      scratch = Value(d);
    else if (bit == "hour")
      scratch = Value(secs / 3600);
    else if (bit == "minute")
      scratch = Value(secs / 60 % 60);
    else if (bit == "second")
      scratch = Value(secs % 60);
    else if (bit == "microsecond")
      scratch = Value(dt.microseconds);
    else
      return false;
    return true;
  }
  return false;
}

}  // namespace

bool parse_string_literal(std::string_view token, std::string& out) {
  std::size_t len = constant_length(token, 0);
  if (len == 0 || len != token.size()) return false;
  std::string_view inner = token.substr(0, 2) == "_(" ? token.substr(3, token.size() - 5)
                                                      : token.substr(1, token.size() - 2);
  char quote = token.substr(0, 2) == "_(" ? token[2] : token[0];
  // unescape_string_literal: replace \<quote> with <quote>, then \\ with \.
  std::string first;
  for (std::size_t i = 0; i < inner.size(); ++i) {
    if (inner[i] == '\\' && i + 1 < inner.size() && inner[i + 1] == quote) {
      first += quote;
      ++i;
    } else {
      first += inner[i];
    }
  }
  out.clear();
  for (std::size_t i = 0; i < first.size(); ++i) {
    if (first[i] == '\\' && i + 1 < first.size() && first[i + 1] == '\\') {
      out += '\\';
      ++i;
    } else {
      out += first[i];
    }
  }
  return true;
}

Variable Variable::parse(std::string_view token) {
  Variable v;
  v.text = std::string(token);
  if (token.size() > 3 && token.substr(0, 2) == "_(" && token.back() == ')') {
    v = parse(token.substr(2, token.size() - 3));
    v.text = std::string(token);
    v.translate = true;
    return v;
  }
  double d;
  std::int64_t i;
  std::string s;
  bool floaty = token.find('.') != std::string_view::npos ||
                token.find('e') != std::string_view::npos ||
                token.find('E') != std::string_view::npos;
  if (floaty && token.back() != '.' && parse_python_float(token, d)) {
    v.is_literal = true;
    v.literal = Value(d);
  } else if (!floaty && parse_python_int(token, i)) {
    v.is_literal = true;
    v.literal = Value(i);
  } else if (parse_string_literal(token, s)) {
    v.is_literal = true;
    v.literal = mark_safe(std::move(s));
  } else {
    if (token.empty() || token[0] == '_' || token.find("._") != std::string_view::npos)
      throw Error("Variables and attributes may not begin with underscores: '" +
                  std::string(token) + "'");
    std::size_t start = 0;
    while (true) {
      std::size_t dot = token.find('.', start);
      v.lookups.emplace_back(token.substr(
          start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
  }
  return v;
}

const Value* Variable::resolve(const RenderState& state, Value& scratch) const {
  if (!translate) return lookup(state, scratch);
  Value inner_scratch;
  const Value* value = lookup(state, inner_scratch);
  if (!value) return nullptr;
  if (!value->is_string())
    throw Error("'" + to_python_str(*value) + "' cannot be translated: it is not a string");
  std::string doubled;
  for (char c : value->str()) {
    doubled.push_back(c);
    if (c == '%') doubled.push_back('%');
  }
  scratch = value->is_safe() ? mark_safe(std::move(doubled)) : Value(std::move(doubled));
  return &scratch;
}

const Value* Variable::lookup(const RenderState& state, Value& scratch) const {
  if (is_literal) return &literal;
  const Value* current = state.find(lookups[0]);
  if (!current) return nullptr;
  for (std::size_t n = 1; n < lookups.size(); ++n) {
    const std::string& bit = lookups[n];
    if (current->is_map()) {
      if (const Value* found = current->map().find(bit)) {
        current = found;
        continue;
      }
    } else if (current->is_object()) {
      auto found = current->object().lookup(bit);
      if (!found) return nullptr;
      scratch = std::move(*found);
      current = &scratch;
      continue;
    }
    Value attr;
    if (lookup_builtin_attribute(*current, bit, attr)) {
      scratch = std::move(attr);
      current = &scratch;
      continue;
    }
    std::int64_t index;
    if (!parse_python_int(bit, index)) return nullptr;
    if (current->is_list()) {
      const auto& list = current->list();
      if (index < 0) index += static_cast<std::int64_t>(list.size());
      if (index < 0 || index >= static_cast<std::int64_t>(list.size())) return nullptr;
      current = &list[static_cast<std::size_t>(index)];
    } else if (current->is_string()) {
      const std::string& s = current->str();
      auto len = static_cast<std::int64_t>(text::utf8_length(s));
      if (index < 0) index += len;
      if (index < 0 || index >= len) return nullptr;
      std::size_t from = text::utf8_offset(s, static_cast<std::size_t>(index));
      Value ch(s.substr(from, text::utf8_char_size(static_cast<unsigned char>(s[from]))));
      scratch = std::move(ch);
      current = &scratch;
    } else {
      return nullptr;
    }
  }
  return current;
}

FilterExpression FilterExpression::parse(std::string_view token, const FilterLookup& lookup) {
  FilterExpression fe;
  fe.text = std::string(token);
  auto remainder_error = [&](std::size_t pos) {
    return Error("Could not parse the remainder: '" + std::string(token.substr(pos)) + "' from '" +
                 std::string(token) + "'");
  };
  std::size_t pos = 0;
  std::size_t len = constant_length(token, 0);
  if (len == 0) len = var_length(token, 0);
  if (len == 0) throw Error("Could not find variable at start of " + std::string(token) + ".");
  fe.var = Variable::parse(token.substr(0, len));
  pos = len;
  while (pos < token.size()) {
    std::size_t p = pos;
    while (p < token.size() && text::is_space(token[p])) ++p;
    if (p >= token.size() || token[p] != '|') throw remainder_error(pos);
    ++p;
    while (p < token.size() && text::is_space(token[p])) ++p;
    std::size_t name_start = p;
    while (p < token.size() && text::is_word(token[p])) ++p;
    if (p == name_start) throw remainder_error(pos);
    std::string_view name = token.substr(name_start, p - name_start);
    FilterCall call;
    if (p < token.size() && token[p] == ':') {
      std::size_t arg_len = constant_length(token, p + 1);
      if (arg_len == 0) arg_len = var_length(token, p + 1);
      if (arg_len > 0) {
        call.has_arg = true;
        call.arg = Variable::parse(token.substr(p + 1, arg_len));
        p += 1 + arg_len;
      }
    }
    call.def = lookup ? lookup(name) : nullptr;
    if (!call.def) call.def = find_filter(name);
    if (!call.def) throw Error("Invalid filter: '" + std::string(name) + "'");
    int provided = call.has_arg ? 1 : 0;
    if (provided < call.def->min_args || provided > call.def->max_args)
      throw Error(std::string(name) + " requires " + std::to_string(call.def->min_args + 1) +
                  " arguments, " + std::to_string(provided + 1) + " provided");
    fe.filters.push_back(std::move(call));
    pos = p;
  }
  return fe;
}

const Value* FilterExpression::resolve(RenderState& state, Value& scratch,
                                       bool ignore_failures) const {
  const Value* current = var.resolve(state, scratch);
  if (!current) {
    scratch = ignore_failures ? Value() : Value(std::string());
    current = &scratch;
  }
  for (const auto& call : filters) {
    Value arg_scratch;
    const Value* arg = nullptr;
    if (call.has_arg) {
      arg = call.arg.resolve(state, arg_scratch);
      if (!arg)
        throw VariableDoesNotExist("Failed lookup for key [" + call.arg.text +
                                   "] (VariableDoesNotExist)");
    }
    const FilterDef& def = *call.def;
    bool input_safe = current->is_safe();
    Value result;
    if (def.string_input && !current->is_string()) {
      Value as_string(to_python_str(*current));
      result = def.call(as_string, arg, state.autoescape);
    } else {
      result = def.call(*current, arg, state.autoescape);
    }
    if (def.is_safe && input_safe && !result.is_safe()) result = mark_safe(to_python_str(result));
    scratch = std::move(result);
    current = &scratch;
  }
  return current;
}

Value FilterExpression::resolve_value(RenderState& state, bool ignore_failures) const {
  Value scratch;
  const Value* v = resolve(state, scratch, ignore_failures);
  return v == &scratch ? std::move(scratch) : *v;
}

namespace {

// numberformat.format() of a float with USE_L10N off: repr digits, never an exponent.
void append_localized_float(double d, std::string& out) {
  std::string repr = python_float_repr(d);
  std::size_t e = repr.find('e');
  if (e == std::string::npos) {
    out += repr;
    return;
  }
  std::string mantissa = repr.substr(0, e);
  int exp10 = std::atoi(repr.c_str() + e + 1);
  bool negative = mantissa[0] == '-';
  if (negative) mantissa.erase(0, 1);
  std::string digits;
  int int_len = 0;
  for (char c : mantissa) {
    if (c == '.') continue;
    digits += c;
  }
  int_len = 1 + exp10;  // digits[0] is the units digit before shifting
  if (negative) out += '-';
  if (int_len <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-int_len), '0');
    out += digits;
  } else if (static_cast<std::size_t>(int_len) >= digits.size()) {
    out += digits;
    out.append(static_cast<std::size_t>(int_len) - digits.size(), '0');
  } else {
    out += digits.substr(0, static_cast<std::size_t>(int_len));
    out += '.';
    out += digits.substr(static_cast<std::size_t>(int_len));
  }
}

}  // namespace

void append_rendered(const Value& value, bool autoescape, std::string& out) {
  if (value.is_string()) {
    if (autoescape && !value.is_safe())
      text::append_escaped(value.str(), out);
    else
      out += value.str();
    return;
  }
  if (value.is_double()) {
    append_localized_float(value.as_double(), out);
    return;
  }
  if (value.is_int() || value.is_bool() || value.is_null()) {
    append_python_str(value, out);
    return;
  }
  std::string s =
      value.is_datetime() ? format_date(value.datetime(), kDateTimeFormat) : to_python_str(value);
  if (autoescape)
    text::append_escaped(s, out);
  else
    out += s;
}

}  // namespace templates::detail
