// templates: string helpers shared by filters and tags: HTML escaping, UTF-8 walking, URL quoting,
// calendar arithmetic. Pure functions; knows nothing of values or parsing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace templates::text {

// Django's escape(): & < > " ' become &amp; &lt; &gt; &quot; &#x27;.
void append_escaped(std::string_view s, std::string& out);
std::string escape(std::string_view s);

// Number of code points (Python len(str)).
std::size_t utf8_length(std::string_view s);
// Byte offset of code point index `n` (clamped to s.size()).
std::size_t utf8_offset(std::string_view s, std::size_t n);
// Length in bytes of the UTF-8 sequence starting with byte c.
std::size_t utf8_char_size(unsigned char c);

// The code points of UTF-8 text (a truncated sequence at the end is taken as it is), and back.
std::u32string utf8_decode(std::string_view s);
void utf8_append(char32_t c, std::string& out);
std::string utf8_encode(std::u32string_view s);
// Python's str.isspace() for one code point (what a str regex's \s matches).
bool is_unicode_space(char32_t c);

// Python str.isspace() for one ASCII byte.
inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
// Python regex \w for one byte (non-ASCII bytes count as word characters).
inline bool is_word(char c) {
  auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
         u == '_';
}
std::string_view strip(std::string_view s);

// Python's str.upper() / str.lower() / str.title() / capitalizing the first character. Case
// mapping covers ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic; other scripts are left as
// they are (and count as uncased for title()).
std::string to_upper(std::string_view s);
std::string to_lower(std::string_view s);
std::string to_title(std::string_view s);
std::string capitalize_first(std::string_view s);

// urllib.parse.quote(s, safe): unreserved characters and `safe` stay, the rest become %XX.
std::string url_quote(std::string_view s, std::string_view safe = "/");

// Proleptic Gregorian calendar helpers (Howard Hinnant's algorithms).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d);
bool is_leap(std::int64_t y);
unsigned days_in_month(std::int64_t y, unsigned m);

}  // namespace templates::text
