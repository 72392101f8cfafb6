// cli: opens the database the settings describe and gathers the site's migrations; shared by
// serve, migrate and showmigrations.
#pragma once

#include <memory>

#include "cli/site.hpp"
#include "db/migration_set.hpp"
#include "db/pool.hpp"
#include "settings/settings.hpp"

namespace cli {

// A pool of `size` connections to the settings' database (DB_ENGINE, DB_NAME...).
std::unique_ptr<db::Pool> open_database(const settings::Settings& s, std::size_t size);

// Every migration: the framework's, then the site's.
db::MigrationSet all_migrations(const Site& site);

}  // namespace cli
