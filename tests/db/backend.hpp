// tests/db: one database backend under test, so the same tests run on SQLite (a file in a
// temporary directory) and on MariaDB (the server started by tests/tools/with_mariadb.sh).
// Knows nothing of what the tests check.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "db/config.hpp"
#include "db/connection.hpp"

namespace db::testing {

// Connection details of the MariaDB started by tests/tools/mariadb_server.py, from its
// MYSITE_TEST_MYSQL_* variables; nullopt when the tests run without it.
struct MariaDbServer {
  std::string host;      // 127.0.0.1, named by the server certificate
  std::string alt_host;  // 127.0.0.2, the same server, not named by its certificate
  std::uint16_t port = 0;
  std::string user;
  std::string password;
  std::string database;
  std::string ssl_ca;    // the CA that signed the server certificate
  std::string wrong_ca;  // an unrelated CA

  static std::optional<MariaDbServer> from_environment();
  // A Config for `database` (the server's own test database when empty), without TLS.
  Config config(const std::string& database = "") const;
};

// One fresh, empty database per test; dropped (or deleted) when the Backend is destroyed.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual Dialect dialect() const = 0;
  virtual const Config& config() const = 0;
  std::unique_ptr<Connection> open() const { return connect(config()); }
  // The SQL for this backend's dialect.
  const std::string& sql(const std::string& sqlite, const std::string& mysql) const {
    return dialect() == Dialect::mysql ? mysql : sqlite;
  }
};

std::unique_ptr<Backend> make_sqlite_backend();
// nullptr when MYSITE_TEST_MYSQL_* are not set (the test then skips).
std::unique_ptr<Backend> make_mariadb_backend();

struct BackendParam {
  std::string name;
  std::function<std::unique_ptr<Backend>()> make;
};

inline std::string backend_param_name(const ::testing::TestParamInfo<BackendParam>& info) {
  return info.param.name;
}

// The fixture of the shared tests (backend_conformance_test.cpp); each backend instantiates it.
// Every test starts with an open connection `conn_` and an empty table
// t(id integer primary key / auto-increment, i integer, r real, s text of any length).
class BackendTest : public ::testing::TestWithParam<BackendParam> {
 protected:
  void SetUp() override {
    backend_ = GetParam().make();
    if (!backend_)
      GTEST_SKIP() << "backend " << GetParam().name << " not available (run via with_mariadb.sh)";
    conn_ = backend_->open();
    conn_->execute(
        sql("CREATE TABLE t (id INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT)",
            "CREATE TABLE t (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, i BIGINT NULL, "
            "r DOUBLE NULL, s LONGTEXT NULL) ENGINE=InnoDB"));
  }
  void TearDown() override {
    conn_.reset();  // close before the backend drops its database
    backend_.reset();
  }
  Backend& backend() { return *backend_; }
  const std::string& sql(const std::string& sqlite, const std::string& mysql) const {
    return backend_->sql(sqlite, mysql);
  }

  std::unique_ptr<Backend> backend_;
  std::unique_ptr<Connection> conn_;
};

}  // namespace db::testing
