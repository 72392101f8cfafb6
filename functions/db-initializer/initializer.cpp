#include "initializer.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <thread>

#include "aws/client.hpp"
#include "aws/credential_providers.hpp"
#include "aws/error.hpp"
#include "aws/secrets_manager.hpp"
#include "db/error.hpp"
#include "identifiers.hpp"
#include "master_secret.hpp"
#include "settings/process_settings.hpp"

namespace db_init {

namespace {

using Clock = std::chrono::system_clock;
using std::chrono::milliseconds;

// MySQL's parse errors quote the statement around the error, which may hold a password.
constexpr int kErParseError = 1064;
constexpr int kErSyntaxError = 1149;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(std::string(kScriptVariable) + ": cannot read '" + path + "'");
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

long long whole_ms(milliseconds d) { return static_cast<long long>(d.count()); }

// Thrown inside handle() to stop with a given errorType; never escapes it.
struct Failure {
  std::string type;
  std::string message;
};

// How long is left before we must answer; Failure "Timeout" when nothing is.
milliseconds time_left(const lambda::Invocation& invocation, const Services& services,
                       const std::string& step) {
  const milliseconds left = invocation.remaining(services.now()) - kDeadlineMargin;
  if (left <= milliseconds::zero())
    throw Failure{"Timeout", step + ": the invocation's deadline is too close"};
  return left;
}

db::Config connection_config(const MasterSecret& secret, const Options& options,
                             milliseconds left) {
  db::Config config;
  config.engine = db::Dialect::mysql;
  config.host = secret.host;
  config.port = secret.port;
  config.user = secret.username;
  config.password = secret.password;
  config.ssl_ca = options.ssl_ca;
  config.name.clear();  // no default database: the script names what it touches
  config.connect_timeout = std::min(left, kMaxConnectTimeout);
  config.read_timeout = left;
  config.write_timeout = left;
  return config;
}

// Connects, retrying while the server cannot be reached (the cluster may still be starting).
// Access denied and TLS failures are not retried.
std::unique_ptr<db::Connection> connect_with_retries(const MasterSecret& secret,
                                                     const Options& options,
                                                     const lambda::Invocation& invocation,
                                                     const Services& services,
                                                     const std::string& step) {
  milliseconds delay = kFirstRetryDelay;
  for (int attempt = 1;; ++attempt) {
    const milliseconds left = time_left(invocation, services, step);
    try {
      return services.connect(connection_config(secret, options, left));
    } catch (const db::Error& e) {
      if (e.kind() != db::Error::Kind::connection_lost) throw;
      const milliseconds after_wait =
          invocation.remaining(services.now()) - kDeadlineMargin - delay;
      if (after_wait < milliseconds(1000)) {
        throw Failure{
            "Database.connection_lost",
            step + ": gave up after " + std::to_string(attempt) + " attempt(s): " + e.what()};
      }
      services.log(step + ": attempt " + std::to_string(attempt) + " failed, retrying in " +
                   std::to_string(whole_ms(delay)) + " ms: " + e.what());
      services.sleep(delay);
      delay = std::min(delay * 2, kMaxRetryDelay);
    }
  }
}

void take_lock(db::Connection& conn, const lambda::Invocation& invocation,
               const Services& services) {
  const std::string step = std::string("taking lock '") + kLockName + "'";
  const auto wait_s =
      std::chrono::duration_cast<std::chrono::seconds>(time_left(invocation, services, step));
  services.log(step + " (waiting up to " + std::to_string(wait_s.count()) + " s)");
  const db::Row row = conn.query_row("SELECT GET_LOCK(?, ?)", std::string(kLockName),
                                     static_cast<std::int64_t>(wait_s.count()));
  const auto got = row.get<std::optional<std::int64_t>>(0);
  if (!got) throw Failure{"Database.LockError", step + ": GET_LOCK returned NULL"};
  if (*got != 1) {
    throw Failure{"Database.LockTimeout", step + ": another run held it for " +
                                              std::to_string(wait_s.count()) +
                                              " s; it may still be running (retry once it ends)"};
  }
}

void release_lock(db::Connection& conn, const Services& services) noexcept {
  try {
    conn.query_row("SELECT RELEASE_LOCK(?)", std::string(kLockName));
  } catch (const std::exception& e) {
    // Closing the connection releases it anyway.
    services.log(std::string("releasing the lock failed (the connection's end releases it): ") +
                 e.what());
  }
}

void run_statements(db::Connection& conn, const Options& options, const Services& services) {
  const std::size_t total = options.statements.size();
  for (std::size_t i = 0; i < total; ++i) {
    const Statement& statement = options.statements[i];
    bool redacted = false;
    const std::string shown = redact_for_log(statement.sql, &redacted);
    const std::string step = "statement " + std::to_string(i + 1) + "/" + std::to_string(total) +
                             " (" + options.script_name + " line " +
                             std::to_string(statement.line) + ")";
    std::string line = step;
    line.append(": ").append(shown);
    services.log(line);
    const auto started = std::chrono::steady_clock::now();
    try {
      conn.execute(statement.sql);
    } catch (const db::Error& e) {
      std::string detail = e.what();
      if (redacted && (e.native_code() == kErParseError || e.native_code() == kErSyntaxError))
        detail = "MySQL error " + std::to_string(e.native_code()) +
                 " (syntax; the server's message is withheld: it quotes the statement, which holds"
                 " hidden literals)";
      std::string message = step;
      message.append(" failed: ").append(detail).append(" [").append(shown).append("]");
      throw Failure{std::string("Database.") + std::string(db::to_string(e.kind())), message};
    }
    const auto took =
        std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
    services.log(step + ": done in " + std::to_string(whole_ms(took)) + " ms");
  }
}

}  // namespace

Options make_options(std::string secret_id, std::string db_user, std::string db_name,
                     std::string ssl_ca, std::string_view script_text, std::string script_name) {
  if (secret_id.empty())
    throw ConfigError(std::string(kSecretVariable) +
                      ": required (the name or ARN of the cluster's master secret)");
  check_user_name("DB_USER", db_user);
  check_database_name("DB_NAME", db_name);
  if (ssl_ca.empty())
    throw ConfigError(
        "DB_SSL_CA: required: the master password is only sent over TLS verified "
        "against this CA bundle");
  Options options;
  options.secret_id = std::move(secret_id);
  options.db_user = std::move(db_user);
  options.db_name = std::move(db_name);
  options.ssl_ca = std::move(ssl_ca);
  options.script_name = std::move(script_name);
  const Placeholders placeholders{{"DB_USER", quote_string(options.db_user)},
                                  {"DB_NAME", quote_identifier(options.db_name)}};
  try {
    options.statements = parse_script(script_text, placeholders);
  } catch (const ScriptError& e) {
    throw ConfigError(options.script_name + ": " + e.what());
  }
  if (options.statements.empty()) throw ConfigError(options.script_name + ": holds no statement");
  return options;
}

Options load_options(const Getenv& getenv) {
  const settings::Settings s = settings::load_process_settings(getenv);
  // settings::load gives an unset DB_NAME the SQLite file's path (DB_ENGINE defaults to sqlite):
  // that is no MySQL database name, so treat it as unset.
  std::string db_name = s.db_name;
  if (s.db_engine == "sqlite" && db_name == s.base_dir + "/var/db.sqlite3") db_name.clear();

  std::string script_name = "db-init.sql (built in)";
  std::string script_text(kDefaultScript);
  if (auto path = getenv(kScriptVariable)) {
    script_name = *path;
    script_text = read_file(*path);
  }
  return make_options(getenv(kSecretVariable).value_or(""), s.db_user, db_name, s.db_ssl_ca,
                      script_text, script_name);
}

Services default_services() {
  auto client = std::make_shared<aws::SecretsManagerClient>(aws::client_config_from_env(
      aws::secrets_manager_service(), aws::system_env(), aws::process_credentials()));
  Services services;
  services.read_secret = [client](const std::string& secret_id) {
    aws::SecretValue value = client->get_secret_value(secret_id);
    if (!value.secret_string)
      throw aws::Error("InvalidResponse",
                       "the secret holds binary data, not the JSON of an RDS secret");
    return std::move(*value.secret_string);
  };
  return services;
}

void log_to_stderr(const std::string& line) {
  const std::string out = "db-initializer: " + line + "\n";
  std::fwrite(out.data(), 1, out.size(), stderr);
  std::fflush(stderr);
}

void sleep_for(milliseconds duration) { std::this_thread::sleep_for(duration); }

lambda::Outcome handle(const lambda::Invocation& invocation, const Options& options,
                       const Services& services) {
  const auto started = std::chrono::steady_clock::now();
  services.log("invocation " + invocation.request_id + ": user '" + options.db_user +
               "' on database '" + options.db_name + "', script " + options.script_name + " (" +
               std::to_string(options.statements.size()) + " statements)");
  std::string step = "reading secret '" + options.secret_id + "' (" + kSecretVariable + ")";
  try {
    time_left(invocation, services, step);
    services.log(step);
    std::string secret_text;
    try {
      secret_text = services.read_secret(options.secret_id);
    } catch (const aws::Error& e) {
      throw Failure{"SecretsManager." + e.code(), step + ": " + e.code() + ": " + e.message()};
    }
    MasterSecret secret;
    try {
      secret = parse_master_secret(secret_text);
    } catch (const SecretFormatError& e) {
      throw Failure{"Secret.InvalidFormat", step + ": " + e.what()};
    }

    step = "connecting to mysql://" + secret.username + "@" + secret.host + ":" +
           std::to_string(secret.port) + " (TLS verified against " + options.ssl_ca + ")";
    services.log(step);
    std::unique_ptr<db::Connection> conn =
        connect_with_retries(secret, options, invocation, services, step);

    step = "locking";
    take_lock(*conn, invocation, services);
    try {
      run_statements(*conn, options, services);
    } catch (...) {
      release_lock(*conn, services);
      throw;
    }
    release_lock(*conn, services);

    const auto took =
        std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
    services.log("invocation " + invocation.request_id + ": done, " +
                 std::to_string(options.statements.size()) + " statements in " +
                 std::to_string(whole_ms(took)) + " ms");
    const nlohmann::json body{{"database", options.db_name},
                              {"user", options.db_user},
                              {"statements", options.statements.size()},
                              {"elapsedMs", whole_ms(took)}};
    return lambda::Outcome::success(body.dump());
  } catch (const Failure& f) {
    return lambda::Outcome::failure(f.type, f.message);
  } catch (const db::Error& e) {
    return lambda::Outcome::failure(std::string("Database.") + std::string(db::to_string(e.kind())),
                                    step + ": " + e.what());
  } catch (const aws::Error& e) {
    return lambda::Outcome::failure("AWS." + e.code(), step + ": " + e.message());
  } catch (const std::exception& e) {
    return lambda::Outcome::failure("Internal", step + ": " + e.what());
  }
}

}  // namespace db_init
