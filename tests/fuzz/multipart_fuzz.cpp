// Fuzz target: multipart/form-data bodies (http/form.hpp). The input's first line is the
// Content-Type, the rest the body. Invariants: a parse either returns at most the capped number
// of fields and files, every file with a name free of directory parts, or throws HttpError(400).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/form.hpp"
#include "http/http_error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto eol = input.find('\n');
  std::string_view content_type = input.substr(0, eol);
  std::string_view body =
      eol == std::string_view::npos ? std::string_view() : input.substr(eol + 1);
  auto boundary = http::multipart_boundary(content_type);
  if (!boundary) return 0;
  if (boundary->empty() || boundary->size() > 70) std::abort();
  try {
    const auto parsed = http::parse_multipart(body, *boundary, 8, 4);
    if (parsed.fields.size() > 8 || parsed.files.size() > 4) std::abort();
    for (const auto& [name, file] : parsed.files)
      if (file.filename.empty() || file.filename.find_first_of("/\\") != std::string::npos ||
          file.content.size() > body.size())
        std::abort();
  } catch (const http::HttpError& e) {
    if (e.status() != 400) std::abort();
  }
  return 0;
}
