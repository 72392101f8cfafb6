#include "auth/login.hpp"

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "auth/csrf.hpp"
#include "auth/random.hpp"
#include "auth/session.hpp"

namespace auth {

namespace {

constexpr std::string_view kUserKey = "auth.user";
constexpr std::string_view kSecretKey = "auth.secret_key";
constexpr std::string_view kSessionUserId = "_auth_user_id";
constexpr std::string_view kSessionUserHash = "_auth_user_hash";

int default_slots(int requested) {
  if (requested > 0) return std::min(requested, 1024);
  return static_cast<int>(std::max(2u, std::thread::hardware_concurrency()) - 1);
}

struct UserCache {
  bool loaded = false;
  std::optional<User> user;
};

std::string json_now() { return now_text(); }

}  // namespace

Authenticator::Authenticator(AuthenticatorOptions options)
    : options_(std::move(options)),
      throttle_(options_.now),
      slots_(default_slots(options_.max_concurrent_hashes)),
      max_waiting_(default_slots(options_.max_concurrent_hashes)) {}

void Authenticator::log(std::string_view client, std::string_view username, std::string_view result,
                        std::int64_t more_busy) const {
  if (!options_.log_sink) return;
  nlohmann::json line = {{"time", json_now()},
                         {"event", "login"},
                         {"client", std::string(client)},
                         {"username", std::string(username.substr(0, kMaxUsernameLength))},
                         {"result", std::string(result)}};
  if (more_busy > 0) line["more_busy"] = more_busy;
  options_.log_sink(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

AuthResult Authenticator::authenticate(db::Connection& conn, std::string_view username,
                                       std::string_view password, std::string_view client) {
  AuthResult result;
  if (auto wait = throttle_.check(conn, username, client); wait.count() > 0) {
    result.status = AuthStatus::kThrottled;
    result.retry_after = wait;
    log(client, username, "throttled");
    return result;
  }
  auto wait_for_slot = [this] {
    if (slots_.try_acquire()) return true;
    if (waiting_.fetch_add(1) >= max_waiting_) {
      waiting_.fetch_sub(1);
      return false;
    }
    const bool got = slots_.try_acquire_for(options_.slot_wait);
    waiting_.fetch_sub(1);
    return got;
  };
  if (!wait_for_slot()) {
    result.status = AuthStatus::kBusy;
    result.retry_after = std::chrono::seconds(1);
    // A flood is refused thousands of times a second: one line a second, counting the rest.
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    auto due = next_busy_line_.load();
    if (now >= due &&
        next_busy_line_.compare_exchange_strong(
            due, now + std::chrono::steady_clock::duration(std::chrono::seconds(1)).count()))
      log(client, username, "busy", unlogged_busy_.exchange(0));
    else
      unlogged_busy_.fetch_add(1);
    return result;
  }
  struct Release {
    std::counting_semaphore<1024>& s;
    ~Release() { s.release(); }
  } release{slots_};

  std::optional<User> found;
  if (is_valid_username(username)) found = find_user(conn, username);
  bool ok = false;
  if (found && !is_password_usable(found->password)) {
    // As for an unknown user: one hash, so timing does not tell that this account exists.
    run_dummy_check(password, options_.policy);
  } else if (found) {
    auto checked = check_password(password, found->password, options_.policy);
    ok = checked.ok && found->is_active;  // as Django's ModelBackend: inactive users fail
    if (checked.ok && checked.must_update) {
      found->password = make_password(password, options_.policy);
      set_password_hash(conn, found->id, found->password);
    }
  } else {
    run_dummy_check(password, options_.policy);
  }
  if (!ok) {
    throttle_.record_failure(conn, username, client);
    log(client, username, "failure");
    return result;
  }
  throttle_.record_success(conn, username, client);
  log(client, username, "success");
  result.status = AuthStatus::kOk;
  result.user = std::move(found);
  return result;
}

std::string session_auth_hash(const User& user, std::string_view secret_key) {
  return hmac_sha256_hex("mysite.auth.session_auth_hash" + std::string(secret_key), user.password);
}

void login(http::Request& request, db::Connection& conn, const User& user,
           std::string_view secret_key) {
  Session& s = session(request);
  auto current = s.get(kSessionUserId);
  if (current && *current != std::to_string(user.id)) {
    s.flush();  // another user's data must not leak into this session
  }
  s.cycle_key();
  s.set(std::string(kSessionUserId), std::to_string(user.id));
  s.set(std::string(kSessionUserHash), session_auth_hash(user, secret_key));
  rotate_csrf_token(request);
  update_last_login(conn, user.id);
  auto cache = std::make_shared<UserCache>();
  cache->loaded = true;
  cache->user = user;
  request.context[std::string(kUserKey)] = cache;
}

void logout(http::Request& request) {
  session(request).flush();
  auto cache = std::make_shared<UserCache>();
  cache->loaded = true;
  request.context[std::string(kUserKey)] = cache;
}

http::Middleware auth_middleware(std::string secret_key) {
  auto key = std::make_shared<const std::string>(std::move(secret_key));
  return [key](http::Request& request, const http::Handler& next) {
    request.context[std::string(kSecretKey)] = key;
    return next(request);
  };
}

const User* user(http::Request& request) {
  auto it = request.context.find(kUserKey);
  if (it != request.context.end()) {
    auto& cache = std::any_cast<std::shared_ptr<UserCache>&>(it->second);
    return cache->user ? &*cache->user : nullptr;
  }
  auto cache = std::make_shared<UserCache>();
  cache->loaded = true;
  request.context[std::string(kUserKey)] = cache;
  auto key_it = request.context.find(kSecretKey);
  if (key_it == request.context.end())
    throw std::logic_error("auth::user: auth_middleware is not in the pipeline");
  const std::string& secret_key =
      *std::any_cast<std::shared_ptr<const std::string>&>(key_it->second);

  SessionState& state = session_state(request);
  Session& s = state.session();
  auto id_text = s.get(kSessionUserId);
  if (!id_text) return nullptr;
  std::int64_t id = 0;
  try {
    id = std::stoll(*id_text);
  } catch (const std::exception&) {
    return nullptr;
  }
  std::optional<User> found;
  {
    auto lease = state.pool().acquire();
    found = find_user_by_id(*lease, id);
  }
  auto stored_hash = s.get(kSessionUserHash).value_or("");
  if (!found || !found->is_active ||
      !constant_time_equals(stored_hash, session_auth_hash(*found, secret_key))) {
    s.flush();  // the user is gone, disabled, or changed the password since: log out
    return nullptr;
  }
  cache->user = std::move(found);
  return &*cache->user;
}

namespace {

http::Response redirect_to_login(const http::Request& request, const std::string& login_url) {
  std::string next = request.path;
  if (!request.query.empty()) next += "?" + request.query;
  return http::Response::redirect(login_url + "?next=" + http::percent_encode(next, "/"), 302);
}

http::Handler guard(http::Handler view, std::string login_url,
                    std::function<bool(http::Request&, const User&)> allowed) {
  return [view = std::move(view), login_url = std::move(login_url),
          allowed = std::move(allowed)](http::Request& r) {
    const User* u = user(r);
    if (!u) return redirect_to_login(r, login_url);
    if (!allowed(r, *u)) return http::Response::html(403, http::error_page(403, ""));
    return view(r);
  };
}

}  // namespace

http::Handler login_required(http::Handler view, std::string login_url) {
  return guard(std::move(view), std::move(login_url),
               [](http::Request&, const User&) { return true; });
}

http::Handler staff_required(http::Handler view, std::string login_url) {
  // As Django's admin: an inactive or non-staff user is sent to log in as someone else.
  return [view = std::move(view), login_url = std::move(login_url)](http::Request& r) {
    const User* u = user(r);
    if (!u || !u->is_active || !u->is_staff) return redirect_to_login(r, login_url);
    return view(r);
  };
}

http::Handler permission_required(http::Handler view, std::string permission,
                                  std::string login_url) {
  return guard(std::move(view), std::move(login_url),
               [permission = std::move(permission)](http::Request& r, const User& u) {
                 if (u.is_superuser && u.is_active) return true;
                 auto lease = session_state(r).pool().acquire();
                 return has_perm(*lease, u, permission);
               });
}

}  // namespace auth
