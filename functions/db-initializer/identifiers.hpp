// db-initializer: checks the names that go into the SQL script (DB_USER, DB_NAME) and quotes
// them, so a setting can never change what a statement means. Knows nothing of connections.
//
//   db_init::check_user_name("DB_USER", user);       // throws ConfigError on "x'; DROP ..."
//   std::string sql_user = db_init::quote_string(user);   // 'django'
//   std::string sql_db = db_init::quote_identifier(db);   // `main`
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace db_init {

// A setting the initializer cannot work with; what() starts with the setting's name.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Longest names accepted: MySQL 8 / Aurora MySQL 3 user names (32), schema names (64).
inline constexpr std::size_t kMaxUserNameLength = 32;
inline constexpr std::size_t kMaxDatabaseNameLength = 64;

// A user name of 1-32 characters from A-Z a-z 0-9 _ . -; throws ConfigError naming `setting`.
void check_user_name(std::string_view setting, std::string_view name);
// A database name of 1-64 characters from A-Z a-z 0-9 _ $, not only digits; throws ConfigError.
void check_database_name(std::string_view setting, std::string_view name);

// 'text' with ' doubled and \ escaped: a MySQL string literal for any text.
std::string quote_string(std::string_view text);
// `name` with ` doubled: a MySQL quoted identifier for any name.
std::string quote_identifier(std::string_view name);

}  // namespace db_init
