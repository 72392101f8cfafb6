#include "staticfiles/css_rewrite.hpp"

#include <optional>

#include "staticfiles/url_parts.hpp"

namespace staticfiles {

namespace {

bool is_quote(char c) { return c == '"' || c == '\''; }

// ASCII case-insensitive "starts with `word` at i" (re.IGNORECASE on an ASCII word).
bool word_at(std::string_view s, std::size_t i, std::string_view word) {
  if (s.size() - i < word.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k) {
    char c = s[i + k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != word[k]) return false;
  }
  return true;
}

std::size_t skip_space(std::string_view s, std::size_t i) {
  while (i < s.size()) {
    auto n = py::whitespace_at(s, i);
    if (n == 0) break;
    i += n;
  }
  return i;
}

struct Match {
  std::size_t end;        // one past the whole match
  std::size_t url_begin;  // group 2
  std::size_t url_end;
};

// (url\(['"]{0,1}\s*(.*?)["']{0,1}\)) at i. The lazy group stops at the first ')' or quote+')'
// before a newline; backtracking the optional opening quote or \s* cannot find another match.
std::optional<Match> match_url(std::string_view s, std::size_t i) {
  if (!word_at(s, i, "url(")) return std::nullopt;
  std::size_t j = i + 4;
  if (j < s.size() && is_quote(s[j])) ++j;
  j = skip_space(s, j);
  for (std::size_t p = j; p < s.size(); ++p) {
    if (is_quote(s[p]) && p + 1 < s.size() && s[p + 1] == ')') return Match{p + 2, j, p};
    if (s[p] == ')') return Match{p + 1, j, p};
    if (s[p] == '\n') break;
  }
  return std::nullopt;
}

// (@import\s*["']\s*(.*?)["']) at i.
std::optional<Match> match_import(std::string_view s, std::size_t i) {
  if (!word_at(s, i, "@import")) return std::nullopt;
  std::size_t j = skip_space(s, i + 7);
  if (j >= s.size() || !is_quote(s[j])) return std::nullopt;
  j = skip_space(s, j + 1);
  for (std::size_t p = j; p < s.size(); ++p) {
    if (is_quote(s[p])) return Match{p + 1, j, p};
    if (s[p] == '\n') break;
  }
  return std::nullopt;
}

// re.match(r'^[a-z]+:', url): data:, http:, https: ... (lowercase only, as in Django).
bool has_scheme(std::string_view url) {
  std::size_t i = 0;
  while (i < url.size() && url[i] >= 'a' && url[i] <= 'z') ++i;
  return i > 0 && i < url.size() && url[i] == ':';
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// HashedFilesMixin.url_converter's converter().
std::string convert(std::string_view css_name, std::string_view matched, std::string_view url,
                    std::string_view static_url, std::string_view prefix,
                    const StoredNameLookup& stored_name) {
  if (has_scheme(url)) return std::string(matched);
  if (!url.empty() && url.front() == '/' && url.substr(0, static_url.size()) != static_url)
    return std::string(matched);
  auto [url_path, fragment] = py::urldefrag(url);
  std::string target_name = !url_path.empty() && url_path.front() == '/'
                                ? url_path.substr(static_url.size())
                                : py::join(py::dirname(css_name), url_path);
  // HashedFilesMixin._url(force=True): directories keep their name, files get their hash.
  std::string target = py::unquote(target_name);
  std::string clean = py::urldefrag(target).url;
  std::string hashed = ends_with(py::urlsplit(clean).path, "/") ? target : stored_name(clean);
  auto slash = hashed.rfind('/');
  std::string_view last =
      std::string_view(hashed).substr(slash == std::string::npos ? 0 : slash + 1);
  // Django joins it to STATIC_URL with urljoin(), which resolves a last "." or ".." segment.
  if (last == "." || last == "..") last = {};

  auto path_slash = url_path.rfind('/');
  std::string transformed =
      (path_slash == std::string::npos ? std::string() : url_path.substr(0, path_slash + 1)) +
      std::string(last);
  if (!fragment.empty())
    transformed += (url.find("?#") != std::string_view::npos ? "?#" : "#") + fragment;
  std::string out(prefix);
  out += py::unquote(transformed);
  out += "\")";
  return out;
}

template <typename Matcher>
std::string substitute(std::string_view css_name, std::string_view content, Matcher match,
                       std::string_view static_url, std::string_view prefix,
                       const StoredNameLookup& stored_name) {
  std::string out;
  out.reserve(content.size() + 64);
  std::size_t copied = 0;
  for (std::size_t i = 0; i < content.size();) {
    char c = content[i];
    if (c != 'u' && c != 'U' && c != '@') {
      ++i;
      continue;
    }
    auto m = match(content, i);
    if (!m) {
      ++i;
      continue;
    }
    out.append(content.substr(copied, i - copied));
    out += convert(css_name, content.substr(i, m->end - i),
                   content.substr(m->url_begin, m->url_end - m->url_begin), static_url, prefix,
                   stored_name);
    i = copied = m->end;
  }
  out.append(content.substr(copied));
  return out;
}

}  // namespace

bool is_adjustable(std::string_view name) { return ends_with(name, ".css"); }

std::string rewrite_css(std::string_view name, std::string_view content,
                        std::string_view static_url, const StoredNameLookup& stored_name) {
  std::string first = substitute(name, content, match_url, static_url, "url(\"", stored_name);
  return substitute(name, first, match_import, static_url, "@import url(\"", stored_name);
}

}  // namespace staticfiles
