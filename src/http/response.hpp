// http: the response a handler returns. Plain data; the server writes it to the wire.
#pragma once

#include <string>
#include <string_view>

#include "http/headers.hpp"

namespace http {

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  // A response with `body` and the given Content-Type.
  static Response text(int status, std::string body,
                       std::string_view content_type = "text/plain; charset=utf-8");
  static Response html(int status, std::string body);
  // A redirect to `location` (301 permanent by default, as Django's APPEND_SLASH sends).
  static Response redirect(std::string location, int status = 301);
};

// "Not Found" for 404: the reason phrase of a status code, "" for an unknown one.
std::string_view reason_phrase(int status) noexcept;

}  // namespace http
