// db: the one exception type of the data layer, with a small set of kinds callers branch on.
// Knows nothing of backends; messages never carry passwords or bound parameter values.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace db {

// Thrown by every db:: call that fails. Example:
//   try { conn.execute("INSERT INTO t(id) VALUES (?)", 1); }
//   catch (const db::Error& e) { if (e.kind() == db::Error::Kind::constraint_violation) ... }
class Error : public std::runtime_error {
 public:
  enum class Kind {
    connection_lost,       // the server/file went away; the connection is unusable
    constraint_violation,  // UNIQUE, FOREIGN KEY, NOT NULL, CHECK
    timeout,               // pool checkout or lock wait ran out of time
    busy,                  // the database is locked by someone else (SQLITE_BUSY, lock wait)
    syntax,                // the SQL was rejected: syntax, unknown table or column
    not_found,             // a row that had to exist did not (Statement::query_row)
    config,                // bad configuration or API misuse detected before talking to the DB
    other,                 // anything else (I/O, type mismatch, out-of-range bind index...)
  };

  // `native_code` is the backend's error code (sqlite extended code, MySQL errno), 0 if none.
  Error(Kind kind, const std::string& message, int native_code = 0);

  Kind kind() const noexcept { return kind_; }
  int native_code() const noexcept { return native_code_; }

 private:
  Kind kind_;
  int native_code_;
};

// "connection_lost", "constraint_violation", ... for logs and tests.
std::string_view to_string(Error::Kind kind) noexcept;

}  // namespace db
