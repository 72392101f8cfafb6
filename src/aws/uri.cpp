#include "aws/uri.hpp"

#include <cctype>
#include <charconv>
#include <vector>

#include "aws/error.hpp"
#include "aws/strings.hpp"
#include "base/percent.hpp"

namespace aws {
namespace {

bool is_unreserved(unsigned char c) {
  return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~';
}

}  // namespace

std::string uri_encode(std::string_view text, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    if (is_unreserved(c) || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 0x0f]);
    }
  }
  return out;
}

std::string uri_decode(std::string_view text) { return base::percent_decode_lenient(text); }

std::string normalize_path(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    const std::string_view segment = path.substr(start, end - start);
    if (!segment.empty() && segment != ".") {
      if (segment == "..") {
        if (!segments.empty()) segments.pop_back();
      } else {
        segments.push_back(segment);
      }
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  std::string out = path.front() == '/' ? "/" : "";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out.push_back('/');
    out.append(segments[i]);
  }
  if (path.back() == '/' && !segments.empty()) out.push_back('/');
  return out;
}

Url parse_url(std::string_view text) {
  Url url;
  const std::size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) {
    throw Error("ConfigError", cat({"URL has no scheme: ", text.substr(0, 200)}));
  }
  for (char c : text.substr(0, scheme_end)) {
    url.scheme.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  std::string_view rest = text.substr(scheme_end + 3);
  const std::size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  rest = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);
  }
  std::size_t colon = authority.rfind(':');
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) throw Error("ConfigError", "bad IPv6 host in URL");
    colon = authority.find(':', close);
  }
  if (colon != std::string_view::npos) {
    const std::string_view port = authority.substr(colon + 1);
    int value = 0;
    const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || ptr != port.data() + port.size() || value <= 0 || value > 65535) {
      throw Error("ConfigError", "bad port in URL");
    }
    url.port = value;
    authority = authority.substr(0, colon);
  }
  if (authority.empty()) throw Error("ConfigError", "URL has no host");
  url.host = std::string(authority);
  if (const std::size_t hash = rest.find('#'); hash != std::string_view::npos) {
    rest = rest.substr(0, hash);
  }
  const std::size_t question = rest.find('?');
  url.path = std::string(rest.substr(0, question));
  if (question != std::string_view::npos) url.query = std::string(rest.substr(question + 1));
  return url;
}

std::string host_header(const Url& url) {
  std::string host = to_lower(url.host);
  const int default_port = url.scheme == "https" ? 443 : url.scheme == "http" ? 80 : 0;
  if (url.port != 0 && url.port != default_port) host = cat({host, ":", std::to_string(url.port)});
  return host;
}

}  // namespace aws
