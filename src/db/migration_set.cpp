#include "db/migration_set.hpp"

#include <algorithm>
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

// MySQL: GET_LOCK takes a named lock owned by the session, so a crashed runner releases it when its
// connection dies. Named locks are server-wide: the name carries the database so two sites sharing
// a server do not wait on each other. The wait is split into short GET_LOCK calls so that no single
// reply takes longer than the connection's read timeout.
class MysqlMigrationLock {
 public:
  MysqlMigrationLock(Connection& connection, const MigrateOptions& options)
      : connection_(connection) {
    name_ = connection_
                .query_row("SELECT CONCAT(?, LEFT(COALESCE(DATABASE(), ''), 48))", kMysqlLockPrefix)
                .get<std::string>(0);
    const auto deadline = std::chrono::steady_clock::now() + options.lock_timeout;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      const double wait_s =
          static_cast<double>(
              std::clamp(left, std::chrono::milliseconds(0), kMysqlLockPoll).count()) /
          1000.0;
      const Row row = connection_.query_row("SELECT GET_LOCK(?, ?)", name_, wait_s);
      if (row.is_null(0))
        throw Error(Error::Kind::other, "migrate: GET_LOCK('" + name_ + "') failed");
      if (row.get<std::int64_t>(0) == 1) return;
      if (std::chrono::steady_clock::now() >= deadline) {
        throw Error(Error::Kind::timeout, "migrate: another migrate held the lock '" + name_ +
                                              "' for longer than " +
                                              std::to_string(options.lock_timeout.count()) + " ms");
      }
    }
  }
  MysqlMigrationLock(const MysqlMigrationLock&) = delete;
  MysqlMigrationLock& operator=(const MysqlMigrationLock&) = delete;
  ~MysqlMigrationLock() {
    try {
      connection_.query_row("SELECT RELEASE_LOCK(?)", name_);
    } catch (const Error&) {
      // The connection is gone, and the server released the lock with the session.
    }
  }

 private:
  static constexpr const char* kMysqlLockPrefix = "mysite_migrate.";
  static constexpr std::chrono::milliseconds kMysqlLockPoll{5000};

  Connection& connection_;
  std::string name_;
};

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
    case Dialect::mysql: return migrate_mysql(connection, out, options);
  }
  throw Error(Error::Kind::config, "migrate: unknown dialect");
}

// MySQL: DDL commits implicitly, so a transaction can be neither the lock nor the undo of a
// half-applied migration. Steps run one by one (autocommit) under the named lock; the history row
// is written only when all of a migration's steps succeeded. A failure leaves that migration's
// earlier steps applied and unrecorded, so the next run repeats the whole migration: MySQL steps
// must be re-runnable (IF NOT EXISTS, INSERT IGNORE...).
MigrateResult MigrationSet::migrate_mysql(Connection& connection, std::ostream& out,
                                          const MigrateOptions& options) const {
  if (connection.in_transaction()) {
    throw Error(Error::Kind::config,
                "migrate: the connection is inside a transaction (DDL would commit it)");
  }
  MysqlMigrationLock lock(connection, options);
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
    for (std::size_t i = 0; i < m.steps.size(); ++i) {
      try {
        connection.execute(m.steps[i].sql_for(Dialect::mysql));
      } catch (const Error& e) {
        out << " FAILED\n" << std::flush;
        throw Error(e.kind(),
                    "migration " + m.label() + " step " + std::to_string(i + 1) + " of " +
                        std::to_string(m.steps.size()) +
                        " failed (steps before it stay applied; the next run " +
                        "repeats the migration): " + e.what(),
                    e.native_code());
      }
    }
    migration_history::record(connection, m.app, m.name);
    out << " OK\n" << std::flush;
    result.applied.push_back(m.label());
  }
  if (result.applied.empty()) out << "  No migrations to apply.\n";
  return result;
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
