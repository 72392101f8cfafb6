#include "backend.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include "temp_db.hpp"

namespace db::testing {

namespace {

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

class SqliteBackend final : public Backend {
 public:
  SqliteBackend() {
    config_.engine = Dialect::sqlite;
    config_.name = tmp_.path();
  }
  Dialect dialect() const override { return Dialect::sqlite; }
  const Config& config() const override { return config_; }

 private:
  TempDb tmp_;
  Config config_;
};

// Each test gets its own database on the shared server, named after the process and a counter.
class MariaDbBackend final : public Backend {
 public:
  explicit MariaDbBackend(const MariaDbServer& server) : server_(server) {
    static std::atomic<int> counter{0};
    database_ = "mysite_t" + std::to_string(getpid()) + "_" + std::to_string(++counter);
    // Identifiers cannot be bound; this one is made above from digits, never from input.
    connect(server_.config())->execute("CREATE DATABASE `" + database_ + "` CHARACTER SET utf8mb4");
    config_ = server_.config(database_);
  }
  ~MariaDbBackend() override {
    try {
      connect(server_.config())->execute("DROP DATABASE IF EXISTS `" + database_ + "`");
    } catch (const std::exception& e) {
      ADD_FAILURE() << "drop database " << database_ << ": " << e.what();
    }
  }
  Dialect dialect() const override { return Dialect::mysql; }
  const Config& config() const override { return config_; }

 private:
  MariaDbServer server_;
  std::string database_;
  Config config_;
};

}  // namespace

std::optional<MariaDbServer> MariaDbServer::from_environment() {
  auto host = env("MYSITE_TEST_MYSQL_HOST");
  auto port = env("MYSITE_TEST_MYSQL_PORT");
  if (!host || !port) return std::nullopt;
  MariaDbServer server;
  server.host = *host;
  server.alt_host = env("MYSITE_TEST_MYSQL_ALT_HOST").value_or("");
  server.port = static_cast<std::uint16_t>(std::stoi(*port));
  server.user = env("MYSITE_TEST_MYSQL_USER").value_or("");
  server.password = env("MYSITE_TEST_MYSQL_PASSWORD").value_or("");
  server.database = env("MYSITE_TEST_MYSQL_DATABASE").value_or("");
  server.ssl_ca = env("MYSITE_TEST_MYSQL_SSL_CA").value_or("");
  server.wrong_ca = env("MYSITE_TEST_MYSQL_WRONG_CA").value_or("");
  return server;
}

Config MariaDbServer::config(const std::string& name) const {
  Config config;
  config.engine = Dialect::mysql;
  config.host = host;
  config.port = port;
  config.user = user;
  config.password = password;
  config.name = name.empty() ? database : name;
  return config;
}

std::unique_ptr<Backend> make_sqlite_backend() { return std::make_unique<SqliteBackend>(); }

std::unique_ptr<Backend> make_mariadb_backend() {
  const std::optional<MariaDbServer> server = MariaDbServer::from_environment();
  if (!server) return nullptr;
  return std::make_unique<MariaDbBackend>(*server);
}

}  // namespace db::testing
