// db: one SQLite prepared statement (sqlite3_stmt) behind the StatementImpl interface.
// Knows nothing of caching or typed binding; internal to the SQLite backend.
#pragma once

#include <string>

#include "db/statement_impl.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace db {

class SqliteConnection;

class SqliteStatement final : public StatementImpl {
 public:
  // Takes ownership of `stmt`. `owner` is marked broken on I/O-level failures.
  SqliteStatement(SqliteConnection& owner, sqlite3_stmt* stmt, std::string sql);
  ~SqliteStatement() override;

  int parameter_count() const override;
  void bind_null(int index) override;
  void bind_int64(int index, std::int64_t value) override;
  void bind_double(int index, double value) override;
  void bind_text(int index, std::string_view value) override;
  bool step() override;
  int column_count() const override;
  std::string column_name(int column) const override;
  Value column(int column) const override;
  std::int64_t changes() const override;
  void rewind() noexcept override;
  void reset() noexcept override;
  std::string_view sql() const noexcept override { return sql_; }

 private:
  void check_bind(int rc, int index);

  SqliteConnection& owner_;
  sqlite3_stmt* stmt_;
  std::string sql_;
  std::int64_t changes_ = 0;
  std::int64_t total_before_ = -1;  // sqlite3_total_changes64 when this run started
};

}  // namespace db
