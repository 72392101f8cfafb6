// Fuzz target: the base layer's readers (RFC 3339 times, UTF-8) and the JSON access log line,
// which must parse as JSON whatever path it carries.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/time.hpp"
#include "base/utf8.hpp"
#include "http/middleware.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)base::parse_rfc3339(input);
  std::string replaced;
  base::append_replacing_invalid(replaced, input);
  if (!base::is_utf8(replaced)) std::abort();

  std::string line;
  auto log = http::access_log([&line](std::string_view l) { line = l; });
  http::Request request;
  request.method = "GET";
  request.path = std::string(input);
  (void)log(request, [](http::Request&) { return http::Response::text(200, "ok"); });
  if (!nlohmann::json::accept(line)) std::abort();
  return 0;
}
