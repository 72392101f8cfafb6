// db: the SQLite backend, the embedded default (one file, WAL mode, busy timeout, foreign keys).
// Knows nothing of pools, settings or MySQL; only <sqlite3.h> and the db:: interfaces.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "db/connection.hpp"

struct sqlite3;

namespace db {

struct SqliteOptions {
  std::string path;  // a file path (parent directories are created) or ":memory:"
  std::chrono::milliseconds busy_timeout{5000};
};

// Opening applies: journal_mode=WAL, busy_timeout, foreign_keys=ON, synchronous=NORMAL.
// Opened with SQLITE_OPEN_NOMUTEX: one thread at a time, which the pool guarantees.
// Throws db::Error (config) if the file cannot be opened or created.
class SqliteConnection : public Connection {
 public:
  explicit SqliteConnection(const SqliteOptions& options);
  ~SqliteConnection() override;

  Dialect dialect() const noexcept override { return Dialect::sqlite; }
  std::int64_t last_insert_id() override;
  std::int64_t changes() override;
  bool ping() override;
  void begin() override;
  void commit() override;
  void rollback() override;
  bool in_transaction() const override;

  const std::string& path() const noexcept { return path_; }
  sqlite3* native_handle() const noexcept { return db_; }

 protected:
  std::unique_ptr<StatementImpl> prepare_uncached(std::string_view sql) override;

 private:
  void exec_simple(std::string_view sql);
  void set_wal_mode(std::chrono::milliseconds busy_timeout);

  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace db
