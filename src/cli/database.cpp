#include "cli/database.hpp"

#include <chrono>
#include <memory>
#include <mutex>

#include "auth/user.hpp"
#include "cli/aws_services.hpp"
#include "db/config.hpp"
#include "db/error.hpp"
#include "http/http_error.hpp"

namespace cli {

namespace {

db::Config database_config(const settings::Settings& s) {
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
  return config;
}

}  // namespace

std::unique_ptr<db::Pool> open_database(const settings::Settings& s, std::size_t size) {
  return db::make_pool(database_config(s), size);
}

std::unique_ptr<db::Pool> open_serving_database(const settings::Settings& s, std::size_t size) {
  db::Config config = database_config(s);
  const std::chrono::milliseconds timeout = std::chrono::seconds(s.db_timeout);
  config.connect_timeout = config.read_timeout = config.write_timeout = timeout;
  config.pool.checkout_timeout = timeout;
  return db::make_pool(config, size);
}

http::Middleware database_unavailable(std::function<void(std::string_view)> log) {
  // An outage fails every request: one line a second says so (with how many failed meanwhile)
  // rather than a line per request flooding the log.
  struct Throttle {
    std::mutex mutex;
    std::chrono::steady_clock::time_point next_line{};
    long unlogged = 0;
  };
  auto throttle = std::make_shared<Throttle>();
  return [log = std::move(log), throttle](http::Request& r, const http::Handler& next) {
    try {
      return next(r);
    } catch (const db::Error& e) {
      if (e.kind() != db::Error::Kind::connection_lost && e.kind() != db::Error::Kind::timeout)
        throw;
      std::string line;
      {
        std::lock_guard lock(throttle->mutex);
        const auto now = std::chrono::steady_clock::now();
        if (now >= throttle->next_line) {
          line = "request " + r.request_id + " " + r.method + " " + r.path +
                 ": database unavailable (503): " + e.what();
          if (throttle->unlogged > 0)
            line += " (and " + std::to_string(throttle->unlogged) + " more in the last second)";
          throttle->unlogged = 0;
          throttle->next_line = now + std::chrono::seconds(1);
        } else {
          ++throttle->unlogged;
        }
      }
      if (!line.empty()) log(line);
      http::Headers headers;
      headers.set("Retry-After", "5");
      throw http::HttpError(503, "the database is unavailable", std::move(headers));
    }
  };
}

db::MigrationSet all_migrations(const Site& site) {
  db::MigrationSet set;
  auth::add_migrations(set);  // users and sessions first: the site's tables may refer to them
  if (site.migrations) site.migrations(set);
  return set;
}

}  // namespace cli
