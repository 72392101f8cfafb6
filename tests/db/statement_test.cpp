// Typed round trips through prepared statements, error kinds, and the statement cache (SQLite).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>

#include "db/error.hpp"
#include "db/sqlite_connection.hpp"
#include "temp_db.hpp"

namespace {

using db::Error;
using db::testing::TempDb;

class StatementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_ = tmp_.open();
    conn_->execute("CREATE TABLE t (id INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT)");
  }
  TempDb tmp_;
  std::unique_ptr<db::SqliteConnection> conn_;
};

Error::Kind kind_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind();
  }
  ADD_FAILURE() << "no db::Error thrown";
  return Error::Kind::other;
}

TEST_F(StatementTest, NullRoundTripsThroughNullptrAndNullopt) {
  conn_->execute("INSERT INTO t (id, i, r, s) VALUES (?, ?, ?, ?)", 1, nullptr, std::optional<double>(),
                 std::optional<std::string>());
  db::Row row = conn_->query_row("SELECT i, r, s FROM t WHERE id = ?", 1);
  EXPECT_TRUE(row.is_null(0));
  EXPECT_TRUE(row.is_null(1));
  EXPECT_TRUE(row.is_null(2));
  EXPECT_EQ(row.get<std::optional<std::int64_t>>(0), std::nullopt);
  EXPECT_EQ(row.get<std::optional<std::string>>(2), std::nullopt);
  EXPECT_EQ(kind_of([&] { row.get<std::int64_t>(0); }), Error::Kind::other);
}

TEST_F(StatementTest, OptionalWithValueBindsTheValue) {
  conn_->execute("INSERT INTO t (id, i) VALUES (?, ?)", 1, std::optional<std::int64_t>(42));
  EXPECT_EQ(conn_->query_row("SELECT i FROM t").get<std::optional<std::int64_t>>(0), 42);
}

TEST_F(StatementTest, UnicodeTextRoundTripsByteForByte) {
  const std::string text = "h\xC3\xA9llo w\xC3\xB6rld \xE2\x80\x94 \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E \xF0\x9F\x8E\x89";
  conn_->execute("INSERT INTO t (id, s) VALUES (?, ?)", 1, text);
  EXPECT_EQ(conn_->query_row("SELECT s FROM t").get<std::string>(0), text);
  EXPECT_EQ(conn_->query_row("SELECT length(s) FROM t").get<std::int64_t>(0), 19);  // characters, not bytes
}

TEST_F(StatementTest, TextWithEmbeddedNulIsNotTruncated) {
  const std::string text("a\0b", 3);
  conn_->execute("INSERT INTO t (id, s) VALUES (?, ?)", 1, text);
  EXPECT_EQ(conn_->query_row("SELECT s FROM t").get<std::string>(0), text);
}

TEST_F(StatementTest, OneMegabyteTextRoundTrips) {
  std::string big(1 << 20, 'x');
  for (std::size_t i = 0; i < big.size(); i += 997) big[i] = static_cast<char>('a' + i % 26);
  conn_->execute("INSERT INTO t (id, s) VALUES (?, ?)", 1, big);
  EXPECT_EQ(conn_->query_row("SELECT s FROM t").get<std::string>(0), big);
}

TEST_F(StatementTest, Int64ExtremesRoundTrip) {
  const std::int64_t values[] = {std::numeric_limits<std::int64_t>::min(), -1, 0, 1,
                                 std::numeric_limits<std::int64_t>::max()};
  for (std::int64_t v : values) {
    conn_->execute("DELETE FROM t");
    conn_->execute("INSERT INTO t (id, i) VALUES (1, ?)", v);
    EXPECT_EQ(conn_->query_row("SELECT i FROM t").get<std::int64_t>(0), v);
  }
}

TEST_F(StatementTest, DoublesRoundTripExactly) {
  const double values[] = {3.141592653589793, -2.5e-300, 1.7976931348623157e308,
                           std::numeric_limits<double>::denorm_min(), 0.1 + 0.2};
  for (double v : values) {
    conn_->execute("DELETE FROM t");
    conn_->execute("INSERT INTO t (id, r) VALUES (1, ?)", v);
    EXPECT_EQ(conn_->query_row("SELECT r FROM t").get<double>(0), v);
  }
}

TEST_F(StatementTest, BoolsAndSmallIntegersRoundTrip) {
  conn_->execute("INSERT INTO t (id, i, r) VALUES (?, ?, ?)", 1, true, 2.0f);
  db::Row row = conn_->query_row("SELECT i, r, id FROM t");
  EXPECT_TRUE(row.get<bool>(0));
  EXPECT_EQ(row.get<double>(1), 2.0);
  EXPECT_EQ(row.get<int>(2), 1);
  EXPECT_EQ(row.get<double>(2), 1.0);  // integers widen to double
}

TEST_F(StatementTest, UnsignedAboveInt64MaxIsRefused) {
  const std::uint64_t too_big = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1;
  EXPECT_EQ(kind_of([&] { conn_->execute("INSERT INTO t (id, i) VALUES (1, ?)", too_big); }), Error::Kind::other);
}

TEST_F(StatementTest, ReadingTheWrongTypeNamesTheColumn) {
  conn_->execute("INSERT INTO t (id, s, i) VALUES (1, 'text', 5000000000)");
  db::Row row = conn_->query_row("SELECT s, i FROM t");
  try {
    row.get<std::int64_t>(0);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("(s) holds text"), std::string::npos) << e.what();
  }
  EXPECT_EQ(kind_of([&] { row.get<int>(1); }), Error::Kind::other);  // out of int range
}

TEST_F(StatementTest, ColumnsAreFoundByName) {
  conn_->execute("INSERT INTO t (id, s) VALUES (7, 'x')");
  db::Row row = conn_->query_row("SELECT id, s AS message FROM t");
  EXPECT_EQ(row.column_index("message"), 1u);
  EXPECT_EQ(row.column_name(0), "id");
  EXPECT_EQ(kind_of([&] { row.column_index("nope"); }), Error::Kind::not_found);
}

TEST_F(StatementTest, LastInsertIdAndChanges) {
  conn_->execute("INSERT INTO t (i) VALUES (?)", 10);
  EXPECT_EQ(conn_->last_insert_id(), 1);
  conn_->execute("INSERT INTO t (i) VALUES (?)", 20);
  EXPECT_EQ(conn_->last_insert_id(), 2);
  EXPECT_EQ(conn_->execute("UPDATE t SET s = ?", "x"), 2);
  EXPECT_EQ(conn_->changes(), 2);
  EXPECT_EQ(conn_->execute("SELECT * FROM t"), 0);  // a query changes nothing
  EXPECT_EQ(conn_->execute("CREATE TABLE u (x)"), 0);
}

TEST_F(StatementTest, QueryReturnsAllRowsInOrder) {
  for (int i = 1; i <= 3; ++i) conn_->execute("INSERT INTO t (id, s) VALUES (?, 'm' || ?)", i, i);
  std::vector<db::Row> rows = conn_->query("SELECT id, s FROM t WHERE id >= ? ORDER BY id", 2);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].get<std::string>(1), "m2");
  EXPECT_EQ(rows[1].get<std::string>(1), "m3");
  EXPECT_FALSE(conn_->query_optional("SELECT id FROM t WHERE id = ?", 99).has_value());
  EXPECT_EQ(kind_of([&] { conn_->query_row("SELECT id FROM t WHERE id = ?", 99); }), Error::Kind::not_found);
}

TEST_F(StatementTest, StreamingWithStepAndRow) {
  for (int i = 1; i <= 3; ++i) conn_->execute("INSERT INTO t (id) VALUES (?)", i);
  db::Statement st = conn_->prepare("SELECT id FROM t ORDER BY id");
  std::int64_t sum = 0;
  while (st.step()) sum += st.row().get<std::int64_t>(0);
  EXPECT_EQ(sum, 6);
}

TEST_F(StatementTest, PreparedStatementsAreCachedBySqlText) {
  const std::size_t before = conn_->cached_statement_count();
  for (int i = 0; i < 10; ++i) conn_->execute("INSERT INTO t (i) VALUES (?)", i);
  EXPECT_EQ(conn_->cached_statement_count(), before + 1);
}

TEST_F(StatementTest, SameSqlInUseTwiceAtOnceGetsTwoStatements) {
  for (int i = 1; i <= 2; ++i) conn_->execute("INSERT INTO t (id) VALUES (?)", i);
  db::Statement outer = conn_->prepare("SELECT id FROM t ORDER BY id");
  int pairs = 0;
  while (outer.step()) {
    for (const db::Row& r : conn_->query("SELECT id FROM t ORDER BY id")) {
      (void)r;
      ++pairs;
    }
  }
  EXPECT_EQ(pairs, 4);
}

TEST_F(StatementTest, ACachedStatementForgetsItsBindingsOnRelease) {
  conn_->execute("INSERT INTO t (id, i) VALUES (?, ?)", 1, 5);
  {
    db::Statement st = conn_->prepare("INSERT INTO t (id, i) VALUES (?, ?)");
    st.bind(1, 2);  // i left unbound: NULL, not the 5 from the last use
    st.execute();
  }
  EXPECT_TRUE(conn_->query_row("SELECT i FROM t WHERE id = 2").is_null(0));
}

TEST_F(StatementTest, BindingsSurviveARerun) {
  db::Statement st = conn_->prepare("INSERT INTO t (i) VALUES (?)");
  st.bind(1, 9);
  st.execute();
  st.execute();
  EXPECT_EQ(conn_->query_row("SELECT count(*) FROM t WHERE i = 9").get<std::int64_t>(0), 2);
}

TEST_F(StatementTest, ErrorKinds) {
  conn_->execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
  conn_->execute("CREATE TABLE child (id INTEGER PRIMARY KEY, p INTEGER NOT NULL REFERENCES parent(id))");
  conn_->execute("INSERT INTO t (id) VALUES (1)");
  EXPECT_EQ(kind_of([&] { conn_->execute("INSERT INTO t (id) VALUES (1)"); }), Error::Kind::constraint_violation);
  EXPECT_EQ(kind_of([&] { conn_->execute("INSERT INTO child (p) VALUES (?)", 42); }),
            Error::Kind::constraint_violation);  // foreign_keys=ON
  EXPECT_EQ(kind_of([&] { conn_->execute("INSERT INTO child (p) VALUES (?)", nullptr); }),
            Error::Kind::constraint_violation);
  EXPECT_EQ(kind_of([&] { conn_->execute("SELEC 1"); }), Error::Kind::syntax);
  EXPECT_EQ(kind_of([&] { conn_->execute("SELECT * FROM missing"); }), Error::Kind::syntax);
  EXPECT_EQ(kind_of([&] { conn_->execute("SELECT 1; SELECT 2"); }), Error::Kind::syntax);
  EXPECT_EQ(kind_of([&] { conn_->execute("SELECT ?", 1, 2); }), Error::Kind::other);  // bind index 2
}

TEST_F(StatementTest, TrailingSemicolonAndCommentAreOneStatement) {
  EXPECT_EQ(conn_->query_row("SELECT 1; -- done\n").get<std::int64_t>(0), 1);
}

TEST_F(StatementTest, ErrorMessagesCarryTheSqlButNotTheValues) {
  conn_->execute("INSERT INTO t (id, s) VALUES (?, ?)", 1, "first");
  try {
    conn_->execute("INSERT INTO t (id, s) VALUES (?, ?)", 1, "secret-value");
    FAIL();
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("INSERT INTO t"), std::string::npos) << message;
    EXPECT_EQ(message.find("secret-value"), std::string::npos) << message;
  }
}

TEST_F(StatementTest, OpeningAppliesThePragmas) {
  EXPECT_EQ(conn_->query_row("PRAGMA journal_mode").get<std::string>(0), "wal");
  EXPECT_EQ(conn_->query_row("PRAGMA foreign_keys").get<std::int64_t>(0), 1);
  EXPECT_EQ(conn_->query_row("PRAGMA synchronous").get<std::int64_t>(0), 1);  // NORMAL
  EXPECT_EQ(conn_->query_row("PRAGMA busy_timeout").get<std::int64_t>(0), 5000);
  EXPECT_TRUE(conn_->ping());
}

TEST(SqliteOpen, CreatesTheParentDirectory) {
  TempDb tmp;
  db::SqliteConnection conn(db::SqliteOptions{(tmp.dir() / "var" / "sub" / "db.sqlite3").string()});
  EXPECT_TRUE(std::filesystem::exists(tmp.dir() / "var" / "sub" / "db.sqlite3"));
}

TEST(SqliteOpen, AnUnopenablePathIsAConfigError) {
  TempDb tmp;
  std::filesystem::create_directories(tmp.dir() / "dir.sqlite3");  // a directory, not a file
  EXPECT_EQ(kind_of([&] { db::SqliteConnection conn(db::SqliteOptions{(tmp.dir() / "dir.sqlite3").string()}); }),
            Error::Kind::config);
}

TEST(SqliteOpen, AWriterWaitingPastTheBusyTimeoutGetsBusy) {
  TempDb tmp;
  auto holder = tmp.open();
  db::SqliteConnection waiter(db::SqliteOptions{tmp.path(), std::chrono::milliseconds(50)});
  holder->begin();
  EXPECT_EQ(kind_of([&] { waiter.begin(); }), Error::Kind::busy);
  holder->rollback();
  waiter.begin();
  waiter.rollback();
}

}  // namespace
