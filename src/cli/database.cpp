#include "cli/database.hpp"

#include "db/config.hpp"

namespace cli {

std::unique_ptr<db::Pool> open_database(const settings::Settings& s, std::size_t size) {
  db::Config config;
  config.engine = s.db_engine == "mysql" ? db::Dialect::mysql : db::Dialect::sqlite;
  config.name = s.db_name;
  config.host = s.db_host;
  config.port = s.db_port;
  config.user = s.db_user;
  config.password = s.db_password;
  config.ssl_ca = s.db_ssl_ca;
  return db::make_pool(config, size);
}

db::MigrationSet all_migrations(const Site& site) {
  db::MigrationSet set;
  if (site.migrations) site.migrations(set);
  return set;
}

}  // namespace cli
