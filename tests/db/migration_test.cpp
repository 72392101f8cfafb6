// db::MigrationSet on SQLite: apply once, re-run is a no-op, plan, a failing migration is undone.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "db/error.hpp"
#include "db/migration_set.hpp"
#include "temp_db.hpp"

namespace {

using db::testing::TempDb;

db::Migration initial() {
  return {"fortunes", "0001_initial",
          {{"CREATE TABLE fortune (id INTEGER PRIMARY KEY, message TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS fortune (id INT NOT NULL PRIMARY KEY, message VARCHAR(2048) NOT NULL)"}}};
}

db::Migration seed() {
  db::MigrationStep insert;
  insert.sqlite = "INSERT INTO fortune (id, message) VALUES (1, 'fortune: No such file or directory')";
  return {"fortunes", "0002_seed", {insert}};
}

db::Migration users() {
  return {"auth", "0001_initial", {{"CREATE TABLE auth_user (id INTEGER PRIMARY KEY, username TEXT UNIQUE)", ""}}};
}

class MigrationTest : public ::testing::Test {
 protected:
  void SetUp() override { conn_ = tmp_.open(); }

  bool table_exists(const std::string& name) {
    return conn_->query_optional("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", name).has_value();
  }
  std::int64_t history_count() {
    return conn_->query_row("SELECT count(*) FROM mysite_migrations").get<std::int64_t>(0);
  }

  TempDb tmp_;
  std::unique_ptr<db::SqliteConnection> conn_;
};

TEST_F(MigrationTest, AppliesPendingMigrationsInOrderWithDjangoStyleOutput) {
  db::MigrationSet set;
  set.add(initial());
  set.add(seed());
  set.add(users());
  std::ostringstream out;
  db::MigrateResult result = set.migrate(*conn_, out);

  EXPECT_EQ(out.str(),
            "Operations to perform:\n"
            "  Apply all migrations: auth, fortunes\n"
            "Running migrations:\n"
            "  Applying fortunes.0001_initial... OK\n"
            "  Applying fortunes.0002_seed... OK\n"
            "  Applying auth.0001_initial... OK\n");
  EXPECT_EQ(result.applied,
            (std::vector<std::string>{"fortunes.0001_initial", "fortunes.0002_seed", "auth.0001_initial"}));
  EXPECT_EQ(result.already_applied, 0u);
  EXPECT_EQ(conn_->query_row("SELECT message FROM fortune WHERE id = 1").get<std::string>(0),
            "fortune: No such file or directory");
  EXPECT_TRUE(table_exists("auth_user"));
  EXPECT_EQ(history_count(), 3);
  EXPECT_FALSE(conn_->in_transaction());
}

TEST_F(MigrationTest, ARerunIsANoOp) {
  db::MigrationSet set;
  set.add(initial());
  set.add(seed());
  std::ostringstream first;
  set.migrate(*conn_, first);

  std::ostringstream second;
  db::MigrateResult result = set.migrate(*conn_, second);
  EXPECT_TRUE(result.applied.empty());
  EXPECT_EQ(result.already_applied, 2u);
  EXPECT_NE(second.str().find("  No migrations to apply.\n"), std::string::npos) << second.str();
  EXPECT_EQ(history_count(), 2);
  EXPECT_EQ(conn_->query_row("SELECT count(*) FROM fortune").get<std::int64_t>(0), 1);  // seed ran once
}

TEST_F(MigrationTest, NewMigrationsAddedLaterAreApplied) {
  db::MigrationSet v1;
  v1.add(initial());
  std::ostringstream out;
  v1.migrate(*conn_, out);

  db::MigrationSet v2;
  v2.add(initial());
  v2.add(seed());
  std::ostringstream out2;
  EXPECT_EQ(v2.migrate(*conn_, out2).applied, std::vector<std::string>{"fortunes.0002_seed"});
}

TEST_F(MigrationTest, PlanListsEachMigrationAsAppliedOrPending) {
  db::MigrationSet set;
  set.add(initial());
  set.add(seed());

  std::vector<db::MigrationState> before = set.plan(*conn_);  // no history table yet
  ASSERT_EQ(before.size(), 2u);
  EXPECT_FALSE(before[0].applied);
  EXPECT_FALSE(before[1].applied);
  EXPECT_TRUE(set.has_pending(*conn_));
  EXPECT_FALSE(table_exists("mysite_migrations"));  // plan() only reads

  db::MigrationSet first_only;
  first_only.add(initial());
  std::ostringstream out;
  first_only.migrate(*conn_, out);

  std::vector<db::MigrationState> after = set.plan(*conn_);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].app, "fortunes");
  EXPECT_EQ(after[0].name, "0001_initial");
  EXPECT_TRUE(after[0].applied);
  ASSERT_TRUE(after[0].applied_at.has_value());
  EXPECT_EQ(after[0].applied_at->size(), 20u);  // 2026-11-28T07:44:48Z
  EXPECT_EQ(after[1].name, "0002_seed");
  EXPECT_FALSE(after[1].applied);
  EXPECT_FALSE(after[1].applied_at.has_value());
  EXPECT_TRUE(set.has_pending(*conn_));
  EXPECT_FALSE(first_only.has_pending(*conn_));
}

TEST_F(MigrationTest, AMigrationFailingHalfwayIsUndoneAndNotRecorded) {
  db::MigrationSet set;
  set.add(initial());
  set.add({"fortunes", "0002_broken",
           {{"CREATE TABLE extra (id INTEGER PRIMARY KEY)", ""},
            {"ALTER TABLE fortune ADD COLUMN author TEXT", ""},
            {"INSERT INTO no_such_table VALUES (1)", ""}}});
  set.add(users());
  std::ostringstream out;
  try {
    set.migrate(*conn_, out);
    FAIL() << "migrate should have thrown";
  } catch (const db::Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("migration fortunes.0002_broken step 3 of 3 failed"), std::string::npos) << message;
    EXPECT_NE(message.find("no_such_table"), std::string::npos) << message;
    EXPECT_EQ(e.kind(), db::Error::Kind::syntax);
  }
  EXPECT_NE(out.str().find("  Applying fortunes.0002_broken... FAILED\n"), std::string::npos) << out.str();

  // The failing migration left nothing behind; the one before it stays applied (as in Django);
  // the ones after it did not run.
  EXPECT_FALSE(table_exists("extra"));
  EXPECT_EQ(conn_->query("SELECT 1 FROM pragma_table_info('fortune') WHERE name = 'author'").size(), 0u);
  EXPECT_TRUE(table_exists("fortune"));
  EXPECT_FALSE(table_exists("auth_user"));
  std::vector<db::MigrationState> plan = set.plan(*conn_);
  EXPECT_TRUE(plan[0].applied);
  EXPECT_FALSE(plan[1].applied);
  EXPECT_FALSE(plan[2].applied);
  EXPECT_EQ(history_count(), 1);
  EXPECT_FALSE(conn_->in_transaction());

  // Fixed, the run converges.
  db::MigrationSet fixed;
  fixed.add(initial());
  fixed.add({"fortunes", "0002_broken", {{"CREATE TABLE extra (id INTEGER PRIMARY KEY)", ""}}});
  fixed.add(users());
  std::ostringstream out2;
  EXPECT_EQ(fixed.migrate(*conn_, out2).applied.size(), 2u);
  EXPECT_FALSE(fixed.has_pending(*conn_));
}

TEST_F(MigrationTest, AFailingFirstMigrationLeavesAnEmptyHistory) {
  db::MigrationSet set;
  set.add({"app", "0001_bad", {{"CREATE TABLE a (id INTEGER)", ""}, {"CREATE TABLE a (id INTEGER)", ""}}});
  std::ostringstream out;
  EXPECT_THROW(set.migrate(*conn_, out), db::Error);
  EXPECT_FALSE(table_exists("a"));
  EXPECT_EQ(history_count(), 0);
}

TEST_F(MigrationTest, TheHistoryRefusesADuplicateRow) {
  db::MigrationSet set;
  set.add(initial());
  std::ostringstream out;
  set.migrate(*conn_, out);
  try {
    conn_->execute("INSERT INTO mysite_migrations (app, name, applied_at) VALUES ('fortunes', '0001_initial', 'x')");
    FAIL();
  } catch (const db::Error& e) {
    EXPECT_EQ(e.kind(), db::Error::Kind::constraint_violation);
  }
}

TEST(MigrationSetAdd, RefusesDuplicatesAndEmptySteps) {
  db::MigrationSet set;
  set.add(initial());
  try {
    set.add(initial());
    FAIL();
  } catch (const db::Error& e) {
    EXPECT_EQ(e.kind(), db::Error::Kind::config);
    EXPECT_NE(std::string(e.what()).find("fortunes.0001_initial added twice"), std::string::npos);
  }
  EXPECT_THROW(set.add({"app", "0001", {{"", ""}}}), db::Error);
  EXPECT_THROW(set.add({"", "0001", {}}), db::Error);
  EXPECT_EQ(set.migrations().size(), 1u);
}

TEST(MigrationStep, FallsBackToTheOtherDialect) {
  db::MigrationStep only_sqlite{"CREATE TABLE a (id INTEGER)", ""};
  EXPECT_EQ(only_sqlite.sql_for(db::Dialect::mysql), "CREATE TABLE a (id INTEGER)");
  db::MigrationStep both{"S", "M"};
  EXPECT_EQ(both.sql_for(db::Dialect::sqlite), "S");
  EXPECT_EQ(both.sql_for(db::Dialect::mysql), "M");
}

}  // namespace
