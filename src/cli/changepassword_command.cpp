// `mysite changepassword USERNAME`: as Django's command. Asks twice without echo (or reads two
// lines from stdin when it is not a terminal), validates, stores the new hash and ends every
// session of the user.
#include <cstdio>

#include "auth/password_validation.hpp"
#include "auth/session.hpp"
#include "auth/user.hpp"
#include "cli/commands.hpp"
#include "cli/database.hpp"
#include "cli/options.hpp"
#include "cli/password_prompt.hpp"
#include "settings/process_settings.hpp"

namespace cli {

int changepassword_command(const Args& args, const Site& site) {
  Options options(args, {});
  if (options.positional().size() != 1) throw UsageError{"expected exactly one USERNAME"};
  const std::string& username = options.positional()[0];
  auto s = settings::load_process_settings();
  auto pool = open_database(s, 1);
  auto lease = pool->acquire();
  if (all_migrations(site).has_pending(*lease)) {
    std::fputs(
        "mysite changepassword: the database has unapplied migrations; run `mysite migrate` "
        "first\n",
        stderr);
    return 1;
  }
  auto user = auth::find_user(*lease, username);
  if (!user) {
    std::fprintf(stderr, "Error: user '%s' does not exist\n", username.c_str());
    return 1;
  }
  std::fprintf(stderr, "Changing password for user '%s'\n", username.c_str());
  const auth::PasswordContext context{user->username, user->first_name, user->last_name,
                                      user->email};
  auto password =
      ask_new_password([&](const std::string& pw) { return auth::validate_password(pw, context); });
  if (!password) {
    std::fputs("Error: too many errors; the password was not changed.\n", stderr);
    return 1;
  }
  auth::set_password(*lease, user->id, *password);
  auth::delete_user_sessions(*lease, user->id);
  std::fprintf(stdout, "Password changed successfully for user '%s'\n", username.c_str());
  return 0;
}

}  // namespace cli
