// base: a string as Python's json.dumps() writes it with its defaults (ensure_ascii): quoted,
// '"' and '\\' and the usual control characters escaped, everything outside printable ASCII as
// \uXXXX (lowercase hex, surrogate pairs above U+FFFF), bytes that are not UTF-8 as Python's
// surrogateescape gives them. Django writes staticfiles.json and json_script this way.
//
//   base::python_json_quote("café")  // "\"caf\\u00e9\""
#pragma once

#include <string>
#include <string_view>

namespace base {

std::string python_json_quote(std::string_view text);

}  // namespace base
