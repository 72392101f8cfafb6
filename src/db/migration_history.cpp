#include "db/migration_history.hpp"

#include <chrono>
#include <ctime>

namespace db::migration_history {

namespace {

constexpr const char* kCreateSqlite =
    "CREATE TABLE IF NOT EXISTS mysite_migrations ("
    "id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "app TEXT NOT NULL, "
    "name TEXT NOT NULL, "
    "applied_at TEXT NOT NULL, "
    "UNIQUE (app, name))";

// 191 characters keeps the unique key under InnoDB's 767-byte limit in utf8mb4.
constexpr const char* kCreateMysql =
    "CREATE TABLE IF NOT EXISTS mysite_migrations ("
    "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
    "app VARCHAR(191) NOT NULL, "
    "name VARCHAR(191) NOT NULL, "
    "applied_at VARCHAR(32) NOT NULL, "
    "UNIQUE KEY mysite_migrations_app_name (app, name)"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

}  // namespace

bool exists(Connection& connection) {
  if (connection.dialect() == Dialect::mysql) {
    return connection
        .query_optional(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?", kTable)
        .has_value();
  }
  return connection.query_optional("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", kTable)
      .has_value();
}

void create_if_missing(Connection& connection) {
  connection.execute(connection.dialect() == Dialect::mysql ? kCreateMysql : kCreateSqlite);
}

Applied read(Connection& connection) {
  Applied applied;
  if (!exists(connection)) return applied;
  for (const Row& row : connection.query("SELECT app, name, applied_at FROM mysite_migrations ORDER BY id")) {
    applied.emplace(std::make_pair(row.get<std::string>(0), row.get<std::string>(1)), row.get<std::string>(2));
  }
  return applied;
}

void record(Connection& connection, const std::string& app, const std::string& name) {
  connection.execute("INSERT INTO mysite_migrations (app, name, applied_at) VALUES (?, ?, ?)", app, name, utc_now());
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

}  // namespace db::migration_history
