#include "db/sqlite_error.hpp"

#include <sqlite3.h>

#include <string>

namespace db::sqlite_detail {

namespace {
constexpr std::size_t kMaxSqlInMessage = 200;
}

Error::Kind kind_for(int extended_code) noexcept {
  switch (extended_code & 0xff) {
    case SQLITE_CONSTRAINT: return Error::Kind::constraint_violation;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return Error::Kind::busy;
    case SQLITE_ERROR: return Error::Kind::syntax;  // no such table/column, syntax error
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
    case SQLITE_PERM:
    case SQLITE_READONLY: return Error::Kind::config;
    case SQLITE_INTERRUPT: return Error::Kind::timeout;
    case SQLITE_MISUSE: return Error::Kind::config;
    default: return Error::Kind::other;
  }
}

Error make_error(sqlite3* db, int code, std::string_view what, std::string_view sql) {
  int extended = db != nullptr ? sqlite3_extended_errcode(db) : code;
  if ((extended & 0xff) != (code & 0xff)) extended = code;  // the handle's error is stale
  std::string message = "sqlite ";
  message += what;
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  message += " (";
  message += sqlite3_errstr(extended);
  message += ")";
  if (!sql.empty()) {
    message += " in: ";
    message += sql.substr(0, kMaxSqlInMessage);
    if (sql.size() > kMaxSqlInMessage) message += "...";
  }
  return Error(kind_for(extended), message, extended);
}

}  // namespace db::sqlite_detail
