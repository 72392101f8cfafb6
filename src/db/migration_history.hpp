// db: the history table `mysite_migrations(id, app, name, applied_at)`, per dialect.
// Knows nothing of locking or of which migrations exist; internal to the migration runner.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "db/connection.hpp"

namespace db::migration_history {

inline constexpr const char* kTable = "mysite_migrations";

using Applied = std::map<std::pair<std::string, std::string>, std::string>;  // (app, name) -> applied_at

bool exists(Connection& connection);
void create_if_missing(Connection& connection);
// Empty when the table does not exist yet.
Applied read(Connection& connection);
void record(Connection& connection, const std::string& app, const std::string& name);

// Now, as "2026-11-28T07:44:48Z".
std::string utc_now();

}  // namespace db::migration_history
