// auth: a bare login/logout pair at /accounts/login/ and /accounts/logout/, registered by
// `mysite serve` (the admin builds its own pages on the same calls). Plain HTML, no templates.
#pragma once

#include <string>

#include "auth/client.hpp"
#include "auth/login.hpp"
#include "db/pool.hpp"
#include "http/handler.hpp"

namespace auth {

struct LoginViewOptions {
  std::string secret_key;  // SECRET_KEY (session auth hash)
  ProxyTrust trust;        // for the client address logged and throttled
};

// GET: the form. POST username/password (+ csrfmiddlewaretoken): 302 to `next` (a local path)
// or "/" on success; the form again with an error on failure (200, as Django); 429 with
// Retry-After when throttled; 503 with Retry-After when every hashing slot is busy.
http::Handler login_view(db::Pool& pool, Authenticator& authenticator, LoginViewOptions options);
// POST: ends the session, 302 to "/".
http::Handler logout_view();

// `next` when it is a local path ("/x", not "//host" or "https://..."), else "/".
std::string safe_next(std::string_view next);

}  // namespace auth
