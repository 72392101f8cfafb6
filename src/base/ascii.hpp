// base: ASCII case folding and trimming for protocol text (header names, media types, host
// names, parameters), independent of the C locale. The one home of these for every layer.
//
//   base::to_lower("Form-Data")      // "form-data"
//   base::trim(" \tvalue\r\n")       // "value"
#pragma once

#include <string>
#include <string_view>

namespace base {

// A-Z to a-z; every other byte (UTF-8 included) unchanged.
std::string to_lower(std::string_view text);

// Without leading and trailing spaces, tabs, CRs and LFs.
std::string_view trim(std::string_view text);

}  // namespace base
