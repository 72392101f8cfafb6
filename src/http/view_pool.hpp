// http: the threads that run views which may block (a database query, a password hash), so the
// server's I/O threads stay free to read requests, write responses and answer /ping/ whatever the
// views wait for. A fixed number of threads and a bounded queue: when the queue is full, submit()
// refuses at once and the server answers 503 rather than letting the backlog grow.
// Written here rather than taken from Boost.Asio's thread_pool because that pool's queue has no
// bound and no way to refuse work.
//
//   ViewPool pool(8, 512);
//   if (!pool.submit([] { slow(); })) answer_busy();
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace http {

class ViewPool {
 public:
  ViewPool(int threads, std::size_t max_waiting);
  // Runs every task already queued, then joins the threads.
  ~ViewPool();
  ViewPool(const ViewPool&) = delete;
  ViewPool& operator=(const ViewPool&) = delete;

  // Queues `task`; false (and `task` dropped) when max_waiting tasks are already waiting.
  // Thread-safe. A task must not throw.
  bool submit(std::function<void()> task);
  // Tasks waiting for a thread now.
  std::size_t waiting() const;

 private:
  void loop();

  const std::size_t max_waiting_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace http
