// The urlize and urlizetrunc filters: django.utils.html.urlize (3.2) step by step: words split
// at whitespace, quotes and angle brackets; wrapping and trailing punctuation trimmed; http(s)://
// and www. links, bare domains of the seven original gTLDs, and simple e-mail addresses turned
// into links whose href is re-quoted as smart_urlquote does (path and fragment unquoted and
// quoted, the query re-encoded, the host in IDNA).
//
// Written here: no C++ library reproduces Python's urlsplit/quote/unquote rules. The host goes
// through Punycode (RFC 3492, below); Python's IDNA 2003 codec also applies nameprep (case
// folding, NFKC), which is done for ASCII letters only: lowercase international names match
// Django, names with capital non-ASCII letters differ. html.unescape knows numeric references
// and the common named ones.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

#include "base/percent.hpp"
#include "templates/error.hpp"
#include "templates/filter_support.hpp"
#include "templates/text.hpp"

namespace templates::detail {
namespace {

constexpr std::size_t kMaxUrlLength = 2048;

// ---- code points -----------------------------------------------------------------------------

using CodePoints = std::u32string;

void encode(char32_t c, std::string& out) { text::utf8_append(c, out); }

std::string encode(const CodePoints& s, std::size_t from = 0, std::size_t to = std::string::npos) {
  to = std::min(to, s.size());
  return from >= to ? std::string()
                    : text::utf8_encode(std::u32string_view(s).substr(from, to - from));
}

CodePoints decode(std::string_view s) { return text::utf8_decode(s); }

bool is_space(char32_t c) { return text::is_unicode_space(c); }

// \w: ASCII letters, digits and '_'; beyond ASCII, anything that is not a space (an
// approximation of Unicode's letters and digits).
bool is_word(char32_t c) {
  if (c < 0x80)
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  return !is_space(c);
}

char32_t lower(char32_t c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

bool starts_with_ci(const CodePoints& s, std::size_t at, std::string_view prefix) {
  if (s.size() - std::min(at, s.size()) < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (lower(s[at + i]) != static_cast<char32_t>(prefix[i])) return false;
  return true;
}

// ---- html.unescape ---------------------------------------------------------------------------

std::string unescape(std::string_view s) {
  static constexpr std::pair<std::string_view, char32_t> kNamed[] = {
      {"amp;", '&'},       {"lt;", '<'},       {"gt;", '>'},       {"quot;", '"'},
      {"apos;", '\''},     {"nbsp;", 0xA0},    {"copy;", 0xA9},    {"reg;", 0xAE},
      {"hellip;", 0x2026}, {"mdash;", 0x2014}, {"ndash;", 0x2013}, {"laquo;", 0xAB},
      {"raquo;", 0xBB},    {"middot;", 0xB7},  {"amp", '&'},       {"lt", '<'},
      {"gt", '>'},         {"quot", '"'},      {"nbsp", 0xA0},     {"copy", 0xA9},
      {"reg", 0xAE}};
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] != '&') {
      out.push_back(s[i++]);
      continue;
    }
    if (i + 1 < s.size() && s[i + 1] == '#') {
      std::size_t j = i + 2;
      const bool hex = j < s.size() && (s[j] == 'x' || s[j] == 'X');
      if (hex) ++j;
      const std::size_t digits_from = j;
      std::uint64_t code = 0;
      while (j < s.size() && (hex ? std::isxdigit(static_cast<unsigned char>(s[j]))
                                  : std::isdigit(static_cast<unsigned char>(s[j])))) {
        code = std::min<std::uint64_t>(
            code * (hex ? 16 : 10) + static_cast<std::uint64_t>(base::hex_digit_value(s[j])),
            0x110000);
        ++j;
      }
      if (j > digits_from) {
        if (j < s.size() && s[j] == ';') ++j;
        i = j;
        // As Python's html.unescape: windows-1252 for 0x80-0x9F, U+FFFD for what cannot be a
        // character, nothing for control characters and non-characters.
        static constexpr char16_t kWindows1252[32] = {
            0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
            0x2039, 0x0152, 0x8D,   0x017D, 0x8F,   0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
            0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178};
        if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
          encode(0xFFFD, out);
        } else if (code == 0x0D) {
          out.push_back('\r');
        } else if (code >= 0x80 && code <= 0x9F) {
          encode(kWindows1252[code - 0x80], out);
        } else if (!((code >= 0x1 && code <= 0x8) || code == 0xB || (code >= 0xE && code <= 0x1F) ||
                     code == 0x7F || (code >= 0xFDD0 && code <= 0xFDEF) ||
                     (code & 0xFFFE) == 0xFFFE)) {
          encode(static_cast<char32_t>(code), out);
        }
        continue;
      }
    } else {
      bool matched = false;
      for (const auto& [name, code] : kNamed) {
        if (s.substr(i + 1, name.size()) == name) {
          encode(code, out);
          i += 1 + name.size();
          matched = true;
          break;
        }
      }
      if (matched) continue;
    }
    out.push_back(s[i++]);
  }
  return out;
}

// ---- quoting as urllib.parse does ------------------------------------------------------------

// unquote(): %XX decoded, then UTF-8 with errors='replace'.
std::string unquote(std::string_view s) {
  const std::string bytes = base::percent_decode_lenient(s);
  std::string out;
  for (std::size_t i = 0; i < bytes.size();) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool valid = n > 0 && i + n <= bytes.size();
    for (std::size_t k = 1; valid && k < n; ++k)
      valid = (static_cast<unsigned char>(bytes[i + k]) & 0xC0) == 0x80;
    if (valid && n > 1) {  // overlong forms and surrogates are invalid too
      const char32_t code = decode(std::string_view(bytes).substr(i, n))[0];
      valid = !(n == 2 && code < 0x80) && !(n == 3 && code < 0x800) &&
              !(n == 4 && (code < 0x10000 || code > 0x10FFFF)) &&
              !(code >= 0xD800 && code <= 0xDFFF);
    }
    if (!valid) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
      continue;
    }
    out.append(bytes, i, n);
    i += n;
  }
  return out;
}

std::string unquote_quote(std::string_view segment) {
  return text::url_quote(unquote(segment), "!$&'()*+,;=:/?#[]@~");
}

// quote_plus(s, safe='') as urlencode() uses it.
std::string quote_plus(std::string_view s) {
  std::string out;
  for (char c : text::url_quote(s, " ")) out.push_back(c == ' ' ? '+' : c);
  return out;
}

// parse_qsl(query, keep_blank_values=True), each side then unquoted again, as Django does.
std::string requote_query(std::string_view query) {
  std::string out;
  std::size_t from = 0;
  while (from <= query.size()) {
    std::size_t amp = query.find('&', from);
    if (amp == std::string_view::npos) amp = query.size();
    const std::string_view pair = query.substr(from, amp - from);
    from = amp + 1;
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    const std::string_view name = pair.substr(0, eq);
    const std::string_view value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    const auto plus_unquote = [](std::string_view part) {
      std::string spaced(part);
      std::replace(spaced.begin(), spaced.end(), '+', ' ');
      return unquote(unquote(spaced));
    };
    if (!out.empty()) out.push_back('&');
    out += quote_plus(plus_unquote(name));
    out.push_back('=');
    out += quote_plus(plus_unquote(value));
  }
  return out;
}

// ---- IDNA --------------------------------------------------------------------------------------

struct NotIdna {};  // Python's UnicodeError: the caller falls back

// RFC 3492 Punycode of one label.
std::string punycode(const CodePoints& input) {
  constexpr std::uint32_t kBase = 36, kTmin = 1, kTmax = 26, kSkew = 38, kDamp = 700;
  const auto digit = [](std::uint32_t d) {
    return static_cast<char>(d < 26 ? 'a' + d : '0' + d - 26);
  };
  const auto adapt = [&](std::uint32_t delta, std::uint32_t points, bool first) {
    delta = first ? delta / kDamp : delta / 2;
    delta += delta / points;
    std::uint32_t k = 0;
    while (delta > ((kBase - kTmin) * kTmax) / 2) {
      delta /= kBase - kTmin;
      k += kBase;
    }
    return k + (kBase - kTmin + 1) * delta / (delta + kSkew);
  };
  std::string out;
  for (char32_t c : input)
    if (c < 0x80) out.push_back(static_cast<char>(c));
  const std::uint32_t basic = static_cast<std::uint32_t>(out.size());
  std::uint32_t handled = basic;
  if (basic > 0) out.push_back('-');
  std::uint32_t n = 0x80, delta = 0, bias = 72;
  while (handled < input.size()) {
    std::uint32_t m = 0x10FFFF + 1;
    for (char32_t c : input)
      if (c >= n && c < m) m = c;
    if ((m - n) > (0xFFFFFFFFu - delta) / (handled + 1)) throw NotIdna{};
    delta += (m - n) * (handled + 1);
    n = m;
    for (char32_t c : input) {
      if (c < n) ++delta;
      if (c != n) continue;
      std::uint32_t q = delta;
      for (std::uint32_t k = kBase;; k += kBase) {
        const std::uint32_t t = k <= bias ? kTmin : k >= bias + kTmax ? kTmax : k - bias;
        if (q < t) break;
        out.push_back(digit(t + (q - t) % (kBase - t)));
        q = (q - t) / (kBase - t);
      }
      out.push_back(digit(q));
      bias = adapt(delta, handled + 1, handled == basic);
      delta = 0;
      ++handled;
    }
    ++delta;
    ++n;
  }
  return out;
}

// domain.encode('idna'): ASCII names as they are (labels 1-63 long), others label by label.
std::string idna(std::string_view domain) {
  if (domain.empty()) return std::string();
  const auto code_points = decode(domain);
  const bool ascii =
      std::all_of(code_points.begin(), code_points.end(), [](char32_t c) { return c < 0x80; });
  std::vector<CodePoints> labels(1);
  for (char32_t c : code_points) {
    if (c == '.')
      labels.emplace_back();
    else
      labels.back().push_back(c);
  }
  std::string out;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    auto& label = labels[i];
    const bool last = i + 1 == labels.size();
    if (ascii) {
      if ((!last && label.empty()) || label.size() >= 64) throw NotIdna{};
    } else {
      if (label.empty() && !last) throw NotIdna{};
      for (char32_t& c : label) c = lower(c);  // nameprep, for ASCII letters only
    }
    if (i) out.push_back('.');
    const bool plain = std::all_of(label.begin(), label.end(), [](char32_t c) { return c < 0x80; });
    const std::string encoded = plain ? encode(label) : "xn--" + punycode(label);
    if (encoded.size() >= 64) throw NotIdna{};
    out += encoded;
  }
  return out;
}

// ---- smart_urlquote ----------------------------------------------------------------------------

std::string smart_urlquote(const std::string& url) {
  // urlsplit drops tabs and line breaks anywhere in the URL.
  std::string cleaned = url;
  std::erase_if(cleaned, [](char c) { return c == '\t' || c == '\r' || c == '\n'; });
  std::string scheme;
  std::string_view rest = cleaned;
  const std::size_t colon = rest.find(':');
  if (colon != std::string_view::npos && colon > 0 &&
      std::isalpha(static_cast<unsigned char>(rest[0]))) {
    const std::string_view candidate = rest.substr(0, colon);
    const bool valid = std::all_of(candidate.begin(), candidate.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
    });
    if (valid) {
      for (char c : candidate)
        scheme.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      rest.remove_prefix(colon + 1);
    }
  }
  std::string_view netloc;
  bool has_netloc = false;
  if (rest.substr(0, 2) == "//") {
    const std::size_t end = rest.find_first_of("/?#", 2);
    netloc = rest.substr(2, end == std::string_view::npos ? std::string_view::npos : end - 2);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
    has_netloc = true;
    const bool open = netloc.find('[') != std::string_view::npos;
    const bool close = netloc.find(']') != std::string_view::npos;
    if (open != close) return unquote_quote(url);  // invalid IPv6 URL
  }
  std::string_view fragment, query;
  if (const std::size_t hash = rest.find('#'); hash != std::string_view::npos) {
    fragment = rest.substr(hash + 1);
    rest = rest.substr(0, hash);
  }
  if (const std::size_t question = rest.find('?'); question != std::string_view::npos) {
    query = rest.substr(question + 1);
    rest = rest.substr(0, question);
  }
  std::string host;
  try {
    host = idna(netloc);
  } catch (const NotIdna&) {
    return unquote_quote(url);
  }
  std::string path = unquote_quote(rest);
  std::string out;
  (void)has_netloc;
  if (!host.empty() || scheme == "http" || scheme == "https") {
    out = "//";
    out += host;
    if (!path.empty() && path[0] != '/') out.push_back('/');
    out += path;
  } else {
    out = path;
  }
  if (!scheme.empty()) out = scheme + ":" + out;
  if (!query.empty()) {
    const std::string encoded = requote_query(query);
    if (!encoded.empty()) out += "?" + encoded;
  }
  const std::string quoted_fragment = unquote_quote(fragment);
  if (!quoted_fragment.empty()) out += "#" + quoted_fragment;
  return out;
}

// ---- urlize ------------------------------------------------------------------------------------

bool is_email_simple(const std::string& value) {
  const std::size_t at = value.find('@');
  if (at == std::string::npos || at == 0 || value.back() == '@') return false;
  if (value.find('@', at + 1) != std::string::npos) return false;
  const std::string domain = value.substr(at + 1);
  if (text::utf8_length(domain) > 63) return false;
  return domain.find('.') != std::string::npos && domain[0] != '.';
}

// ^https?://\[?\w (case-insensitive)
bool simple_url(const CodePoints& s) {
  std::size_t i = 0;
  if (!starts_with_ci(s, 0, "http")) return false;
  i = 4;
  if (i < s.size() && lower(s[i]) == 's') ++i;
  if (!starts_with_ci(s, i, "://")) return false;
  i += 3;
  if (i < s.size() && s[i] == '[') ++i;
  return i < s.size() && is_word(s[i]);
}

// ^www\.|^(?!http)\w[^@]+\.(com|edu|gov|int|mil|net|org)($|/.*)$ (case-insensitive)
bool simple_url_2(const CodePoints& s) {
  if (starts_with_ci(s, 0, "www.")) return true;
  if (s.empty() || starts_with_ci(s, 0, "http") || !is_word(s[0])) return false;
  static constexpr std::string_view kTlds[] = {"com", "edu", "gov", "int", "mil", "net", "org"};
  for (std::size_t dot = 2; dot + 3 < s.size(); ++dot) {
    if (s[dot - 1] == '@') return false;  // [^@]+ stops at the first '@'
    if (s[dot] != '.') continue;
    const bool tld = std::any_of(std::begin(kTlds), std::end(kTlds),
                                 [&](std::string_view t) { return starts_with_ci(s, dot + 1, t); });
    if (tld && (dot + 4 == s.size() || s[dot + 4] == '/')) return true;
  }
  return false;
}

std::size_t count_of(const CodePoints& s, char32_t c) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), c));
}

std::string urlize(const Value& in, std::int64_t trim_limit, bool autoescape) {
  const std::string& input = in.str();
  const bool safe_input = in.is_safe();
  const auto all = decode(input);
  // word_split_re: runs of whitespace, <, >, " and ' separate the words (and are kept).
  std::vector<std::pair<std::size_t, std::size_t>> pieces;
  for (std::size_t i = 0; i < all.size();) {
    const auto separator = [&](char32_t c) {
      return is_space(c) || c == '<' || c == '>' || c == '"' || c == '\'';
    };
    const bool sep = separator(all[i]);
    std::size_t j = i;
    while (j < all.size() && separator(all[j]) == sep) ++j;
    pieces.emplace_back(i, j);
    i = j;
  }
  std::string out;
  for (const auto& [from, to] : pieces) {
    const std::string word = encode(all, from, to);
    const auto plain = [&] {
      if (safe_input)
        out += word;
      else if (autoescape)
        out += text::escape(word);
      else
        out += word;
    };
    if (word.find_first_of(".@:") == std::string::npos) {
      plain();
      continue;
    }
    CodePoints middle(all.begin() + static_cast<std::ptrdiff_t>(from),
                      all.begin() + static_cast<std::ptrdiff_t>(to));
    std::string lead, trail;
    for (bool trimmed = true; trimmed;) {
      trimmed = false;
      for (const auto& [open, close] : {std::pair<char32_t, char32_t>{'(', ')'}, {'[', ']'}}) {
        if (!middle.empty() && middle.front() == open) {
          middle.erase(middle.begin());
          encode(open, lead);
          trimmed = true;
        }
        if (!middle.empty() && middle.back() == close &&
            count_of(middle, close) == count_of(middle, open) + 1) {
          middle.pop_back();
          std::string closing;
          encode(close, closing);
          trail = closing + trail;
          trimmed = true;
        }
      }
      const auto unescaped = decode(unescape(encode(middle)));
      std::size_t stripped = unescaped.size();
      while (stripped > 0 && std::u32string_view(U".,:;!").find(unescaped[stripped - 1]) !=
                                 std::u32string_view::npos)
        --stripped;
      if (stripped != unescaped.size()) {
        // As Django: the trail is cut from the raw text at the unescaped length.
        trail = encode(middle, std::min(stripped, middle.size())) + trail;
        const std::size_t removed = unescaped.size() - stripped;
        middle.resize(middle.size() > removed ? middle.size() - removed : 0);
        trimmed = true;
      }
    }
    const std::string middle_text = encode(middle);
    std::string url;
    bool nofollow = true;
    if (middle.size() <= kMaxUrlLength && simple_url(middle)) {
      url = smart_urlquote(unescape(middle_text));
    } else if (middle.size() <= kMaxUrlLength && simple_url_2(middle)) {
      url = smart_urlquote("http://" + unescape(middle_text));
    } else if (middle_text.find(':') == std::string::npos && is_email_simple(middle_text)) {
      const std::size_t at = middle_text.rfind('@');
      try {
        url = "mailto:" + middle_text.substr(0, at) + "@" + idna(middle_text.substr(at + 1));
      } catch (const NotIdna&) {
        out += word;  // Django leaves the word as it was
        continue;
      }
      nofollow = false;
    }
    if (url.empty()) {
      plain();
      continue;
    }
    std::string shown = middle_text;
    if (trim_limit >= 0 && middle.size() > static_cast<std::size_t>(trim_limit))
      shown =
          encode(middle, 0, static_cast<std::size_t>(std::max<std::int64_t>(0, trim_limit - 1))) +
          "\xE2\x80\xA6";
    if (autoescape && !safe_input) {
      lead = text::escape(lead);
      trail = text::escape(trail);
      shown = text::escape(shown);
    }
    out += lead;
    out += "<a href=\"" + text::escape(url) + "\"" + (nofollow ? " rel=\"nofollow\"" : "") + ">";
    out += shown;
    out += "</a>";
    out += trail;
  }
  return out;
}

}  // namespace

Value urlize_filter(const Value& in, const Value*, bool autoescape) {
  return mark_safe(urlize(in, -1, autoescape));
}

Value urlizetrunc_filter(const Value& in, const Value* arg, bool autoescape) {
  const auto limit = python_int(*arg);
  if (!limit) throw Error("urlizetrunc: the limit must be an integer");
  return mark_safe(urlize(in, std::max<std::int64_t>(*limit, 0), autoescape));
}

}  // namespace templates::detail
