// `mysite createsuperuser --username U --email E [--noinput]`: as Django's command. The password
// is asked twice without echo, or taken from MYSITE_SUPERUSER_PASSWORD with --noinput; it must
// pass Django's default validators.
#include <cstdio>
#include <cstdlib>

#include "auth/password_validation.hpp"
#include "auth/user.hpp"
#include "cli/commands.hpp"
#include "cli/database.hpp"
#include "cli/options.hpp"
#include "cli/password_prompt.hpp"
#include "settings/process_settings.hpp"

namespace cli {

int createsuperuser_command(const Args& args, const Site& site) {
  Options options(args, {"--username", "--email"}, {"--noinput"});
  if (!options.positional().empty())
    throw UsageError{"unexpected argument " + options.positional()[0]};
  auto username = options.value("--username");
  if (!username) throw UsageError{"--username is required"};
  const std::string email = auth::normalize_email(options.value("--email").value_or(""));
  if (!auth::is_valid_username(*username)) {
    std::fputs(
        "Error: Enter a valid username. This value may contain only letters, numbers, and "
        "@/./+/-/_ "
        "characters (at most 150).\n",
        stderr);
    return 1;
  }
  if (!email.empty() &&
      (email.find('@') == std::string::npos || email.front() == '@' || email.back() == '@')) {
    std::fputs("Error: Enter a valid email address.\n", stderr);
    return 1;
  }

  auto s = settings::load_process_settings();
  auto pool = open_database(s, 1);
  auto lease = pool->acquire();
  if (all_migrations(site).has_pending(*lease)) {
    std::fputs(
        "mysite createsuperuser: the database has unapplied migrations; run `mysite migrate` "
        "first\n",
        stderr);
    return 1;
  }
  if (auth::find_user(*lease, *username)) {
    std::fputs("Error: That username is already taken.\n", stderr);
    return 1;
  }
  const auth::PasswordContext context{*username, "", "", email};
  std::string password;
  if (options.flag("--noinput")) {
    const char* env = std::getenv("MYSITE_SUPERUSER_PASSWORD");
    if (!env || !*env) {
      std::fputs("Error: --noinput needs the password in MYSITE_SUPERUSER_PASSWORD.\n", stderr);
      return 1;
    }
    password = env;
    auto problems = auth::validate_password(password, context);
    if (!problems.empty()) {
      for (const auto& p : problems) std::fprintf(stderr, "Error: %s\n", p.c_str());
      return 1;
    }
  } else {
    auto asked = ask_new_password(
        [&](const std::string& pw) { return auth::validate_password(pw, context); });
    if (!asked) {
      std::fputs("Error: no acceptable password given; no user created.\n", stderr);
      return 1;
    }
    password = *asked;
  }
  auth::User user;
  user.username = *username;
  user.email = email;
  user.is_staff = true;
  user.is_superuser = true;
  auth::create_user(*lease, user, password);
  std::fputs("Superuser created successfully.\n", stdout);
  return 0;
}

}  // namespace cli
