// db: what a migration is (ordered steps of SQL per dialect) and what running them reports.
// Knows nothing of how or when they run (db/migration_set.hpp) nor of any particular app.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "db/dialect.hpp"

namespace db {

// One SQL statement. Give `sqlite` and `mysql` when they differ; if only one is set, both
// dialects use it. On MySQL, DDL is not transactional: write each step so it can be re-run after a
// crash (CREATE TABLE IF NOT EXISTS, INSERT IGNORE / ON DUPLICATE KEY, ...).
struct MigrationStep {
  std::string sqlite;
  std::string mysql;

  // The SQL for `dialect` (falls back to the other field when this one is empty).
  const std::string& sql_for(Dialect dialect) const noexcept;
};

// Named like Django: app "fortunes", name "0001_initial". Steps run in order.
struct Migration {
  std::string app;
  std::string name;
  std::vector<MigrationStep> steps;

  std::string label() const { return app + "." + name; }  // "fortunes.0001_initial"
};

// One line of `mysite showmigrations`.
struct MigrationState {
  std::string app;
  std::string name;
  bool applied = false;
  std::optional<std::string> applied_at;  // ISO-8601 UTC, when applied
};

struct MigrateResult {
  std::vector<std::string> applied;  // labels applied by this run, in order
  std::size_t already_applied = 0;   // found applied (by an earlier run or a concurrent one)
};

}  // namespace db
