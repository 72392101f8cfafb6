// app: the site's routes and migrations, listed in one place each.
#pragma once

#include "cli/site.hpp"
#include "db/migration_set.hpp"
#include "http/router.hpp"

namespace app {

void urls(http::Router& router, cli::Services& services);
void migrations(db::MigrationSet& set);

}  // namespace app
