// db: what it takes to reach the database (DB_ENGINE, DB_NAME, DB_HOST...) and the entry points
// that turn it into connections and pools. Knows nothing of where settings come from.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "db/connection.hpp"
#include "db/dialect.hpp"
#include "db/pool.hpp"

namespace db {

// Filled by the settings layer. Example (the embedded default):
//   db::Config cfg;                    // engine sqlite
//   cfg.name = "var/db.sqlite3";       // resolved by the caller
//   auto pool = db::make_pool(cfg, 4);
struct Config {
  using Engine = Dialect;
  // Called for every new MySQL connection: a static DB_PASSWORD now, an RDS IAM token later.
  using PasswordProvider = std::function<std::string()>;

  Engine engine = Engine::sqlite;
  std::string name;  // sqlite: file path (parent dirs created); mysql: database (schema) name

  // MySQL only (db/mysql_connection.hpp):
  std::string host;
  std::uint16_t port = 3306;
  std::string user;
  std::string password;               // DB_PASSWORD; never appears in messages or describe()
  PasswordProvider password_provider; // if set, used instead of `password`
  std::string ssl_ca;                 // DB_SSL_CA: verify the server against this bundle + host name

  std::chrono::milliseconds busy_timeout{5000};     // sqlite lock wait
  std::chrono::milliseconds connect_timeout{5000};  // mysql
  std::chrono::milliseconds read_timeout{60000};    // mysql: a slower reply drops the connection
  std::chrono::milliseconds write_timeout{60000};   // mysql
  PoolOptions pool;                                  // max_size is set by make_pool's `size`

  // "sqlite:var/db.sqlite3" or "mysql://django@host:3306/main": for logs; never the password.
  std::string describe() const;
};

// Opens one connection (e.g. for `mysite migrate`). Throws db::Error (config, connection_lost).
std::unique_ptr<Connection> connect(const Config& config);

// The factory a Pool uses for `config` (each call opens a new connection).
Pool::Factory make_factory(const Config& config);

// A pool of at most `size` connections for `config`. Connections open lazily, on first acquire.
std::unique_ptr<Pool> make_pool(const Config& config, std::size_t size);

}  // namespace db
