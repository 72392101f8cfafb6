#include <cstdio>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "settings/check.hpp"
#include "settings/process_settings.hpp"
#include "staticfiles/check.hpp"

namespace cli {

int check_command(const Args& args, const Site&) {
  Options options(args, {}, {"--deploy"});
  if (!options.positional().empty())
    throw UsageError{"unexpected argument " + options.positional()[0]};
  auto s = settings::load_process_settings();
  bool deploy = options.flag("--deploy");
  auto problems = settings::check(s, deploy);
  // Locally collected files; on AWS (STATIC_BUCKET_NAME) the manifest lives in S3.
  if (s.static_bucket_name.empty()) {
    for (auto& message :
         staticfiles::check_manifest(s.static_root, {s.app_dir() + "/static"}, s.static_url))
      problems.push_back({"staticfiles.W001", deploy, std::move(message)});
  }
  int errors = 0;
  for (const auto& p : problems) {
    std::printf("%s %s: %s\n", p.error ? "ERROR" : "WARNING", p.id.c_str(), p.message.c_str());
    errors += p.error ? 1 : 0;
  }
  std::printf("System check identified %zu issue%s (%d error%s).\n", problems.size(),
              problems.size() == 1 ? "" : "s", errors, errors == 1 ? "" : "s");
  return errors > 0 ? 1 : 0;
}

int settings_command(const Args& args, const Site&) {
  Options options(args, {});
  if (!options.positional().empty())
    throw UsageError{"unexpected argument " + options.positional()[0]};
  auto s = settings::load_process_settings();
  for (const auto& [name, value] : s.describe())
    std::printf("%s=%s\n", name.c_str(), value.c_str());
  return 0;
}

}  // namespace cli
