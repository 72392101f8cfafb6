// http: middleware, each a function that wraps the next handler. The order a site uses is
// written down once, in pipeline.cpp. Knows nothing of templates, settings or the database.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http/handler.hpp"

namespace http {

using Middleware = std::function<Response(Request&, const Handler& next)>;

// Wraps `endpoint` in `layers`, the first outermost.
Handler chain(std::vector<Middleware> layers, Handler endpoint);

// Answers GET/HEAD `path` with 200 `body` before anything else runs (the load balancer's
// health check sends the task's IP as Host, so this must precede host validation).
Middleware health_check(std::string path, std::string body);

// Django's ALLOWED_HOSTS: "example.com" exact, ".example.com" that domain and its
// subdomains, "*" any. A missing, malformed or unlisted Host answers 400.
Middleware allowed_hosts(std::vector<std::string> hosts);
// Whether `host` (lower-case, no port) is allowed by `patterns` (exported for tests).
bool host_allowed(std::string_view host, const std::vector<std::string>& patterns);

// X-Frame-Options, X-Content-Type-Options, Referrer-Policy and Cross-Origin-Opener-Policy on
// every response, unless the view set its own.
Middleware security_headers();

// Gives each request an id: the incoming X-Request-ID when it is 1-64 characters of
// [A-Za-z0-9._-], else 16 random hex digits. Echoed in the response's X-Request-ID.
Middleware request_id();

// One JSON line per request through `sink` (stdout in the server):
// {"time":...,"request_id":...,"remote":...,"method":...,"path":...,"status":...,"bytes":...,"ms":...}
Middleware access_log(std::function<void(std::string_view line)> sink);

// Renders 4xx/5xx pages for HttpError and any other exception (500). The page reveals nothing
// internal unless `debug`; then `details` may add HTML about the exception (a template error's
// source, say). Unexpected exceptions are reported through `log_error`.
Middleware error_pages(bool debug, std::function<void(std::string_view message)> log_error,
                       std::function<std::string(const std::exception&)> details = {});

// The HTML page for `status`, as Django's defaults word them; `detail` is appended (escaped),
// then `html_detail` as it is, when not empty (DEBUG only).
std::string error_page(int status, std::string_view detail, std::string_view html_detail = {});

// Escapes & < > " ' as Django's escape() does.
std::string html_escape(std::string_view text);

}  // namespace http
