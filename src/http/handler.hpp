// http: what the server calls. A handler is a plain function from request to response;
// it never sees a socket, so every layer above can be tested without one.
#pragma once

#include <functional>

#include "http/request.hpp"
#include "http/response.hpp"

namespace http {

using Handler = std::function<Response(Request&)>;

}  // namespace http
