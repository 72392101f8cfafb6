// db: the MySQL backend (Aurora MySQL, MariaDB) on MariaDB Connector/C: verified TLS, a password
// asked for per connection, utf8mb4, timeouts, no silent reconnect. Knows nothing of pools or
// settings; only <mysql.h> (in the .cpp files) and the db:: interfaces.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "db/connection.hpp"

struct st_mysql;

namespace db {

struct MysqlOptions {
  std::string host;  // a name or address; always reached over TCP (never the local socket)
  std::uint16_t port = 3306;
  std::string user;
  std::string database;
  std::string password;                            // used when password_provider is empty
  std::function<std::string()> password_provider;  // called once per new connection (IAM tokens)
  std::string ssl_ca;  // CA bundle: if set, TLS is required and the server's certificate must chain
                       // to it and name `host`; only then may the cleartext auth plugin be used
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds read_timeout{60000};
  std::chrono::milliseconds write_timeout{60000};
};

// Opening: TCP, utf8mb4, CLIENT_FOUND_ROWS (UPDATE counts matched rows, as SQLite and Django do),
// LOCAL INFILE off, MYSQL_OPT_RECONNECT off. A connection that loses its server is marked broken
// and every later call fails: the pool replaces it with a new one (new password from the
// provider), and a statement cut off by the loss throws db::Error (connection_lost), never retried.
// Throws db::Error: config (bad CA file, TLS verification failed, access denied, unknown
// database), connection_lost (server unreachable). Messages never contain the password.
class MysqlConnection : public Connection {
 public:
  explicit MysqlConnection(const MysqlOptions& options);
  ~MysqlConnection() override;

  Dialect dialect() const noexcept override { return Dialect::mysql; }
  std::int64_t last_insert_id() override { return last_insert_id_; }
  std::int64_t changes() override { return changes_; }
  bool ping() override;
  void begin() override;
  void commit() override;
  void rollback() override;
  bool in_transaction() const override;

  // The server's id for this session (CONNECTION_ID(), what KILL takes).
  std::uint64_t server_thread_id() const noexcept;
  // The negotiated TLS cipher, or empty when the connection is not encrypted.
  std::string tls_cipher() const;
  st_mysql* native_handle() const noexcept { return mysql_; }

  // Called by MysqlStatement after each execution.
  void note_execution(std::int64_t changes, std::int64_t insert_id) noexcept;

 protected:
  std::unique_ptr<StatementImpl> prepare_uncached(std::string_view sql) override;

 private:
  void run_simple(std::string_view sql);  // text protocol, no result set (BEGIN, COMMIT...)

  st_mysql* mysql_ = nullptr;
  std::string where_;  // "mysql://user@host:port/db" for messages
  std::int64_t last_insert_id_ = 0;
  std::int64_t changes_ = 0;
};

}  // namespace db
