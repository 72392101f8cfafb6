// db-initializer: the handler. Reads the cluster's master secret, connects over verified TLS,
// takes a lock so concurrent runs serialise, and runs the SQL script statement by statement,
// logging each without secrets. Knows nothing of the Lambda Runtime API (runtime_loop.hpp) or of
// argv (main.cpp): it is a plain function of a plain request struct.
//
//   auto options = db_init::load_options(aws::system_env());
//   lambda::Outcome out = db_init::handle(invocation, options, db_init::default_services());
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aws/env.hpp"
#include "db/config.hpp"
#include "lambda/invocation.hpp"
#include "sql_script.hpp"

namespace db_init {

// The named lock (GET_LOCK) every run holds while it runs the script.
inline constexpr const char* kLockName = "mysite.db-initializer";
// Stop this long before the invocation's deadline, so the error is reported before Lambda
// kills the process.
inline constexpr std::chrono::milliseconds kDeadlineMargin{1000};
// One connection attempt waits at most this long; attempts repeat (the cluster may still be
// starting) with a growing delay, until the deadline.
inline constexpr std::chrono::milliseconds kMaxConnectTimeout{10000};
inline constexpr std::chrono::milliseconds kFirstRetryDelay{500};
inline constexpr std::chrono::milliseconds kMaxRetryDelay{5000};
// --once, outside Lambda: the deadline of the one run.
inline constexpr std::chrono::seconds kLocalRunTimeout{300};

// The environment variables the initializer reads directly (not site settings, so not in
// settings::apply): the secret's name or ARN, and an optional script replacing the built-in one.
inline constexpr const char* kSecretVariable = "DB_CONFIG_SECRET";
inline constexpr const char* kScriptVariable = "DB_INIT_SCRIPT";

// The packaged script (db-init.sql, compiled in).
extern const std::string_view kDefaultScript;

// The environment: aws::system_env() (unset or empty variables are nullopt), or a map in tests.
using Getenv = aws::Env;

// What every invocation of one process shares, read and checked once (Lambda's init phase).
struct Options {
  std::string secret_id;              // DB_CONFIG_SECRET
  std::string db_user;                // DB_USER: the IAM-authenticated user to create
  std::string db_name;                // DB_NAME: the database it gets all privileges on
  std::string ssl_ca;                 // DB_SSL_CA: the CA bundle the server must chain to
  std::string script_name;            // DB_INIT_SCRIPT's path, or "db-init.sql (built in)"
  std::vector<Statement> statements;  // the script, split, with {{DB_USER}}/{{DB_NAME}} filled in
};

// Checks the values and parses `script_text` (placeholders {{DB_USER}}, a quoted string literal,
// and {{DB_NAME}}, a quoted identifier). Throws ConfigError, or ScriptError (in a ConfigError
// naming the script).
Options make_options(std::string secret_id, std::string db_user, std::string db_name,
                     std::string ssl_ca, std::string_view script_text, std::string script_name);

// make_options from the settings (DB_USER, DB_NAME, DB_SSL_CA, read as every program of the
// project reads them: settings::load_process_settings, so MYSITE_SETTINGS_FILE, the environment
// and the TASK_PARAMS parameter) and from DB_CONFIG_SECRET and DB_INIT_SCRIPT.
// Throws ConfigError or settings::Error, one line naming the variable.
Options load_options(const Getenv& getenv);

// Default log: "db-initializer: <line>" on stderr (CloudWatch in Lambda).
void log_to_stderr(const std::string& line);
void sleep_for(std::chrono::milliseconds duration);

// The outside world, replaceable in tests.
struct Services {
  // The SecretString of a secret. Throws aws::Error ("ResourceNotFoundException", ...).
  std::function<std::string(const std::string& secret_id)> read_secret;
  std::function<std::unique_ptr<db::Connection>(const db::Config&)> connect = db::connect;
  std::function<void(const std::string& line)> log = log_to_stderr;
  std::function<void(std::chrono::milliseconds)> sleep = sleep_for;
  std::function<std::chrono::system_clock::time_point()> now = std::chrono::system_clock::now;
};

// Secrets Manager from the environment (AWS_REGION, credentials chain, AWS_ENDPOINT_URL...),
// db::connect, one line per log entry on stderr. Throws aws::Error (ConfigError: no region).
Services default_services();

// Runs the script once. Every error becomes a failed Outcome whose errorType says where it
// happened ("SecretsManager.ResourceNotFoundException", "Secret.InvalidFormat",
// "Database.connection_lost", "Database.config" (wrong password, TLS), "Database.LockTimeout",
// "Database.syntax", "Timeout") and whose message names the step and never a secret.
// Success: {"database": .., "user": .., "statements": N, "elapsedMs": ..}.
lambda::Outcome handle(const lambda::Invocation& invocation, const Options& options,
                       const Services& services);

}  // namespace db_init
