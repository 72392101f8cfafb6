// db: one open database connection (abstract), with a per-connection prepared-statement cache.
// Knows nothing of pools, settings or a particular backend; backends derive from it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "db/dialect.hpp"
#include "db/row.hpp"
#include "db/statement.hpp"

namespace db {

// Not thread-safe: one thread uses a connection at a time (the Pool hands each out to one lease).
// Example:
//   conn.execute("INSERT INTO fortune(id, message) VALUES (?, ?)", 13, "hi");
//   for (const db::Row& r : conn.query("SELECT id, message FROM fortune")) ...
// Statements and Rows must not outlive their connection.
class Connection {
 public:
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  virtual ~Connection() = default;

  virtual Dialect dialect() const noexcept = 0;

  // Prepares `sql` (exactly one statement) or reuses the cached statement with the same text.
  // If the cached one is already in use by a live Statement, a private one is prepared.
  Statement prepare(std::string_view sql);

  // prepare + bind args to ?1..?N + run. execute returns the number of changed rows.
  template <class... Args>
  std::int64_t execute(std::string_view sql, const Args&... args) {
    return prepare(sql).bind_all(args...).execute();
  }
  template <class... Args>
  std::vector<Row> query(std::string_view sql, const Args&... args) {
    return prepare(sql).bind_all(args...).query();
  }
  template <class... Args>
  std::optional<Row> query_optional(std::string_view sql, const Args&... args) {
    return prepare(sql).bind_all(args...).query_optional();
  }
  // Throws db::Error (not_found) when the query returns no row.
  template <class... Args>
  Row query_row(std::string_view sql, const Args&... args) {
    return prepare(sql).bind_all(args...).query_row();
  }

  // Row id of the last INSERT on this connection (AUTO_INCREMENT / INTEGER PRIMARY KEY).
  virtual std::int64_t last_insert_id() = 0;
  // Rows changed by the last INSERT/UPDATE/DELETE on this connection.
  virtual std::int64_t changes() = 0;
  // A cheap round trip; false (never throws) if the connection is unusable.
  virtual bool ping() = 0;

  // Transactions: prefer db::Transaction, which calls these. begin() takes the write lock at once
  // on SQLite (BEGIN IMMEDIATE) so a transaction never fails half-way on a lock upgrade.
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  virtual bool in_transaction() const = 0;

  // A broken connection is never reused: the pool discards it on release. Backends mark
  // themselves broken on connection-lost errors; callers may too.
  bool broken() const noexcept { return broken_; }
  void mark_broken() noexcept { broken_ = true; }

  // Cached statements, for tests and diagnostics.
  std::size_t cached_statement_count() const noexcept { return cache_.size(); }

  // Above this many cached statements, idle ones are dropped before caching another.
  static constexpr std::size_t kMaxCachedStatements = 256;

 protected:
  // Backend hook: compile `sql` into a new statement (no caching).
  virtual std::unique_ptr<StatementImpl> prepare_uncached(std::string_view sql) = 0;
  // Backends call this in their destructor, before closing the native handle.
  void clear_statement_cache() noexcept { cache_.clear(); }

 private:
  struct Cached {
    std::unique_ptr<StatementImpl> impl;
    bool in_use = false;
  };
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  void evict_idle_statements() noexcept;

  std::unordered_map<std::string, Cached, SqlHash, std::equal_to<>> cache_;
  bool broken_ = false;
};

}  // namespace db
