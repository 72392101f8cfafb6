// cli: the `mysite` subcommands. Each takes the arguments after its name and returns the
// process exit code; errors go to stderr as one line. Only main() dispatches.
#pragma once

#include <string>
#include <vector>

namespace cli {

using Args = std::vector<std::string>;

int serve_command(const Args& args);
int migrate_command(const Args& args);
int showmigrations_command(const Args& args);
int check_command(const Args& args);
int settings_command(const Args& args);
int render_command(const Args& args);
int healthcheck_command(const Args& args);
int collectstatic_command(const Args& args);

}  // namespace cli
