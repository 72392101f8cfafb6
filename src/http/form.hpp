// http: the fields of an application/x-www-form-urlencoded request body (Django's request.POST),
// parsed once per request and bounded: a body may hold at most kMaxFormFields fields, as Django's
// DATA_UPLOAD_MAX_NUMBER_FIELDS, so a 2.5 MB "a&a&a..." costs no more memory than a real form.
// Knows nothing of sessions, CSRF or views.
//
//   const http::FormData& form = http::form(request);   // throws HttpError(400) past the cap
//   std::string name = http::form_value(form, "name");
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "http/request.hpp"

namespace http {

// Django's default DATA_UPLOAD_MAX_NUMBER_FIELDS: more fields than this is a 400.
inline constexpr std::size_t kMaxFormFields = 1000;

// Parses "a=1&b=x+y%21"; malformed escapes are kept literally, as browsers never send them.
// Throws HttpError(400) as soon as the body holds more than `max_fields` fields.
FormData parse_urlencoded(std::string_view body, std::size_t max_fields = kMaxFormFields);

// The request's form fields when its Content-Type is application/x-www-form-urlencoded, else an
// empty map. Parsed on the first call and kept in the request, so the CSRF check and the view
// share one parse. Throws HttpError(400) past kMaxFormFields.
const FormData& form(const Request& request);

// First value of `name`, or "".
std::string form_value(const FormData& form, std::string_view name);

}  // namespace http
