// base: percent-decoding as URLs and form bodies are read leniently (RFC 3986 section 2.1
// escapes; Python's urllib.parse.unquote_to_bytes and unquote_plus): "%XX" becomes the byte,
// anything else, a malformed escape included, is kept as it is. The one home of this rule for the
// form reader, multipart's RFC 5987 values, S3 keys and collectstatic's CSS references. (The
// request target's strict decoder, which refuses malformed escapes, is http::percent_decode.)
//
//   base::percent_decode_lenient("a%20b%zz")          // "a b%zz"
//   base::percent_decode_lenient("a+b%2B", true)      // "a b+" (application/x-www-form-urlencoded)
#pragma once

#include <string>
#include <string_view>

namespace base {

// The value of a hexadecimal digit (either case), or -1.
int hex_digit_value(char c) noexcept;

// Decodes every well-formed %XX escape; with `plus_as_space`, '+' is a space (form bodies).
std::string percent_decode_lenient(std::string_view text, bool plus_as_space = false);

}  // namespace base
