// Fuzz target: the Cookie header as the session and CSRF middleware read it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "auth/session.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  http::Request request;
  request.headers.add("Cookie", std::string(reinterpret_cast<const char*>(data), size));
  (void)auth::request_cookie(request, "sessionid");
  (void)auth::request_cookie(request, "csrftoken");
  return 0;
}
