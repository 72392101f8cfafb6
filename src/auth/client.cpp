#include "auth/client.hpp"

#include <optional>
#include <vector>

namespace auth {

namespace {

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

// Every X-Forwarded-For entry, across repeated header fields, in order.
std::vector<std::string> forwarded_for(const http::Request& request) {
  std::vector<std::string> out;
  for (const auto& h : request.headers) {
    if (!http::iequals(h.name, "X-Forwarded-For")) continue;
    std::string_view v = h.value;
    while (true) {
      auto comma = v.find(',');
      out.push_back(trim(v.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      v.remove_prefix(comma + 1);
    }
  }
  return out;
}

// The XFF entry of the client when the chain of trusted proxies is complete.
std::optional<std::string> through_proxies(const http::Request& request, const ProxyTrust& trust) {
  if (trust.trusted_proxy_count <= 0) return std::nullopt;
  auto entries = forwarded_for(request);
  const auto n = static_cast<std::size_t>(trust.trusted_proxy_count);
  if (entries.size() < n) return std::nullopt;
  std::string client = entries[entries.size() - n];
  if (client.empty()) return std::nullopt;
  return client;
}

bool is_https(std::string_view value) {
  return http::iequals(trim(value), "https");
}

}  // namespace

std::string client_address(const http::Request& request, const ProxyTrust& trust) {
  if (auto client = through_proxies(request, trust)) return *client;
  return request.remote_address;
}

bool is_secure(const http::Request& request, const ProxyTrust& trust) {
  if (!through_proxies(request, trust)) return false;
  if (auto cf = request.headers.get("CloudFront-Forwarded-Proto")) return is_https(*cf);
  auto proto = request.headers.get("X-Forwarded-Proto");
  if (!proto) return false;
  auto comma = proto->rfind(',');
  return is_https(comma == std::string_view::npos ? *proto : proto->substr(comma + 1));
}

}  // namespace auth
