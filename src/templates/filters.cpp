#include "templates/filters.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "templates/expression.hpp"
#include "templates/filter_support.hpp"
#include "templates/text.hpp"

namespace templates::detail {

// Python int(x) for the types templates see; nullopt where Python raises.
std::optional<std::int64_t> python_int(const Value& v) {
  if (v.is_bool()) return v.as_bool() ? 1 : 0;
  if (v.is_int()) return v.as_int();
  if (v.is_double()) {
    double d = v.as_double();
    if (!std::isfinite(d)) return std::nullopt;
    return static_cast<std::int64_t>(std::trunc(d));
  }
  if (v.is_string()) {
    std::string_view s = text::strip(v.str());
    if (!s.empty() && s[0] == '+') s.remove_prefix(1);
    if (s.empty() || s[0] == '+') return std::nullopt;
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;  // also out of range
    return n;
  }
  return std::nullopt;
}

// Python float(x); nullopt where Python raises.
std::optional<double> python_float(const Value& v) {
  if (v.is_bool()) return v.as_bool() ? 1.0 : 0.0;
  if (v.is_int()) return static_cast<double>(v.as_int());
  if (v.is_double()) return v.as_double();
  if (v.is_string()) {
    std::string lower = text::to_lower(text::strip(v.str()));
    std::string_view body = lower;
    bool negative = !body.empty() && body[0] == '-';
    if (!body.empty() && (body[0] == '+' || body[0] == '-')) body.remove_prefix(1);
    if (body == "inf" || body == "infinity") return negative ? -HUGE_VAL : HUGE_VAL;
    if (body == "nan") return std::nan("");
    if (body.empty() || body[0] == '+' || body[0] == '-') return std::nullopt;
    double d = 0;  // from_chars: locale-independent, like Python
    auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), d);
    if (end != body.data() + body.size()) return std::nullopt;
    if (ec == std::errc::result_out_of_range)
      d = std::strtod(std::string(body).c_str(), nullptr);
    else if (ec != std::errc())
      return std::nullopt;
    return negative ? -d : d;
  }
  return std::nullopt;
}

Value::List python_characters(const std::string& s) {
  Value::List characters;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n =
        std::min(text::utf8_char_size(static_cast<unsigned char>(s[i])), s.size() - i);
    characters.emplace_back(s.substr(i, n));
    i += n;
  }
  return characters;
}

bool python_items(const Value& value, Value::List& items) {
  if (value.is_list()) {
    items = value.list();
  } else if (value.is_string()) {
    items = python_characters(value.str());
  } else if (value.is_map()) {
    for (const auto& entry : value.map().entries()) items.emplace_back(entry.first);
  } else {
    return false;
  }
  return true;
}

const std::string& arg_string(const Value* arg, std::string& storage) {
  if (arg->is_string()) return arg->str();
  storage = to_python_str(*arg);
  return storage;
}

Value conditional_escape(const Value& v) {
  if (v.is_safe()) return v;
  return mark_safe(text::escape(to_python_str(v)));
}

namespace {

constexpr FilterDef kFilters[] = {
    {"add", 1, 1, false, false, add_filter},
    {"addslashes", 0, 0, true, true, addslashes_filter},
    {"capfirst", 0, 0, true, true, capfirst_filter},
    {"center", 1, 1, true, true, center_filter},
    {"cut", 1, 1, false, true, cut_filter},
    {"date", 0, 1, false, false, date_filter},
    {"default", 1, 1, false, false, default_filter},
    {"default_if_none", 1, 1, false, false, default_if_none_filter},
    {"dictsort", 1, 1, false, false, dictsort_filter},
    {"dictsortreversed", 1, 1, false, false, dictsortreversed_filter},
    {"divisibleby", 1, 1, false, false, divisibleby_filter},
    {"escape", 0, 0, true, true, escape_filter},
    {"escapejs", 0, 0, false, true, escapejs_filter},
    {"filesizeformat", 0, 0, true, false, filesizeformat_filter},
    {"first", 0, 0, false, false, first_filter},
    {"floatformat", 0, 1, true, false, floatformat_filter},
    {"force_escape", 0, 0, true, true, force_escape_filter},
    {"get_digit", 1, 1, false, false, get_digit_filter},
    {"iriencode", 0, 0, true, true, iriencode_filter},
    {"join", 1, 1, true, false, join_filter},
    {"json_script", 1, 1, true, false, json_script_filter},
    {"last", 0, 0, true, false, last_filter},
    {"length", 0, 0, false, false, length_filter},
    {"linebreaks", 0, 0, true, true, linebreaks_filter},
    {"linebreaksbr", 0, 0, true, true, linebreaksbr_filter},
    {"linenumbers", 0, 0, true, true, linenumbers_filter},
    {"ljust", 1, 1, true, true, ljust_filter},
    {"lower", 0, 0, true, true, lower_filter},
    {"make_list", 0, 0, false, true, make_list_filter},
    {"phone2numeric", 0, 0, true, false, phone2numeric_filter},
    {"pluralize", 0, 1, false, false, pluralize_filter},
    {"random", 0, 0, true, false, random_filter},
    {"rjust", 1, 1, true, true, rjust_filter},
    {"safe", 0, 0, true, true, safe_filter},
    {"safeseq", 0, 0, true, false, safeseq_filter},
    {"slice", 1, 1, true, false, slice_filter},
    {"slugify", 0, 0, true, true, slugify_filter},
    {"stringformat", 1, 1, true, false, stringformat_filter},
    {"striptags", 0, 0, true, true, striptags_filter},
    {"time", 0, 1, false, false, time_filter},
    {"timesince", 0, 1, false, false, timesince_filter},
    {"timeuntil", 0, 1, false, false, timeuntil_filter},
    {"title", 0, 0, true, true, title_filter},
    {"truncatechars", 1, 1, true, true, truncatechars_filter},
    {"truncatechars_html", 1, 1, true, true, truncatechars_html_filter},
    {"truncatewords", 1, 1, true, true, truncatewords_filter},
    {"truncatewords_html", 1, 1, true, true, truncatewords_html_filter},
    {"unordered_list", 0, 0, true, false, unordered_list_filter},
    {"upper", 0, 0, false, true, upper_filter},
    {"urlencode", 0, 1, false, true, urlencode_filter},
    {"urlize", 0, 0, true, true, urlize_filter},
    {"urlizetrunc", 1, 1, true, true, urlizetrunc_filter},
    {"wordcount", 0, 0, false, true, wordcount_filter},
    {"wordwrap", 1, 1, true, true, wordwrap_filter},
    {"yesno", 0, 1, false, false, yesno_filter},
};

}  // namespace

// localize: the value as {{ }} prints it, localized (English, no thousands separator), without
// escaping; a safe string stays safe.
Value localize_filter(const Value& in, const Value*, bool) {
  if (in.is_string()) return in;
  std::string out;
  append_rendered(in, false, out);
  return Value(std::move(out));
}

// unlocalize: numbers as Python's str() (formats.localize with use_l10n=False).
Value unlocalize_filter(const Value& in, const Value* arg, bool autoescape) {
  if (in.is_double()) return Value(to_python_str(in));
  return localize_filter(in, arg, autoescape);
}

constexpr FilterDef kLibraryFilters[] = {
    {"localize", 0, 0, false, false, localize_filter},
    {"unlocalize", 0, 0, false, false, unlocalize_filter},
};

const FilterDef* find_library_filter(std::string_view name) {
  for (const auto& f : kLibraryFilters)
    if (f.name == name) return &f;
  return nullptr;
}

const FilterDef* find_filter(std::string_view name) {
  for (const auto& f : kFilters)
    if (f.name == name) return &f;
  return nullptr;
}

}  // namespace templates::detail
