// More of Django's built-in filters on text: addslashes, cut, center, ljust, rjust, wordcount,
// force_escape, phone2numeric, escapejs, linenumbers, iriencode, make_list, safeseq, slugify. Each
// follows django/template/defaultfilters.py (3.2): where Python raises, these throw
// templates::Error, so the page fails as Django's does.
#include <algorithm>
#include <cstdio>
#include <string>

#include "templates/error.hpp"
#include "templates/filter_support.hpp"
#include "templates/text.hpp"

namespace templates::detail {
namespace {

// Widths beyond this are refused rather than allocated (Django sets no bound).
constexpr std::int64_t kMaxPadWidth = std::int64_t{1} << 20;

std::int64_t width_argument(const char* filter, const Value* arg) {
  const auto width = python_int(*arg);
  if (!width) throw Error(std::string(filter) + ": the width must be an integer");
  if (*width > kMaxPadWidth) throw Error(std::string(filter) + ": the width is over 1048576");
  return *width;
}

// Python's str.ljust/rjust/center: pads with spaces to `width` characters.
std::string pad(std::string_view s, std::int64_t width, char how) {
  const auto length = static_cast<std::int64_t>(text::utf8_length(s));
  if (width <= length) return std::string(s);
  const std::int64_t margin = width - length;
  std::int64_t left = how == 'l' ? 0 : how == 'r' ? margin : margin / 2 + (margin & width & 1);
  std::string out(static_cast<std::size_t>(left), ' ');
  out += s;
  out.append(static_cast<std::size_t>(margin - left), ' ');
  return out;
}

// Python's str.isspace for the ASCII range (str.split() splits on these).
bool python_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f');
}

struct Fold {
  char32_t code;
  const char* ascii;
};
constexpr Fold kAsciiFold[] = {
#include "templates/ascii_fold_table.inc"
};

}  // namespace

Value slugify_filter(const Value& in, const Value*, bool) {
  // NFKD, then only the ASCII part of each character (the table), lowercased.
  std::string ascii;
  for (char32_t c : text::utf8_decode(in.str())) {
    if (c < 0x80) {
      ascii.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
      continue;
    }
    const auto* it = std::lower_bound(std::begin(kAsciiFold), std::end(kAsciiFold), c,
                                      [](const Fold& f, char32_t code) { return f.code < code; });
    if (it == std::end(kAsciiFold) || it->code != c) continue;
    for (const char* p = it->ascii; *p; ++p)
      ascii.push_back(*p >= 'A' && *p <= 'Z' ? static_cast<char>(*p + 32) : *p);
  }
  // [^\w\s-] removed, runs of [-\s] become one '-', then '-' and '_' stripped at both ends.
  std::string slug;
  bool in_run = false;
  for (char c : ascii) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (word) {
      if (in_run) slug.push_back('-');
      in_run = false;
      slug.push_back(c);
    } else if (c == '-' || python_space(c)) {
      in_run = true;
    }
  }
  if (in_run) slug.push_back('-');
  const std::size_t from = slug.find_first_not_of("-_");
  if (from == std::string::npos) return Value("");
  return Value(slug.substr(from, slug.find_last_not_of("-_") - from + 1));
}

Value addslashes_filter(const Value& in, const Value*, bool) {
  std::string out;
  for (char c : in.str()) {
    if (c == '\\' || c == '"' || c == '\'') out.push_back('\\');
    out.push_back(c);
  }
  return Value(std::move(out));
}

Value cut_filter(const Value& in, const Value* arg, bool) {
  if (!arg->is_string()) throw Error("cut: the argument must be a string");
  const std::string& s = in.str();
  const std::string& cut = arg->str();
  if (cut.empty()) return in;
  std::string out;
  std::size_t from = 0;
  for (std::size_t at; (at = s.find(cut, from)) != std::string::npos; from = at + cut.size())
    out.append(s, from, at - from);
  out.append(s, from);
  // Removing ';' could break an entity (&amp;), so only then is a safe input no longer safe.
  if (in.is_safe() && cut != ";") return mark_safe(std::move(out));
  return Value(std::move(out));
}

Value ljust_filter(const Value& in, const Value* arg, bool) {
  return Value(pad(in.str(), width_argument("ljust", arg), 'l'));
}
Value rjust_filter(const Value& in, const Value* arg, bool) {
  return Value(pad(in.str(), width_argument("rjust", arg), 'r'));
}
Value center_filter(const Value& in, const Value* arg, bool) {
  return Value(pad(in.str(), width_argument("center", arg), 'c'));
}

Value wordcount_filter(const Value& in, const Value*, bool) {
  std::int64_t words = 0;
  bool in_word = false;
  for (char c : in.str()) {
    const bool space = python_space(c);
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return Value(words);
}

Value force_escape_filter(const Value& in, const Value*, bool) {
  return mark_safe(text::escape(in.str()));
}

Value phone2numeric_filter(const Value& in, const Value*, bool) {
  if (!in.is_string()) throw Error("phone2numeric: the value must be a string");
  static constexpr char kDigits[] = "22233344455566677778889999";  // a..z on a phone's keypad
  std::string out = text::to_lower(in.str());
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = kDigits[c - 'a'];
  return Value(std::move(out));
}

Value escapejs_filter(const Value& in, const Value*, bool) {
  const std::string& s = in.str();
  std::string out;
  out.reserve(s.size());
  char buffer[8];
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const bool line_separator = c == 0xE2 && i + 2 < s.size() && s[i + 1] == '\x80' &&
                                (s[i + 2] == '\xA8' || s[i + 2] == '\xA9');
    if (line_separator) {
      out += s[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else if (c < 0x20 || std::string_view("\\'\"><&=-;`").find(static_cast<char>(c)) !=
                               std::string_view::npos) {
      std::snprintf(buffer, sizeof buffer, "\\u%04X", c);
      out += buffer;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return mark_safe(std::move(out));
}

Value linenumbers_filter(const Value& in, const Value*, bool autoescape) {
  const std::string& s = in.str();
  std::size_t lines = 1;
  for (char c : s) lines += c == '\n';
  const int width = static_cast<int>(std::to_string(lines).size());
  const bool escape = autoescape && !in.is_safe();
  std::string out;
  std::size_t number = 0;
  std::size_t from = 0;
  char buffer[32];
  while (true) {
    const std::size_t end = s.find('\n', from);
    const std::string_view line =
        std::string_view(s).substr(from, end == std::string::npos ? std::string::npos : end - from);
    std::snprintf(buffer, sizeof buffer, "%0*zu. ", width, ++number);
    if (number > 1) out.push_back('\n');
    out += buffer;
    if (escape)
      text::append_escaped(line, out);
    else
      out += line;
    if (end == std::string::npos) break;
    from = end + 1;
  }
  return mark_safe(std::move(out));
}

Value iriencode_filter(const Value& in, const Value*, bool) {
  return Value(text::url_quote(in.str(), "/#%[]=:;$&()+,!?*@'~"));
}

Value make_list_filter(const Value& in, const Value*, bool) {
  return Value(python_characters(in.str()));
}

Value safeseq_filter(const Value& in, const Value*, bool) {
  Value::List safe;
  if (in.is_list()) {
    for (const Value& item : in.list()) safe.push_back(mark_safe(to_python_str(item)));
  } else if (in.is_string()) {
    for (const Value& c : python_characters(in.str())) safe.push_back(mark_safe(c.str()));
  } else {
    throw Error("safeseq: the value is not a sequence");
  }
  return Value(std::move(safe));
}

}  // namespace templates::detail
