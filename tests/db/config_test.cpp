// db::Config: engine names, descriptions without secrets, and the not-yet-built MySQL engine.
#include <gtest/gtest.h>

#include <string>

#include "db/config.hpp"
#include "db/error.hpp"
#include "temp_db.hpp"

namespace {

TEST(Dialect, ParsesDbEngineValues) {
  EXPECT_EQ(db::parse_dialect("sqlite"), db::Dialect::sqlite);
  EXPECT_EQ(db::parse_dialect("mysql"), db::Dialect::mysql);
  EXPECT_EQ(db::parse_dialect("postgres"), std::nullopt);
  EXPECT_EQ(db::parse_dialect("SQLite"), std::nullopt);
  EXPECT_EQ(db::to_string(db::Dialect::mysql), "mysql");
}

db::Config mysql_config() {
  db::Config config;
  config.engine = db::Config::Engine::mysql;
  config.host = "db.example.internal";
  config.port = 3306;
  config.user = "django";
  config.name = "main";
  config.password = "hunter2-Sup3rSecret";
  config.ssl_ca = "/etc/ssl/rds-global-bundle.pem";
  return config;
}

TEST(Config, DescribeNeverShowsThePassword) {
  const db::Config config = mysql_config();
  const std::string text = config.describe();
  EXPECT_EQ(text, "mysql://django@db.example.internal:3306/main (tls, ca /etc/ssl/rds-global-bundle.pem)");
  EXPECT_EQ(text.find("hunter2"), std::string::npos);
}

TEST(Config, MysqlPoolsOpenLazilyAndAMissingCaIsAConfigErrorWithoutThePassword) {
  std::unique_ptr<db::Pool> pool = db::make_pool(mysql_config(), 4);  // connects on first acquire
  EXPECT_EQ(pool->stats().open, 0u);
  try {
    pool->acquire();  // the CA file is checked before any network traffic
    FAIL();
  } catch (const db::Error& e) {
    EXPECT_EQ(e.kind(), db::Error::Kind::config);
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("DB_SSL_CA '/etc/ssl/rds-global-bundle.pem'"), std::string::npos) << e.what();
  }
}

TEST(Config, ConnectOpensSqlite) {
  db::testing::TempDb tmp;
  db::Config config;
  config.name = tmp.path();
  EXPECT_EQ(config.describe(), "sqlite:" + tmp.path());
  std::unique_ptr<db::Connection> conn = db::connect(config);
  EXPECT_TRUE(conn->ping());
}

TEST(ErrorKind, HasStableNames) {
  EXPECT_EQ(db::to_string(db::Error::Kind::connection_lost), "connection_lost");
  EXPECT_EQ(db::to_string(db::Error::Kind::constraint_violation), "constraint_violation");
  db::Error e(db::Error::Kind::busy, "locked", 5);
  EXPECT_EQ(e.kind(), db::Error::Kind::busy);
  EXPECT_EQ(e.native_code(), 5);
}

}  // namespace
