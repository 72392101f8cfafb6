#include "staticfiles/url_parts.hpp"

#include <cstdint>
#include <cstdio>
#include <vector>

#include "base/percent.hpp"
#include "base/utf8.hpp"

namespace staticfiles::py {

bool is_utf8(std::string_view text) { return base::is_utf8(text); }

std::string unquote(std::string_view text) {
  if (text.find('%') == std::string_view::npos) return std::string(text);
  // Python decodes each run of ASCII characters separately; other characters pass through.
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t start = i;
    bool ascii = static_cast<unsigned char>(text[i]) < 0x80;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) < 0x80) == ascii) ++i;
    auto run = text.substr(start, i - start);
    if (!ascii) {
      out.append(run);
      continue;
    }
    base::append_replacing_invalid(out, base::percent_decode_lenient(run));
  }
  return out;
}

std::string normpath(std::string_view path) {
  if (path.empty()) return ".";
  std::size_t initial_slashes = 0;
  if (path.front() == '/') {
    initial_slashes = 1;
    if (path.substr(0, 2) == "//" && path.substr(0, 3) != "///") initial_slashes = 2;
  }
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    auto comp = path.substr(start, end - start);
    start = end + 1;
    if (comp.empty() || comp == ".") continue;
    if (comp != ".." || (initial_slashes == 0 && parts.empty()) ||
        (!parts.empty() && parts.back() == "..")) {
      parts.push_back(comp);
    } else if (!parts.empty()) {
      parts.pop_back();
    }
  }
  std::string out(initial_slashes, '/');
  for (std::size_t k = 0; k < parts.size(); ++k) {
    if (k > 0) out += '/';
    out.append(parts[k]);
  }
  return out.empty() ? "." : out;
}

std::string_view dirname(std::string_view path) {
  auto slash = path.rfind('/');
  if (slash == std::string_view::npos) return {};
  auto head = path.substr(0, slash + 1);
  // Trailing slashes go, unless the head is all slashes.
  auto last = head.find_last_not_of('/');
  return last == std::string_view::npos ? head : head.substr(0, last + 1);
}

std::string join(std::string_view a, std::string_view b) {
  if (!b.empty() && b.front() == '/') return std::string(b);
  if (a.empty() || a.back() == '/') return std::string(a) + std::string(b);
  return std::string(a) + "/" + std::string(b);
}

Defragged urldefrag(std::string_view url) {
  auto hash = url.find('#');
  if (hash == std::string_view::npos) return {std::string(url), {}};
  std::string defrag(url.substr(0, hash));
  // urlunparse drops an empty query: "font.eot?#iefix" -> "font.eot".
  auto query = defrag.find('?');
  if (query != std::string::npos && query + 1 == defrag.size()) defrag.pop_back();
  return {std::move(defrag), std::string(url.substr(hash + 1))};
}

SplitUrl urlsplit(std::string_view url) {
  SplitUrl out;
  auto hash = url.find('#');
  if (hash != std::string_view::npos) {
    out.fragment = url.substr(hash + 1);
    url = url.substr(0, hash);
  }
  auto query = url.find('?');
  if (query != std::string_view::npos) {
    out.query = url.substr(query + 1);
    url = url.substr(0, query);
  }
  out.path = url;
  return out;
}

std::size_t whitespace_at(std::string_view t, std::size_t i) {
  auto at = [&](std::size_t k) { return k < t.size() ? static_cast<unsigned char>(t[k]) : 0u; };
  unsigned b = at(i);
  if (b == ' ' || (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x1F)) return 1;
  if (b == 0xC2 && (at(i + 1) == 0x85 || at(i + 1) == 0xA0)) return 2;
  if (b == 0xE1 && at(i + 1) == 0x9A && at(i + 2) == 0x80) return 3;  // U+1680
  if (b == 0xE2 && at(i + 1) == 0x80) {
    unsigned c = at(i + 2);
    if ((c >= 0x80 && c <= 0x8A) || c == 0xA8 || c == 0xA9 || c == 0xAF) return 3;
  }
  if (b == 0xE2 && at(i + 1) == 0x81 && at(i + 2) == 0x9F) return 3;  // U+205F
  if (b == 0xE3 && at(i + 1) == 0x80 && at(i + 2) == 0x80) return 3;  // U+3000
  return 0;
}

std::string_view strip(std::string_view text) {
  std::size_t n;
  while (!text.empty() && (n = whitespace_at(text, 0)) > 0) text.remove_prefix(n);
  // Trailing: try every multi-byte space that could end the text.
  for (bool again = true; again && !text.empty();) {
    again = false;
    for (std::size_t len = 1; len <= 3 && len <= text.size(); ++len) {
      if (whitespace_at(text, text.size() - len) == len) {
        text.remove_suffix(len);
        again = true;
        break;
      }
    }
  }
  return text;
}

SplitExt splitext(std::string_view base) {
  auto dot = base.rfind('.');
  if (dot == std::string_view::npos) return {base, {}};
  for (std::size_t i = 0; i < dot; ++i)
    if (base[i] != '.') return {base.substr(0, dot), base.substr(dot)};
  return {base, {}};  // only dots before the last one: ".bashrc"
}

}  // namespace staticfiles::py
