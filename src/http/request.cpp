#include "http/request.hpp"

#include <charconv>

namespace http {

std::string_view Request::param(std::string_view name) const {
  auto it = params.find(name);
  return it == params.end() ? std::string_view() : std::string_view(it->second);
}

std::optional<std::int64_t> Request::param_int(std::string_view name) const {
  auto text = param(name);
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

namespace {

// Where the host ends in a Host header: "[::1]:8000" keeps the brackets; "example.com:8000"
// ends before the last colon.
std::size_t host_end(std::string_view h) {
  if (!h.empty() && h.front() == '[') {
    auto close = h.find(']');
    return close == std::string_view::npos ? h.size() : close + 1;
  }
  auto colon = h.rfind(':');
  return colon == std::string_view::npos ? h.size() : colon;
}

}  // namespace

std::string_view Request::host_suffix() const {
  std::string_view h = header("Host");
  return h.substr(host_end(h));
}

std::string Request::host() const {
  std::string_view h = header("Host");
  std::string out(h.substr(0, host_end(h)));
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c != '%') {
      out.push_back(c);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    auto hex = [](char h) -> int {
      if (h >= '0' && h <= '9') return h - '0';
      if (h >= 'a' && h <= 'f') return h - 'a' + 10;
      if (h >= 'A' && h <= 'F') return h - 'A' + 10;
      return -1;
    };
    int hi = hex(text[i + 1]);
    int lo = hex(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    char decoded = static_cast<char>(hi * 16 + lo);
    if (decoded == '\0') return std::nullopt;
    out.push_back(decoded);
    i += 2;
  }
  return out;
}

std::string percent_encode(std::string_view text, std::string_view safe) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    bool plain = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                 u == '_' || u == '.' || u == '-' || u == '~' ||
                 safe.find(c) != std::string_view::npos;
    if (plain) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xf]);
    }
  }
  return out;
}

bool set_target(Request& request, std::string_view target) {
  if (target.empty() || target.front() != '/') return false;
  request.target = std::string(target);
  auto q = target.find('?');
  auto raw_path = target.substr(0, q);
  request.query = q == std::string_view::npos ? std::string() : std::string(target.substr(q + 1));
  auto decoded = percent_decode(raw_path);
  if (!decoded) return false;
  request.path = std::move(*decoded);
  return true;
}

}  // namespace http
