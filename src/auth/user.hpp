// auth: users in Django's `auth_user` table (same name and columns, so a Django site's users
// move over with their password hashes), plus per-model permissions for the admin.
// Knows nothing of HTTP or sessions; every function takes the connection to use.
//
//   db::MigrationSet set; auth::add_migrations(set);        // before the site's migrations
//   auto id = auth::create_user(conn, {.username = "alice", .email = "a@example.com"}, "pw...");
//   if (auto u = auth::find_user(conn, "alice")) ...
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/password_hashers.hpp"
#include "db/connection.hpp"
#include "db/migration_set.hpp"

namespace auth {

// One row of auth_user. Datetimes are UTC text "YYYY-MM-DD HH:MM:SS.ffffff", as Django stores them.
struct User {
  std::int64_t id = 0;
  std::string password;  // encoded hash (password_hashers.hpp), never the password
  std::optional<std::string> last_login;
  bool is_superuser = false;
  std::string username;
  std::string first_name;
  std::string last_name;
  std::string email;
  bool is_staff = false;
  bool is_active = true;
  std::string date_joined;
};

inline constexpr std::size_t kMaxUsernameLength = 150;  // Django's AbstractUser.username

// The auth app's migrations ("auth.0001_initial": auth_user; "auth.0002_sessions_permissions":
// sessions, per-user permissions, the admin log). Add them before the site's.
void add_migrations(db::MigrationSet& set);

// Current UTC time in Django's datetime text form.
std::string now_text();

// Django's username rule: 1-150 characters of letters, digits and @ . + - _ (ASCII here).
bool is_valid_username(std::string_view username);
// Django's normalize_email: lower-cases the domain part.
std::string normalize_email(std::string_view email);

std::optional<User> find_user(db::Connection& conn, std::string_view username);
std::optional<User> find_user_by_id(db::Connection& conn, std::int64_t id);
// Users ordered by username; `limit` 0 means all.
std::vector<User> list_users(db::Connection& conn, std::size_t limit = 0, std::size_t offset = 0);
std::int64_t count_users(db::Connection& conn);

// Inserts `user` (its id and password are ignored) with `password` hashed by `policy`, or an
// unusable password when `password` is nullopt; date_joined defaults to now. Returns the new id.
// Throws std::invalid_argument for a bad username, db::Error (constraint_violation) for a taken
// one.
std::int64_t create_user(db::Connection& conn, User user, std::optional<std::string_view> password,
                         const HasherPolicy& policy = {});
// Writes every column of `user` but id and password (the admin's change form).
void update_user(db::Connection& conn, const User& user);
// Hashes and stores a new password (validate it first with validate_password).
void set_password(db::Connection& conn, std::int64_t user_id, std::string_view password,
                  const HasherPolicy& policy = {});
// Stores an already encoded hash (upgrades at login).
void set_password_hash(db::Connection& conn, std::int64_t user_id, std::string_view encoded);
void update_last_login(db::Connection& conn, std::int64_t user_id);
// Deletes the user, their permissions and sessions.
void delete_user(db::Connection& conn, std::int64_t user_id);

// Permissions, named like Django's "app_label.codename" ("fortunes.change_fortune").
// An active superuser has every permission; an inactive user none.
bool has_perm(db::Connection& conn, const User& user, std::string_view permission);
std::vector<std::string> user_permissions(db::Connection& conn, std::int64_t user_id);
void grant_perm(db::Connection& conn, std::int64_t user_id, std::string_view permission);
void revoke_perm(db::Connection& conn, std::int64_t user_id, std::string_view permission);

// The admin's history (Django's django_admin_log, without content types): who did what, when.
struct LogEntry {
  std::int64_t id = 0;
  std::string action_time;
  std::int64_t user_id = 0;
  std::string object_type;  // "auth.user", "fortunes.fortune"
  std::string object_id;
  std::string object_repr;
  int action_flag = 0;  // 1 addition, 2 change, 3 deletion (Django's ADDITION/CHANGE/DELETION)
  std::string change_message;
};
std::int64_t add_log_entry(db::Connection& conn, const LogEntry& entry);
// Newest first; `user_id` 0 means everyone's.
std::vector<LogEntry> recent_log_entries(db::Connection& conn, std::size_t limit,
                                         std::int64_t user_id = 0);
// One object's history, oldest first (Django's history page), at most `limit` entries.
std::vector<LogEntry> object_log_entries(db::Connection& conn, std::string_view object_type,
                                         std::string_view object_id, std::size_t limit = 1000);

}  // namespace auth
