// Fuzz target: XML from AWS (S3 listings, errors) through expat and the tree builder.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "aws/error.hpp"
#include "aws/xml.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto root = aws::parse_xml(std::string_view(reinterpret_cast<const char*>(data), size));
    (void)root.child_text("Code");
  } catch (const aws::Error&) {
  }
  return 0;
}
