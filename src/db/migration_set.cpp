#include "db/migration_set.hpp"

#include <optional>
#include <set>
#include <string>
#include <thread>

#include "db/error.hpp"
#include "db/migration_history.hpp"
#include "db/transaction.hpp"

namespace db {

namespace {

constexpr std::chrono::milliseconds kLockRetryPause{50};

void print_header(const std::vector<Migration>& migrations, std::ostream& out) {
  std::set<std::string> apps;
  for (const Migration& m : migrations) apps.insert(m.app);
  out << "Operations to perform:\n  Apply all migrations: ";
  bool first = true;
  for (const std::string& app : apps) {
    out << (first ? "" : ", ") << app;
    first = false;
  }
  out << "\nRunning migrations:\n";
}

// SQLite: BEGIN IMMEDIATE takes the database's single write lock. It waits busy_timeout by itself;
// past that we keep retrying until the caller's lock timeout.
std::optional<Transaction> lock_sqlite(Connection& connection, const MigrateOptions& options) {
  const auto deadline = std::chrono::steady_clock::now() + options.lock_timeout;
  for (;;) {
    try {
      return std::optional<Transaction>(std::in_place, connection);
    } catch (const Error& e) {
      if (e.kind() != Error::Kind::busy) throw;
      if (std::chrono::steady_clock::now() >= deadline) {
        throw Error(Error::Kind::timeout,
                    "migrate: another migrate kept the database locked for longer than " +
                        std::to_string(options.lock_timeout.count()) + " ms");
      }
      std::this_thread::sleep_for(kLockRetryPause);
    }
  }
}

}  // namespace

void MigrationSet::add(Migration migration) {
  if (migration.app.empty() || migration.name.empty()) {
    throw Error(Error::Kind::config, "migration: app and name must not be empty");
  }
  for (std::size_t i = 0; i < migration.steps.size(); ++i) {
    const MigrationStep& step = migration.steps[i];
    if (step.sqlite.empty() && step.mysql.empty()) {
      throw Error(Error::Kind::config,
                  "migration " + migration.label() + ": step " + std::to_string(i + 1) + " has no SQL");
    }
  }
  for (const Migration& existing : migrations_) {
    if (existing.app == migration.app && existing.name == migration.name) {
      throw Error(Error::Kind::config, "migration " + migration.label() + " added twice");
    }
  }
  migrations_.push_back(std::move(migration));
}

std::vector<MigrationState> MigrationSet::plan(Connection& connection) const {
  const migration_history::Applied applied = migration_history::read(connection);
  std::vector<MigrationState> states;
  states.reserve(migrations_.size());
  for (const Migration& m : migrations_) {
    MigrationState state{m.app, m.name, false, std::nullopt};
    if (auto it = applied.find({m.app, m.name}); it != applied.end()) {
      state.applied = true;
      state.applied_at = it->second;
    }
    states.push_back(std::move(state));
  }
  return states;
}

bool MigrationSet::has_pending(Connection& connection) const {
  for (const MigrationState& state : plan(connection)) {
    if (!state.applied) return true;
  }
  return false;
}

MigrateResult MigrationSet::migrate(Connection& connection, std::ostream& out, const MigrateOptions& options) const {
  switch (connection.dialect()) {
    case Dialect::sqlite: return migrate_sqlite(connection, out, options);
    case Dialect::mysql:
      // The MySQL runner, for the backend's change. DDL commits implicitly on MySQL, so a
      // transaction cannot be the lock and cannot undo a half-applied migration:
      //   1. SELECT GET_LOCK('mysite_migrate', <lock_timeout s>) -> 1, else Error(timeout). The named
      //      lock belongs to the session, so a crashed task releases it when its connection dies.
      //   2. create_if_missing, then re-read the history (inside the lock, as on SQLite).
      //   3. for each pending migration: run its steps one by one (autocommit); only when all
      //      succeed, INSERT the history row. A failure reports "migration X step i of n failed";
      //      earlier steps stay applied, which is why MySQL steps must be re-runnable
      //      (IF NOT EXISTS, INSERT IGNORE...): the next run repeats the whole migration.
      //   4. SELECT RELEASE_LOCK('mysite_migrate') in every path (RAII guard).
      throw Error(Error::Kind::config, "migrate: the MySQL backend is not built into this binary yet");
  }
  throw Error(Error::Kind::config, "migrate: unknown dialect");
}

// SQLite: one IMMEDIATE transaction for the whole run is the lock (DDL is transactional), and a
// SAVEPOINT per migration lets a failing migration be undone while earlier ones are kept.
MigrateResult MigrationSet::migrate_sqlite(Connection& connection, std::ostream& out,
                                           const MigrateOptions& options) const {
  std::optional<Transaction> tx = lock_sqlite(connection, options);
  migration_history::create_if_missing(connection);
  const migration_history::Applied applied = migration_history::read(connection);

  print_header(migrations_, out);
  MigrateResult result;
  for (const Migration& m : migrations_) {
    if (applied.count({m.app, m.name}) != 0) {
      ++result.already_applied;
      continue;
    }
    out << "  Applying " << m.label() << "..." << std::flush;
    connection.execute("SAVEPOINT mysite_migration");
    for (std::size_t i = 0; i < m.steps.size(); ++i) {
      try {
        connection.execute(m.steps[i].sql_for(Dialect::sqlite));
      } catch (const Error& e) {
        out << " FAILED\n" << std::flush;
        // Undo this migration, keep those applied before it. If the cleanup itself fails, the
        // Transaction's destructor rolls the whole run back: still consistent, and the step's
        // error below is the one worth reporting.
        try {
          if (connection.in_transaction()) {
            connection.execute("ROLLBACK TO mysite_migration");
            connection.execute("RELEASE mysite_migration");
            tx->commit();
          }
        } catch (const Error&) {
        }
        throw Error(e.kind(),
                    "migration " + m.label() + " step " + std::to_string(i + 1) + " of " +
                        std::to_string(m.steps.size()) + " failed: " + e.what(),
                    e.native_code());
      }
    }
    migration_history::record(connection, m.app, m.name);
    connection.execute("RELEASE mysite_migration");
    out << " OK\n" << std::flush;
    result.applied.push_back(m.label());
  }
  tx->commit();
  if (result.applied.empty()) out << "  No migrations to apply.\n";
  return result;
}

}  // namespace db
