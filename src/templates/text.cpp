#include "templates/text.hpp"

#include <array>

namespace templates::text {

namespace {

constexpr std::array<const char*, 256> kEscapes = [] {
  std::array<const char*, 256> table{};
  table['&'] = "&amp;";
  table['<'] = "&lt;";
  table['>'] = "&gt;";
  table['"'] = "&quot;";
  table['\''] = "&#x27;";
  return table;
}();

}  // namespace

void append_escaped(std::string_view s, std::string& out) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char* rep = kEscapes[static_cast<unsigned char>(s[i])];
    if (!rep) continue;
    out.append(s.data() + start, i - start);
    out.append(rep);
    start = i + 1;
  }
  out.append(s.data() + start, s.size() - start);
}

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  append_escaped(s, out);
  return out;
}

std::size_t utf8_char_size(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c >> 5) == 0x6) return 2;
  if ((c >> 4) == 0xE) return 3;
  if ((c >> 3) == 0x1E) return 4;
  return 1;  // stray continuation byte: count it alone
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); i += utf8_char_size(static_cast<unsigned char>(s[i]))) ++n;
  return n;
}

std::size_t utf8_offset(std::string_view s, std::size_t n) {
  std::size_t i = 0;
  while (n > 0 && i < s.size()) {
    i += utf8_char_size(static_cast<unsigned char>(s[i]));
    --n;
  }
  return i < s.size() ? i : s.size();
}

std::string_view strip(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

namespace {

// Decodes one code point at s[i] (invalid bytes decode as themselves) and advances i.
char32_t decode(std::string_view s, std::size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = utf8_char_size(c);
  if (n == 1 || i + n > s.size()) {
    ++i;
    return c;
  }
  char32_t cp = n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  for (std::size_t k = 1; k < n; ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += n;
  return cp;
}

void encode(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool in(char32_t cp, char32_t lo, char32_t hi) { return cp >= lo && cp <= hi; }

char32_t simple_upper(char32_t cp) {
  if (in(cp, 'a', 'z')) return cp - 0x20;
  if (cp < 0x80) return cp;
  if (cp == 0xB5) return 0x39C;
  if (in(cp, 0xE0, 0xFE) && cp != 0xF7) return cp - 0x20;
  if (cp == 0xFF) return 0x178;
  if ((in(cp, 0x100, 0x12F) || in(cp, 0x132, 0x137) || in(cp, 0x14A, 0x177)) && (cp & 1))
    return cp - 1;
  if ((in(cp, 0x139, 0x148) || in(cp, 0x179, 0x17E)) && !(cp & 1)) return cp - 1;
  if (cp == 0x131) return 'I';
  if (cp == 0x17F) return 'S';
  if (in(cp, 0x3B1, 0x3C1) || in(cp, 0x3C3, 0x3CB)) return cp - 0x20;
  if (cp == 0x3C2) return 0x3A3;
  if (cp == 0x3D7) return 0x3CF;
  if (cp == 0x1C5 || cp == 0x1C6 || cp == 0x1C8 || cp == 0x1C9 || cp == 0x1CB || cp == 0x1CC)
    return cp - (cp == 0x1C5 || cp == 0x1C8 || cp == 0x1CB ? 1 : 2);
  if (cp == 0x1F2 || cp == 0x1F3) return 0x1F1;
  if (cp == 0x3AC) return 0x386;
  if (in(cp, 0x3AD, 0x3AF)) return cp - 0x25;
  if (cp == 0x3CC) return 0x38C;
  if (cp == 0x3CD || cp == 0x3CE) return cp - 0x3F;
  if (in(cp, 0x430, 0x44F)) return cp - 0x20;
  if (in(cp, 0x450, 0x45F)) return cp - 0x50;
  if ((in(cp, 0x460, 0x481) || in(cp, 0x48A, 0x4BF)) && (cp & 1)) return cp - 1;
  return cp;
}

char32_t simple_lower(char32_t cp) {
  if (in(cp, 'A', 'Z')) return cp + 0x20;
  if (cp < 0x80) return cp;
  if (in(cp, 0xC0, 0xDE) && cp != 0xD7) return cp + 0x20;
  if ((in(cp, 0x100, 0x12F) || in(cp, 0x132, 0x137) || in(cp, 0x14A, 0x177)) && !(cp & 1))
    return cp + 1;
  if ((in(cp, 0x139, 0x148) || in(cp, 0x179, 0x17E)) && (cp & 1)) return cp + 1;
  if (cp == 0x178) return 0xFF;
  if (in(cp, 0x391, 0x3A1) || in(cp, 0x3A3, 0x3AB)) return cp + 0x20;
  if (cp == 0x386) return 0x3AC;
  if (cp == 0x3CF) return 0x3D7;
  if (cp == 0x1C4 || cp == 0x1C5 || cp == 0x1C7 || cp == 0x1C8 || cp == 0x1CA || cp == 0x1CB)
    return cp + (cp == 0x1C5 || cp == 0x1C8 || cp == 0x1CB ? 1 : 2);
  if (cp == 0x1F1 || cp == 0x1F2) return 0x1F3;
  if (in(cp, 0x388, 0x38A)) return cp + 0x25;
  if (cp == 0x38C) return 0x3CC;
  if (cp == 0x38E || cp == 0x38F) return cp + 0x3F;
  if (in(cp, 0x410, 0x42F)) return cp + 0x20;
  if (in(cp, 0x400, 0x40F)) return cp + 0x50;
  if ((in(cp, 0x460, 0x481) || in(cp, 0x48A, 0x4BF)) && !(cp & 1)) return cp + 1;
  return cp;
}

// Characters whose full upper/title case mapping is several characters (SpecialCasing.txt).
struct SpecialCase {
  char32_t cp;
  const char* upper;
  const char* title;
};
constexpr SpecialCase kSpecialCases[] = {
    {0xDF, "SS", "Ss"},
    {0x149, "\xCA\xBCN", "\xCA\xBCN"},
    {0x390, "\xCE\x99\xCC\x88\xCC\x81", "\xCE\x99\xCC\x88\xCC\x81"},
    {0x3B0, "\xCE\xA5\xCC\x88\xCC\x81", "\xCE\xA5\xCC\x88\xCC\x81"},
    {0xFB00, "FF", "Ff"},
    {0xFB01, "FI", "Fi"},
    {0xFB02, "FL", "Fl"},
    {0xFB03, "FFI", "Ffi"},
    {0xFB04, "FFL", "Ffl"},
};

const SpecialCase* special_case(char32_t cp) {
  if (cp < 0xDF) return nullptr;
  for (const auto& sc : kSpecialCases)
    if (sc.cp == cp) return &sc;
  return nullptr;
}

bool is_cased(char32_t cp) {
  return simple_upper(cp) != cp || simple_lower(cp) != cp || special_case(cp) || cp == 0x138 ||
         cp == 0x130;
}

void append_upper(char32_t cp, std::string& out) {
  if (const SpecialCase* sc = special_case(cp))
    out += sc->upper;
  else
    encode(simple_upper(cp), out);
}

void append_title(char32_t cp, std::string& out) {
  if (const SpecialCase* sc = special_case(cp))
    out += sc->title;
  else if (in(cp, 0x1C4, 0x1CC))
    encode(0x1C5 + (cp - 0x1C4) / 3 * 3, out);
  else if (in(cp, 0x1F1, 0x1F3))
    encode(0x1F2, out);
  else
    encode(simple_upper(cp), out);
}

// Python's final-sigma rule: capital sigma lowers to final sigma at the end of a word.
bool final_sigma(std::string_view s, std::size_t start, std::size_t end) {
  bool cased_before = false;
  for (std::size_t i = 0; i < start;) {
    char32_t cp = decode(s, i);
    if (is_cased(cp))
      cased_before = true;
    else if (cp == ' ' || cp == '\n' || cp == '\t')
      cased_before = false;
  }
  if (!cased_before) return false;
  std::size_t i = end;
  if (i >= s.size()) return true;
  return !is_cased(decode(s, i));
}

void append_lower(std::string_view s, std::size_t start, std::size_t end, char32_t cp,
                  std::string& out) {
  if (cp == 0x130)
    out += "i\xCC\x87";
  else if (cp == 0x3A3 && final_sigma(s, start, end))
    encode(0x3C2, out);
  else
    encode(simple_lower(cp), out);
}

}  // namespace

std::string to_upper(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      char c = s[i++];
      out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 0x20) : c;
      continue;
    }
    append_upper(decode(s, i), out);
  }
  return out;
}

std::string to_lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      char c = s[i++];
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 0x20) : c;
      continue;
    }
    std::size_t start = i;
    char32_t cp = decode(s, i);
    append_lower(s, start, i, cp, out);
  }
  return out;
}

std::string to_title(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool previous_cased = false;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t start = i;
    char32_t cp = decode(s, i);
    if (previous_cased)
      append_lower(s, start, i, cp, out);
    else
      append_title(cp, out);
    previous_cased = is_cased(cp);
  }
  return out;
}

std::string capitalize_first(std::string_view s) {
  if (s.empty()) return {};
  std::string out;
  std::size_t i = 0;
  append_upper(decode(s, i), out);
  out.append(s.substr(i));
  return out;
}

std::u32string utf8_decode(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = std::min(utf8_char_size(c), s.size() - i);
    char32_t code = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    for (std::size_t k = 1; k < n; ++k)
      code = (code << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(code);
    i += n;
  }
  return out;
}

void utf8_append(char32_t c, std::string& out) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

std::string utf8_encode(std::u32string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t c : s) utf8_append(c, out);
  return out;
}

bool is_unicode_space(char32_t c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F) || c == 0x85 ||
         c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

std::string url_quote(std::string_view s, std::string_view safe) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '.' || c == '-' || c == '~' ||
                (c < 0x80 && safe.find(ch) != std::string_view::npos);
    if (keep) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

}  // namespace templates::text
