// auth: authentication (throttled, bounded, logged), login and logout on the session, the
// request's user, and view guards for the admin. Uses sessions (session.hpp) and users
// (user.hpp); knows nothing of templates or the site.
//
//   auth::Authenticator authenticator(options);
//   auto result = authenticator.authenticate(*lease, username, password, client);
//   if (result.status == auth::AuthStatus::kOk) auth::login(request, *lease, *result.user);
//   if (const auth::User* u = auth::user(request)) ...
//   router.get("admin/", auth::staff_required(view, "/admin/login/"));
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <semaphore>
#include <string>
#include <string_view>

#include "auth/password_hashers.hpp"
#include "auth/throttle.hpp"
#include "auth/user.hpp"
#include "db/connection.hpp"
#include "http/handler.hpp"
#include "http/middleware.hpp"

namespace auth {

enum class AuthStatus {
  kOk,         // user is set
  kInvalid,    // unknown user, wrong password or inactive user (indistinguishable to the client)
  kThrottled,  // too many failures: answer 429 with Retry-After
  kBusy,       // every hashing slot is taken: answer 503 with Retry-After
};

struct AuthResult {
  AuthStatus status = AuthStatus::kInvalid;
  std::optional<User> user;
  std::chrono::seconds retry_after{0};
};

struct AuthenticatorOptions {
  HasherPolicy policy;
  // Passwords hashed at once, at most: one fewer than the cores (at least 1) leaves a core for
  // other pages during a login flood.
  int max_concurrent_hashes = 0;  // 0: max(1, cores - 1)
  // How long an attempt waits for a hashing slot before answering kBusy (about one hash at
  // the default cost, so two people logging in at once both get in). At most as many attempts
  // wait as there are slots; the others are answered kBusy at once, so a login flood holds at
  // most twice max_concurrent_hashes of the server's view threads and pages keep the rest.
  std::chrono::milliseconds slot_wait{500};
  // One JSON line per attempt: {"event":"login","client":...,"username":...,"result":...}.
  std::function<void(std::string_view line)> log_sink;
  std::function<LoginThrottle::Clock::time_point()> now;  // for the throttle; injectable
};

class Authenticator {
 public:
  explicit Authenticator(AuthenticatorOptions options = {});

  // Checks `password` for `username` from `client` (auth::client_address). An unknown user
  // costs one hash, like a wrong password. Upgrades an outdated hash on success. Never logs the
  // password. Does not touch the session: call login() on kOk.
  AuthResult authenticate(db::Connection& conn, std::string_view username,
                          std::string_view password, std::string_view client);

  LoginThrottle& throttle() { return throttle_; }
  const HasherPolicy& policy() const { return options_.policy; }

 private:
  // `more_busy`: attempts answered kBusy since the last line that said so (not logged each).
  void log(std::string_view client, std::string_view username, std::string_view result,
           std::int64_t more_busy = 0) const;

  AuthenticatorOptions options_;
  LoginThrottle throttle_;
  std::counting_semaphore<1024> slots_;
  const int max_waiting_;
  std::atomic<int> waiting_{0};
  std::atomic<std::int64_t> next_busy_line_{0};  // steady_clock ticks
  std::atomic<std::int64_t> unlogged_busy_{0};
};

// The value stored in the session to tie it to the password (Django's session auth hash):
// changing the password ends every other session of the user.
std::string session_auth_hash(const User& user, std::string_view secret_key);

// Logs `user` in on this request's session: a new session key (no fixation), a new CSRF
// secret, last_login updated. The session middleware sends the cookie.
void login(http::Request& request, db::Connection& conn, const User& user,
           std::string_view secret_key);
// Ends the session (row deleted, cookie removed).
void logout(http::Request& request);

// The logged-in, active user of this request, loaded once; nullptr for an anonymous visitor.
// Needs session_middleware and auth_middleware (for the secret key).
const User* user(http::Request& request);

// Makes auth::user() work: remembers SECRET_KEY for the session hash check. Place it right
// after the session middleware.
http::Middleware auth_middleware(std::string secret_key);

// Guards for views. Anonymous visitors are redirected (302) to `login_url?next=<path>`; a
// logged-in user who lacks the right gets 403.
http::Handler login_required(http::Handler view, std::string login_url);
http::Handler staff_required(http::Handler view, std::string login_url);
http::Handler permission_required(http::Handler view, std::string permission,
                                  std::string login_url);

}  // namespace auth
