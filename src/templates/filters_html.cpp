// truncatechars_html and truncatewords_html: Django's Truncator._truncate_html (3.2.25): count
// characters or words outside tags, cut, add the ellipsis, and close the tags still open, the
// way Django tracks them (a closing tag only closes the most recently opened one; comments and
// other non-elements are tracked as tags too).
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "templates/filter_support.hpp"
#include "templates/text.hpp"

namespace templates::detail {
namespace {

using CodePoints = std::u32string;

constexpr std::size_t kMaxHtmlLength = 5'000'000;  // Django's MAX_LENGTH_HTML
constexpr std::int64_t kMaxCount = std::int64_t{1} << 40;

bool is_singlet(const std::string& tag) {
  static constexpr std::string_view kSinglets[] = {"br",    "col",  "link", "base", "img",
                                                   "param", "area", "hr",   "input"};
  return std::find(std::begin(kSinglets), std::end(kSinglets), tag) != std::end(kSinglets);
}

struct Tag {
  bool closing = false;
  bool self_closing = false;
  std::string name;
};

// The name and what follows it, for re_tag's (\S+?)(?:(\s*/)|\s.*?)?> from `name_from`, `s`
// holding exactly one '>', at its end: the shortest name after which the rest matches.
std::optional<Tag> match_name(std::u32string_view s, std::size_t name_from, bool closing) {
  for (std::size_t end = name_from + 1; end < s.size(); ++end) {
    if (text::is_unicode_space(s[end - 1]) || s[end - 1] == '>') return std::nullopt;
    const std::u32string_view rest = s.substr(end);
    std::size_t k = 0;
    while (k < rest.size() && text::is_unicode_space(rest[k])) ++k;
    const bool self_closing = k + 2 == rest.size() && rest[k] == '/';  // \s*/ then the '>'
    if (self_closing || rest[0] == '>' || text::is_unicode_space(rest[0])) {
      Tag tag;
      tag.closing = closing;
      tag.self_closing = self_closing;
      for (char32_t c : s.substr(name_from, end - name_from))
        text::utf8_append(c >= 'A' && c <= 'Z' ? c + 32 : c, tag.name);  // names are caseless
      return tag;
    }
  }
  return std::nullopt;
}

// re_tag = <(/)?(\S+?)(?:(\s*/)|\s.*?)?> matched at the start of `s`; as the regex backtracks,
// a '/' that cannot start a closing tag's name is read as the name's first character.
std::optional<Tag> match_tag(std::u32string_view s) {
  if (s.size() < 3 || s[0] != '<') return std::nullopt;
  if (s[1] == '/') {
    if (auto tag = match_name(s, 2, true)) return tag;
  }
  return match_name(s, 1, false);
}

struct Match {
  std::size_t end = 0;
  bool counted = false;  // a character or a word, not a tag
  std::u32string_view tag;
};

// re_chars = <[^>]+?>|(.) searched from pos.
std::optional<Match> next_char(const CodePoints& s, std::size_t pos) {
  if (pos >= s.size()) return std::nullopt;
  if (s[pos] == '<') {
    const std::size_t close = s.find('>', pos + 1);
    if (close != CodePoints::npos && close > pos + 1)
      return Match{close + 1, false, std::u32string_view(s).substr(pos, close + 1 - pos)};
  }
  return Match{pos + 1, true, {}};
}

bool word_char(char32_t c) { return c != '<' && c != '>' && !text::is_unicode_space(c); }

// Django's WordsRegex.search: a word ([^<>\s]+), or a tag from '<' to the next '>'.
std::optional<Match> next_word(const CodePoints& s, std::size_t pos) {
  std::size_t i = pos;
  while (i < s.size() && s[i] != '<' && !word_char(s[i])) ++i;
  if (i >= s.size()) return std::nullopt;
  if (s[i] == '<') {
    const std::size_t close = s.find('>', i + 1);
    if (close != CodePoints::npos)
      return Match{close + 1, false, std::u32string_view(s).substr(i, close + 1 - i)};
    // No '>' anywhere after: the next word after the '<'.
    i = i + 1;
    while (i < s.size() && !word_char(s[i])) ++i;
    if (i >= s.size()) return std::nullopt;
  }
  std::size_t end = i;
  while (end < s.size() && word_char(s[end])) ++end;
  return Match{end, true, {}};
}

std::string truncate_html(const std::string& input, std::int64_t length, std::int64_t truncate_len,
                          bool words, std::string_view ellipsis) {
  if (words && length <= 0) return std::string();
  CodePoints s = text::utf8_decode(input);
  bool size_limited = false;
  if (s.size() > kMaxHtmlLength) {
    s.resize(kMaxHtmlLength);
    size_limited = true;
  }
  std::size_t pos = 0, end_text_pos = 0;
  std::int64_t current = 0;
  std::vector<std::string> open_tags;  // most recent last
  while (current <= length) {
    const auto m = words ? next_word(s, pos) : next_char(s, pos);
    if (!m) break;
    pos = m->end;
    if (m->counted) {
      if (++current == truncate_len) end_text_pos = pos;
      continue;
    }
    const auto tag = match_tag(m->tag);
    if (!tag || current >= truncate_len) continue;
    if (tag->self_closing || is_singlet(tag->name)) continue;
    if (tag->closing) {
      if (!open_tags.empty() && open_tags.back() == tag->name) open_tags.pop_back();
    } else {
      open_tags.push_back(tag->name);
    }
  }
  if (current <= length) {
    std::string whole = text::utf8_encode(s);
    if (size_limited) whole += ellipsis;
    return whole;
  }
  std::string out = text::utf8_encode(std::u32string_view(s).substr(0, end_text_pos));
  out += ellipsis;
  for (auto it = open_tags.rbegin(); it != open_tags.rend(); ++it) out += "</" + *it + ">";
  return out;
}

}  // namespace

Value truncatechars_html_filter(const Value& in, const Value* arg, bool) {
  const auto length = python_int(*arg);
  if (!length) return in;
  const std::int64_t n = std::clamp(*length, -kMaxCount, kMaxCount);
  return Value(truncate_html(in.str(), n, n - 1, false, "\xE2\x80\xA6"));
}

Value truncatewords_html_filter(const Value& in, const Value* arg, bool) {
  const auto length = python_int(*arg);
  if (!length) return in;
  const std::int64_t n = std::clamp(*length, -kMaxCount, kMaxCount);
  return Value(truncate_html(in.str(), n, n, true, " \xE2\x80\xA6"));
}

}  // namespace templates::detail
