// db: the interface a backend implements for one prepared statement (sqlite3_stmt, MYSQL_STMT).
// Knows nothing of caching, pools or typed binding; db::Statement drives it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "db/value.hpp"

namespace db {

// Parameter indexes are 1-based, as in `?` order (the MySQL backend shifts to 0-based itself).
// Every method may throw db::Error, except rewind() and reset().
class StatementImpl {
 public:
  virtual ~StatementImpl() = default;

  virtual int parameter_count() const = 0;
  virtual void bind_null(int index) = 0;
  virtual void bind_int64(int index, std::int64_t value) = 0;
  virtual void bind_double(int index, double value) = 0;
  virtual void bind_text(int index, std::string_view value) = 0;  // copied by the backend

  // Runs to the next row: true if a row is ready to read, false when done.
  virtual bool step() = 0;
  virtual int column_count() const = 0;
  virtual std::string column_name(int column) const = 0;  // 0-based
  virtual Value column(int column) const = 0;             // 0-based, the current row

  // Rows changed by the last completed execution.
  virtual std::int64_t changes() const = 0;
  // Makes the statement ready to run again, keeping its bindings.
  virtual void rewind() noexcept = 0;
  // rewind() and clear every binding (to NULL): done before a cached statement is reused.
  virtual void reset() noexcept = 0;
  // The SQL text, for error messages.
  virtual std::string_view sql() const noexcept = 0;
};

}  // namespace db
