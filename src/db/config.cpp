#include "db/config.hpp"

#include "db/error.hpp"
#include "db/mysql_connection.hpp"
#include "db/sqlite_connection.hpp"

namespace db {

std::string Config::describe() const {
  if (engine == Engine::sqlite) return "sqlite:" + name;
  std::string text = "mysql://";
  if (!user.empty()) text += user + "@";
  text += host + ":" + std::to_string(port) + "/" + name;
  if (!ssl_ca.empty()) text += " (tls, ca " + ssl_ca + ")";
  return text;
}

Pool::Factory make_factory(const Config& config) {
  switch (config.engine) {
    case Dialect::sqlite: {
      SqliteOptions options{config.name, config.busy_timeout};
      return [options]() -> std::unique_ptr<Connection> { return std::make_unique<SqliteConnection>(options); };
    }
    case Dialect::mysql: {
      // Each call opens a new connection, asking password_provider (or using password) again.
      MysqlOptions options{.host = config.host,
                           .port = config.port,
                           .user = config.user,
                           .database = config.name,
                           .password = config.password,
                           .password_provider = config.password_provider,
                           .ssl_ca = config.ssl_ca,
                           .connect_timeout = config.connect_timeout,
                           .read_timeout = config.read_timeout,
                           .write_timeout = config.write_timeout};
      return [options]() -> std::unique_ptr<Connection> { return std::make_unique<MysqlConnection>(options); };
    }
  }
  throw Error(Error::Kind::config, "DB_ENGINE: unknown engine");
}

std::unique_ptr<Connection> connect(const Config& config) { return make_factory(config)(); }

std::unique_ptr<Pool> make_pool(const Config& config, std::size_t size) {
  PoolOptions options = config.pool;
  options.max_size = size;
  return std::make_unique<Pool>(make_factory(config), options);
}

}  // namespace db
