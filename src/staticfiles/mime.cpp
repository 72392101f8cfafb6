#include "staticfiles/mime.hpp"

#include <array>
#include <utility>

namespace staticfiles {

std::string_view content_type_for(std::string_view filename) noexcept {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 26> kTypes{{
      {"css", "text/css; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"json", "application/json"},
      {"map", "application/json"},
      {"html", "text/html; charset=utf-8"},
      {"txt", "text/plain; charset=utf-8"},
      {"xml", "application/xml"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"avif", "image/avif"},
      {"ico", "image/vnd.microsoft.icon"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"ttf", "font/ttf"},
      {"otf", "font/otf"},
      {"pdf", "application/pdf"},
      {"wasm", "application/wasm"},
      {"mp4", "video/mp4"},
      {"webm", "video/webm"},
      {"mp3", "audio/mpeg"},
      {"zip", "application/zip"},
  }};
  auto dot = filename.rfind('.');
  auto slash = filename.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash))
    return "application/octet-stream";
  auto ext = filename.substr(dot + 1);
  for (const auto& [e, type] : kTypes) {
    if (e.size() != ext.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < e.size() && same; ++i) {
      char c = ext[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      same = c == e[i];
    }
    if (same) return type;
  }
  return "application/octet-stream";
}

}  // namespace staticfiles
