// Fuzz target: what the Lambda Runtime API answers to GET /runtime/invocation/next (headers and
// body, one "name: value" header per line until an empty line), and the error documents the
// runtime sends back (a message cut on a UTF-8 boundary).
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "lambda/runtime_api.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::map<std::string, std::string> headers;
  while (!input.empty()) {
    const auto end = input.find('\n');
    const std::string_view line = input.substr(0, end);
    input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
    if (line.empty()) break;
    const auto colon = line.find(':');
    if (colon != std::string_view::npos)
      headers[std::string(line.substr(0, colon))] = std::string(line.substr(colon + 1));
  }
  try {
    (void)lambda::invocation_from(headers, std::string(input));
  } catch (const lambda::RuntimeApiError&) {
  }
  (void)lambda::error_document(std::string(input.substr(0, 64)), std::string(input));
  return 0;
}
