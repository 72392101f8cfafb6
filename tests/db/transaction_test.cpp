// db::Transaction: commit keeps, anything else rolls back (SQLite).
#include <gtest/gtest.h>

#include <stdexcept>

#include "db/error.hpp"
#include "db/transaction.hpp"
#include "temp_db.hpp"

namespace {

using db::testing::TempDb;

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_ = tmp_.open();
    conn_->execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
  }
  std::int64_t count() { return conn_->query_row("SELECT count(*) FROM t").get<std::int64_t>(0); }

  TempDb tmp_;
  std::unique_ptr<db::SqliteConnection> conn_;
};

TEST_F(TransactionTest, CommitKeepsTheChanges) {
  {
    db::Transaction tx(*conn_);
    conn_->execute("INSERT INTO t (id) VALUES (?)", 1);
    tx.commit();
  }
  EXPECT_EQ(count(), 1);
  EXPECT_FALSE(conn_->in_transaction());
}

TEST_F(TransactionTest, AnExceptionRollsBack) {
  try {
    db::Transaction tx(*conn_);
    conn_->execute("INSERT INTO t (id) VALUES (?)", 1);
    throw std::runtime_error("view failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(count(), 0);
  EXPECT_FALSE(conn_->in_transaction());
}

TEST_F(TransactionTest, AFailedStatementInsideRollsBackEverything) {
  try {
    db::Transaction tx(*conn_);
    conn_->execute("INSERT INTO t (id) VALUES (?)", 1);
    conn_->execute("INSERT INTO t (id) VALUES (?)", 1);  // constraint violation
    tx.commit();
  } catch (const db::Error& e) {
    EXPECT_EQ(e.kind(), db::Error::Kind::constraint_violation);
  }
  EXPECT_EQ(count(), 0);
}

TEST_F(TransactionTest, ExplicitRollback) {
  db::Transaction tx(*conn_);
  conn_->execute("INSERT INTO t (id) VALUES (?)", 1);
  tx.rollback();
  EXPECT_FALSE(tx.active());
  EXPECT_EQ(count(), 0);
}

TEST_F(TransactionTest, OtherConnectionsDoNotSeeUncommittedRows) {
  auto other = tmp_.open();
  db::Transaction tx(*conn_);
  conn_->execute("INSERT INTO t (id) VALUES (?)", 1);
  EXPECT_EQ(other->query_row("SELECT count(*) FROM t").get<std::int64_t>(0), 0);
  tx.commit();
  EXPECT_EQ(other->query_row("SELECT count(*) FROM t").get<std::int64_t>(0), 1);
}

TEST_F(TransactionTest, TransactionsDoNotNest) {
  db::Transaction tx(*conn_);
  try {
    db::Transaction inner(*conn_);
    FAIL();
  } catch (const db::Error& e) {
    EXPECT_EQ(e.kind(), db::Error::Kind::config);
  }
  EXPECT_TRUE(conn_->in_transaction());  // the outer one is untouched
}

TEST_F(TransactionTest, CommitTwiceIsAnError) {
  db::Transaction tx(*conn_);
  tx.commit();
  EXPECT_THROW(tx.commit(), db::Error);
}

}  // namespace
