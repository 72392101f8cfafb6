// What only the MySQL backend does, against the MariaDB started by tests/tools/with_mariadb.sh:
// verified TLS, passwords from the provider, lost connections (KILL) and their replacement,
// MySQL error kinds and types, and the GET_LOCK migration lock.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <sstream>
#include <string>
#include <thread>

#include "backend.hpp"
#include "db/config.hpp"
#include "db/error.hpp"
#include "db/migration_set.hpp"
#include "db/mysql_connection.hpp"
#include "db/transaction.hpp"
#include "fake_mysql_server.hpp"

namespace db::testing {
namespace {

using namespace std::chrono_literals;

class MysqlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::optional<MariaDbServer> server = MariaDbServer::from_environment();
    if (!server) GTEST_SKIP() << "no MariaDB (run via tests/tools/with_mariadb.sh)";
    server_ = *server;
  }
  std::unique_ptr<MysqlConnection> open(const Config& config) {
    std::unique_ptr<Connection> conn = connect(config);
    auto* mysql = dynamic_cast<MysqlConnection*>(conn.get());
    if (mysql == nullptr) throw std::logic_error("not a MysqlConnection");
    conn.release();
    return std::unique_ptr<MysqlConnection>(mysql);
  }
  Config tls_config(const std::string& ca) const {
    Config config = server_.config();
    config.ssl_ca = ca;
    return config;
  }
  // Kills `victim`'s session from another connection, as a server restart or failover would.
  void kill(const MysqlConnection& victim) {
    open(server_.config())->execute("KILL ?", static_cast<std::int64_t>(victim.server_thread_id()));
  }

  MariaDbServer server_;
};

// Runs f, expecting a db::Error; returns it (or a default one after recording a failure).
Error error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no db::Error thrown";
  return Error(Error::Kind::other, "");
}

// ---- TLS ---------------------------------------------------------------------------------------

TEST_F(MysqlTest, TlsWithTheRightCaIsAcceptedAndEncrypted) {
  auto conn = open(tls_config(server_.ssl_ca));
  EXPECT_FALSE(conn->tls_cipher().empty());
  EXPECT_NE(conn->query_row("SHOW SESSION STATUS LIKE 'Ssl_cipher'").get<std::string>(1), "");
  EXPECT_EQ(conn->query_row("SELECT 1").get<std::int64_t>(0), 1);
}

TEST_F(MysqlTest, WithoutASslCaTheConnectionIsPlain) {
  auto conn = open(server_.config());
  EXPECT_EQ(conn->tls_cipher(), "");
}

TEST_F(MysqlTest, AServerCertificateFromAnotherCaIsRefused) {
  const Error e = error_of([&] { open(tls_config(server_.wrong_ca)); });
  EXPECT_EQ(e.kind(), Error::Kind::config);
  const std::string message = e.what();
  EXPECT_NE(message.find("certificate was not verified"), std::string::npos) << message;
  EXPECT_NE(message.find(server_.wrong_ca), std::string::npos) << message;
  EXPECT_EQ(message.find(server_.password), std::string::npos) << message;
}

TEST_F(MysqlTest, ACertificateThatDoesNotNameTheHostIsRefused) {
  ASSERT_FALSE(server_.alt_host.empty());
  Config config = tls_config(server_.ssl_ca);
  config.host =
      server_.alt_host;  // same server, right CA; the certificate names localhost, 127.0.0.1
  const Error e = error_of([&] { open(config); });
  EXPECT_EQ(e.kind(), Error::Kind::config);
  const std::string message = e.what();
  EXPECT_NE(message.find("certificate was not verified"), std::string::npos) << message;
  EXPECT_NE(message.find(server_.alt_host), std::string::npos) << message;
  EXPECT_EQ(message.find(server_.password), std::string::npos) << message;

  config.ssl_ca.clear();  // the same host without TLS: the refusal above was the name check
  EXPECT_EQ(open(config)->query_row("SELECT 1").get<std::int64_t>(0), 1);
}

TEST_F(MysqlTest, WithASslCaAServerWithoutTlsIsRefusedBeforeAnyPassword) {
  FakeMysqlServer fake("mysql_clear_password");  // offers no TLS at all
  Config config = tls_config(server_.ssl_ca);
  config.port = fake.port();
  config.password = "cleartext-secret-4711";
  const Error e = error_of([&] { open(config); });
  EXPECT_EQ(e.kind(), Error::Kind::config) << e.what();
  EXPECT_EQ(fake.received().find("cleartext-secret-4711"), std::string::npos);
}

TEST_F(MysqlTest, TrailingSemicolonIsOneStatement) {
  auto conn = open(server_.config());
  EXPECT_EQ(conn->query_row("SELECT 1;").get<std::int64_t>(0), 1);
  EXPECT_EQ(conn->query_row("SELECT 2; -- done\n").get<std::int64_t>(0), 2);
}

TEST_F(MysqlTest, AnUnreadableCaFileIsAConfigError) {
  const Error e = error_of([&] { open(tls_config("/nonexistent/ca.pem")); });
  EXPECT_EQ(e.kind(), Error::Kind::config);
  EXPECT_NE(std::string(e.what()).find("DB_SSL_CA"), std::string::npos) << e.what();
}

// ---- credentials -------------------------------------------------------------------------------

TEST_F(MysqlTest, AWrongPasswordIsAConfigErrorThatDoesNotShowIt) {
  Config config = server_.config();
  config.password = "not-the-password-1234";
  const Error e = error_of([&] { open(config); });
  EXPECT_EQ(e.kind(), Error::Kind::config);
  EXPECT_EQ(std::string(e.what()).find("not-the-password-1234"), std::string::npos) << e.what();
  EXPECT_EQ(config.describe().find("not-the-password-1234"), std::string::npos);
}

TEST_F(MysqlTest, ThePasswordProviderIsAskedForEveryNewConnection) {
  Config config = tls_config(server_.ssl_ca);
  config.password = "ignored-when-a-provider-is-set";
  std::atomic<int> calls{0};
  config.password_provider = [&] {
    ++calls;
    return server_.password;
  };
  std::unique_ptr<Pool> pool = make_pool(config, 2);
  {
    Pool::Lease a = pool->acquire();
    Pool::Lease b = pool->acquire();
    EXPECT_EQ(calls.load(), 2);
    b->mark_broken();
  }
  Pool::Lease c = pool->acquire();  // the idle one: no new connection
  Pool::Lease d = pool->acquire();  // replaces the broken one: asks again
  EXPECT_EQ(calls.load(), 3);
}

TEST_F(MysqlTest, AFailingPasswordProviderIsReported) {
  Config config = server_.config();
  config.password_provider = []() -> std::string {
    throw std::runtime_error("token service down");
  };
  const Error e = error_of([&] { open(config); });
  EXPECT_EQ(e.kind(), Error::Kind::config);
  EXPECT_NE(std::string(e.what()).find("token service down"), std::string::npos) << e.what();
}

TEST_F(MysqlTest, SessionUsesUtf8mb4) {
  auto conn = open(server_.config());
  EXPECT_EQ(conn->query_row("SELECT @@character_set_client").get<std::string>(0), "utf8mb4");
  EXPECT_EQ(conn->query_row("SELECT @@character_set_results").get<std::string>(0), "utf8mb4");
  EXPECT_EQ(conn->query_row("SELECT @@character_set_connection").get<std::string>(0), "utf8mb4");
}

// ---- lost connections --------------------------------------------------------------------------

TEST_F(MysqlTest, AKilledConnectionThrowsConnectionLostAndIsNeverReconnected) {
  auto conn = open(server_.config());
  const std::uint64_t id = conn->server_thread_id();
  kill(*conn);
  EXPECT_EQ(error_of([&] { conn->query_row("SELECT 1"); }).kind(), Error::Kind::connection_lost);
  EXPECT_TRUE(conn->broken());
  EXPECT_FALSE(conn->ping());
  EXPECT_EQ(error_of([&] { conn->query_row("SELECT 2"); }).kind(), Error::Kind::connection_lost);
  EXPECT_EQ(conn->server_thread_id(), id);  // no silent reconnect behind our back
}

TEST_F(MysqlTest, AStatementInterruptedByALostConnectionFailsAndIsNotRetried) {
  auto conn = open(server_.config());
  conn->execute("CREATE TEMPORARY TABLE hits (n BIGINT)");
  auto killer = std::async(std::launch::async, [&] {
    std::this_thread::sleep_for(300ms);
    kill(*conn);
  });
  const auto started = std::chrono::steady_clock::now();
  const Error e = error_of([&] { conn->query_row("SELECT SLEEP(20)"); });
  killer.get();
  EXPECT_EQ(e.kind(), Error::Kind::connection_lost) << e.what();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 15s);
  EXPECT_TRUE(conn->broken());
  EXPECT_FALSE(conn->in_transaction());
}

TEST_F(MysqlTest, APoolReplacesAKilledConnection) {
  Config config = server_.config();
  config.pool.ping_after_idle = 0ms;  // ping on every checkout
  std::unique_ptr<Pool> pool = make_pool(config, 1);
  std::uint64_t first_id = 0;
  {
    Pool::Lease conn = pool->acquire();
    first_id = dynamic_cast<MysqlConnection&>(*conn).server_thread_id();
  }
  {
    auto victim_view = pool->acquire();
    kill(dynamic_cast<MysqlConnection&>(*victim_view));
  }
  Pool::Lease conn = pool->acquire();  // the ping fails: discarded, a new one is opened
  EXPECT_NE(dynamic_cast<MysqlConnection&>(*conn).server_thread_id(), first_id);
  EXPECT_EQ(conn->query_row("SELECT 1").get<std::int64_t>(0), 1);
  EXPECT_EQ(pool->stats().discarded, 1u);
  EXPECT_EQ(pool->stats().created, 2u);
}

TEST_F(MysqlTest, ALeaseWhoseStatementLostTheConnectionIsDiscarded) {
  std::unique_ptr<Pool> pool = make_pool(server_.config(), 1);
  {
    Pool::Lease conn = pool->acquire();
    kill(dynamic_cast<MysqlConnection&>(*conn));
    EXPECT_EQ(error_of([&] { conn->execute("SELECT 1"); }).kind(), Error::Kind::connection_lost);
  }
  Pool::Lease conn = pool->acquire();
  EXPECT_EQ(conn->query_row("SELECT 1").get<std::int64_t>(0), 1);
  EXPECT_EQ(pool->stats().discarded, 1u);
}

TEST_F(MysqlTest, ATransactionOnAKilledConnectionIsRolledBackByTheServer) {
  auto backend = make_mariadb_backend();
  auto conn = open(backend->config());
  conn->execute("CREATE TABLE t (id BIGINT PRIMARY KEY) ENGINE=InnoDB");
  {
    Transaction tx(*conn);
    conn->execute("INSERT INTO t (id) VALUES (1)");
    kill(*conn);
    EXPECT_EQ(error_of([&] { tx.commit(); }).kind(), Error::Kind::connection_lost);
  }
  EXPECT_TRUE(conn->broken());
  EXPECT_EQ(open(backend->config())->query_row("SELECT COUNT(*) FROM t").get<std::int64_t>(0), 0);
}

// ---- MySQL error kinds and types ---------------------------------------------------------------

TEST_F(MysqlTest, ALockWaitTimeoutIsATimeout) {
  auto backend = make_mariadb_backend();
  auto a = open(backend->config());
  auto b = open(backend->config());
  a->execute("CREATE TABLE t (id BIGINT PRIMARY KEY, n BIGINT) ENGINE=InnoDB");
  a->execute("INSERT INTO t (id, n) VALUES (1, 0)");
  b->execute("SET SESSION innodb_lock_wait_timeout = 1");
  Transaction tx(*a);
  a->execute("UPDATE t SET n = 1 WHERE id = 1");
  const Error e = error_of([&] { b->execute("UPDATE t SET n = 2 WHERE id = 1"); });
  EXPECT_EQ(e.kind(), Error::Kind::timeout) << e.what();
  EXPECT_EQ(e.native_code(), 1205);
  EXPECT_FALSE(b->broken());
}

TEST_F(MysqlTest, MysqlColumnTypesReadAsTheirNaturalValues) {
  auto conn = open(server_.config());
  Row row = conn->query_row(
      "SELECT CAST(18446744073709551615 AS UNSIGNED), CAST(4294967295 AS UNSIGNED), 1.5, CAST(2.25 "
      "AS DOUBLE), "
      "DATE('2026-11-28'), TIMESTAMP('2026-11-28 07:44:48'), CAST('bytes' AS BINARY), NULL, 12.50");
  EXPECT_EQ(row.get<std::string>(0), "18446744073709551615");  // above INT64_MAX: decimal text
  EXPECT_EQ(row.get<std::int64_t>(1), 4294967295);
  EXPECT_EQ(row.get<double>(2), 1.5);  // DECIMAL with a fraction: double
  EXPECT_EQ(row.get<double>(3), 2.25);
  EXPECT_EQ(row.get<std::string>(4), "2026-11-28");
  EXPECT_EQ(row.get<std::string>(5), "2026-11-28 07:44:48");
  EXPECT_EQ(row.get<std::string>(6), "bytes");
  EXPECT_TRUE(row.is_null(7));
  EXPECT_EQ(row.get<double>(8), 12.5);
}

TEST_F(MysqlTest, FiveMegabyteBlobRoundTrips) {
  auto backend = make_mariadb_backend();
  auto conn = open(backend->config());
  conn->execute("CREATE TABLE b (id BIGINT PRIMARY KEY, data LONGBLOB) ENGINE=InnoDB");
  std::string data(5 << 20, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>((i * 131) & 0xff);
  conn->execute("INSERT INTO b (id, data) VALUES (?, ?)", 1, data);
  EXPECT_EQ(conn->query_row("SELECT data FROM b WHERE id = ?", 1).get<std::string>(0), data);
  EXPECT_EQ(conn->query_row("SELECT LENGTH(data) FROM b").get<std::int64_t>(0), 5 << 20);
}

// ---- the migration lock ------------------------------------------------------------------------

MigrationSet one_migration() {
  MigrationSet set;
  set.add({"app",
           "0001_initial",
           {{"", "CREATE TABLE IF NOT EXISTS m (id BIGINT PRIMARY KEY) ENGINE=InnoDB"}}});
  return set;
}

TEST_F(MysqlTest, MigrateWaitsForTheNamedLockAndTimesOut) {
  auto backend = make_mariadb_backend();
  auto holder = open(backend->config());
  const std::string name = "mysite_migrate." + backend->config().name;
  ASSERT_EQ(holder->query_row("SELECT GET_LOCK(?, 0)", name).get<std::int64_t>(0), 1);
  auto runner = open(backend->config());
  std::ostringstream out;
  const Error e = error_of([&] { one_migration().migrate(*runner, out, MigrateOptions{300ms}); });
  EXPECT_EQ(e.kind(), Error::Kind::timeout) << e.what();
  EXPECT_TRUE(one_migration().has_pending(*runner));

  holder->query_row("SELECT RELEASE_LOCK(?)", name);
  EXPECT_EQ(one_migration().migrate(*runner, out).applied.size(), 1u);
  // Released after the run (here checked from another session).
  EXPECT_EQ(holder->query_row("SELECT IS_FREE_LOCK(?)", name).get<std::int64_t>(0), 1);
}

TEST_F(MysqlTest, TheLockIsReleasedWhenAMigrationFails) {
  auto backend = make_mariadb_backend();
  auto conn = open(backend->config());
  MigrationSet set;
  set.add({"app",
           "0001_bad",
           {{"", "CREATE TABLE IF NOT EXISTS first_step (id BIGINT PRIMARY KEY) ENGINE=InnoDB"},
            {"", "ALTER TABLE no_such_table ADD COLUMN x INT"}}});
  std::ostringstream out;
  const Error e = error_of([&] { set.migrate(*conn, out); });
  EXPECT_NE(std::string(e.what()).find("migration app.0001_bad step 2 of 2 failed"),
            std::string::npos)
      << e.what();
  const std::string name = "mysite_migrate." + backend->config().name;
  EXPECT_EQ(open(backend->config())->query_row("SELECT IS_FREE_LOCK(?)", name).get<std::int64_t>(0),
            1);
  // DDL is not transactional: the first step stays, the migration is not recorded.
  EXPECT_TRUE(conn->query_optional(
                      "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() "
                      "AND table_name = ?",
                      "first_step")
                  .has_value());
  EXPECT_TRUE(set.has_pending(*conn));
}

}  // namespace
}  // namespace db::testing

namespace db::testing {
namespace {

// No MariaDB needed: a fake server asks for the cleartext plugin over a plain connection.
class MysqlCleartext : public ::testing::TestWithParam<std::string> {};

// mysql_clear_password (what RDS IAM uses) and dialog (PAM) both send the password as typed.
INSTANTIATE_TEST_SUITE_P(Plugins, MysqlCleartext,
                         ::testing::Values("mysql_clear_password", "dialog"));

TEST_P(MysqlCleartext, APasswordIsNeverSentInCleartextWithoutTls) {
  FakeMysqlServer server(GetParam());
  Config config;
  config.engine = Dialect::mysql;
  config.host = "127.0.0.1";
  config.port = server.port();
  config.user = "u";
  config.password = "cleartext-secret-4711";
  config.connect_timeout = std::chrono::seconds(3);
  config.read_timeout = std::chrono::seconds(3);
  const Error e = error_of([&] { connect(config); });
  EXPECT_EQ(server.received().find("cleartext-secret-4711"), std::string::npos);
  EXPECT_EQ(std::string(e.what()).find("cleartext-secret-4711"), std::string::npos) << e.what();
  EXPECT_EQ(e.kind(), Error::Kind::config) << e.what();
  EXPECT_NE(std::string(e.what()).find(GetParam()), std::string::npos) << e.what();
}

TEST(MysqlHashedAuth, TheFakeServerSeesTheAnswerOfAnAllowedPlugin) {
  // Control for the test above: with a hashing plugin the client does answer the greeting.
  FakeMysqlServer server("mysql_native_password");
  Config config;
  config.engine = Dialect::mysql;
  config.host = "127.0.0.1";
  config.port = server.port();
  config.user = "u";
  config.password = "cleartext-secret-4711";
  config.connect_timeout = std::chrono::seconds(3);
  config.read_timeout = std::chrono::seconds(3);
  error_of([&] { connect(config); });
  EXPECT_GT(server.received().size(), 4u);
  EXPECT_EQ(server.received().find("cleartext-secret-4711"), std::string::npos);
}

}  // namespace
}  // namespace db::testing
