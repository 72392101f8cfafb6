#include "auth/user.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace auth {

namespace {

constexpr const char* kColumns =
    "id, password, last_login, is_superuser, username, first_name, last_name, email, is_staff, "
    "is_active, date_joined";

User from_row(const db::Row& r) {
  User u;
  u.id = r.get<std::int64_t>(0);
  u.password = r.get<std::string>(1);
  u.last_login = r.get<std::optional<std::string>>(2);
  u.is_superuser = r.get<bool>(3);
  u.username = r.get<std::string>(4);
  u.first_name = r.get<std::string>(5);
  u.last_name = r.get<std::string>(6);
  u.email = r.get<std::string>(7);
  u.is_staff = r.get<bool>(8);
  u.is_active = r.get<bool>(9);
  u.date_joined = r.get<std::string>(10);
  return u;
}

std::string select(std::string_view where) {
  return std::string("SELECT ") + kColumns + " FROM auth_user " + std::string(where);
}

}  // namespace

std::string now_text() {
  using namespace std::chrono;
  auto now = system_clock::now();
  auto secs = time_point_cast<seconds>(now);
  auto micros = duration_cast<microseconds>(now - secs).count();
  std::time_t t = system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d:%02d.%06lld", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(micros));
  return buffer;
}

bool is_valid_username(std::string_view username) {
  if (username.empty() || username.size() > kMaxUsernameLength) return false;
  for (char c : username) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '@' || c == '.' || c == '+' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string normalize_email(std::string_view email) {
  auto at = email.rfind('@');
  std::string out(email);
  if (at == std::string_view::npos) return out;
  for (std::size_t i = at + 1; i < out.size(); ++i)
    if (out[i] >= 'A' && out[i] <= 'Z') out[i] = static_cast<char>(out[i] - 'A' + 'a');
  return out;
}

std::optional<User> find_user(db::Connection& conn, std::string_view username) {
  auto row = conn.query_optional(select("WHERE username = ?"), username);
  if (!row) return std::nullopt;
  return from_row(*row);
}

std::optional<User> find_user_by_id(db::Connection& conn, std::int64_t id) {
  auto row = conn.query_optional(select("WHERE id = ?"), id);
  if (!row) return std::nullopt;
  return from_row(*row);
}

std::vector<User> list_users(db::Connection& conn, std::size_t limit, std::size_t offset) {
  std::vector<User> out;
  std::vector<db::Row> rows =
      limit == 0 ? conn.query(select("ORDER BY username"))
                 : conn.query(select("ORDER BY username LIMIT ? OFFSET ?"),
                              static_cast<std::int64_t>(limit), static_cast<std::int64_t>(offset));
  for (const auto& r : rows) out.push_back(from_row(r));
  return out;
}

std::int64_t count_users(db::Connection& conn) {
  return conn.query_row("SELECT COUNT(*) FROM auth_user").get<std::int64_t>(0);
}

std::int64_t create_user(db::Connection& conn, User user, std::optional<std::string_view> password,
                         const HasherPolicy& policy) {
  if (!is_valid_username(user.username))
    throw std::invalid_argument(
        "Enter a valid username: up to 150 letters, digits and @/./+/-/_ only.");
  user.email = normalize_email(user.email);
  if (user.date_joined.empty()) user.date_joined = now_text();
  std::string encoded = password ? make_password(*password, policy) : make_unusable_password();
  conn.execute(
      "INSERT INTO auth_user (password, last_login, is_superuser, username, first_name, last_name, "
      "email, is_staff, is_active, date_joined) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      encoded, user.last_login, user.is_superuser, user.username, user.first_name, user.last_name,
      user.email, user.is_staff, user.is_active, user.date_joined);
  return conn.last_insert_id();
}

void update_user(db::Connection& conn, const User& user) {
  if (!is_valid_username(user.username))
    throw std::invalid_argument(
        "Enter a valid username: up to 150 letters, digits and @/./+/-/_ only.");
  conn.execute(
      "UPDATE auth_user SET last_login = ?, is_superuser = ?, username = ?, first_name = ?, "
      "last_name = ?, email = ?, is_staff = ?, is_active = ?, date_joined = ? WHERE id = ?",
      user.last_login, user.is_superuser, user.username, user.first_name, user.last_name,
      normalize_email(user.email), user.is_staff, user.is_active, user.date_joined, user.id);
}

void set_password(db::Connection& conn, std::int64_t user_id, std::string_view password,
                  const HasherPolicy& policy) {
  set_password_hash(conn, user_id, make_password(password, policy));
}

void set_password_hash(db::Connection& conn, std::int64_t user_id, std::string_view encoded) {
  conn.execute("UPDATE auth_user SET password = ? WHERE id = ?", encoded, user_id);
}

void update_last_login(db::Connection& conn, std::int64_t user_id) {
  conn.execute("UPDATE auth_user SET last_login = ? WHERE id = ?", now_text(), user_id);
}

void delete_user(db::Connection& conn, std::int64_t user_id) {
  conn.execute("DELETE FROM mysite_user_permission WHERE user_id = ?", user_id);
  conn.execute("DELETE FROM mysite_session WHERE user_id = ?", user_id);
  conn.execute("DELETE FROM auth_user WHERE id = ?", user_id);
}

bool has_perm(db::Connection& conn, const User& user, std::string_view permission) {
  if (!user.is_active) return false;
  if (user.is_superuser) return true;
  return conn
      .query_optional("SELECT 1 FROM mysite_user_permission WHERE user_id = ? AND permission = ?",
                      user.id, permission)
      .has_value();
}

std::vector<std::string> user_permissions(db::Connection& conn, std::int64_t user_id) {
  std::vector<std::string> out;
  for (const auto& r : conn.query(
           "SELECT permission FROM mysite_user_permission WHERE user_id = ? ORDER BY permission",
           user_id))
    out.push_back(r.get<std::string>(0));
  return out;
}

void grant_perm(db::Connection& conn, std::int64_t user_id, std::string_view permission) {
  if (conn.query_optional(
          "SELECT 1 FROM mysite_user_permission WHERE user_id = ? AND permission = ?", user_id,
          permission))
    return;
  conn.execute("INSERT INTO mysite_user_permission (user_id, permission) VALUES (?, ?)", user_id,
               permission);
}

void revoke_perm(db::Connection& conn, std::int64_t user_id, std::string_view permission) {
  conn.execute("DELETE FROM mysite_user_permission WHERE user_id = ? AND permission = ?", user_id,
               permission);
}

std::int64_t add_log_entry(db::Connection& conn, const LogEntry& e) {
  conn.execute(
      "INSERT INTO mysite_admin_log (action_time, user_id, object_type, object_id, object_repr, "
      "action_flag, change_message) VALUES (?, ?, ?, ?, ?, ?, ?)",
      e.action_time.empty() ? now_text() : e.action_time, e.user_id, e.object_type, e.object_id,
      e.object_repr.substr(0, 200), e.action_flag, e.change_message);
  return conn.last_insert_id();
}

std::vector<LogEntry> object_log_entries(db::Connection& conn, std::string_view object_type,
                                         std::string_view object_id, std::size_t limit) {
  std::vector<LogEntry> out;
  for (const auto& r : conn.query(
           "SELECT id, action_time, user_id, object_type, object_id, object_repr, action_flag, "
           "change_message FROM mysite_admin_log WHERE object_type = ? AND object_id = ? "
           "ORDER BY action_time, id LIMIT ?",
           std::string(object_type), std::string(object_id), static_cast<std::int64_t>(limit)))
    out.push_back({r.get<std::int64_t>(0), r.get<std::string>(1), r.get<std::int64_t>(2),
                   r.get<std::string>(3), r.get<std::optional<std::string>>(4).value_or(""),
                   r.get<std::string>(5), r.get<int>(6), r.get<std::string>(7)});
  return out;
}

std::vector<LogEntry> recent_log_entries(db::Connection& conn, std::size_t limit,
                                         std::int64_t user_id) {
  constexpr const char* kSelect =
      "SELECT id, action_time, user_id, object_type, object_id, object_repr, action_flag, "
      "change_message "
      "FROM mysite_admin_log ";
  std::vector<db::Row> rows =
      user_id == 0 ? conn.query(std::string(kSelect) + "ORDER BY action_time DESC, id DESC LIMIT ?",
                                static_cast<std::int64_t>(limit))
                   : conn.query(std::string(kSelect) +
                                    "WHERE user_id = ? ORDER BY action_time DESC, id DESC LIMIT ?",
                                user_id, static_cast<std::int64_t>(limit));
  std::vector<LogEntry> out;
  for (const auto& r : rows)
    out.push_back({r.get<std::int64_t>(0), r.get<std::string>(1), r.get<std::int64_t>(2),
                   r.get<std::string>(3), r.get<std::optional<std::string>>(4).value_or(""),
                   r.get<std::string>(5), r.get<int>(6), r.get<std::string>(7)});
  return out;
}

}  // namespace auth
