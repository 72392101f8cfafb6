// http: the HTTP/1.1 server. Accepts connections, parses requests strictly, calls one Handler
// per request and writes its Response. Knows nothing of routing, middleware or the database.
// Boost.Beast/Asio stay inside server.cpp; this header is cheap to include.
//
//   http::Server server({.port = 8000}, [](http::Request&) { return http::Response::text(200,
//   "pong"); }); server.run();  // blocks until server.stop() (or SIGTERM with handle_signals)
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/handler.hpp"

namespace http {

// Request line + header fields, including every CRLF and the blank line. Over it: 431, or 414 when
// the request line alone does not fit.
inline constexpr std::size_t kMaxHeaderBytes = 8 * 1024;
// Django's DATA_UPLOAD_MAX_MEMORY_SIZE. Over it: 413, sent before the body is read.
inline constexpr std::size_t kDefaultMaxBodyBytes = 2621440;
// Request bodies held by the whole server at once (being received, waiting for or in a view),
// at most: 51 bodies of the largest size. A body that would take the total over it is answered
// 503 with Retry-After and its connection closed, so a flood of large uploads costs this much
// memory, not 2.5 MB per connection (the form parse can add at most one copy per view thread).
inline constexpr std::size_t kDefaultMaxBufferedBodyBytes = 128 * 1024 * 1024;
// From the first byte of a request to the end of its header; also the longest pause inside a body.
inline constexpr std::chrono::seconds kHeaderReadTimeout{10};
// How long a keep-alive connection may wait for its next request; longer than an ALB's 60 s so
// the balancer, not us, closes idle connections (no race on a reused connection).
inline constexpr std::chrono::seconds kIdleTimeout{75};
// How long stop() lets in-flight requests finish before closing their connections.
inline constexpr std::chrono::seconds kShutdownGrace{25};
// How long a request may wait for a free view thread before it is answered 503 instead: a client
// is better served by a quick "try again" than by a page that arrives after it gave up.
inline constexpr std::chrono::milliseconds kMaxViewWait{1000};

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;  // 0 = any free port; see Server::port()
  int threads = 0;            // 0 = one per core
  std::size_t max_header_bytes = kMaxHeaderBytes;
  std::size_t max_body_bytes = kDefaultMaxBodyBytes;
  std::size_t max_buffered_body_bytes = kDefaultMaxBufferedBodyBytes;
  std::chrono::milliseconds header_timeout = kHeaderReadTimeout;
  std::chrono::milliseconds idle_timeout = kIdleTimeout;
  std::chrono::milliseconds shutdown_grace = kShutdownGrace;
  bool handle_signals = false;  // SIGTERM/SIGINT -> graceful stop()
  // Views that may block. With view_threads > 0, the handler runs on that many view threads
  // (ViewPool), except for requests runs_on_io_thread says never block (/ping/, static files),
  // which are answered on the I/O thread at once. With 0, every handler runs on the I/O threads.
  int view_threads = 0;
  std::function<bool(const Request&)> runs_on_io_thread;
  // Requests waiting for a view thread, at most (0: 64 per view thread); beyond it, or after
  // waiting max_view_wait, a request is answered 503 with Retry-After and never reaches a view.
  std::size_t max_waiting_views = 0;
  std::chrono::milliseconds max_view_wait = kMaxViewWait;
};

// One io_context and one SO_REUSEPORT acceptor per thread: a connection lives on one thread from
// accept to close, so nothing on the request path takes a lock. Without view threads the handler
// runs on that thread and may block it (a slow handler delays the other connections of its
// thread); with them, a handler that may block runs on a view thread and the connection's thread
// only reads and writes.
class Server {
 public:
  // Binds and listens. Throws std::runtime_error("cannot listen on HOST:PORT: REASON").
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (the chosen one when options.port was 0).
  std::uint16_t port() const;
  // Serves until stop(); returns once every connection is closed. Call once.
  void run();
  // Thread-safe and idempotent. Stops accepting at once, lets in-flight requests finish, closes
  // idle connections; run() returns within shutdown_grace.
  void stop();
  // Requests waiting for a view thread now (0 without view threads). Thread-safe.
  std::size_t views_waiting() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace http
