// aws: small string helpers shared inside src/aws (concatenation, case folding, trimming).
// Knows nothing of AWS; exists so every file does not grow its own copy.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace aws {

// Joins the pieces; avoids GCC 12's -Wrestrict false positive on "literal" + std::string.
std::string cat(std::initializer_list<std::string_view> pieces);

std::string to_lower(std::string_view text);
std::string to_upper(std::string_view text);
std::string_view trim(std::string_view text);

}  // namespace aws
