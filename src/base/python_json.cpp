#include "base/python_json.hpp"

#include <cstdint>
#include <cstdio>

#include "base/utf8.hpp"

namespace base {

std::string python_json_quote(std::string_view text) {
  std::string out = "\"";
  auto escape = [&out](unsigned code) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "\\u%04x", code);
    out += buf;
  };
  for (std::size_t i = 0; i < text.size();) {
    auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      switch (b) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        default:
          if (b < 0x20 || b == 0x7F)
            escape(b);
          else
            out += static_cast<char>(b);
      }
      ++i;
      continue;
    }
    std::size_t bad = 0;
    std::size_t n = utf8_sequence(text, i, bad);
    if (n == 0) {  // a file name that is not UTF-8: Python's surrogateescape
      escape(0xDC00 + b);
      ++i;
      continue;
    }
    std::uint32_t code = n == 2 ? (b & 0x1Fu) : n == 3 ? (b & 0x0Fu) : (b & 0x07u);
    for (std::size_t k = 1; k < n; ++k)
      code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
    if (code >= 0x10000) {
      code -= 0x10000;
      escape(0xD800 + (code >> 10));
      escape(0xDC00 + (code & 0x3FF));
    } else {
      escape(code);
    }
    i += n;
  }
  out += '"';
  return out;
}

}  // namespace base
