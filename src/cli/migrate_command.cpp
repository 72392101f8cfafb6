// `mysite migrate` and `mysite showmigrations`.
#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/load_settings.hpp"
#include "cli/database.hpp"
#include "cli/options.hpp"

namespace cli {

int migrate_command(const Args& args, const Site& site) {
  Options options(args, {});
  if (!options.positional().empty()) throw UsageError{"unexpected argument " + options.positional()[0]};
  auto s = load_settings();
  auto pool = open_database(s, 1);
  auto migrations = all_migrations(site);
  auto lease = pool->acquire();
  migrations.migrate(*lease, std::cout);
  std::cout.flush();
  return 0;
}

int showmigrations_command(const Args& args, const Site& site) {
  Options options(args, {});
  if (!options.positional().empty()) throw UsageError{"unexpected argument " + options.positional()[0]};
  auto s = load_settings();
  auto pool = open_database(s, 1);
  auto migrations = all_migrations(site);
  auto lease = pool->acquire();
  std::string app;
  for (const auto& state : migrations.plan(*lease)) {
    if (state.app != app) {
      app = state.app;
      std::printf("%s\n", app.c_str());
    }
    std::printf(" [%c] %s\n", state.applied ? 'X' : ' ', state.name.c_str());
  }
  return 0;
}

}  // namespace cli
