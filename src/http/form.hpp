// http: the fields of an application/x-www-form-urlencoded or multipart/form-data request body
// (Django's request.POST and request.FILES), parsed once per request and bounded: a body may hold
// at most kMaxFormFields fields and kMaxFormFiles files, as Django's DATA_UPLOAD_MAX_NUMBER_FIELDS
// and DATA_UPLOAD_MAX_NUMBER_FILES, so a 2.5 MB "a&a&a..." costs no more memory than a real form.
// Knows nothing of sessions, CSRF or views.
//
//   const http::FormData& form = http::form(request);   // throws HttpError(400) past the cap
//   std::string name = http::form_value(form, "name");
//   for (const auto& [field, file] : http::files(request)) save(file.filename, file.content);
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "http/request.hpp"

namespace http {

// Django's default DATA_UPLOAD_MAX_NUMBER_FIELDS: more fields than this is a 400.
inline constexpr std::size_t kMaxFormFields = 1000;
// Django's default DATA_UPLOAD_MAX_NUMBER_FILES: more files than this is a 400.
inline constexpr std::size_t kMaxFormFiles = 100;
// The header section of one part of a multipart body, at most (as the request's own header).
inline constexpr std::size_t kMaxPartHeaderBytes = 8 * 1024;

// Parses "a=1&b=x+y%21"; malformed escapes are kept literally, as browsers never send them.
// Throws HttpError(400) as soon as the body holds more than `max_fields` fields.
FormData parse_urlencoded(std::string_view body, std::size_t max_fields = kMaxFormFields);

struct Multipart {
  FormData fields;
  Files files;
};

// The boundary parameter of a multipart/form-data Content-Type (RFC 2046: 1-70 characters,
// quoted or not); nullopt when the type is not multipart/form-data or the boundary is missing
// or malformed.
std::optional<std::string> multipart_boundary(std::string_view content_type);

// Parses a multipart/form-data body (RFC 7578) as Django's MultiPartParser does: a part without
// a name is skipped, a part with a non-empty filename is a file (skipped when nothing is left of
// the name once its directory part is removed), any other part a field (an empty file input is
// the field ""). Throws HttpError(400) for a body
// that is not well-formed (no delimiter, an unterminated part, a part header section over
// kMaxPartHeaderBytes) and as soon as it holds more than `max_fields` fields or `max_files` files.
Multipart parse_multipart(std::string_view body, std::string_view boundary,
                          std::size_t max_fields = kMaxFormFields,
                          std::size_t max_files = kMaxFormFiles);

// The request's form fields when its Content-Type is application/x-www-form-urlencoded or
// multipart/form-data, else an empty map. Parsed on the first call and kept in the request, so
// the CSRF check and the view share one parse. Throws HttpError(400) past the caps or for a
// malformed multipart body.
const FormData& form(const Request& request);
// The files of a multipart/form-data body (empty for any other); parsed with form().
const Files& files(const Request& request);

// First value of `name`, or "".
std::string form_value(const FormData& form, std::string_view name);

}  // namespace http
