#include "db/pool.hpp"

#include <string>

#include "db/error.hpp"

namespace db {

Pool::Lease::Lease(Pool* pool, std::unique_ptr<Connection> connection, Clock::time_point created)
    : pool_(pool), connection_(std::move(connection)), created_(created) {}

Pool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), connection_(std::move(other.connection_)), created_(other.created_) {}

Pool::Lease& Pool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    release();
    pool_ = other.pool_;
    connection_ = std::move(other.connection_);
    created_ = other.created_;
  }
  return *this;
}

Pool::Lease::~Lease() { release(); }

void Pool::Lease::release() noexcept {
  if (connection_) pool_->give_back(std::move(connection_), created_);
}

Pool::Pool(Factory factory, PoolOptions options) : factory_(std::move(factory)), options_(options) {
  if (!factory_) throw Error(Error::Kind::config, "pool: no connection factory");
  if (options_.max_size == 0) throw Error(Error::Kind::config, "pool: max_size must be at least 1");
}

Pool::~Pool() = default;

Pool::Lease Pool::acquire() { return acquire(options_.checkout_timeout); }

Pool::Lease Pool::acquire(std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (!idle_.empty()) {
      Idle entry = std::move(idle_.back());
      idle_.pop_back();
      lock.unlock();
      const Clock::time_point now = Clock::now();
      // Checks run outside the lock: a ping is a network round trip on MySQL.
      const bool expired = now - entry.created >= options_.max_lifetime;
      const bool healthy = !expired && (now - entry.last_used < options_.ping_after_idle ||
                                        entry.connection->ping());
      if (healthy) return Lease(this, std::move(entry.connection), entry.created);
      discard(std::move(entry.connection));
      // A ping that failed slowly (a database frozen or cut off: the read timed out) used up the
      // wait; the next idle connection would cost as much again.
      if (!expired && Clock::now() >= deadline)
        throw Error(Error::Kind::connection_lost,
                    "pool: the database did not answer a ping within " +
                        std::to_string(timeout.count()) + " ms");
      lock.lock();
      continue;
    }
    if (open_ < options_.max_size) return open_new(lock);
    if (freed_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.max_size) {
      throw Error(Error::Kind::timeout, "pool: no connection free within " +
                                            std::to_string(timeout.count()) + " ms (max_size " +
                                            std::to_string(options_.max_size) + ")");
    }
  }
}

Pool::Lease Pool::open_new(std::unique_lock<std::mutex>& lock) {
  ++open_;  // reserve the slot before opening outside the lock
  lock.unlock();
  try {
    std::unique_ptr<Connection> connection = factory_();
    if (!connection)
      throw Error(Error::Kind::other, "pool: the connection factory returned nothing");
    {
      std::lock_guard<std::mutex> guard(mutex_);
      ++created_;
    }
    return Lease(this, std::move(connection), Clock::now());
  } catch (...) {
    {
      std::lock_guard<std::mutex> guard(mutex_);
      --open_;
    }
    freed_.notify_one();
    throw;
  }
}

void Pool::give_back(std::unique_ptr<Connection> connection, Clock::time_point created) noexcept {
  const Clock::time_point now = Clock::now();
  bool keep = !connection->broken() && now - created < options_.max_lifetime;
  if (keep && connection->in_transaction()) {
    // A lease dropped mid-transaction (no db::Transaction in charge): undo, or drop the connection.
    try {
      connection->rollback();
    } catch (...) {
      keep = false;
    }
  }
  if (!keep) {
    discard(std::move(connection));
    return;
  }
  {
    std::lock_guard<std::mutex> guard(mutex_);
    idle_.push_back(Idle{std::move(connection), created, now});
  }
  freed_.notify_one();
}

void Pool::discard(std::unique_ptr<Connection> connection) noexcept {
  connection.reset();  // close outside the lock
  {
    std::lock_guard<std::mutex> guard(mutex_);
    --open_;
    ++discarded_;
  }
  freed_.notify_one();
}

Pool::Stats Pool::stats() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return Stats{open_, idle_.size(), created_, discarded_};
}

}  // namespace db
