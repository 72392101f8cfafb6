// tests/db: a temporary directory holding a SQLite file, removed at the end of the test.
// Knows nothing of what the test does with it.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include "db/sqlite_connection.hpp"

namespace db::testing {

class TempDb {
 public:
  TempDb() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mysite-db-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    dir_ = pattern;
  }
  TempDb(const TempDb&) = delete;
  TempDb& operator=(const TempDb&) = delete;
  ~TempDb() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  const std::filesystem::path& dir() const { return dir_; }
  std::string path() const { return (dir_ / "db.sqlite3").string(); }
  SqliteOptions options() const { return SqliteOptions{path(), std::chrono::milliseconds(5000)}; }
  std::unique_ptr<SqliteConnection> open() const { return std::make_unique<SqliteConnection>(options()); }

 private:
  std::filesystem::path dir_;
};

}  // namespace db::testing
