// `mysite migrate` and `mysite showmigrations`.
#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/database.hpp"
#include "cli/options.hpp"
#include "settings/process_settings.hpp"

namespace cli {

namespace {

// Both commands take no arguments and work on one connection of the settings' database.
template <class Body>
int with_migrations(const Args& args, const Site& site, Body body) {
  Options options(args, {});
  if (!options.positional().empty())
    throw UsageError{"unexpected argument " + options.positional()[0]};
  auto s = settings::load_process_settings();
  auto pool = open_database(s, 1);
  auto migrations = all_migrations(site);
  auto lease = pool->acquire();
  body(migrations, *lease);
  return 0;
}

}  // namespace

int migrate_command(const Args& args, const Site& site) {
  return with_migrations(args, site, [](const db::MigrationSet& migrations, db::Connection& conn) {
    migrations.migrate(conn, std::cout);
    std::cout.flush();
  });
}

int showmigrations_command(const Args& args, const Site& site) {
  return with_migrations(args, site, [](const db::MigrationSet& migrations, db::Connection& conn) {
    std::string app;
    for (const auto& state : migrations.plan(conn)) {
      if (state.app != app) {
        app = state.app;
        std::printf("%s\n", app.c_str());
      }
      std::printf(" [%c] %s\n", state.applied ? 'X' : ' ', state.name.c_str());
    }
  });
}

}  // namespace cli
