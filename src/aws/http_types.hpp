// aws: the plain request/response values the signer, the HTTP client and the services share.
// Knows nothing of libcurl, signing or any service.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aws {

using Headers = std::vector<std::pair<std::string, std::string>>;      // in order, repeats allowed
using QueryParams = std::vector<std::pair<std::string, std::string>>;  // decoded names and values

// A request as it goes on the wire. `url` is scheme://host[:port]/path with the path already
// percent-encoded as sent and no query; `query` holds decoded pairs, encoded when sent.
struct HttpRequest {
  std::string method = "GET";
  std::string url;
  QueryParams query;
  Headers headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  Headers headers;  // names lowercased
  std::string body;

  // First value of the header named `lower_name`, if any.
  std::optional<std::string> header(std::string_view lower_name) const;
};

// "a=1&b=x%20y": pairs percent-encoded (unreserved kept), in the order given.
std::string encode_query(const QueryParams& query);

// url + "?" + encode_query(query) (no '?' when the query is empty).
std::string full_url(const HttpRequest& request);

// Case-insensitive lookup/removal on a header list.
std::optional<std::string> find_header(const Headers& headers, std::string_view name);
void remove_header(Headers& headers, std::string_view name);

}  // namespace aws
