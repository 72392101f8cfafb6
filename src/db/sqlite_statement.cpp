#include "db/sqlite_statement.hpp"

#include <sqlite3.h>

#include "db/sqlite_connection.hpp"
#include "db/sqlite_error.hpp"

namespace db {

SqliteStatement::SqliteStatement(SqliteConnection& owner, sqlite3_stmt* stmt, std::string sql)
    : owner_(owner), stmt_(stmt), sql_(std::move(sql)) {}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

int SqliteStatement::parameter_count() const { return sqlite3_bind_parameter_count(stmt_); }

void SqliteStatement::check_bind(int rc, int index) {
  if (rc == SQLITE_OK) return;
  if (rc == SQLITE_RANGE) {
    throw Error(Error::Kind::other, "sqlite bind: parameter " + std::to_string(index) + " out of range (statement has " +
                                        std::to_string(parameter_count()) + ") in: " + sql_.substr(0, 200));
  }
  throw sqlite_detail::make_error(owner_.native_handle(), rc, "bind", sql_);
}

void SqliteStatement::bind_null(int index) { check_bind(sqlite3_bind_null(stmt_, index), index); }

void SqliteStatement::bind_int64(int index, std::int64_t value) {
  check_bind(sqlite3_bind_int64(stmt_, index, value), index);
}

void SqliteStatement::bind_double(int index, double value) {
  check_bind(sqlite3_bind_double(stmt_, index, value), index);
}

void SqliteStatement::bind_text(int index, std::string_view value) {
  check_bind(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8), index);
}

bool SqliteStatement::step() {
  sqlite3* db = owner_.native_handle();
  // sqlite3_changes64 keeps the count of the last DML statement, so a SELECT or DDL run would
  // report a stale count: only trust it when this run changed the total.
  if (total_before_ < 0) total_before_ = sqlite3_total_changes64(db);
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    changes_ = sqlite3_total_changes64(db) != total_before_ ? sqlite3_changes64(db) : 0;
    total_before_ = -1;
    return false;
  }
  total_before_ = -1;
  Error error = sqlite_detail::make_error(owner_.native_handle(), rc, "step", sql_);
  const int primary = rc & 0xff;
  if (primary == SQLITE_IOERR || primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) owner_.mark_broken();
  sqlite3_reset(stmt_);
  throw error;
}

int SqliteStatement::column_count() const { return sqlite3_column_count(stmt_); }

std::string SqliteStatement::column_name(int column) const {
  const char* name = sqlite3_column_name(stmt_, column);
  return name != nullptr ? std::string(name) : std::string();
}

Value SqliteStatement::column(int column) const {
  switch (sqlite3_column_type(stmt_, column)) {
    case SQLITE_INTEGER: return static_cast<std::int64_t>(sqlite3_column_int64(stmt_, column));
    case SQLITE_FLOAT: return sqlite3_column_double(stmt_, column);
    case SQLITE_NULL: return nullptr;
    case SQLITE_BLOB: {
      const void* data = sqlite3_column_blob(stmt_, column);
      const int size = sqlite3_column_bytes(stmt_, column);
      return std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
    }
    default: {  // SQLITE_TEXT
      const unsigned char* text = sqlite3_column_text(stmt_, column);
      const int size = sqlite3_column_bytes(stmt_, column);
      if (text == nullptr) return std::string();
      return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
    }
  }
}

std::int64_t SqliteStatement::changes() const { return changes_; }

void SqliteStatement::rewind() noexcept {
  sqlite3_reset(stmt_);
  total_before_ = -1;
}

void SqliteStatement::reset() noexcept {
  rewind();
  sqlite3_clear_bindings(stmt_);
}

}  // namespace db
