// db: one MySQL/MariaDB prepared statement (MYSQL_STMT, binary protocol) behind StatementImpl.
// Knows nothing of caching or typed binding; internal to the MySQL backend.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "db/statement_impl.hpp"

struct st_mysql_stmt;

namespace db {

class MysqlConnection;

// Results are buffered on the client (mysql_stmt_store_result) as soon as the statement runs, so
// other statements can run on the connection while this one is being stepped through (as on
// SQLite). Column values are read with their types: integers as int64 (UNSIGNED BIGINT above
// INT64_MAX as decimal text), FLOAT/DOUBLE as double, DECIMAL as int64 when it has no fraction
// digits else double, everything else (text, blobs, dates) as bytes, of any length: a value larger
// than the bound buffer is fetched again at its full length.
class MysqlStatement final : public StatementImpl {
 public:
  // Takes ownership of the prepared `stmt`. `owner` is marked broken when the connection is lost.
  MysqlStatement(MysqlConnection& owner, st_mysql_stmt* stmt, std::string sql);
  ~MysqlStatement() override;

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
  struct Param;   // one bound parameter (defined in the .cpp, next to <mysql.h>)
  struct Column;  // one result column: its type and fetch buffer
  Param& param(int index);
  void execute_now();
  void bind_result_columns();
  void read_row(bool truncated);
  [[noreturn]] void fail(const char* what);

  MysqlConnection& owner_;
  st_mysql_stmt* stmt_;
  std::string sql_;
  std::vector<Param> params_;
  std::vector<Column> columns_;
  std::vector<Value> current_;
  bool results_bound_ = false;
  bool executed_ = false;  // ran since the last rewind
  bool has_result_ = false;
  std::int64_t changes_ = 0;
};

}  // namespace db
