// Fuzz target: form bodies and query strings (http/form.hpp) and request targets
// (percent-decoding, http::set_target). Invariant: at most kMaxFormFields fields, else HttpError.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/form.hpp"
#include "http/http_error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    const auto fields = http::parse_urlencoded(input, 16);
    if (fields.size() > 16) std::abort();
  } catch (const http::HttpError& e) {
    if (e.status() != 400) std::abort();
  }
  http::Request request;
  if (http::set_target(request, input) && (request.path.empty() || request.path.front() != '/'))
    std::abort();
  (void)http::percent_decode(input);
  return 0;
}
