// auth: cross-site request forgery protection as Django 4.x does it: a 32-character secret in
// the `csrftoken` cookie, a masked 64-character token in forms (`{% csrf_token %}` renders the
// context variable `csrf_token`, which views fill with auth::csrf_token(request)), checked on
// every unsafe method (anything but GET, HEAD, OPTIONS, TRACE), with Origin and, under HTTPS,
// Referer checks against the request's host and CSRF_TRUSTED_ORIGINS. The token may come in
// the form field `csrfmiddlewaretoken` or the `X-CSRFToken` header.
// Knows nothing of sessions or the database.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/client.hpp"
#include "http/middleware.hpp"

namespace auth {

inline constexpr std::string_view kCsrfCookieName = "csrftoken";
inline constexpr std::size_t kCsrfSecretLength = 32;
inline constexpr std::size_t kCsrfTokenLength = 64;
inline constexpr long kCsrfCookieAge = 31449600;  // one year, Django's CSRF_COOKIE_AGE

struct CsrfOptions {
  ProxyTrust trust;
  std::vector<std::string> trusted_origins;  // CSRF_TRUSTED_ORIGINS: "https://example.com", "https://*.example.com"
  bool debug = false;                        // DEBUG_FLAG: the 403 page shows the reason
  // Paths exempt from the check, in the router's pattern syntax ("hooks/<slug:name>/"), listed
  // by the site next to its routes.
  std::vector<std::string> exempt;
  // When set and false for a request, no view will run (the router answers 404/405), so there
  // is nothing to protect and the check is skipped: the client gets the accurate error.
  std::function<bool(const http::Request&)> reaches_view;
};

// Django's rejection reasons (the text shown on the 403 page in DEBUG).
namespace csrf_reason {
inline constexpr std::string_view kNoReferer = "Referer checking failed - no Referer.";
inline constexpr std::string_view kMalformedReferer = "Referer checking failed - Referer is malformed.";
inline constexpr std::string_view kInsecureReferer =
    "Referer checking failed - Referer is insecure while host is secure.";
inline constexpr std::string_view kNoCsrfCookie = "CSRF cookie not set.";
inline constexpr std::string_view kTokenMissing = "CSRF token missing.";
}  // namespace csrf_reason

// Checks unsafe requests and sets the cookie when a view used the token.
http::Middleware csrf_middleware(CsrfOptions options);

// The masked token for a form on this response (also makes the middleware send the cookie).
// Throws std::logic_error when csrf_middleware did not run.
std::string csrf_token(http::Request& request);
// A new secret (call at login, as Django does).
void rotate_csrf_token(http::Request& request);

// Exposed for tests: Django's _mask_cipher_secret / _unmask_cipher_token.
std::string mask_csrf_secret(std::string_view secret);
std::string unmask_csrf_token(std::string_view token);

// Why `request` fails the check, or "" when it passes (the middleware's decision, without the
// response). Exposed for tests.
std::string csrf_rejection_reason(const http::Request& request, const CsrfOptions& options);

}  // namespace auth
