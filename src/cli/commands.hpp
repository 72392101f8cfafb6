// cli: the `mysite` subcommands. Each takes the arguments after its name and returns the
// process exit code; errors go to stderr as one line. Only run() dispatches.
#pragma once

#include <string>
#include <vector>

#include "cli/site.hpp"

namespace cli {

using Args = std::vector<std::string>;

// Thrown for a bad command line; run() prints it with the usage hint and exits 2.
struct UsageError {
  std::string message;
};

int serve_command(const Args& args, const Site& site);
int migrate_command(const Args& args, const Site& site);
int showmigrations_command(const Args& args, const Site& site);
int check_command(const Args& args, const Site& site);
int collectstatic_command(const Args& args, const Site& site);
int settings_command(const Args& args, const Site& site);
int render_command(const Args& args, const Site& site);
int healthcheck_command(const Args& args, const Site& site);
int rds_token_command(const Args& args, const Site& site);
int createsuperuser_command(const Args& args, const Site& site);
int changepassword_command(const Args& args, const Site& site);
int clearsessions_command(const Args& args, const Site& site);

}  // namespace cli
