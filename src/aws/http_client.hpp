// aws: sends one HTTP request with libcurl (TLS verified, connect and total timeouts).
// Knows nothing of signing, retries or AWS error formats; never logs headers or bodies.
#pragma once

#include <chrono>
#include <string>

#include "aws/http_types.hpp"

namespace aws {

struct HttpOptions {
  std::chrono::milliseconds connect_timeout{3100};  // the SDKs' default connect timeout
  std::chrono::milliseconds total_timeout{60000};
  std::string ca_file;  // extra CA bundle (AWS_CA_BUNDLE); empty: the system store
};

// Sends `request` once and returns whatever status came back. Throws aws::Error
// ("Timeout" or "NetworkError", retryable) when no response arrived, and ConfigError (before
// sending anything) when a header name or value would split the header block. TLS peers are always
// verified. Thread-safe: each thread uses its own handle (and keeps its connections alive). The
// URL's path is sent as is (no dot-segment squashing), so signed paths stay signed.
HttpResponse http_send(const HttpRequest& request, const HttpOptions& options);

}  // namespace aws
