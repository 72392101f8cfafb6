// The DB tests that hold on every backend: typed round trips, error kinds, transactions, the pool
// under 32 threads, and locked migrations. Instantiated for SQLite (sqlite_backend_test.cpp, unit)
// and for MariaDB (mariadb_backend_test.cpp, integration, under tests/tools/with_mariadb.sh).
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "backend.hpp"
#include "db/error.hpp"
#include "db/migration_set.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"

namespace db::testing {
namespace {

Error::Kind kind_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind();
  }
  ADD_FAILURE() << "no db::Error thrown";
  return Error::Kind::other;
}

// ---- typed round trips -------------------------------------------------------------------------

TEST_P(BackendTest, NullRoundTripsThroughNullptrAndNullopt) {
  conn_->execute("INSERT INTO t (id, i, r, s) VALUES (?, ?, ?, ?)", 1, nullptr,
                 std::optional<double>(), std::optional<std::string>());
  Row row = conn_->query_row("SELECT i, r, s FROM t WHERE id = ?", 1);
  EXPECT_TRUE(row.is_null(0));
  EXPECT_TRUE(row.is_null(1));
  EXPECT_TRUE(row.is_null(2));
  EXPECT_EQ(row.get<std::optional<std::int64_t>>(0), std::nullopt);
  EXPECT_EQ(kind_of([&] { row.get<std::int64_t>(0); }), Error::Kind::other);
  EXPECT_TRUE(conn_->query_row("SELECT ?", nullptr).is_null(0));
}

TEST_P(BackendTest, UnicodeTextRoundTripsByteForByte) {
  // Two-, three- and four-byte UTF-8 (the emoji needs utf8mb4 on MySQL).
  const std::string text =
      "h\xC3\xA9llo w\xC3\xB6rld \xE2\x80\x94 \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E "
      "\xF0\x9F\x8E\x89";
  conn_->execute("INSERT INTO t (id, s) VALUES (?, ?)", 1, text);
  EXPECT_EQ(conn_->query_row("SELECT s FROM t").get<std::string>(0), text);
  EXPECT_EQ(conn_->query_row(sql("SELECT length(s) FROM t", "SELECT CHAR_LENGTH(s) FROM t"))
                .get<std::int64_t>(0),
            19);
  EXPECT_EQ(conn_->query_row("SELECT id FROM t WHERE s = ?", text).get<std::int64_t>(0), 1);
}

TEST_P(BackendTest, TextWithEmbeddedNulIsNotTruncated) {
  const std::string text("a\0b", 3);
  conn_->execute("INSERT INTO t (id, s) VALUES (?, ?)", 1, text);
  EXPECT_EQ(conn_->query_row("SELECT s FROM t").get<std::string>(0), text);
}

TEST_P(BackendTest, OneMegabyteTextRoundTripsBesideSmallRows) {
  std::string big(1 << 20, 'x');
  for (std::size_t i = 0; i < big.size(); i += 997) big[i] = static_cast<char>('a' + i % 26);
  conn_->execute("INSERT INTO t (id, s) VALUES (?, ?)", 1, "small");
  conn_->execute("INSERT INTO t (id, s) VALUES (?, ?)", 2, big);
  conn_->execute("INSERT INTO t (id, s) VALUES (?, ?)", 3, "small again");
  std::vector<Row> rows = conn_->query("SELECT id, s FROM t ORDER BY id");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].get<std::string>(1), "small");
  EXPECT_EQ(rows[1].get<std::string>(1), big);
  EXPECT_EQ(rows[2].get<std::string>(1), "small again");
  EXPECT_EQ(conn_->query_row("SELECT s FROM t WHERE id = ?", 2).get<std::string>(0), big);
}

TEST_P(BackendTest, Int64ExtremesRoundTrip) {
  const std::int64_t values[] = {std::numeric_limits<std::int64_t>::min(), -1, 0, 1,
                                 std::numeric_limits<std::int64_t>::max()};
  for (std::int64_t v : values) {
    conn_->execute("DELETE FROM t");
    conn_->execute("INSERT INTO t (id, i) VALUES (1, ?)", v);
    EXPECT_EQ(conn_->query_row("SELECT i FROM t").get<std::int64_t>(0), v);
    EXPECT_EQ(conn_->query_row("SELECT id FROM t WHERE i = ?", v).get<std::int64_t>(0), 1);
  }
}

TEST_P(BackendTest, DoublesRoundTripExactly) {
  const double values[] = {3.141592653589793, -2.5e-300, 1.7976931348623157e308, 0.1 + 0.2, -0.0};
  for (double v : values) {
    conn_->execute("DELETE FROM t");
    conn_->execute("INSERT INTO t (id, r) VALUES (1, ?)", v);
    EXPECT_EQ(conn_->query_row("SELECT r FROM t").get<double>(0), v);
  }
}

TEST_P(BackendTest, BoolsAndSmallIntegersRoundTrip) {
  conn_->execute("INSERT INTO t (id, i, r) VALUES (?, ?, ?)", 1, true, 2.0f);
  Row row = conn_->query_row("SELECT i, r, id FROM t");
  EXPECT_TRUE(row.get<bool>(0));
  EXPECT_EQ(row.get<double>(1), 2.0);
  EXPECT_EQ(row.get<int>(2), 1);
}

TEST_P(BackendTest, AggregatesReadAsIntegers) {
  for (int i = 1; i <= 3; ++i) conn_->execute("INSERT INTO t (id, i) VALUES (?, ?)", i, i * 10);
  Row row = conn_->query_row("SELECT COUNT(*), SUM(i), MAX(i) FROM t");
  EXPECT_EQ(row.get<std::int64_t>(0), 3);
  EXPECT_EQ(row.get<std::int64_t>(1), 60);  // a DECIMAL on MySQL
  EXPECT_EQ(row.get<std::int64_t>(2), 30);
}

TEST_P(BackendTest, ColumnsAreFoundByName) {
  conn_->execute("INSERT INTO t (id, s) VALUES (7, 'x')");
  Row row = conn_->query_row("SELECT id, s AS message FROM t");
  EXPECT_EQ(row.column_index("message"), 1u);
  EXPECT_EQ(row.column_name(0), "id");
}

TEST_P(BackendTest, LastInsertIdAndChanges) {
  conn_->execute("INSERT INTO t (i) VALUES (?)", 10);
  EXPECT_EQ(conn_->last_insert_id(), 1);
  conn_->execute("INSERT INTO t (i) VALUES (?)", 20);
  EXPECT_EQ(conn_->last_insert_id(), 2);
  EXPECT_EQ(conn_->execute("UPDATE t SET s = ?", "x"), 2);
  EXPECT_EQ(conn_->changes(), 2);
  EXPECT_EQ(conn_->execute("UPDATE t SET s = ?", "x"), 2);  // rows matched, even if unchanged
  EXPECT_EQ(conn_->execute("SELECT * FROM t"), 0);          // a query changes nothing
  EXPECT_EQ(conn_->execute("DELETE FROM t WHERE id = ?", 1), 1);
}

TEST_P(BackendTest, StreamingWhileRunningOtherStatements) {
  for (int i = 1; i <= 3; ++i) conn_->execute("INSERT INTO t (id, i) VALUES (?, ?)", i, i);
  Statement outer = conn_->prepare("SELECT id FROM t ORDER BY id");
  int pairs = 0;
  while (outer.step()) {
    const std::int64_t id = outer.row().get<std::int64_t>(0);
    conn_->execute("UPDATE t SET s = ? WHERE id = ?", "seen", id);
    pairs += static_cast<int>(conn_->query("SELECT id FROM t ORDER BY id").size());
  }
  EXPECT_EQ(pairs, 9);
  EXPECT_EQ(conn_->query_row("SELECT COUNT(*) FROM t WHERE s = ?", "seen").get<std::int64_t>(0), 3);
}

TEST_P(BackendTest, ACachedStatementForgetsItsBindingsOnRelease) {
  conn_->execute("INSERT INTO t (id, i) VALUES (?, ?)", 1, 5);
  {
    Statement st = conn_->prepare("INSERT INTO t (id, i) VALUES (?, ?)");
    st.bind(1, 2);  // i left unbound: NULL, not the 5 from the last use
    st.execute();
  }
  EXPECT_TRUE(conn_->query_row("SELECT i FROM t WHERE id = 2").is_null(0));
}

TEST_P(BackendTest, BindingsSurviveARerun) {
  Statement st = conn_->prepare("INSERT INTO t (i) VALUES (?)");
  st.bind(1, 9);
  st.execute();
  st.execute();
  EXPECT_EQ(conn_->query_row("SELECT COUNT(*) FROM t WHERE i = 9").get<std::int64_t>(0), 2);
}

// ---- errors ------------------------------------------------------------------------------------

TEST_P(BackendTest, ErrorKinds) {
  conn_->execute(sql("CREATE TABLE parent (id INTEGER PRIMARY KEY)",
                     "CREATE TABLE parent (id BIGINT PRIMARY KEY) ENGINE=InnoDB"));
  conn_->execute(
      sql("CREATE TABLE child (id INTEGER PRIMARY KEY, p INTEGER NOT NULL REFERENCES parent(id))",
          "CREATE TABLE child (id BIGINT AUTO_INCREMENT PRIMARY KEY, p BIGINT NOT NULL, "
          "FOREIGN KEY (p) REFERENCES parent(id)) ENGINE=InnoDB"));
  conn_->execute("INSERT INTO t (id) VALUES (1)");
  EXPECT_EQ(kind_of([&] { conn_->execute("INSERT INTO t (id) VALUES (1)"); }),
            Error::Kind::constraint_violation);
  EXPECT_EQ(kind_of([&] { conn_->execute("INSERT INTO child (p) VALUES (?)", 42); }),
            Error::Kind::constraint_violation);
  EXPECT_EQ(kind_of([&] { conn_->execute("INSERT INTO child (p) VALUES (?)", nullptr); }),
            Error::Kind::constraint_violation);
  conn_->execute("INSERT INTO parent (id) VALUES (1)");
  conn_->execute("INSERT INTO child (p) VALUES (1)");
  EXPECT_EQ(kind_of([&] { conn_->execute("DELETE FROM parent WHERE id = 1"); }),
            Error::Kind::constraint_violation);
  EXPECT_EQ(kind_of([&] { conn_->execute("SELEC 1"); }), Error::Kind::syntax);
  EXPECT_EQ(kind_of([&] { conn_->execute("SELECT * FROM missing"); }), Error::Kind::syntax);
  EXPECT_EQ(kind_of([&] { conn_->execute("SELECT nope FROM t"); }), Error::Kind::syntax);
  EXPECT_EQ(kind_of([&] { conn_->execute("SELECT 1; SELECT 2"); }), Error::Kind::syntax);
  EXPECT_EQ(kind_of([&] { conn_->execute("SELECT ?", 1, 2); }),
            Error::Kind::other);  // bind index 2
  EXPECT_TRUE(conn_->ping());     // errors like these leave the connection usable
  EXPECT_FALSE(conn_->broken());
}

TEST_P(BackendTest, ErrorMessagesCarryTheSqlButNotTheValues) {
  conn_->execute("INSERT INTO t (id, s) VALUES (?, ?)", 1, "first");
  try {
    conn_->execute("INSERT INTO t (id, i, s) VALUES (?, ?, ?)", 1, 5, "secret-value");
    FAIL();
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("INSERT INTO t"), std::string::npos) << message;
    EXPECT_EQ(message.find("secret-value"), std::string::npos) << message;
  }
}

// ---- transactions ------------------------------------------------------------------------------

TEST_P(BackendTest, CommitKeepsTheChanges) {
  {
    Transaction tx(*conn_);
    EXPECT_TRUE(conn_->in_transaction());
    conn_->execute("INSERT INTO t (id) VALUES (1)");
    tx.commit();
  }
  EXPECT_FALSE(conn_->in_transaction());
  EXPECT_EQ(backend().open()->query_row("SELECT COUNT(*) FROM t").get<std::int64_t>(0), 1);
}

TEST_P(BackendTest, AnExceptionRollsBack) {
  try {
    Transaction tx(*conn_);
    conn_->execute("INSERT INTO t (id) VALUES (1)");
    conn_->execute("INSERT INTO t (id) VALUES (2)");
    throw std::runtime_error("view failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_FALSE(conn_->in_transaction());
  EXPECT_EQ(conn_->query_row("SELECT COUNT(*) FROM t").get<std::int64_t>(0), 0);
}

TEST_P(BackendTest, AFailedStatementInsideRollsBackEverything) {
  conn_->execute("INSERT INTO t (id) VALUES (1)");
  EXPECT_EQ(kind_of([&] {
              Transaction tx(*conn_);
              conn_->execute("INSERT INTO t (id) VALUES (2)");
              conn_->execute("INSERT INTO t (id) VALUES (1)");  // duplicate
              tx.commit();
            }),
            Error::Kind::constraint_violation);
  EXPECT_EQ(conn_->query_row("SELECT COUNT(*) FROM t").get<std::int64_t>(0), 1);
}

TEST_P(BackendTest, OtherConnectionsDoNotSeeUncommittedRows) {
  auto other = backend().open();
  Transaction tx(*conn_);
  conn_->execute("INSERT INTO t (id) VALUES (1)");
  EXPECT_EQ(other->query_row("SELECT COUNT(*) FROM t").get<std::int64_t>(0), 0);
  tx.commit();
  EXPECT_EQ(other->query_row("SELECT COUNT(*) FROM t").get<std::int64_t>(0), 1);
}

// ---- pool --------------------------------------------------------------------------------------

TEST_P(BackendTest, ThirtyTwoThreadsShareAPoolOfEight) {
  conn_->execute(
      sql("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
          "CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL) ENGINE=InnoDB"));
  conn_->execute("INSERT INTO counter (id, n) VALUES (1, 0)");
  Config config = backend().config();
  config.pool.checkout_timeout = std::chrono::seconds(60);
  std::unique_ptr<Pool> pool = make_pool(config, 8);
  constexpr int kThreads = 32;
  constexpr int kRounds = 10;
  std::atomic<int> failures{0};
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        for (int r = 0; r < kRounds; ++r) {
          Pool::Lease conn = pool->acquire();
          Transaction tx(*conn);
          conn->execute("UPDATE counter SET n = n + 1 WHERE id = 1");
          conn->execute("INSERT INTO t (i, s) VALUES (?, ?)", t, "thread");
          tx.commit();
        }
      } catch (const std::exception& e) {
        errors[static_cast<std::size_t>(t)] = e.what();
        ++failures;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t)
    EXPECT_EQ(errors[static_cast<std::size_t>(t)], "") << "thread " << t;
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(conn_->query_row("SELECT n FROM counter WHERE id = 1").get<std::int64_t>(0),
            kThreads * kRounds);
  EXPECT_EQ(conn_->query_row("SELECT COUNT(*) FROM t").get<std::int64_t>(0), kThreads * kRounds);
  const Pool::Stats stats = pool->stats();
  EXPECT_LE(stats.created, 8u);
  EXPECT_EQ(stats.discarded, 0u);
}

TEST_P(BackendTest, ABrokenConnectionIsReplacedByTheFactory) {
  std::unique_ptr<Pool> pool = make_pool(backend().config(), 1);
  {
    Pool::Lease conn = pool->acquire();
    conn->mark_broken();
  }
  Pool::Lease conn = pool->acquire();
  EXPECT_FALSE(conn->broken());
  EXPECT_EQ(conn->query_row("SELECT COUNT(*) FROM t").get<std::int64_t>(0), 0);
  EXPECT_EQ(pool->stats().created, 2u);
  EXPECT_EQ(pool->stats().discarded, 1u);
}

// ---- migrations --------------------------------------------------------------------------------

constexpr int kRunners = 3;
constexpr int kMigrations = 5;

// Each migration appends to `runs` (not re-runnable on purpose), so a migration applied twice would
// show as two rows.
MigrationSet make_race_set() {
  MigrationSet set;
  set.add({"race",
           "0000_runs",
           {{"CREATE TABLE IF NOT EXISTS runs (migration TEXT NOT NULL)",
             "CREATE TABLE IF NOT EXISTS runs (migration VARCHAR(64) NOT NULL) ENGINE=InnoDB"}}});
  for (int i = 1; i < kMigrations; ++i) {
    const std::string name = "000" + std::to_string(i) + "_step";
    const std::string table = "r" + std::to_string(i);
    set.add({"race",
             name,
             {{"CREATE TABLE IF NOT EXISTS " + table + " (id INTEGER PRIMARY KEY)",
               "CREATE TABLE IF NOT EXISTS " + table + " (id BIGINT PRIMARY KEY) ENGINE=InnoDB"},
              {"INSERT INTO " + table + " (id) VALUES (1), (2), (3)", ""},
              {"INSERT INTO runs (migration) VALUES ('" + name + "')", ""}}});
  }
  return set;
}

int count_occurrences(const std::string& text, const std::string& needle) {
  int n = 0;
  for (std::size_t pos = text.find(needle); pos != std::string::npos;
       pos = text.find(needle, pos + 1))
    ++n;
  return n;
}

void expect_each_applied_once(Connection& conn, const std::string& all_output) {
  EXPECT_EQ(conn.query_row("SELECT COUNT(*) FROM mysite_migrations").get<std::int64_t>(0),
            kMigrations);
  EXPECT_EQ(conn.query_row("SELECT COUNT(*) FROM runs").get<std::int64_t>(0), kMigrations - 1);
  EXPECT_EQ(conn.query_row("SELECT COUNT(DISTINCT migration) FROM runs").get<std::int64_t>(0),
            kMigrations - 1);
  for (const MigrationState& state : make_race_set().plan(conn)) {
    EXPECT_TRUE(state.applied) << state.name;
    EXPECT_EQ(count_occurrences(all_output, "Applying race." + state.name + "... OK"), 1)
        << all_output;
  }
  EXPECT_EQ(count_occurrences(all_output, "No migrations to apply."), kRunners - 1) << all_output;
}

TEST_P(BackendTest, ThreeThreadsWithTheirOwnConnectionsApplyEachMigrationOnce) {
  std::ostringstream outputs[kRunners];
  std::string errors[kRunners];
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int r = 0; r < kRunners; ++r) {
    threads.emplace_back([&, r] {
      try {
        auto conn = backend().open();
        ++ready;
        while (ready.load() < kRunners) std::this_thread::yield();  // all connected, then all go
        make_race_set().migrate(*conn, outputs[r]);
      } catch (const std::exception& e) {
        ++ready;
        errors[r] = e.what();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  std::string all_output;
  for (int r = 0; r < kRunners; ++r) {
    EXPECT_EQ(errors[r], "") << "runner " << r;
    all_output += outputs[r].str();
  }
  expect_each_applied_once(*conn_, all_output);
}

TEST_P(BackendTest, ThreeProcessesApplyEachMigrationOnce) {
  char dir_template[] = "/tmp/mysite-migrate-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  int start[2];
  ASSERT_EQ(pipe(start), 0);
  std::vector<pid_t> children;
  for (int r = 0; r < kRunners; ++r) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(start[1]);
      int code = 0;
      try {
        std::ofstream out(dir + "/out" + std::to_string(r));
        auto conn = backend().open();
        char byte;
        (void)!read(start[0], &byte, 1);  // returns at EOF: all runners go at once
        make_race_set().migrate(*conn, out);
      } catch (const std::exception& e) {
        std::ofstream(dir + "/err" + std::to_string(r)) << e.what();
        code = 1;
      }
      _exit(code);
    }
    children.push_back(pid);
  }
  close(start[0]);
  close(start[1]);  // release the runners
  std::string all_output;
  for (int r = 0; r < kRunners; ++r) {
    int status = 0;
    ASSERT_EQ(waitpid(children[static_cast<std::size_t>(r)], &status, 0),
              children[static_cast<std::size_t>(r)]);
    std::ifstream err(dir + "/err" + std::to_string(r));
    std::string error((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "runner " << r << ": " << error;
    std::ifstream out(dir + "/out" + std::to_string(r));
    all_output.append(std::istreambuf_iterator<char>(out), std::istreambuf_iterator<char>());
  }
  std::filesystem::remove_all(dir);
  expect_each_applied_once(*conn_, all_output);
}

MigrationSet make_failing_set(bool fixed) {
  MigrationSet set;
  set.add({"app",
           "0001_ok",
           {{"CREATE TABLE IF NOT EXISTS ok1 (id INTEGER PRIMARY KEY)",
             "CREATE TABLE IF NOT EXISTS ok1 (id BIGINT PRIMARY KEY) ENGINE=InnoDB"}}});
  set.add(
      {"app",
       "0002_halfway",
       {{"CREATE TABLE IF NOT EXISTS half (id INTEGER PRIMARY KEY)",
         "CREATE TABLE IF NOT EXISTS half (id BIGINT PRIMARY KEY) ENGINE=InnoDB"},
        {fixed ? "INSERT INTO half (id) VALUES (1)" : "INSERT INTO no_such_table (id) VALUES (1)",
         ""},
        {"INSERT INTO half (id) VALUES (2)", ""}}});
  return set;
}

TEST_P(BackendTest, AMigrationFailingHalfwayIsNotRecordedAndARerunConverges) {
  std::ostringstream out;
  EXPECT_EQ(kind_of([&] { make_failing_set(false).migrate(*conn_, out); }), Error::Kind::syntax);
  EXPECT_NE(out.str().find("Applying app.0002_halfway... FAILED"), std::string::npos) << out.str();
  std::vector<MigrationState> plan = make_failing_set(false).plan(*conn_);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_TRUE(plan[0].applied);
  EXPECT_FALSE(plan[1].applied);
  EXPECT_FALSE(
      conn_->query_optional("SELECT 1 FROM mysite_migrations WHERE name = ?", "0002_halfway")
          .has_value());

  // The lock was released: a second run does not wait (it would time out at once otherwise).
  std::ostringstream rerun;
  MigrateResult result =
      make_failing_set(true).migrate(*conn_, rerun, MigrateOptions{std::chrono::milliseconds(500)});
  EXPECT_EQ(result.applied, std::vector<std::string>{"app.0002_halfway"});
  EXPECT_EQ(result.already_applied, 1u);
  EXPECT_EQ(conn_->query_row("SELECT COUNT(*) FROM half").get<std::int64_t>(0), 2);
  EXPECT_FALSE(make_failing_set(true).has_pending(*conn_));
}

}  // namespace
}  // namespace db::testing
