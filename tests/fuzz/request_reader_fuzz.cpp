// Fuzz target: the bytes a client sends, through the request reader the server uses (header
// scanner, Beast's parser, our framing rules), as one or more pipelined requests arriving in
// pieces. Invariants: never more consumed than given, a complete request has a method and an
// origin-form path, an error has a 4xx/5xx status.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/request_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte chooses how the rest arrives: in pieces of 1..256 bytes.
  const std::size_t piece = 1 + data[0];
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  http::RequestReader reader(8 * 1024, 64 * 1024);
  http::Request request;
  reader.start(request);
  std::string buffer;
  for (std::size_t offset = 0; offset < input.size() || !buffer.empty();) {
    if (offset < input.size()) {
      buffer.append(input.substr(offset, piece));
      offset += piece;
    }
    std::size_t used = 0;
    const auto result = reader.read(buffer, used);
    if (used > buffer.size()) std::abort();
    buffer.erase(0, used);
    if (result == http::RequestReader::Result::error) {
      if (reader.error_status() < 400 || reader.error_status() > 599) std::abort();
      return 0;
    }
    if (result == http::RequestReader::Result::complete) {
      if (request.method.empty() || request.path.empty() || request.path.front() != '/')
        std::abort();
      request = http::Request{};
      reader.start(request);
      continue;
    }
    if (offset >= input.size()) break;  // need more, and nothing more comes
  }
  return 0;
}
