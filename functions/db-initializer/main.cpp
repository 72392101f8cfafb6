// db-initializer: the process. Inside Lambda (AWS_LAMBDA_RUNTIME_API set) it runs the custom
// runtime's loop; with --once it runs the handler once, here, with the same settings.
// Knows nothing of SQL or secrets beyond what initializer.hpp offers.
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include "aws/error.hpp"
#include "identifiers.hpp"
#include "initializer.hpp"
#include "lambda/runtime_api.hpp"
#include "lambda/runtime_loop.hpp"
#include "settings/settings.hpp"

namespace {

constexpr const char* kUsage =
    "usage: db-initializer [--once] [HANDLER]\n"
    "\n"
    "Creates the site's IAM-authenticated MySQL user: reads the cluster's master secret\n"
    "(DB_CONFIG_SECRET) from Secrets Manager, connects over TLS verified against DB_SSL_CA, takes\n"
    "a lock and runs the SQL script (built-in db-init.sql, or the file DB_INIT_SCRIPT names) with\n"
    "{{DB_USER}} and {{DB_NAME}} filled in from the settings DB_USER and DB_NAME.\n"
    "\n"
    "  (no option)  Lambda custom runtime: serves invocations from AWS_LAMBDA_RUNTIME_API.\n"
    "  --once       run once here; print the result and exit 0, or the error and exit 1.\n"
    "  HANDLER      ignored (Lambda container images pass their CMD, the handler name).\n";

// errorType of an initialisation failure.
std::string init_error_type(const std::exception& e) {
  if (dynamic_cast<const db_init::ConfigError*>(&e) != nullptr) return "Runtime.InitError.Config";
  if (dynamic_cast<const settings::Error*>(&e) != nullptr) return "Runtime.InitError.Config";
  if (const auto* aws = dynamic_cast<const aws::Error*>(&e))
    return "Runtime.InitError.AWS." + aws->code();
  return "Runtime.InitError";
}

struct Initialised {
  db_init::Options options;
  db_init::Services services;
};

int run_once(const Initialised& init) {
  lambda::Invocation invocation;
  invocation.request_id = "local";
  invocation.deadline = std::chrono::system_clock::now() + db_init::kLocalRunTimeout;
  invocation.payload = "{}";
  const lambda::Outcome outcome = lambda::invoke_safely(
      [&](const lambda::Invocation& inv) {
        return db_init::handle(inv, init.options, init.services);
      },
      invocation);
  if (!outcome.ok) {
    std::fprintf(stderr, "db-initializer: failed: %s: %s\n", outcome.error_type.c_str(),
                 outcome.error_message.c_str());
    return 1;
  }
  std::printf("%s\n", outcome.body.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  bool once = false;
  int positional = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--once") {
      once = true;
    } else if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg.starts_with("-") || ++positional > 1) {
      std::fprintf(stderr, "db-initializer: unexpected argument '%s'\n%s", argv[i], kUsage);
      return 2;
    }
  }

  const auto getenv = aws::system_env();
  const std::optional<std::string> endpoint = getenv("AWS_LAMBDA_RUNTIME_API");
  if (!once && !endpoint) {
    std::fprintf(stderr,
                 "db-initializer: AWS_LAMBDA_RUNTIME_API is not set: this runs inside "
                 "Lambda; outside it, use --once\n");
    return 2;
  }

  std::optional<lambda::RuntimeApi> api;
  try {
    if (!once) api.emplace(*endpoint);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "db-initializer: %s\n", e.what());
    return 1;
  }

  std::optional<Initialised> init;
  try {
    init.emplace(Initialised{db_init::load_options(getenv), db_init::default_services()});
  } catch (const std::exception& e) {
    std::fprintf(stderr, "db-initializer: cannot start: %s\n", e.what());
    if (once) return 2;
    try {
      api->report_init_error(init_error_type(e), e.what());
    } catch (const std::exception& report) {
      std::fprintf(stderr, "db-initializer: reporting the init error failed: %s\n", report.what());
    }
    return 1;
  }

  if (once) return run_once(*init);
  return lambda::run_loop(
      *api,
      [&](const lambda::Invocation& invocation) {
        return db_init::handle(invocation, init->options, init->services);
      },
      db_init::log_to_stderr);
}
