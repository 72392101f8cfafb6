// The db-initializer handler against a real MariaDB with TLS (run by with_mariadb.sh and
// with_master_user.sh), with mariadb-init.sql, MariaDB's stand-in for db-init.sql: the user it
// makes signs in over TLS only and gets exactly its database; a second run changes nothing; runs
// serialise on the lock; failures are reported, never swallowed, and never show a secret.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "db/config.hpp"
#include "db/error.hpp"
#include "identifiers.hpp"
#include "initializer.hpp"

namespace {

using namespace std::chrono_literals;

// What mariadb-init.sql sets ('stand-in;pw -- #1 ''q''' in SQL).
constexpr const char* kUserPassword = "stand-in;pw -- #1 'q'";

std::string env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') {
    ADD_FAILURE() << name
                  << " is not set: run under tests/tools/with_mariadb.sh and with_master_user.sh";
    return {};
  }
  return v;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A loopback port nobody listens on: bound, never listening, so connecting is refused.
class ClosedPort {
 public:
  ClosedPort() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~ClosedPort() { ::close(fd_); }
  std::uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

class DbInitMariadb : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    const std::string suffix = std::to_string(::getpid()) + "_" + std::to_string(++counter);
    user_ = "django_" + suffix;
    database_ = "app_" + suffix;
    secret_ = nlohmann::json{{"username", env("MYSITE_TEST_MYSQL_MASTER_USER")},
                             {"password", env("MYSITE_TEST_MYSQL_MASTER_PASSWORD")},
                             {"engine", "mysql"},
                             {"host", env("MYSITE_TEST_MYSQL_HOST")},
                             {"port", std::stoi(env("MYSITE_TEST_MYSQL_PORT"))},
                             {"dbname", env("MYSITE_TEST_MYSQL_DATABASE")},
                             {"dbClusterIdentifier", "test"}};
  }

  db_init::Options options(std::string_view script,
                           const std::string& ssl_ca = env("MYSITE_TEST_MYSQL_SSL_CA")) {
    return db_init::make_options("db-master", user_, database_, ssl_ca, script, "mariadb-init.sql");
  }
  db_init::Options options() { return options(read_file(MYSITE_DB_INIT_TEST_SCRIPT)); }

  db_init::Services services() {
    db_init::Services s;
    s.read_secret = [this](const std::string& id) {
      EXPECT_EQ(id, "db-master");
      return secret_.dump();
    };
    s.log = [this](const std::string& line) {
      std::lock_guard lock(log_mutex_);
      log_ += line + "\n";
    };
    return s;
  }

  lambda::Outcome run(const db_init::Options& options, std::chrono::milliseconds budget = 30s) {
    lambda::Invocation invocation;
    invocation.request_id = "req-" + user_;
    invocation.deadline = std::chrono::system_clock::now() + budget;
    return db_init::handle(invocation, options, services());
  }

  db::Config master_config() {
    db::Config c;
    c.engine = db::Dialect::mysql;
    c.host = env("MYSITE_TEST_MYSQL_HOST");
    c.port = static_cast<std::uint16_t>(std::stoi(env("MYSITE_TEST_MYSQL_PORT")));
    c.user = env("MYSITE_TEST_MYSQL_MASTER_USER");
    c.password = env("MYSITE_TEST_MYSQL_MASTER_PASSWORD");
    c.ssl_ca = env("MYSITE_TEST_MYSQL_SSL_CA");
    return c;
  }
  db::Config user_config() {
    db::Config c = master_config();
    c.user = user_;
    c.password = kUserPassword;
    c.name = database_;
    return c;
  }

  // Everything a run could change about the user and its database.
  std::vector<std::string> snapshot() {
    auto conn = db::connect(master_config());
    std::vector<std::string> out;
    for (const auto& row : conn->query("SHOW GRANTS FOR " + db_init::quote_string(user_) + "@'%'"))
      out.push_back(row.get<std::string>(0));
    for (const auto& row : conn->query("SELECT Priv FROM mysql.global_priv WHERE User = ?", user_))
      out.push_back(row.get<std::string>(0));
    for (const auto& row : conn->query("SELECT DEFAULT_CHARACTER_SET_NAME FROM "
                                       "information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
                                       database_))
      out.push_back(row.get<std::string>(0));
    return out;
  }

  std::string user_, database_;
  nlohmann::json secret_;
  std::mutex log_mutex_;
  std::string log_;
};

TEST_F(DbInitMariadb, CreatesAUserThatSignsInOverTlsAndOwnsItsDatabase) {
  const auto out = run(options());
  ASSERT_TRUE(out.ok) << out.error_type << ": " << out.error_message;
  const auto body = nlohmann::json::parse(out.body);
  EXPECT_EQ(body["database"], database_);
  EXPECT_EQ(body["user"], user_);
  EXPECT_EQ(body["statements"], 5);

  auto conn = db::connect(user_config());
  conn->execute("CREATE TABLE t (id INT PRIMARY KEY)");
  conn->execute("INSERT INTO t (id) VALUES (?)", 1);
  EXPECT_EQ(conn->query_row("SELECT COUNT(*) FROM t").get<std::int64_t>(0), 1);
  // Its own database only.
  EXPECT_THROW(conn->query("SELECT COUNT(*) FROM mysql.user"), db::Error);
  EXPECT_THROW(conn->execute("CREATE DATABASE other_" + user_), db::Error);
}

TEST_F(DbInitMariadb, TheUserIsRefusedWithoutTls) {
  ASSERT_TRUE(run(options()).ok);
  db::Config plain = user_config();
  plain.ssl_ca.clear();
  EXPECT_THROW(db::connect(plain), db::Error);
}

TEST_F(DbInitMariadb, SecondRunChangesNothing) {
  ASSERT_TRUE(run(options()).ok);
  const auto before = snapshot();
  ASSERT_GE(before.size(), 4u);
  std::this_thread::sleep_for(1100ms);  // a rewritten password_last_changed would differ
  const auto again = run(options());
  ASSERT_TRUE(again.ok) << again.error_message;
  EXPECT_EQ(snapshot(), before);
}

TEST_F(DbInitMariadb, AnEarlierUserWithoutTlsGetsTheRequirement) {
  {
    auto conn = db::connect(master_config());
    conn->execute("CREATE USER " + db_init::quote_string(user_) + "@'%' IDENTIFIED BY 'old'");
  }
  ASSERT_TRUE(run(options()).ok);
  bool requires_ssl = false;
  for (const auto& grant : snapshot())
    requires_ssl |= grant.find("REQUIRE SSL") != std::string::npos;
  EXPECT_TRUE(requires_ssl);
}

TEST_F(DbInitMariadb, LogsEachStatementWithoutSecrets) {
  ASSERT_TRUE(run(options()).ok);
  for (int i = 1; i <= 5; ++i)
    EXPECT_NE(log_.find("statement " + std::to_string(i) + "/5 (mariadb-init.sql line "),
              std::string::npos)
        << log_;
  EXPECT_NE(log_.find("GRANT ALL PRIVILEGES ON `" + database_ + "`.* TO '" + user_ + "'@'%'"),
            std::string::npos);
  EXPECT_NE(log_.find("USING PASSWORD('***')"), std::string::npos) << log_;
  EXPECT_EQ(log_.find("stand-in"), std::string::npos) << log_;
  EXPECT_EQ(log_.find(env("MYSITE_TEST_MYSQL_MASTER_PASSWORD")), std::string::npos) << log_;
}

TEST_F(DbInitMariadb, WaitsForTheLockAndGivesUpAtTheDeadline) {
  auto holder = db::connect(master_config());
  ASSERT_EQ(holder->query_row("SELECT GET_LOCK(?, 0)", std::string(db_init::kLockName))
                .get<std::int64_t>(0),
            1);
  const auto started = std::chrono::steady_clock::now();
  const auto blocked = run(options(), 3s);
  EXPECT_FALSE(blocked.ok);
  EXPECT_EQ(blocked.error_type, "Database.LockTimeout") << blocked.error_message;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);  // answered before the deadline

  holder->query_row("SELECT RELEASE_LOCK(?)", std::string(db_init::kLockName));
  const auto after = run(options());
  EXPECT_TRUE(after.ok) << after.error_message;
}

TEST_F(DbInitMariadb, ConcurrentRunsSerialiseAndAllSucceed) {
  const auto opts = options();
  std::vector<lambda::Outcome> outcomes(3);
  std::vector<std::thread> threads;
  for (auto& outcome : outcomes) threads.emplace_back([&] { outcome = run(opts); });
  for (auto& t : threads) t.join();
  for (const auto& o : outcomes) EXPECT_TRUE(o.ok) << o.error_type << ": " << o.error_message;
  EXPECT_NO_THROW(db::connect(user_config()));
}

TEST_F(DbInitMariadb, WrongMasterPasswordFailsAtOnceWithoutShowingIt) {
  secret_["password"] = "not-the-master-password";
  const auto started = std::chrono::steady_clock::now();
  const auto out = run(options());
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.error_type, "Database.config");
  EXPECT_NE(out.error_message.find("Access denied"), std::string::npos) << out.error_message;
  EXPECT_EQ(out.error_message.find("not-the-master-password"), std::string::npos);
  EXPECT_EQ(log_.find("not-the-master-password"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST_F(DbInitMariadb, DatabaseDownFailsBeforeTheDeadline) {
  ClosedPort closed;
  secret_["port"] = closed.port();
  const auto started = std::chrono::steady_clock::now();
  const auto out = run(options(), 3s);
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.error_type, "Database.connection_lost");
  EXPECT_NE(out.error_message.find("gave up after"), std::string::npos) << out.error_message;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

TEST_F(DbInitMariadb, ServerNotSignedByTheConfiguredCaIsRefused) {
  const auto out =
      run(options(read_file(MYSITE_DB_INIT_TEST_SCRIPT), env("MYSITE_TEST_MYSQL_WRONG_CA")));
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.error_type, "Database.config") << out.error_message;
}

TEST_F(DbInitMariadb, PackagedAuroraScriptFailsLoudlyOnMariadb) {
  // MariaDB has no AWSAuthenticationPlugin: statement 2 fails, and the run says so.
  const auto out = run(options(db_init::kDefaultScript));
  ASSERT_FALSE(out.ok);
  EXPECT_NE(out.error_message.find("statement 2/5"), std::string::npos) << out.error_message;
  EXPECT_NE(out.error_message.find("AWSAuthenticationPlugin"), std::string::npos)
      << out.error_message;
  // Statement 1 ran, and the lock was released: another run takes it at once.
  {
    auto conn = db::connect(master_config());
    EXPECT_EQ(
        conn->query("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", database_)
            .size(),
        1u);
    EXPECT_EQ(conn->query("SELECT 1 FROM mysql.global_priv WHERE User = ?", user_).size(), 0u);
  }
  const auto next = run(options());
  EXPECT_TRUE(next.ok) << next.error_message;
}

TEST_F(DbInitMariadb, SyntaxErrorNearASecretLiteralWithholdsTheServerMessage) {
  const auto out =
      run(options("CREATE USER {{DB_USER}}@'%' IDENTIFIED BY 'leak-me-not' REQIRE SSL;"));
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.error_type, "Database.syntax");
  EXPECT_NE(out.error_message.find("withheld"), std::string::npos) << out.error_message;
  EXPECT_EQ(out.error_message.find("leak-me-not"), std::string::npos) << out.error_message;
  EXPECT_EQ(log_.find("leak-me-not"), std::string::npos) << log_;
}

}  // namespace
