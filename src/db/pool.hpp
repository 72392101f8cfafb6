// db: a bounded, thread-safe connection pool (checkout timeout, health check, max lifetime).
// Knows nothing of backends or settings: connections come from a factory function.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "db/connection.hpp"

namespace db {

struct PoolOptions {
  std::size_t max_size = 4;                                 // connections open at most
  std::chrono::milliseconds checkout_timeout{5000};         // acquire() waits this long, then throws
  std::chrono::milliseconds ping_after_idle{3000};          // ping on checkout if idle longer
  std::chrono::milliseconds max_lifetime{std::chrono::minutes(30)};  // then replaced (IAM tokens!)
};

// Example:
//   db::Pool pool([] { return std::make_unique<db::SqliteConnection>(opts); }, {.max_size = 4});
//   {
//     db::Pool::Lease conn = pool.acquire();
//     conn->execute("...");
//   }  // returned to the pool here
// A lease whose connection is broken (or still in a transaction it cannot roll back, or past its
// lifetime) is discarded on return; the next acquire opens a replacement through the factory, so a
// new MySQL connection asks its credential callback for a fresh password/token.
// The pool must outlive every lease.
class Pool {
 public:
  using Factory = std::function<std::unique_ptr<Connection>()>;
  using Clock = std::chrono::steady_clock;

  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    Connection& operator*() const noexcept { return *connection_; }
    Connection* operator->() const noexcept { return connection_.get(); }
    Connection& get() const noexcept { return *connection_; }
    // Returns the connection to the pool now (the lease becomes empty).
    void release() noexcept;

   private:
    friend class Pool;
    Lease(Pool* pool, std::unique_ptr<Connection> connection, Clock::time_point created);

    Pool* pool_;
    std::unique_ptr<Connection> connection_;
    Clock::time_point created_;
  };

  struct Stats {
    std::size_t open = 0;       // idle + leased + being opened
    std::size_t idle = 0;
    std::size_t created = 0;    // total opened by the factory
    std::size_t discarded = 0;  // total closed as broken, unhealthy or expired
  };

  Pool(Factory factory, PoolOptions options);
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;
  ~Pool();

  // Waits up to options.checkout_timeout; throws db::Error (timeout) when none frees up, or the
  // factory's db::Error when opening a new connection fails.
  Lease acquire();
  Lease acquire(std::chrono::milliseconds timeout);

  Stats stats() const;
  const PoolOptions& options() const noexcept { return options_; }

 private:
  struct Idle {
    std::unique_ptr<Connection> connection;
    Clock::time_point created;
    Clock::time_point last_used;
  };

  void give_back(std::unique_ptr<Connection> connection, Clock::time_point created) noexcept;
  void discard(std::unique_ptr<Connection> connection) noexcept;  // closes outside the lock
  Lease open_new(std::unique_lock<std::mutex>& lock);

  Factory factory_;
  PoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<Idle> idle_;  // back = most recently used
  std::size_t open_ = 0;
  std::size_t created_ = 0;
  std::size_t discarded_ = 0;
};

}  // namespace db
