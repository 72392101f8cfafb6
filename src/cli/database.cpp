#include "cli/database.hpp"

#include "auth/user.hpp"
#include "cli/aws_services.hpp"
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
  // DB_AUTH=iam: no password anywhere; every new connection asks for an RDS IAM token, which the
  // MySQL backend sends (cleartext plugin) only over TLS verified against DB_SSL_CA.
  if (s.db_engine == "mysql" && s.db_auth == "iam")
    config.password_provider = iam_password_provider(s);
  return db::make_pool(config, size);
}

db::MigrationSet all_migrations(const Site& site) {
  db::MigrationSet set;
  auth::add_migrations(set);  // users and sessions first: the site's tables may refer to them
  if (site.migrations) site.migrations(set);
  return set;
}

}  // namespace cli
