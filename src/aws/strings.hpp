// aws: small string helpers shared inside src/aws (concatenation, case folding, trimming).
// Knows nothing of AWS; exists so every file does not grow its own copy.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "base/ascii.hpp"

namespace aws {

// Joins the pieces; avoids GCC 12's -Wrestrict false positive on "literal" + std::string.
std::string cat(std::initializer_list<std::string_view> pieces);

using base::to_lower;
using base::trim;
std::string to_upper(std::string_view text);

}  // namespace aws
