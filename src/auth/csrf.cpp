#include "auth/csrf.hpp"

#include <memory>
#include <stdexcept>

#include "auth/random.hpp"
#include "auth/session.hpp"
#include "base/ascii.hpp"
#include "http/form.hpp"
#include "http/router.hpp"

namespace auth {

namespace {

constexpr std::string_view kContextKey = "auth.csrf";

struct CsrfState {
  std::string secret;  // from the cookie, when well formed
  bool cookie_needed = false;
};

bool is_alnum_text(std::string_view s) {
  return !s.empty() && s.find_first_not_of(kRandomStringChars) == std::string_view::npos;
}

std::size_t index_of(char c) { return kRandomStringChars.find(c); }

bool safe_method(std::string_view m) {
  return m == "GET" || m == "HEAD" || m == "OPTIONS" || m == "TRACE";
}

// A cookie or token in either form (32-char secret or 64-char masked); "" + reason when bad.
struct Sanitized {
  std::string secret;
  std::string problem;  // "has incorrect length", "has invalid characters"
};
Sanitized sanitize(std::string_view token) {
  if (token.size() != kCsrfSecretLength && token.size() != kCsrfTokenLength)
    return {"", "has incorrect length"};
  if (!is_alnum_text(token)) return {"", "has invalid characters"};
  if (token.size() == kCsrfTokenLength) return {unmask_csrf_token(token), ""};
  return {std::string(token), ""};
}

struct Url {
  std::string scheme;
  std::string netloc;  // host[:port], lower-case
};
// Enough of urlsplit for Origin and Referer: scheme "://" netloc; nullopt when malformed.
std::optional<Url> split_url(std::string_view url) {
  auto sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0) return std::nullopt;
  Url out{base::to_lower(url.substr(0, sep)), ""};
  auto rest = url.substr(sep + 3);
  auto end = rest.find_first_of("/?#");
  out.netloc = base::to_lower(rest.substr(0, end));
  auto at = out.netloc.rfind('@');
  if (at != std::string::npos) out.netloc = out.netloc.substr(at + 1);
  if (out.netloc.empty()) return std::nullopt;
  return out;
}

// Django's is_same_domain: "example.com" exact; ".example.com" the domain and its subdomains.
bool same_domain(std::string_view host, std::string_view pattern) {
  if (pattern.empty()) return false;
  if (pattern.front() == '.') {
    return host == pattern.substr(1) ||
           (host.size() > pattern.size() && host.substr(host.size() - pattern.size()) == pattern);
  }
  return host == pattern;
}

// An origin "scheme://netloc" allowed by a trusted-origin entry ("https://*.example.com" too).
bool origin_trusted(const Url& origin, const std::vector<std::string>& trusted) {
  for (const auto& t : trusted) {
    auto u = split_url(t);
    if (!u || u->scheme != origin.scheme) continue;
    if (u->netloc.rfind("*.", 0) == 0) {
      if (same_domain(origin.netloc, u->netloc.substr(1))) return true;
    } else if (u->netloc == origin.netloc) {
      return true;
    }
  }
  return false;
}

std::string request_host_with_port(const http::Request& request) {
  return base::to_lower(request.header("Host"));
}

CsrfState* state_of(http::Request& request) {
  auto it = request.context.find(kContextKey);
  if (it == request.context.end()) return nullptr;
  return std::any_cast<std::shared_ptr<CsrfState>&>(it->second).get();
}

http::Response forbidden(std::string_view reason, bool debug) {
  std::string body =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>403 "
      "Forbidden</title></head>"
      "<body><h1>Forbidden <span>(403)</span></h1><p>CSRF verification failed. Request "
      "aborted.</p>";
  if (debug)
    body += "<p>Reason given for failure: " + http::html_escape(reason) + "</p>";
  else
    body +=
        "<p>You are seeing this message because this site requires a CSRF cookie when submitting "
        "forms. Enable cookies for this site, then reload the page and try again.</p>";
  body += "</body></html>\n";
  return http::Response::html(403, std::move(body));
}

}  // namespace

std::string mask_csrf_secret(std::string_view secret) {
  const std::string mask = random_string(kCsrfSecretLength);
  std::string cipher;
  cipher.reserve(kCsrfSecretLength);
  for (std::size_t i = 0; i < kCsrfSecretLength; ++i)
    cipher.push_back(
        kRandomStringChars[(index_of(secret[i]) + index_of(mask[i])) % kRandomStringChars.size()]);
  return mask + cipher;
}

std::string unmask_csrf_token(std::string_view token) {
  auto mask = token.substr(0, kCsrfSecretLength);
  auto cipher = token.substr(kCsrfSecretLength);
  const std::size_t n = kRandomStringChars.size();
  std::string secret;
  secret.reserve(kCsrfSecretLength);
  for (std::size_t i = 0; i < kCsrfSecretLength && i < cipher.size(); ++i)
    secret.push_back(kRandomStringChars[(index_of(cipher[i]) + n - index_of(mask[i])) % n]);
  return secret;
}

std::string csrf_rejection_reason(const http::Request& request, const CsrfOptions& options) {
  const bool secure = is_secure(request, options.trust);
  const std::string host = request_host_with_port(request);
  if (auto origin = request.headers.get("Origin")) {
    auto u = split_url(*origin);
    const std::string good = std::string(secure ? "https" : "http") + "://" + host;
    bool ok =
        u && (u->scheme + "://" + u->netloc == good || origin_trusted(*u, options.trusted_origins));
    if (!ok)
      return "Origin checking failed - " + std::string(*origin) +
             " does not match any trusted origins.";
  } else if (secure) {
    auto referer = request.headers.get("Referer");
    if (!referer) return std::string(csrf_reason::kNoReferer);
    auto u = split_url(*referer);
    if (!u) return std::string(csrf_reason::kMalformedReferer);
    if (u->scheme != "https") return std::string(csrf_reason::kInsecureReferer);
    bool ok = same_domain(u->netloc, host);
    for (const auto& t : options.trusted_origins) {
      auto tu = split_url(t);
      if (!tu) continue;
      std::string pattern = tu->netloc.rfind("*.", 0) == 0 ? tu->netloc.substr(1) : tu->netloc;
      if (same_domain(u->netloc, pattern)) ok = true;
    }
    if (!ok)
      return "Referer checking failed - " + std::string(*referer) +
             " does not match any trusted origins.";
  }
  const std::string cookie = request_cookie(request, kCsrfCookieName);
  if (cookie.empty()) return std::string(csrf_reason::kNoCsrfCookie);
  auto cookie_secret = sanitize(cookie);
  if (!cookie_secret.problem.empty()) return "CSRF cookie " + cookie_secret.problem + ".";

  std::string token = http::form_value(http::form(request), "csrfmiddlewaretoken");
  std::string source = "POST";
  if (token.empty()) {
    token = std::string(request.header("X-CSRFToken"));
    source = "the 'X-CSRFToken' HTTP header";
  }
  if (token.empty()) return std::string(csrf_reason::kTokenMissing);
  auto token_secret = sanitize(token);
  if (!token_secret.problem.empty())
    return "CSRF token from " + source + " " + token_secret.problem + ".";
  if (!constant_time_equals(token_secret.secret, cookie_secret.secret))
    return "CSRF token from " + source + " incorrect.";
  return "";
}

http::Middleware csrf_middleware(CsrfOptions options) {
  auto exempt = std::make_shared<http::Router>();
  for (const auto& pattern : options.exempt)
    exempt->add(pattern, [](http::Request&) { return http::Response{}; }, {},
                {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"});
  auto shared = std::make_shared<const CsrfOptions>(std::move(options));
  return [shared, exempt](http::Request& request, const http::Handler& next) {
    auto state = std::make_shared<CsrfState>();
    auto cookie = sanitize(request_cookie(request, kCsrfCookieName));
    if (cookie.problem.empty()) state->secret = cookie.secret;
    request.context[std::string(kContextKey)] = state;
    if (!safe_method(request.method) && !exempt->matches(request.path) &&
        (!shared->reaches_view || shared->reaches_view(request))) {
      auto reason = csrf_rejection_reason(request, *shared);
      if (!reason.empty()) return forbidden(reason, shared->debug);
    }
    http::Response response = next(request);
    if (state->cookie_needed) {
      std::string cookie_text = std::string(kCsrfCookieName) + "=" + state->secret +
                                "; Max-Age=" + std::to_string(kCsrfCookieAge) +
                                "; Path=/; SameSite=Lax";
      if (is_secure(request, shared->trust)) cookie_text += "; Secure";
      response.headers.add("Set-Cookie", std::move(cookie_text));
      response.headers.add("Vary", "Cookie");
    }
    return response;
  };
}

std::string csrf_token(http::Request& request) {
  CsrfState* state = state_of(request);
  if (!state) throw std::logic_error("auth::csrf_token: csrf_middleware is not in the pipeline");
  if (state->secret.empty()) state->secret = random_string(kCsrfSecretLength);
  state->cookie_needed = true;
  return mask_csrf_secret(state->secret);
}

void rotate_csrf_token(http::Request& request) {
  CsrfState* state = state_of(request);
  if (!state) return;
  state->secret = random_string(kCsrfSecretLength);
  state->cookie_needed = true;
}

}  // namespace auth
