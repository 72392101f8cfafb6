// app: the site's routes, migrations, admin models and template tags, listed in one place each.
#pragma once

#include "admin/model_admin.hpp"
#include "cli/site.hpp"
#include "db/migration_set.hpp"
#include "http/router.hpp"
#include "templates/library.hpp"

namespace app {

void urls(http::Router& router, cli::Services& services);
void migrations(db::MigrationSet& set);
// Registers the site's models with the admin (app/admin.cpp).
void admin(admin::Site& site);
// The site's template tags and filters: {% load mysite_tags %} (app/template_library.cpp).
void template_libraries(templates::Libraries& libraries);

}  // namespace app
