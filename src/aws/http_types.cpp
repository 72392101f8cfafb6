#include "aws/http_types.hpp"

#include <algorithm>
#include <cctype>

#include "aws/strings.hpp"
#include "aws/uri.hpp"

namespace aws {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view lower_name) const {
  return find_header(headers, lower_name);
}

std::string encode_query(const QueryParams& query) {
  std::string out;
  for (const auto& [name, value] : query) {
    if (!out.empty()) out.push_back('&');
    out += cat({uri_encode(name), "=", uri_encode(value)});
  }
  return out;
}

std::string full_url(const HttpRequest& request) {
  if (request.query.empty()) return request.url;
  return cat({request.url, "?", encode_query(request.query)});
}

std::optional<std::string> find_header(const Headers& headers, std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (iequals(n, name)) return v;
  }
  return std::nullopt;
}

void remove_header(Headers& headers, std::string_view name) {
  std::erase_if(headers, [&](const auto& h) { return iequals(h.first, name); });
}

}  // namespace aws
