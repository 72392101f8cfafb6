// aws: percent-encoding and URL pieces exactly as SigV4 defines them (RFC 3986 unreserved set).
// Knows nothing of signing keys, credentials or HTTP transport.
#pragma once

#include <string>
#include <string_view>

namespace aws {

// Percent-encodes every byte except A-Z a-z 0-9 - _ . ~ (and '/' when keep_slash).
// Example: uri_encode("a b/c", true) == "a%20b/c".
std::string uri_encode(std::string_view text, bool keep_slash = false);

// Decodes %XX escapes ('+' stays '+'); malformed escapes are kept literally.
std::string uri_decode(std::string_view text);

// RFC 3986 dot-segment removal that also collapses empty segments, as SigV4 (and botocore)
// normalise non-S3 paths. "" -> "/", "/a/./b/../c//" -> "/a/c/".
std::string normalize_path(std::string_view path);

// A URL split into the parts a signer and an HTTP client need.
struct Url {
  std::string scheme;  // "https"
  std::string host;    // as written (case kept)
  int port = 0;        // 0 when none was written
  std::string path;    // as written (already percent-encoded); may be empty
  std::string query;   // without '?'; may be empty
};

// Parses scheme://host[:port][/path][?query]. Throws aws::Error("ConfigError") if malformed.
Url parse_url(std::string_view url);

// The Host header value for `url`: lowercase host, port only when not the scheme's default.
std::string host_header(const Url& url);

}  // namespace aws
