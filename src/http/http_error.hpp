// http: the exception a view throws to answer with an error status (Django's Http404 and
// friends). The error-page middleware turns it into a page; `detail` is shown only in DEBUG.
#pragma once

#include <stdexcept>
#include <string>

#include "http/headers.hpp"

namespace http {

class HttpError : public std::runtime_error {
 public:
  HttpError(int status, std::string detail, Headers headers = {})
      : std::runtime_error(std::move(detail)), status_(status), headers_(std::move(headers)) {}
  int status() const noexcept { return status_; }
  const Headers& headers() const noexcept { return headers_; }

 private:
  int status_;
  Headers headers_;
};

}  // namespace http
