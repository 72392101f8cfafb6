// auth: reads application/x-www-form-urlencoded request bodies (login forms, CSRF tokens).
// Knows nothing of sessions or the database.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "http/request.hpp"

namespace auth {

using FormData = std::multimap<std::string, std::string, std::less<>>;

// Parses "a=1&b=x+y%21"; malformed escapes are kept literally, as browsers never send them.
FormData parse_urlencoded(std::string_view body);

// The request's form fields when its Content-Type is application/x-www-form-urlencoded, else {}.
FormData form_data(const http::Request& request);

// First value of `name`, or "".
std::string form_value(const FormData& form, std::string_view name);

}  // namespace auth
