// http: the request a handler sees. Filled by the server from the wire, then enriched by
// the router (path parameters) and middleware (request id). No sockets, no Beast.
#pragma once

#include <any>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/headers.hpp"

namespace http {

// Form fields (http/form.hpp): name -> value, in the body's order for equal names.
using FormData = std::multimap<std::string, std::string, std::less<>>;

// A file of a multipart/form-data body (Django's request.FILES), held in memory: a whole body is
// at most the server's max_body_bytes (2.5 MB by default).
struct UploadedFile {
  std::string filename;      // as the client named it, without any directory part
  std::string content_type;  // as sent; "" when absent
  std::string content;
};
using Files = std::multimap<std::string, UploadedFile, std::less<>>;

struct Request {
  std::string method;  // "GET", as sent (methods are case-sensitive)
  std::string target;  // the raw request-target: "/a%20b/?x=1"
  std::string path;    // percent-decoded path: "/a b/"
  std::string query;   // raw query string without '?': "x=1"
  int version = 11;    // 10 or 11
  Headers headers;
  std::string body;
  std::string remote_address;  // peer IP as text

  // Set by the router from typed path parameters (<int:id> -> params["id"]).
  std::map<std::string, std::string, std::less<>> params;
  // Set by the request-id middleware.
  std::string request_id;
  // Set by site middleware (sessions, CSRF, auth) for its own typed accessors
  // (auth::session(request), auth::user(request)); http never reads it.
  std::map<std::string, std::any, std::less<>> context;
  // http::form()'s parse of the body, made on its first call and shared by CSRF and the view.
  mutable std::shared_ptr<const FormData> parsed_form;
  // ... and the files of a multipart/form-data body (http::files()).
  mutable std::shared_ptr<const Files> parsed_files;

  std::string_view header(std::string_view name) const { return headers.get(name).value_or(""); }
  // Value of the `name` path parameter, or "".
  std::string_view param(std::string_view name) const;
  // The <int:...> parameter `name`; nullopt when absent or not an integer.
  std::optional<std::int64_t> param_int(std::string_view name) const;
  // The Host header without port, lower-cased; "" when absent.
  std::string host() const;
  // What follows the host in the Host header: ":8000" for "example.com:8000", "" for
  // "example.com". Not validated: "127.0.0.1:@evil.example" gives ":@evil.example".
  std::string_view host_suffix() const;
};

// Builds a Request from a target such as "/a%20b?x=1": sets target, path and query.
// Returns false when the target is not origin-form or its percent-encoding is malformed.
bool set_target(Request& request, std::string_view target);

// Python's urllib.parse.quote: escapes every byte but letters, digits, "_.-~" and `safe`.
std::string percent_encode(std::string_view text, std::string_view safe = "/");

// Decodes %XX escapes. nullopt on a malformed escape or an encoded NUL.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace http
