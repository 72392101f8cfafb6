// cli: opens the database the settings describe and gathers the site's migrations; shared by
// serve, migrate and showmigrations.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "cli/site.hpp"
#include "db/migration_set.hpp"
#include "db/pool.hpp"
#include "http/middleware.hpp"
#include "settings/settings.hpp"

namespace cli {

// A pool of `size` connections to the settings' database (DB_ENGINE, DB_NAME...).
std::unique_ptr<db::Pool> open_database(const settings::Settings& s, std::size_t size);
// The same for `serve`: on MySQL, connecting, each read and write, and the wait for a free
// connection are bounded by DB_TIMEOUT, so a database that is down or unreachable costs a view
// at most that long (commands such as migrate keep their long timeouts).
std::unique_ptr<db::Pool> open_serving_database(const settings::Settings& s, std::size_t size);

// Turns a database that cannot be reached (connection lost or refused, timed out) into 503 with
// Retry-After, one line to `log` per request, instead of a 500. Other db::Errors pass through.
http::Middleware database_unavailable(std::function<void(std::string_view)> log);

// Every migration: the framework's, then the site's.
db::MigrationSet all_migrations(const Site& site);

}  // namespace cli
