// app: the site's routes, migrations and admin models, listed in one place each.
#pragma once

#include "admin/model_admin.hpp"
#include "cli/site.hpp"
#include "db/migration_set.hpp"
#include "http/router.hpp"

namespace app {

void urls(http::Router& router, cli::Services& services);
void migrations(db::MigrationSet& set);
// Registers the site's models with the admin (app/admin.cpp).
void admin(admin::Site& site);

}  // namespace app
