// auth: database-backed sessions (table mysite_session, see migrations.cpp) and the middleware
// that loads them lazily and saves them when modified. Knows nothing of users or CSRF.
//
// Rules: 256-bit random keys (64 hex characters in the `sessionid` cookie, only their SHA-256
// stored); cookie HttpOnly, SameSite=Lax, Path=/, Secure when the request came over HTTPS
// (client.hpp); absolute expiry SESSION_COOKIE_AGE after the session was created (a login
// creates a new one) and, when SESSION_IDLE_TIMEOUT > 0, expiry after that long without a
// request, both enforced on the server; no row and no cookie until something is stored (an
// anonymous visitor costs nothing); nothing is read from the database until a view asks.
//
//   auto& s = auth::session(request);   // loads on first use
//   s.set("cart", "3");                 // saved by the middleware after the view
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "auth/client.hpp"
#include "db/connection.hpp"
#include "db/pool.hpp"
#include "http/middleware.hpp"

namespace auth {

inline constexpr std::string_view kSessionCookieName = "sessionid";
// A session is touched (last_activity written) at most this often, so an idle timeout does not
// cost a write per request.
inline constexpr std::int64_t kActivityResolutionSeconds = 60;

struct SessionOptions {
  std::int64_t cookie_age = 1209600;  // SESSION_COOKIE_AGE, seconds
  std::int64_t idle_timeout = 0;      // SESSION_IDLE_TIMEOUT, seconds; 0 = none
  ProxyTrust trust;
  // Unix time in seconds; injectable for tests.
  std::function<std::int64_t()> now;
};

// One visitor's session. Values are strings; the whole map is stored as a JSON object.
class Session {
 public:
  std::optional<std::string> get(std::string_view key) const;
  void set(std::string key, std::string value);
  void erase(std::string_view key);
  bool empty() const { return data_.empty(); }
  const std::map<std::string, std::string, std::less<>>& data() const { return data_; }

  // A new key for the same data, the old row deleted (call at login: no session fixation).
  void cycle_key();
  // Deletes the row, empties the data and drops the cookie (logout).
  void flush();

  bool modified() const { return modified_; }
  // The key in the client's cookie (empty for a new session).
  const std::string& key() const { return key_; }

 private:
  friend class SessionState;
  std::map<std::string, std::string, std::less<>> data_;
  std::string key_;      // cookie value; empty until saved
  bool stored_ = false;  // a row exists for key_
  bool modified_ = false;
  bool cookie_delete_ = false;
  std::int64_t created_ = 0;
  std::int64_t last_activity_ = 0;
  std::function<void(const std::string& key)> delete_row_;
};

// What the middleware keeps per request (in Request::context), exposed for auth's own use.
class SessionState {
 public:
  SessionState(db::Pool& pool, const SessionOptions& options, std::string cookie_key);
  Session& session();  // loads on first call
  bool loaded() const { return loaded_; }
  // Saves if modified and sets/deletes the cookie on `response`.
  void finish(http::Response& response, bool secure);
  db::Pool& pool() { return pool_; }
  std::int64_t now() const;

 private:
  void load();
  void delete_row(const std::string& key);

  db::Pool& pool_;
  const SessionOptions& options_;
  std::string cookie_key_;
  Session session_;
  bool loaded_ = false;
};

// The middleware: puts a SessionState in the request, runs the view, then saves.
http::Middleware session_middleware(db::Pool& pool, SessionOptions options);

// The request's session; throws std::logic_error when session_middleware did not run.
Session& session(http::Request& request);
// Whether session_middleware runs for this request.
bool has_session(const http::Request& request);
SessionState& session_state(http::Request& request);

// Deletes rows past their absolute expiry and, when idle_timeout > 0, rows idle longer than
// that (Django's clearsessions). `now` in seconds since the epoch. Returns how many.
std::int64_t clear_expired_sessions(db::Connection& conn, std::int64_t now,
                                    std::int64_t idle_timeout = 0);
// Deletes every session of `user_id` (after a password change or when the admin deletes a user).
void delete_user_sessions(db::Connection& conn, std::int64_t user_id);

// Value of cookie `name` in the request's Cookie header(s), or "".
std::string request_cookie(const http::Request& request, std::string_view name);

}  // namespace auth
