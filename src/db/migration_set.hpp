// db: the ordered list of migrations of every app, and the runner behind `mysite migrate` and
// `mysite showmigrations`. Knows nothing of which apps exist: they add() theirs explicitly.
#pragma once

#include <chrono>
#include <ostream>
#include <vector>

#include "db/connection.hpp"
#include "db/migration.hpp"

namespace db {

struct MigrateOptions {
  // How long migrate() waits for another runner (another ECS task) to release the lock.
  std::chrono::milliseconds lock_timeout{std::chrono::minutes(10)};
};

// Example (in main, no static initialisers):
//   db::MigrationSet set;
//   fortunes::add_migrations(set);     // set.add({"fortunes", "0001_initial", {{...}}});
//   set.migrate(*db::connect(cfg), std::cout);
// Migrations run in the order they were added (add an app's migrations after those it depends on).
//
// migrate() holds a database lock for the whole run (SQLite: a write transaction; MySQL: the named
// lock GET_LOCK('mysite_migrate.<database>'), released in every path), re-reads the history inside
// it, and applies only what is still pending, so concurrent runners (three tasks starting at once)
// apply each migration exactly once. A migration is recorded in mysite_migrations only after all
// its steps succeed; migrations applied before a failure stay applied (as in Django). On SQLite a
// failing migration is undone; on MySQL (DDL is not transactional) its earlier steps stay and the
// next run repeats it, so MySQL steps must be re-runnable.
class MigrationSet {
 public:
  // Throws db::Error (config) for an empty app/name, a step without SQL, or a duplicate.
  void add(Migration migration);
  const std::vector<Migration>& migrations() const noexcept { return migrations_; }

  // Every migration, in order, applied or pending (reads the history; takes no lock).
  std::vector<MigrationState> plan(Connection& connection) const;
  bool has_pending(Connection& connection) const;

  // Applies the pending migrations, writing Django-style progress to `out`:
  //   Operations to perform:
  //     Apply all migrations: fortunes
  //   Running migrations:
  //     Applying fortunes.0001_initial... OK
  // Throws db::Error (kind of the failing statement) naming the migration and step that failed, or
  // db::Error (timeout) if the lock is not obtained within options.lock_timeout.
  MigrateResult migrate(Connection& connection, std::ostream& out, const MigrateOptions& options = {}) const;

 private:
  MigrateResult migrate_sqlite(Connection& connection, std::ostream& out, const MigrateOptions& options) const;
  MigrateResult migrate_mysql(Connection& connection, std::ostream& out, const MigrateOptions& options) const;

  std::vector<Migration> migrations_;
};

}  // namespace db
