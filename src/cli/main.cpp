#include <cstdio>
#include <exception>
#include <string_view>

#include "cli/commands.hpp"
#include "settings/settings.hpp"

namespace cli {

namespace {

constexpr const char* kUsage =
    "usage: mysite COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  serve [--bind HOST:PORT] [--threads N]   serve the site (default 127.0.0.1:8000)\n"
    "  migrate                                  apply pending database migrations\n"
    "  showmigrations                           list migrations and whether each is applied\n"
    "  collectstatic [--noinput] [--dry-run] [--clear] [--lambda]\n"
    "                                           hash static files into STATIC_ROOT with a "
    "manifest\n"
    "  check [--deploy]                         report problems in the settings\n"
    "  settings                                 print the effective settings, secrets redacted\n"
    "  render NAME --context JSON [--dir DIR]   print a rendered template\n"
    "  healthcheck [--bind HOST:PORT]           exit 0 when the local server answers /ping/\n"
    "  createsuperuser --username U [--email E] [--noinput]\n"
    "                                           create a staff superuser (password prompted, or\n"
    "                                           MYSITE_SUPERUSER_PASSWORD with --noinput)\n"
    "  changepassword USERNAME                  set a user's password (prompted twice)\n"
    "  clearsessions                            delete expired sessions\n"
    "  rds-token [--host H] [--port P] [--user U] [--region R]\n"
    "                                           print an RDS IAM auth token (default credentials;\n"
    "                                           unset options from DB_HOST, DB_PORT, DB_USER)\n"
    "\n"
    "Settings come from MYSITE_SETTINGS_FILE, the environment, then the JSON SSM parameter\n"
    "TASK_PARAMS names; see README.md.\n";

struct Command {
  std::string_view name;
  int (*run)(const Args&, const Site&);
};

constexpr Command kCommands[] = {
    {"serve", serve_command},
    {"migrate", migrate_command},
    {"showmigrations", showmigrations_command},
    {"collectstatic", collectstatic_command},
    {"check", check_command},
    {"settings", settings_command},
    {"render", render_command},
    {"healthcheck", healthcheck_command},
    {"rds-token", rds_token_command},
    {"createsuperuser", createsuperuser_command},
    {"changepassword", changepassword_command},
    {"clearsessions", clearsessions_command},
};

}  // namespace

int run(int argc, char** argv, const Site& site) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::string_view name = argv[1];
  if (name == "-h" || name == "--help" || name == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  Args args(argv + 2, argv + argc);
  for (const auto& command : kCommands) {
    if (command.name != name) continue;
    try {
      return command.run(args, site);
    } catch (const UsageError& e) {
      std::fprintf(stderr, "mysite %s: %s (see mysite --help)\n", argv[1], e.message.c_str());
      return 2;
    } catch (const settings::Error& e) {
      std::fprintf(stderr, "mysite: bad setting %s\n", e.what());
      return 1;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "mysite %s: %s\n", argv[1], e.what());
      return 1;
    }
  }
  std::fprintf(stderr, "mysite: unknown command '%s' (see mysite --help)\n", argv[1]);
  return 2;
}

}  // namespace cli
