// `mysite clearsessions`: as Django's command, deletes the sessions that have expired (past
// SESSION_COOKIE_AGE, or idle past SESSION_IDLE_TIMEOUT when that is set) and says how many.
// Safe to run while the site serves; on AWS the stack runs it daily as a scheduled ECS task.
#include <chrono>
#include <cstdio>

#include "auth/session.hpp"
#include "cli/commands.hpp"
#include "cli/database.hpp"
#include "cli/options.hpp"
#include "settings/process_settings.hpp"

namespace cli {

int clearsessions_command(const Args& args, const Site& site) {
  Options options(args, {});
  if (!options.positional().empty()) throw UsageError{"clearsessions takes no arguments"};
  auto s = settings::load_process_settings();
  auto pool = open_database(s, 1);
  auto lease = pool->acquire();
  if (all_migrations(site).has_pending(*lease)) {
    std::fputs(
        "mysite clearsessions: the database has unapplied migrations; run `mysite migrate` first\n",
        stderr);
    return 1;
  }
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const auto deleted = auth::clear_expired_sessions(*lease, now, s.session_idle_timeout);
  std::printf("Deleted %lld expired session%s.\n", static_cast<long long>(deleted),
              deleted == 1 ? "" : "s");
  return 0;
}

}  // namespace cli
