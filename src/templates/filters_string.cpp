// String filters: escape, safe, case, truncation, linebreaksbr, striptags, urlencode.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "templates/filter_support.hpp"
#include "templates/text.hpp"

namespace templates::detail {
namespace {

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";      // U+2026
constexpr std::int64_t kMaxLength = std::int64_t{1} << 40;  // keeps length arithmetic in range
std::vector<std::string_view> split_words(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && text::is_space(s[i])) ++i;
    std::size_t start = i;
    while (i < s.size() && !text::is_space(s[i])) ++i;
    if (i > start) words.push_back(s.substr(start, i - start));
  }
  return words;
}

}  // namespace

Value escape_filter(const Value& in, const Value*, bool) { return conditional_escape(in); }

Value safe_filter(const Value& in, const Value*, bool) { return mark_safe(in.str()); }

Value upper_filter(const Value& in, const Value*, bool) { return Value(text::to_upper(in.str())); }

Value lower_filter(const Value& in, const Value*, bool) { return Value(text::to_lower(in.str())); }

Value capfirst_filter(const Value& in, const Value*, bool) {
  return Value(text::capitalize_first(in.str()));
}

Value title_filter(const Value& in, const Value*, bool) {
  std::string s = text::to_title(in.str());
  // re.sub("([a-z])'([A-Z])", lower) and re.sub(r"\d([A-Z])", lower).
  for (std::size_t i = 0; i + 2 < s.size(); ++i) {
    if (is_lower(s[i]) && s[i + 1] == '\'' && is_upper(s[i + 2])) {
      s[i + 2] = static_cast<char>(s[i + 2] - 'A' + 'a');
      i += 2;
    }
  }
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9' && is_upper(s[i + 1])) {
      s[i + 1] = static_cast<char>(s[i + 1] - 'A' + 'a');
      ++i;
    }
  }
  return Value(std::move(s));
}

Value truncatechars_filter(const Value& in, const Value* arg, bool) {
  auto length = python_int(*arg);
  if (!length) return in;
  length = std::clamp(*length, -kMaxLength, kMaxLength);
  const std::string& s = in.str();
  std::int64_t n = static_cast<std::int64_t>(text::utf8_length(s));
  if (n <= *length) return in;
  std::int64_t keep = *length - 1;  // room for the ellipsis
  std::string out =
      keep > 0 ? s.substr(0, text::utf8_offset(s, static_cast<std::size_t>(keep))) : std::string();
  if (!(out.size() >= kEllipsis.size() &&
        out.compare(out.size() - kEllipsis.size(), kEllipsis.size(), kEllipsis) == 0))
    out += kEllipsis;
  return Value(std::move(out));
}

Value truncatewords_filter(const Value& in, const Value* arg, bool) {
  auto length = python_int(*arg);
  if (!length) return in;
  length = std::clamp(*length, -kMaxLength, kMaxLength);
  auto words = split_words(in.str());
  auto n = static_cast<std::int64_t>(words.size());
  bool truncated = n > *length;
  std::int64_t keep = *length;
  if (truncated && keep < 0) keep = std::max<std::int64_t>(0, n + keep);  // words[:negative]
  std::size_t count = truncated ? static_cast<std::size_t>(keep) : words.size();
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i) out += ' ';
    out += words[i];
  }
  if (truncated) {
    std::string suffix(" ");
    suffix += kEllipsis;
    if (!(out.size() >= suffix.size() &&
          out.compare(out.size() - suffix.size(), suffix.size(), suffix) == 0))
      out += suffix;
  }
  return Value(std::move(out));
}

Value linebreaksbr_filter(const Value& in, const Value*, bool autoescape) {
  bool escape = autoescape && !in.is_safe();
  std::string normalized;
  const std::string& s = in.str();
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      normalized += '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      normalized += s[i];
    }
  }
  if (escape) normalized = text::escape(normalized);
  std::string out;
  for (char c : normalized) {
    if (c == '\n')
      out += "<br>";
    else
      out += c;
  }
  return mark_safe(std::move(out));
}

Value striptags_filter(const Value& in, const Value*, bool) {
  std::string value = in.str();
  while (true) {
    std::string out;
    const std::string& s = value;
    std::size_t i = 0;
    while (i < s.size()) {
      if (s[i] != '<' || i + 1 >= s.size()) {
        out += s[i++];
        continue;
      }
      char next = s[i + 1];
      std::size_t end = std::string::npos;
      if (s.compare(i, 4, "<!--") == 0) {
        std::size_t close = s.find("-->", i + 4);
        if (close != std::string::npos) end = close + 3;
      } else if (std::isalpha(static_cast<unsigned char>(next)) || next == '!' || next == '?' ||
                 (next == '/' && i + 2 < s.size() &&
                  std::isalpha(static_cast<unsigned char>(s[i + 2])))) {
        char quote = 0;
        for (std::size_t k = i + 1; k < s.size(); ++k) {
          if (quote) {
            if (s[k] == quote) quote = 0;
          } else if ((s[k] == '"' || s[k] == '\'') &&
                     std::isalpha(static_cast<unsigned char>(next))) {
            quote = s[k];
          } else if (s[k] == '>') {
            end = k + 1;
            break;
          }
        }
      }
      if (end == std::string::npos) {
        out += s[i++];
      } else {
        i = end;
      }
    }
    bool changed =
        std::count(out.begin(), out.end(), '<') != std::count(value.begin(), value.end(), '<');
    value = std::move(out);
    if (!changed || value.find('<') == std::string::npos || value.find('>') == std::string::npos)
      break;
  }
  return Value(std::move(value));
}

Value urlencode_filter(const Value& in, const Value* arg, bool) {
  if (!arg) return Value(text::url_quote(in.str(), "/"));
  std::string storage;
  return Value(text::url_quote(in.str(), arg_string(arg, storage)));
}

}  // namespace templates::detail
