// auth: what can be believed about the client behind our reverse proxies: its address and
// whether it used HTTPS. Knows nothing of sessions or the database.
//
// TRUSTED_PROXY_COUNT = N is the number of reverse proxies in front of the server that each
// APPEND the address they received the connection from to X-Forwarded-For (on AWS: CloudFront
// then the ALB, N = 2). Reading X-Forwarded-For from the right, the last N entries were written
// by our proxies; the Nth from the right is the address that connected to the outermost proxy,
// i.e. the client. Anything further left was sent by the client and is never believed.
//   N = 0: the client is the socket's peer; the request is never HTTPS (we do not terminate TLS).
//   N > 0 and X-Forwarded-For has fewer than N entries: the request did not come through the
//     whole chain; the client is the socket's peer and the request counts as plain HTTP.
//   N > 0 and enough entries: client = entries[size - N]; the request is HTTPS when
//     CloudFront-Forwarded-Proto (the viewer's protocol, set by CloudFront) is "https", or, when
//     that header is absent, when the last value of X-Forwarded-Proto (set by the nearest
//     proxy, the ALB) is "https".
#pragma once

#include <string>

#include "http/request.hpp"

namespace auth {

struct ProxyTrust {
  int trusted_proxy_count = 0;  // TRUSTED_PROXY_COUNT
};

std::string client_address(const http::Request& request, const ProxyTrust& trust);
bool is_secure(const http::Request& request, const ProxyTrust& trust);

}  // namespace auth
