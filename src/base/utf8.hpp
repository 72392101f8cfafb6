// base: UTF-8 well-formedness (RFC 3629, Unicode's table 3-7), for every layer that must not
// pass on bytes that are not text: JSON logs, CSS that Django decodes, URL unquoting. Knows
// nothing of any other layer.
//
//   if (!base::is_utf8(css)) ...
//   base::append_replacing_invalid(out, bytes);   // Python's bytes.decode('utf-8', 'replace')
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace base {

// Length of the well-formed UTF-8 sequence at s[i], or 0 with `bad` set to the length of the
// maximal ill-formed subpart (what Python replaces with one U+FFFD).
std::size_t utf8_sequence(std::string_view s, std::size_t i, std::size_t& bad);

// Whether `text` is well-formed UTF-8 (Python's bytes.decode('utf-8') would succeed).
bool is_utf8(std::string_view text);

// Appends `bytes` with each maximal ill-formed subpart replaced by U+FFFD, as Python does.
void append_replacing_invalid(std::string& out, std::string_view bytes);

}  // namespace base
