// templates (internal): what the filter implementations share: Python's int()/float()
// conversions, conditional_escape, and the filter functions the table in filters.cpp lists.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "templates/value.hpp"

namespace templates::detail {

// Python int(x) / float(x) for the types templates see; nullopt where Python raises.
std::optional<std::int64_t> python_int(const Value& v);
std::optional<double> python_float(const Value& v);
// The argument as a string (str() of non-strings), using storage when it must convert.
const std::string& arg_string(const Value* arg, std::string& storage);
// A string's characters (code points) as one-character strings, as Python's list(str).
Value::List python_characters(const std::string& s);
// What Python's iter() gives for a value: list items, a string's characters, a dict's keys.
// False (items untouched) when the value is not iterable.
bool python_items(const Value& value, Value::List& items);
// Django's conditional_escape(): safe values pass, others are escaped and marked safe.
Value conditional_escape(const Value& v);

Value add_filter(const Value& input, const Value* arg, bool autoescape);
Value capfirst_filter(const Value& input, const Value* arg, bool autoescape);
Value date_filter(const Value& input, const Value* arg, bool autoescape);
Value default_filter(const Value& input, const Value* arg, bool autoescape);
Value default_if_none_filter(const Value& input, const Value* arg, bool autoescape);
Value escape_filter(const Value& input, const Value* arg, bool autoescape);
Value first_filter(const Value& input, const Value* arg, bool autoescape);
Value floatformat_filter(const Value& input, const Value* arg, bool autoescape);
Value join_filter(const Value& input, const Value* arg, bool autoescape);
Value last_filter(const Value& input, const Value* arg, bool autoescape);
Value length_filter(const Value& input, const Value* arg, bool autoescape);
Value linebreaksbr_filter(const Value& input, const Value* arg, bool autoescape);
Value lower_filter(const Value& input, const Value* arg, bool autoescape);
Value pluralize_filter(const Value& input, const Value* arg, bool autoescape);
Value safe_filter(const Value& input, const Value* arg, bool autoescape);
Value slice_filter(const Value& input, const Value* arg, bool autoescape);
Value striptags_filter(const Value& input, const Value* arg, bool autoescape);
Value title_filter(const Value& input, const Value* arg, bool autoescape);
Value truncatechars_filter(const Value& input, const Value* arg, bool autoescape);
Value truncatewords_filter(const Value& input, const Value* arg, bool autoescape);
Value upper_filter(const Value& input, const Value* arg, bool autoescape);
Value urlencode_filter(const Value& input, const Value* arg, bool autoescape);
Value yesno_filter(const Value& input, const Value* arg, bool autoescape);
Value addslashes_filter(const Value& input, const Value* arg, bool autoescape);
Value center_filter(const Value& input, const Value* arg, bool autoescape);
Value cut_filter(const Value& input, const Value* arg, bool autoescape);
Value divisibleby_filter(const Value& input, const Value* arg, bool autoescape);
Value escapejs_filter(const Value& input, const Value* arg, bool autoescape);
Value filesizeformat_filter(const Value& input, const Value* arg, bool autoescape);
Value force_escape_filter(const Value& input, const Value* arg, bool autoescape);
Value get_digit_filter(const Value& input, const Value* arg, bool autoescape);
Value iriencode_filter(const Value& input, const Value* arg, bool autoescape);
Value linenumbers_filter(const Value& input, const Value* arg, bool autoescape);
Value ljust_filter(const Value& input, const Value* arg, bool autoescape);
Value make_list_filter(const Value& input, const Value* arg, bool autoescape);
Value phone2numeric_filter(const Value& input, const Value* arg, bool autoescape);
Value rjust_filter(const Value& input, const Value* arg, bool autoescape);
Value safeseq_filter(const Value& input, const Value* arg, bool autoescape);
Value slugify_filter(const Value& input, const Value* arg, bool autoescape);
Value wordcount_filter(const Value& input, const Value* arg, bool autoescape);
Value dictsort_filter(const Value& input, const Value* arg, bool autoescape);
Value dictsortreversed_filter(const Value& input, const Value* arg, bool autoescape);
Value linebreaks_filter(const Value& input, const Value* arg, bool autoescape);
Value unordered_list_filter(const Value& input, const Value* arg, bool autoescape);
Value json_script_filter(const Value& input, const Value* arg, bool autoescape);
Value random_filter(const Value& input, const Value* arg, bool autoescape);
Value stringformat_filter(const Value& input, const Value* arg, bool autoescape);
Value wordwrap_filter(const Value& input, const Value* arg, bool autoescape);
Value urlize_filter(const Value& input, const Value* arg, bool autoescape);
Value timesince_filter(const Value& input, const Value* arg, bool autoescape);
Value time_filter(const Value& input, const Value* arg, bool autoescape);
Value timeuntil_filter(const Value& input, const Value* arg, bool autoescape);
Value truncatechars_html_filter(const Value& input, const Value* arg, bool autoescape);
Value truncatewords_html_filter(const Value& input, const Value* arg, bool autoescape);
Value urlizetrunc_filter(const Value& input, const Value* arg, bool autoescape);

}  // namespace templates::detail
