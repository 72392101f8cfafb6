#include "auth/session.hpp"

#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "auth/random.hpp"

namespace auth {

namespace {

constexpr std::string_view kContextKey = "auth.session";
constexpr std::size_t kKeyBytes = 32;  // 256 bits

bool well_formed_key(std::string_view key) {
  if (key.size() != kKeyBytes * 2) return false;
  for (char c : key)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::int64_t system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string encode(const std::map<std::string, std::string, std::less<>>& data) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : data) j[k] = v;
  return j.dump();
}

std::optional<std::int64_t> user_id_of(const Session& s) {
  auto id = s.get("_auth_user_id");
  if (!id) return std::nullopt;
  try {
    return std::stoll(*id);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::string request_cookie(const http::Request& request, std::string_view name) {
  for (const auto& h : request.headers) {
    if (!http::iequals(h.name, "Cookie")) continue;
    std::string_view v = h.value;
    while (!v.empty()) {
      auto semi = v.find(';');
      std::string_view pair = v.substr(0, semi);
      auto b = pair.find_first_not_of(' ');
      if (b != std::string_view::npos) {
        pair.remove_prefix(b);
        auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
          auto value = pair.substr(eq + 1);
          while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
          return std::string(value);
        }
      }
      if (semi == std::string_view::npos) break;
      v.remove_prefix(semi + 1);
    }
  }
  return "";
}

// ---- Session ----

std::optional<std::string> Session::get(std::string_view key) const {
  auto it = data_.find(key);
  if (it == data_.end()) return std::nullopt;
  return it->second;
}

void Session::set(std::string key, std::string value) {
  data_[std::move(key)] = std::move(value);
  modified_ = true;
}

void Session::erase(std::string_view key) {
  auto it = data_.find(key);
  if (it == data_.end()) return;
  data_.erase(it);
  modified_ = true;
}

void Session::cycle_key() {
  if (stored_ && delete_row_) delete_row_(key_);
  stored_ = false;
  key_.clear();  // a fresh key is drawn at save
  created_ = 0;
  modified_ = true;
}

void Session::flush() {
  if (stored_ && delete_row_) delete_row_(key_);
  data_.clear();
  stored_ = false;
  key_.clear();
  created_ = 0;
  modified_ = false;
  cookie_delete_ = true;
}

// ---- SessionState ----

SessionState::SessionState(db::Pool& pool, const SessionOptions& options, std::string cookie_key)
    : pool_(pool), options_(options), cookie_key_(std::move(cookie_key)) {}

std::int64_t SessionState::now() const { return options_.now ? options_.now() : system_now(); }

Session& SessionState::session() {
  if (!loaded_) load();
  return session_;
}

void SessionState::delete_row(const std::string& key) {
  auto lease = pool_.acquire();
  lease->execute("DELETE FROM mysite_session WHERE session_key = ?", sha256_hex(key));
}

void SessionState::load() {
  loaded_ = true;
  session_.delete_row_ = [this](const std::string& key) { delete_row(key); };
  if (!well_formed_key(cookie_key_)) {
    // A cookie we never issued: drop it from the browser if there was one.
    session_.cookie_delete_ = !cookie_key_.empty();
    return;
  }
  auto lease = pool_.acquire();
  auto row = lease->query_optional(
      "SELECT session_data, created, last_activity, expire_date FROM mysite_session WHERE "
      "session_key = ?",
      sha256_hex(cookie_key_));
  const std::int64_t t = now();
  if (!row) {
    session_.cookie_delete_ = true;
    return;
  }
  const auto last_activity = row->get<std::int64_t>(2);
  const bool expired = row->get<std::int64_t>(3) <= t ||
                       (options_.idle_timeout > 0 && last_activity + options_.idle_timeout <= t);
  if (expired) {
    lease->execute("DELETE FROM mysite_session WHERE session_key = ?", sha256_hex(cookie_key_));
    session_.cookie_delete_ = true;
    return;
  }
  try {
    auto j = nlohmann::json::parse(row->get<std::string>(0));
    for (const auto& [k, v] : j.items())
      if (v.is_string()) session_.data_[k] = v.get<std::string>();
  } catch (const nlohmann::json::exception&) {
    session_.data_.clear();  // unreadable data: an empty session
  }
  session_.key_ = cookie_key_;
  session_.stored_ = true;
  session_.created_ = row->get<std::int64_t>(1);
  session_.last_activity_ = last_activity;
}

void SessionState::finish(http::Response& response, bool secure) {
  if (!loaded_) return;
  response.headers.add("Vary", "Cookie");
  if (response.status >= 500) return;  // as Django: do not save what a failing view half did
  Session& s = session_;
  const std::int64_t t = now();
  auto cookie_attributes = [&](std::int64_t max_age) {
    std::string out = "; Max-Age=" + std::to_string(max_age) + "; Path=/; HttpOnly; SameSite=Lax";
    if (secure) out += "; Secure";
    return out;
  };
  if (s.modified_ && s.data_.empty()) {
    if (s.stored_) delete_row(s.key_);
    if (s.stored_ || !cookie_key_.empty()) s.cookie_delete_ = true;
    s.stored_ = false;
  } else if (s.modified_) {
    auto lease = pool_.acquire();
    auto user_id = user_id_of(s);
    if (s.stored_) {
      lease->execute(
          "UPDATE mysite_session SET session_data = ?, user_id = ?, last_activity = ? WHERE "
          "session_key = ?",
          encode(s.data_), user_id, t, sha256_hex(s.key_));
    } else {
      s.key_ = random_hex(kKeyBytes);
      s.created_ = t;
      lease->execute(
          "INSERT INTO mysite_session (session_key, session_data, user_id, created, last_activity, "
          "expire_date) "
          "VALUES (?, ?, ?, ?, ?, ?)",
          sha256_hex(s.key_), encode(s.data_), user_id, t, t, t + options_.cookie_age);
      s.stored_ = true;
    }
    s.last_activity_ = t;
    s.cookie_delete_ = false;
    response.headers.add("Set-Cookie", std::string(kSessionCookieName) + "=" + s.key_ +
                                           cookie_attributes(s.created_ + options_.cookie_age - t));
    return;
  } else if (s.stored_ && options_.idle_timeout > 0 &&
             t - s.last_activity_ >= kActivityResolutionSeconds) {
    auto lease = pool_.acquire();
    lease->execute("UPDATE mysite_session SET last_activity = ? WHERE session_key = ?", t,
                   sha256_hex(s.key_));
  }
  if (s.cookie_delete_)
    response.headers.add("Set-Cookie", std::string(kSessionCookieName) +
                                           "=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT" +
                                           cookie_attributes(0));
}

// ---- middleware and accessors ----

http::Middleware session_middleware(db::Pool& pool, SessionOptions options) {
  auto shared = std::make_shared<const SessionOptions>(std::move(options));
  return [&pool, shared](http::Request& request, const http::Handler& next) {
    auto state =
        std::make_shared<SessionState>(pool, *shared, request_cookie(request, kSessionCookieName));
    request.context[std::string(kContextKey)] = state;
    http::Response response = next(request);
    state->finish(response, is_secure(request, shared->trust));
    return response;
  };
}

SessionState& session_state(http::Request& request) {
  auto it = request.context.find(kContextKey);
  if (it == request.context.end())
    throw std::logic_error("auth::session: session_middleware is not in the pipeline");
  return *std::any_cast<std::shared_ptr<SessionState>&>(it->second);
}

Session& session(http::Request& request) { return session_state(request).session(); }

bool has_session(const http::Request& request) {
  return request.context.find(std::string(kContextKey)) != request.context.end();
}

std::int64_t clear_expired_sessions(db::Connection& conn, std::int64_t now,
                                    std::int64_t idle_timeout) {
  if (idle_timeout <= 0)
    return conn.execute("DELETE FROM mysite_session WHERE expire_date <= ?", now);
  return conn.execute("DELETE FROM mysite_session WHERE expire_date <= ? OR last_activity + ? <= ?",
                      now, idle_timeout, now);
}

void delete_user_sessions(db::Connection& conn, std::int64_t user_id) {
  conn.execute("DELETE FROM mysite_session WHERE user_id = ?", user_id);
}

}  // namespace auth
