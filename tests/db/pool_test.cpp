// db::Pool: bounded under contention, checkout timeout, health check, lifetime, replacement.
#include "db/pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "db/config.hpp"
#include "db/error.hpp"
#include "temp_db.hpp"

namespace {

using namespace std::chrono_literals;
using db::testing::TempDb;

// A SQLite connection whose ping can be made to fail, as a dead MySQL socket would.
class FlakyConnection : public db::SqliteConnection {
 public:
  FlakyConnection(const db::SqliteOptions& options, int id,
                  std::shared_ptr<std::atomic<bool>> ping_fails,
                  std::shared_ptr<std::atomic<int>> ping_ms)
      : SqliteConnection(options),
        id_(id),
        ping_fails_(std::move(ping_fails)),
        ping_ms_(std::move(ping_ms)) {}
  bool ping() override {
    std::this_thread::sleep_for(std::chrono::milliseconds(ping_ms_->load()));  // a read timing out
    return !*ping_fails_ && SqliteConnection::ping();
  }
  int id() const { return id_; }

 private:
  int id_;
  std::shared_ptr<std::atomic<bool>> ping_fails_;
  std::shared_ptr<std::atomic<int>> ping_ms_;
};

class PoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_.open()->execute("CREATE TABLE hits (id INTEGER PRIMARY KEY, thread INTEGER NOT NULL)");
  }
  db::Pool::Factory factory() {
    return [this]() -> std::unique_ptr<db::Connection> {
      return std::make_unique<FlakyConnection>(tmp_.options(), ++next_id_, ping_fails_, ping_ms_);
    };
  }
  static int id_of(db::Pool::Lease& lease) { return dynamic_cast<FlakyConnection&>(*lease).id(); }

  TempDb tmp_;
  std::atomic<int> next_id_{0};
  std::shared_ptr<std::atomic<bool>> ping_fails_ = std::make_shared<std::atomic<bool>>(false);
  std::shared_ptr<std::atomic<int>> ping_ms_ = std::make_shared<std::atomic<int>>(0);
};

TEST_F(PoolTest, ThirtyTwoThreadsShareFourConnections) {
  db::Pool pool(factory(), {.max_size = 4, .checkout_timeout = 30s});
  constexpr int kThreads = 32;
  constexpr int kIterations = 25;
  std::atomic<int> leased{0};
  std::atomic<int> most_leased{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kIterations; ++i) {
        try {
          db::Pool::Lease conn = pool.acquire();
          const int now = ++leased;
          int seen = most_leased.load();
          while (now > seen && !most_leased.compare_exchange_weak(seen, now)) {
          }
          conn->execute("INSERT INTO hits (thread) VALUES (?)", t);
          --leased;
        } catch (const db::Error&) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_LE(most_leased.load(), 4);
  db::Pool::Stats stats = pool.stats();
  EXPECT_LE(stats.created, 4u);
  EXPECT_LE(stats.open, 4u);
  EXPECT_EQ(stats.idle, stats.open);  // all returned
  auto check = tmp_.open();
  EXPECT_EQ(check->query_row("SELECT count(*) FROM hits").get<std::int64_t>(0),
            kThreads * kIterations);
}

TEST_F(PoolTest, CheckoutTimesOutWhenAllConnectionsAreLeased) {
  db::Pool pool(factory(), {.max_size = 4, .checkout_timeout = 20ms});
  std::vector<db::Pool::Lease> held;
  for (int i = 0; i < 4; ++i) held.push_back(pool.acquire());

  std::atomic<int> timeouts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 28; ++t) {
    threads.emplace_back([&] {
      try {
        db::Pool::Lease conn = pool.acquire();
      } catch (const db::Error& e) {
        if (e.kind() == db::Error::Kind::timeout) ++timeouts;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(timeouts.load(), 28);

  held.pop_back();  // one comes back: the next checkout succeeds
  db::Pool::Lease again = pool.acquire();
  EXPECT_TRUE(again->ping());
}

TEST_F(PoolTest, AWaiterGetsTheConnectionWhenItIsReturned) {
  db::Pool pool(factory(), {.max_size = 1, .checkout_timeout = 30s});
  auto held = std::make_unique<db::Pool::Lease>(pool.acquire());
  std::thread releaser([&] {
    std::this_thread::sleep_for(20ms);
    held.reset();
  });
  db::Pool::Lease conn = pool.acquire();
  releaser.join();
  EXPECT_EQ(pool.stats().created, 1u);
}

TEST_F(PoolTest, AConnectionWhosePingFailsIsReplaced) {
  db::Pool pool(factory(), {.max_size = 2, .ping_after_idle = 0ms});
  int first = 0;
  {
    db::Pool::Lease conn = pool.acquire();
    first = id_of(conn);
  }
  *ping_fails_ = true;
  db::Pool::Lease conn = pool.acquire();
  EXPECT_NE(id_of(conn), first);
  EXPECT_EQ(pool.stats().created, 2u);
  EXPECT_EQ(pool.stats().discarded, 1u);
  EXPECT_EQ(pool.stats().open, 1u);
}

TEST_F(PoolTest, APingThatFailsAfterTheWholeWaitEndsTheCheckoutWithoutPingingTheNext) {
  // A frozen database: every ping waits for its read timeout, then fails.
  db::Pool pool(factory(), {.max_size = 2, .checkout_timeout = 50ms, .ping_after_idle = 0ms});
  {
    db::Pool::Lease a = pool.acquire();
    db::Pool::Lease b = pool.acquire();
  }
  *ping_fails_ = true;
  *ping_ms_ = 100;
  try {
    pool.acquire();
    FAIL() << "acquire() returned a connection whose ping failed";
  } catch (const db::Error& e) {
    EXPECT_EQ(e.kind(), db::Error::Kind::connection_lost) << e.what();
  }
  EXPECT_EQ(pool.stats().discarded, 1u);  // the second idle connection was not pinged
  EXPECT_EQ(pool.stats().idle, 1u);
}

TEST_F(PoolTest, AConnectionMarkedBrokenIsDiscardedOnReturn) {
  db::Pool pool(factory(), {.max_size = 1});
  int first = 0;
  {
    db::Pool::Lease conn = pool.acquire();
    first = id_of(conn);
    conn->mark_broken();  // as a backend does on "server has gone away"
  }
  EXPECT_EQ(pool.stats().open, 0u);
  db::Pool::Lease conn = pool.acquire();
  EXPECT_NE(id_of(conn), first);
  EXPECT_TRUE(conn->ping());
}

TEST_F(PoolTest, RecentlyUsedConnectionsAreNotPinged) {
  db::Pool pool(factory(), {.max_size = 1, .ping_after_idle = std::chrono::hours(1)});
  int first = 0;
  {
    db::Pool::Lease conn = pool.acquire();
    first = id_of(conn);
  }
  *ping_fails_ = true;  // would be discarded if pinged
  db::Pool::Lease conn = pool.acquire();
  EXPECT_EQ(id_of(conn), first);
}

TEST_F(PoolTest, ConnectionsPastTheirLifetimeAreReplaced) {
  db::Pool pool(factory(), {.max_size = 1, .max_lifetime = 1ms});
  int first = 0;
  {
    db::Pool::Lease conn = pool.acquire();
    first = id_of(conn);
    std::this_thread::sleep_for(5ms);
  }
  db::Pool::Lease conn = pool.acquire();
  EXPECT_NE(id_of(conn), first);
  EXPECT_EQ(pool.stats().discarded, 1u);
}

TEST_F(PoolTest, ALeaseReturnedMidTransactionIsRolledBack) {
  db::Pool pool(factory(), {.max_size = 1});
  {
    db::Pool::Lease conn = pool.acquire();
    conn->begin();
    conn->execute("INSERT INTO hits (thread) VALUES (1)");
  }
  db::Pool::Lease conn = pool.acquire();
  EXPECT_FALSE(conn->in_transaction());
  EXPECT_EQ(conn->query_row("SELECT count(*) FROM hits").get<std::int64_t>(0), 0);
}

TEST_F(PoolTest, AFailingFactoryFreesItsSlot) {
  std::atomic<int> calls{0};
  db::Pool pool(
      [&]() -> std::unique_ptr<db::Connection> {
        if (++calls == 1) throw db::Error(db::Error::Kind::connection_lost, "cannot connect");
        return std::make_unique<db::SqliteConnection>(tmp_.options());
      },
      {.max_size = 1, .checkout_timeout = 20ms});
  try {
    pool.acquire();
    FAIL();
  } catch (const db::Error& e) {
    EXPECT_EQ(e.kind(), db::Error::Kind::connection_lost);
  }
  EXPECT_EQ(pool.stats().open, 0u);
  db::Pool::Lease conn = pool.acquire();  // the slot is free again
  EXPECT_TRUE(conn->ping());
}

TEST_F(PoolTest, LeasesMoveAndReleaseEarly) {
  db::Pool pool(factory(), {.max_size = 1, .checkout_timeout = 20ms});
  db::Pool::Lease a = pool.acquire();
  db::Pool::Lease b = std::move(a);
  b.release();
  db::Pool::Lease c = pool.acquire();
  EXPECT_EQ(pool.stats().created, 1u);
}

TEST(MakePool, OpensSqliteFromConfig) {
  TempDb tmp;
  db::Config config;
  config.name = (tmp.dir() / "var" / "db.sqlite3").string();
  std::unique_ptr<db::Pool> pool = db::make_pool(config, 4);
  EXPECT_EQ(pool->options().max_size, 4u);
  db::Pool::Lease conn = pool->acquire();
  EXPECT_EQ(conn->dialect(), db::Dialect::sqlite);
  EXPECT_EQ(conn->query_row("PRAGMA journal_mode").get<std::string>(0), "wal");
}

}  // namespace
