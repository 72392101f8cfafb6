// `mysite collectstatic [--noinput] [--dry-run] [--clear] [--lambda]`: gathers the site's static
// files into the storage the settings choose (STATIC_ROOT locally; S3 when STATIC_BUCKET_NAME is
// set) under content-hashed names, with the manifest written last. Asks before overwriting only
// when run from a terminal without --noinput, as Django does.
// With --lambda it is a Lambda function (the container image, entry point `mysite`): each
// invocation collects once and answers {"copied":..,"unmodified":..,"summary":..}, or fails
// with "Collectstatic.Error". On AWS this is the only program that may write the bucket: the
// serving tasks' role may only read the manifest.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "aws/credential_providers.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "lambda/runtime_loop.hpp"
#include "settings/process_settings.hpp"
#include "staticfiles/collect.hpp"
#include "staticfiles/local_storage.hpp"
#include "staticfiles/s3_storage.hpp"

namespace cli {

namespace {

// The folders collectstatic reads, first wins: the site's, then the admin's.
std::vector<std::filesystem::path> static_source_dirs(const settings::Settings& s) {
  return {s.app_dir() + "/static", s.base_dir + "/src/admin/static"};
}

// The destination the settings name. The S3 backend plugs in here.
std::unique_ptr<staticfiles::Storage> open_static_storage(const settings::Settings& s) {
  if (!s.static_bucket_name.empty())
    return std::make_unique<staticfiles::S3Storage>(
        staticfiles::make_static_s3_client(s.aws_region, aws::process_credentials()),
        s.static_bucket_name);
  return std::make_unique<staticfiles::LocalStorage>(s.static_root);
}

bool confirm(const staticfiles::Storage& storage, bool dry_run, bool clear) {
  std::string message = "\n";
  if (dry_run)
    message += "You have activated the --dry-run option so no files will be modified.\n\n";
  message +=
      "You have requested to collect static files at the destination\n"
      "location as specified in your settings:\n\n    " +
      storage.location() + "\n\n";
  message += clear ? "This will DELETE ALL FILES in this location!\n"
                   : "This will overwrite existing files!\n";
  message += "Are you sure you want to do this?\n\nType 'yes' to continue, or 'no' to cancel: ";
  std::fputs(message.c_str(), stdout);
  std::fflush(stdout);
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "yes";
}

// The Lambda custom runtime: settings and storage once (an error there is the function's init
// error), then one collection per invocation.
int serve_lambda_invocations() {
  const char* endpoint = std::getenv("AWS_LAMBDA_RUNTIME_API");
  if (endpoint == nullptr || *endpoint == '\0') {
    std::fputs(
        "mysite collectstatic: --lambda runs inside Lambda: AWS_LAMBDA_RUNTIME_API is not set\n",
        stderr);
    return 2;
  }
  lambda::RuntimeApi api(endpoint);
  std::optional<settings::Settings> s;
  std::unique_ptr<staticfiles::Storage> storage;
  try {
    s = settings::load_process_settings();
    storage = open_static_storage(*s);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mysite collectstatic: cannot start: %s\n", e.what());
    api.report_init_error("Runtime.InitError", e.what());
    return 1;
  }
  auto log = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  return lambda::run_loop(
      api,
      [&](const lambda::Invocation&) {
        try {
          staticfiles::CollectOptions collect;
          collect.static_url = s->static_url;
          auto result = staticfiles::collect_static(static_source_dirs(*s), *storage, collect);
          for (const auto& warning : result.warnings)
            std::fprintf(stderr, "mysite collectstatic: %s\n", warning.c_str());
          const std::string summary = staticfiles::summary(result, storage->location());
          std::fprintf(stderr, "mysite collectstatic: %s\n", summary.c_str());
          return lambda::Outcome::success(nlohmann::json{
              {"copied", result.copied},
              {"unmodified", result.unmodified},
              {"summary", summary}}.dump());
        } catch (const std::exception& e) {
          return lambda::Outcome::failure("Collectstatic.Error", e.what());
        }
      },
      log);
}

}  // namespace

int collectstatic_command(const Args& args, const Site&) {
  Options options(args, {}, {"--noinput", "--no-input", "--dry-run", "--clear", "--lambda"});
  if (!options.positional().empty())
    throw UsageError{"unexpected argument " + options.positional()[0]};
  if (options.flag("--lambda")) return serve_lambda_invocations();
  auto s = settings::load_process_settings();
  auto storage = open_static_storage(s);

  staticfiles::CollectOptions collect;
  collect.static_url = s.static_url;
  collect.dry_run = options.flag("--dry-run");
  collect.clear = options.flag("--clear");
  bool interactive =
      !options.flag("--noinput") && !options.flag("--no-input") && ::isatty(STDIN_FILENO);
  if (interactive && storage->has_files() && !confirm(*storage, collect.dry_run, collect.clear)) {
    std::fputs("mysite collectstatic: Collecting static files cancelled.\n", stderr);
    return 1;
  }

  auto result = staticfiles::collect_static(static_source_dirs(s), *storage, collect);
  for (const auto& warning : result.warnings)
    std::fprintf(stderr, "mysite collectstatic: %s\n", warning.c_str());
  if (collect.dry_run) std::puts("Dry run: nothing was written.");
  std::puts(staticfiles::summary(result, storage->location()).c_str());
  return 0;
}

}  // namespace cli
