// The db-initializer handler with its outside world replaced (no AWS, no database): options,
// secret errors, connection retries against the deadline, and the runtime's error boundary.
// The statements themselves run against a real MariaDB in handler_mariadb_test.cpp.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "aws/error.hpp"
#include "db/error.hpp"
#include "identifiers.hpp"
#include "initializer.hpp"
#include "lambda/runtime_api.hpp"
#include "lambda/runtime_loop.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

db_init::Options test_options() {
  return db_init::make_options("db-master", "django", "main", "/etc/ssl/ca.pem",
                               db_init::kDefaultScript, "db-init.sql (built in)");
}

db_init::Getenv env_of(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

// A fake world: a clock that moves only when the handler sleeps, a recorded log.
struct World {
  Clock::time_point now = Clock::time_point(1'700'000'000s);
  std::vector<std::string> log;
  std::vector<db::Config> connects;
  std::vector<std::chrono::milliseconds> sleeps;
  std::string secret =
      R"({"username":"admin","password":"master-pw-123","host":"db.example","port":3307})";

  db_init::Services services() {
    db_init::Services s;
    s.read_secret = [this](const std::string&) { return secret; };
    s.log = [this](const std::string& line) { log.push_back(line); };
    s.sleep = [this](std::chrono::milliseconds d) {
      sleeps.push_back(d);
      now += d;
    };
    s.now = [this] { return now; };
    return s;
  }
  lambda::Invocation invocation(std::chrono::milliseconds budget) const {
    lambda::Invocation inv;
    inv.request_id = "req-1";
    inv.deadline = now + budget;
    return inv;
  }
  std::string all_log() const {
    std::string out;
    for (const auto& l : log) out += l + "\n";
    return out;
  }
};

TEST(DbInitOptions, PackagedScriptIsSplitWithPlaceholdersQuoted) {
  const auto options = test_options();
  ASSERT_EQ(options.statements.size(), 5u);
  EXPECT_EQ(options.statements[0].sql,
            "CREATE DATABASE IF NOT EXISTS `main` CHARACTER SET utf8mb4");
  EXPECT_EQ(options.statements[1].sql,
            "CREATE USER IF NOT EXISTS 'django'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS "
            "'RDS' REQUIRE SSL");
  EXPECT_EQ(options.statements[2].sql, "ALTER USER 'django'@'%' REQUIRE SSL");
  EXPECT_EQ(options.statements[3].sql, "GRANT ALL PRIVILEGES ON `main`.* TO 'django'@'%'");
  EXPECT_EQ(options.statements[4].sql, "FLUSH PRIVILEGES");
}

TEST(DbInitOptions, OneErrorPerMissingOrBadSetting) {
  using db_init::ConfigError;
  using db_init::make_options;
  const auto script = db_init::kDefaultScript;
  EXPECT_THROW(make_options("", "django", "main", "/ca.pem", script, "s"), ConfigError);
  EXPECT_THROW(make_options("id", "", "main", "/ca.pem", script, "s"), ConfigError);
  EXPECT_THROW(make_options("id", "dj'ango", "main", "/ca.pem", script, "s"), ConfigError);
  EXPECT_THROW(make_options("id", "django", "", "/ca.pem", script, "s"), ConfigError);
  EXPECT_THROW(make_options("id", "django", "ma`in", "/ca.pem", script, "s"), ConfigError);
  EXPECT_THROW(make_options("id", "django", "main", "", script, "s"), ConfigError);
  EXPECT_THROW(make_options("id", "django", "main", "/ca.pem", "-- nothing\n", "s"), ConfigError);
}

TEST(DbInitOptions, ScriptErrorNamesTheScriptAndLine) {
  try {
    db_init::make_options("id", "django", "main", "/ca.pem", "SELECT 1;\nSELECT 'x", "custom.sql");
    FAIL();
  } catch (const db_init::ConfigError& e) {
    EXPECT_STREQ(e.what(), "custom.sql: line 2: unterminated string");
  }
}

TEST(DbInitOptions, LoadsFromSettingsAndTheTwoVariables) {
  const auto options =
      db_init::load_options(env_of({{"DB_CONFIG_SECRET", "arn:aws:secretsmanager:x"},
                                    {"DB_USER", "django"},
                                    {"DB_NAME", "main"},
                                    {"DB_SSL_CA", "/etc/ssl/rds/global-bundle.pem"}}));
  EXPECT_EQ(options.secret_id, "arn:aws:secretsmanager:x");
  EXPECT_EQ(options.db_user, "django");
  EXPECT_EQ(options.db_name, "main");
  EXPECT_EQ(options.ssl_ca, "/etc/ssl/rds/global-bundle.pem");
  EXPECT_EQ(options.script_name, "db-init.sql (built in)");
  EXPECT_EQ(options.statements.size(), 5u);
}

TEST(DbInitOptions, UnsetDbNameIsAnErrorNotTheSqliteDefault) {
  try {
    db_init::load_options(
        env_of({{"DB_CONFIG_SECRET", "s"}, {"DB_USER", "django"}, {"DB_SSL_CA", "/ca"}}));
    FAIL();
  } catch (const db_init::ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("DB_NAME: required", 0), 0u) << e.what();
  }
}

TEST(DbInitOptions, UnreadableScriptNamesTheVariable) {
  try {
    db_init::load_options(env_of({{"DB_CONFIG_SECRET", "s"},
                                  {"DB_USER", "django"},
                                  {"DB_NAME", "main"},
                                  {"DB_SSL_CA", "/ca"},
                                  {"DB_INIT_SCRIPT", "/nonexistent/init.sql"}}));
    FAIL();
  } catch (const db_init::ConfigError& e) {
    EXPECT_STREQ(e.what(), "DB_INIT_SCRIPT: cannot read '/nonexistent/init.sql'");
  }
}

TEST(DbInitHandler, MissingSecretFailsWithTheServiceCode) {
  World world;
  auto services = world.services();
  services.read_secret = [](const std::string&) -> std::string {
    throw aws::Error("ResourceNotFoundException",
                     "Secrets Manager can't find the specified secret.");
  };
  const auto out = db_init::handle(world.invocation(30s), test_options(), services);
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.error_type, "SecretsManager.ResourceNotFoundException");
  EXPECT_EQ(
      out.error_message,
      "reading secret 'db-master' (DB_CONFIG_SECRET): ResourceNotFoundException: Secrets Manager "
      "can't find the specified secret.");
}

TEST(DbInitHandler, MalformedSecretFailsWithoutQuotingIt) {
  World world;
  world.secret = R"({"username":"admin","password":"master-pw-123"})";
  const auto out = db_init::handle(world.invocation(30s), test_options(), world.services());
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.error_type, "Secret.InvalidFormat");
  EXPECT_NE(out.error_message.find("secret has no \"host\""), std::string::npos)
      << out.error_message;
  EXPECT_EQ(out.error_message.find("master-pw-123"), std::string::npos);
}

TEST(DbInitHandler, ConnectsWithTheSecretOverVerifiedTlsWithinTheDeadline) {
  World world;
  auto services = world.services();
  services.connect = [&](const db::Config& config) -> std::unique_ptr<db::Connection> {
    world.connects.push_back(config);
    throw db::Error(db::Error::Kind::config,
                    "mysql connect to admin@db.example:3307/: Access denied", 1045);
  };
  const auto out = db_init::handle(world.invocation(30s), test_options(), services);
  ASSERT_EQ(world.connects.size(), 1u);  // access denied is not retried
  const db::Config& c = world.connects[0];
  EXPECT_EQ(c.engine, db::Dialect::mysql);
  EXPECT_EQ(c.host, "db.example");
  EXPECT_EQ(c.port, 3307);
  EXPECT_EQ(c.user, "admin");
  EXPECT_EQ(c.password, "master-pw-123");
  EXPECT_EQ(c.ssl_ca, "/etc/ssl/ca.pem");
  EXPECT_EQ(c.name, "");
  EXPECT_EQ(c.connect_timeout, db_init::kMaxConnectTimeout);
  EXPECT_EQ(c.read_timeout, 30s - db_init::kDeadlineMargin);
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.error_type, "Database.config");
  EXPECT_NE(out.error_message.find("Access denied"), std::string::npos);
  EXPECT_EQ(out.error_message.find("master-pw-123"), std::string::npos);
  EXPECT_EQ(world.all_log().find("master-pw-123"), std::string::npos);
}

TEST(DbInitHandler, UnreachableDatabaseIsRetriedUntilTheDeadline) {
  World world;
  auto services = world.services();
  services.connect = [&](const db::Config& config) -> std::unique_ptr<db::Connection> {
    world.connects.push_back(config);
    throw db::Error(db::Error::Kind::connection_lost, "mysql connect: Can't connect (111)", 2003);
  };
  const auto budget = 20s;
  const auto started = world.now;
  const auto out = db_init::handle(world.invocation(budget), test_options(), services);
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.error_type, "Database.connection_lost");
  EXPECT_NE(out.error_message.find("gave up after " + std::to_string(world.connects.size()) +
                                   " attempt(s)"),
            std::string::npos)
      << out.error_message;
  EXPECT_GE(world.connects.size(), 4u);
  EXPECT_EQ(world.sleeps.front(), db_init::kFirstRetryDelay);
  for (auto d : world.sleeps) EXPECT_LE(d, db_init::kMaxRetryDelay);
  EXPECT_LE(world.now, started + budget - db_init::kDeadlineMargin);  // answered in time
  for (const auto& c : world.connects) EXPECT_LE(c.connect_timeout, budget);
}

TEST(DbInitHandler, NoTimeLeftFailsBeforeReadingTheSecret) {
  World world;
  bool read = false;
  auto services = world.services();
  services.read_secret = [&](const std::string&) {
    read = true;
    return world.secret;
  };
  const auto out = db_init::handle(world.invocation(500ms), test_options(), services);
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.error_type, "Timeout");
  EXPECT_FALSE(read);
}

TEST(LambdaRuntime, HandlerExceptionsBecomeInvocationErrors) {
  const lambda::Handler throws = [](const lambda::Invocation&) -> lambda::Outcome {
    throw std::runtime_error("boom");
  };
  const auto out = lambda::invoke_safely(throws, {});
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.error_type, "Runtime.UnhandledError");
  EXPECT_EQ(out.error_message, "boom");
}

TEST(LambdaRuntime, ErrorDocumentHasTheFieldsLambdaExpects) {
  const auto doc = nlohmann::json::parse(lambda::error_document("Database.config", "denied \"x\""));
  EXPECT_EQ(doc["errorType"], "Database.config");
  EXPECT_EQ(doc["errorMessage"], "denied \"x\"");
  EXPECT_TRUE(doc["stackTrace"].is_array());
}

TEST(LambdaRuntime, ErrorDocumentCutsLongMessagesAndSurvivesBadUtf8) {
  const std::string long_message(lambda::kMaxErrorMessageBytes + 100, 'x');
  const auto doc = nlohmann::json::parse(lambda::error_document("T", long_message));
  EXPECT_EQ(doc["errorMessage"].get<std::string>().size(), lambda::kMaxErrorMessageBytes + 3);
  EXPECT_TRUE(nlohmann::json::accept(lambda::error_document("T", "bad \xC3(")));
}

}  // namespace
