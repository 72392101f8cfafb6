#include "db/sqlite_connection.hpp"

#include <sqlite3.h>

#include <cctype>
#include <filesystem>
#include <system_error>
#include <thread>

#include "db/sqlite_error.hpp"
#include "db/sqlite_statement.hpp"

namespace db {

namespace {

bool only_blanks(std::string_view text) {
  for (char c : text) {
    if (c != ';' && std::isspace(static_cast<unsigned char>(c)) == 0) return false;
  }
  return true;
}

void create_parent_directory(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0) return;
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) {
    throw Error(Error::Kind::config,
                "sqlite open: cannot create directory '" + parent.string() + "' for DB_NAME: " + ec.message());
  }
}

constexpr std::chrono::milliseconds kWalRetryPause{10};

}  // namespace

// WAL lets readers run beside the one writer. Switching a new file to WAL needs an exclusive lock,
// and SQLite reports SQLITE_BUSY at once (without its busy handler) when several processes open
// the same new file together, so retry for up to the busy timeout.
void SqliteConnection::set_wal_mode(std::chrono::milliseconds busy_timeout) {
  const auto deadline = std::chrono::steady_clock::now() + busy_timeout;
  for (;;) {
    try {
      query_row("PRAGMA journal_mode=WAL");
      return;
    } catch (const Error& e) {
      if (e.kind() != Error::Kind::busy || std::chrono::steady_clock::now() >= deadline) throw;
    }
    std::this_thread::sleep_for(kWalRetryPause);
  }
}

SqliteConnection::SqliteConnection(const SqliteOptions& options) : path_(options.path) {
  if (path_.empty()) throw Error(Error::Kind::config, "sqlite open: empty database path (DB_NAME)");
  create_parent_directory(path_);
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error error(Error::Kind::config,
                "sqlite open: cannot open '" + path_ + "': " + (db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc)),
                rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw error;
  }
  try {
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, static_cast<int>(options.busy_timeout.count()));
    set_wal_mode(options.busy_timeout);
    exec_simple("PRAGMA foreign_keys=ON");
    exec_simple("PRAGMA synchronous=NORMAL");
  } catch (...) {
    clear_statement_cache();
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
}

SqliteConnection::~SqliteConnection() {
  clear_statement_cache();  // finalize statements before closing the handle
  sqlite3_close_v2(db_);
}

std::unique_ptr<StatementImpl> SqliteConnection::prepare_uncached(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                                    &tail);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    throw sqlite_detail::make_error(db_, rc, "prepare", sql);
  }
  if (stmt == nullptr) throw Error(Error::Kind::syntax, "sqlite prepare: no statement in: " + std::string(sql.substr(0, 200)));
  auto result = std::make_unique<SqliteStatement>(*this, stmt, std::string(sql));
  // One statement per prepare (and per migration step), so the MySQL backend, which runs without
  // multi-statements, behaves the same. Trailing comments are fine.
  std::string_view rest = sql.substr(static_cast<std::size_t>(tail - sql.data()));
  if (!only_blanks(rest)) {
    sqlite3_stmt* next = nullptr;
    const int rc2 = sqlite3_prepare_v2(db_, rest.data(), static_cast<int>(rest.size()), &next, nullptr);
    const bool has_next = rc2 != SQLITE_OK || next != nullptr;
    sqlite3_finalize(next);
    if (has_next) {
      throw Error(Error::Kind::syntax,
                  "sqlite prepare: more than one statement (split them) in: " + std::string(sql.substr(0, 200)));
    }
  }
  return result;
}

void SqliteConnection::exec_simple(std::string_view sql) { prepare(sql).execute(); }

std::int64_t SqliteConnection::last_insert_id() { return sqlite3_last_insert_rowid(db_); }

std::int64_t SqliteConnection::changes() { return sqlite3_changes64(db_); }

bool SqliteConnection::ping() {
  if (broken()) return false;
  try {
    return query_row("SELECT 1").get<std::int64_t>(0) == 1;
  } catch (const Error&) {
    return false;
  }
}

void SqliteConnection::begin() { exec_simple("BEGIN IMMEDIATE"); }

void SqliteConnection::commit() { exec_simple("COMMIT"); }

void SqliteConnection::rollback() {
  // SQLite may already have rolled back by itself (e.g. after SQLITE_FULL); then there is
  // nothing left to undo.
  if (!in_transaction()) return;
  exec_simple("ROLLBACK");
}

bool SqliteConnection::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

}  // namespace db
