// http: the HTTP/1.1 server on Boost.Asio, with Beast's parser for request lines, fields and
// chunked bodies (request_reader.cpp): with it, the only files that include Beast.
//
// Layout: a Worker per thread owns an io_context, a SO_REUSEPORT acceptor and its connections.
// A Connection is the state machine of the Beast examples:
//   wait_request -> read -> process_input (scan header, parse) -> respond -> write -> wait_request
// with a lazily re-armed deadline timer per connection and a lingering close after the last
// response so a client still sending never sees its answer destroyed by a reset.
#include "http/server.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <vector>

#include "http/request_reader.hpp"
#include "http/view_pool.hpp"
#include "http/wire.hpp"

namespace http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using error_code = boost::system::error_code;

constexpr std::size_t kReadChunk = 16 * 1024;        // bytes asked of each read
constexpr std::size_t kMaxDrainBytes = 1024 * 1024;  // discarded by a lingering close at most
constexpr std::chrono::milliseconds kMaxDrainTime{2000};
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};  // after EMFILE and friends
constexpr std::size_t kKeepBodyCapacity = 64 * 1024;        // larger request bodies are freed
// After a stop, how long an idle connection waits for a request that may already be on its way
// (a client reusing a kept-alive connection sends the next request at once): long enough for a
// busy client's next request, short against the shutdown grace.
constexpr std::chrono::milliseconds kStopQuietPeriod{1000};

// ---------------------------------------------------------------------------------------------
using wire::error_response;
using wire::serialize_head;

class Connection;

// ---------------------------------------------------------------------------------------------
// Worker: one thread's io_context, acceptor and live connections.

struct Shared {
  ServerOptions options;
  Handler handler;
  std::unique_ptr<ViewPool> views;                  // null without view threads
  std::atomic<std::size_t> buffered_body_bytes{0};  // charged by connections, see charge_body()
  std::atomic<bool> stopping{false};
};

class Worker {
 public:
  explicit Worker(Shared& shared)
      : shared_(shared), acceptor_(io_), retry_timer_(io_), grace_timer_(io_) {}
  ~Worker() { destroying_ = true; }

  void listen(const tcp::endpoint& endpoint) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    int one = 1;
    if (::setsockopt(acceptor_.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0)
      throw boost::system::system_error(errno, boost::system::system_category());
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
  }

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  asio::io_context& io() { return io_; }
  Shared& shared() { return shared_; }
  bool stopping() const { return stopping_; }

  void start() { do_accept(); }
  // Any thread: new connections are refused from now on (the listening socket stops at once).
  void stop_listening() { ::shutdown(acceptor_.native_handle(), SHUT_RDWR); }
  // Worker thread: close the acceptor and idle connections, give the rest shutdown_grace.
  void stop();

  void add(Connection* c);
  void remove(Connection* c);

 private:
  void do_accept();
  void close_all();

  Shared& shared_;
  std::vector<Connection*> connections_;  // unordered; removal swaps with the last
  bool stopping_ = false;
  bool destroying_ = false;
  asio::io_context io_{1};  // destroyed after the I/O objects below, before connections_
  tcp::acceptor acceptor_;
  asio::steady_timer retry_timer_;
  asio::steady_timer grace_timer_;
};

// ---------------------------------------------------------------------------------------------
// Connection: one client socket, from accept to close.

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Worker& worker, tcp::socket socket)
      : worker_(worker),
        options_(worker.shared().options),
        socket_(std::move(socket)),
        timer_(worker.io()),
        reader_(options_.max_header_bytes, options_.max_body_bytes) {}

  ~Connection() {
    release_body();
    worker_.remove(this);
  }

  std::size_t index = 0;  // position in the worker's list

  void start() {
    error_code ec;
    socket_.set_option(tcp::no_delay(true), ec);
    auto endpoint = socket_.remote_endpoint(ec);
    if (!ec) remote_address_ = endpoint.address().to_string();
    worker_.add(this);
    wait_request(true);
  }

  // Worker thread, on stop(): a busy connection ends after its response (Connection: close). An
  // idle one may have a request on its way, sent in the race with the stop: it waits
  // kStopQuietPeriod for one, answers it, and closes.
  void on_stop() {
    if (phase_ == Phase::idle) set_deadline(Clock::now() + kStopQuietPeriod);
  }
  void close() {
    error_code ec;
    socket_.close(ec);
    timer_.cancel();
  }

 private:
  enum class Phase { idle, header, body, handling, writing, closing };

  // ---- reading a request

  void wait_request(bool first) {
    phase_ = Phase::idle;
    reset_request();
    auto now = Clock::now();
    // While stopping, a request already sent (or pipelined) is still answered; without one the
    // connection closes after the quiet period.
    set_deadline(now + (worker_.stopping() ? kStopQuietPeriod
                        : first            ? options_.header_timeout
                                           : options_.idle_timeout));
    if (buffer_.size() > 0) return process_input();  // pipelined
    do_read();
  }

  // Every request starts from a fresh Request: nothing of the previous one on this connection
  // may reach it (a load balancer sends many clients' requests over one connection, and
  // middleware keeps the user, session and parsed form in the request). Only the body's buffer
  // is kept, when small, to spare an allocation.
  // The server-wide budget of body bytes (ServerOptions::max_buffered_body_bytes): a request's
  // body is charged as it arrives and released when the next request starts or the connection
  // ends. False when the budget is spent.
  bool charge_body() {
    // Charged whole when the header says how long the body is, so a body that does not fit is
    // refused before it is read; a chunked one as it grows (by capacity: what it costs).
    const std::size_t size = std::max(reader_.declared_body_bytes(), request_.body.capacity());
    if (size <= charged_) return true;
    const std::size_t more = size - charged_;
    auto& total = worker_.shared().buffered_body_bytes;
    if (total.fetch_add(more) + more > options_.max_buffered_body_bytes) {
      total.fetch_sub(more);
      return false;
    }
    charged_ = size;
    return true;
  }
  void release_body() {
    worker_.shared().buffered_body_bytes.fetch_sub(charged_);
    charged_ = 0;
  }

  void reset_request() {
    release_body();
    std::string body = std::move(request_.body);
    body.clear();
    if (body.capacity() > kKeepBodyCapacity) body = std::string();
    request_ = Request{};
    request_.body = std::move(body);
    request_.remote_address = remote_address_;
    reader_.start(request_);
    sent_continue_ = false;
  }

  void do_read() {
    if (buffer_.size() >= options_.max_header_bytes + kReadChunk) return respond_error(400);
    socket_.async_read_some(
        buffer_.prepare(kReadChunk),
        [self = shared_from_this()](error_code ec, std::size_t n) { self->on_read(ec, n); });
  }

  void on_read(error_code ec, std::size_t n) {
    if (ec) return close();  // EOF or reset: nothing to answer
    buffer_.commit(n);
    if (phase_ == Phase::closing) return drain();
    process_input();
  }

  void process_input() {
    std::size_t used = 0;
    const auto result = reader_.read(buffered(), used);
    buffer_.consume(used);
    if (phase_ == Phase::idle && reader_.started()) {
      // The first byte of a request: the idle wait becomes the (shorter) header wait.
      phase_ = Phase::header;
      set_deadline(Clock::now() + options_.header_timeout);
    }
    if (phase_ == Phase::header && reader_.header_complete()) phase_ = Phase::body;
    if (phase_ == Phase::body && used > 0)
      set_deadline(Clock::now() + options_.header_timeout);  // progress in the body
    if (result == RequestReader::Result::error) return respond_error(reader_.error_status());
    if (!charge_body()) return respond_error(503);
    if (result == RequestReader::Result::complete) return respond();
    if (reader_.expects_continue() && !sent_continue_ && buffer_.size() == 0 &&
        request_.version == 11) {
      sent_continue_ = true;
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      return asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()),
                               [self = shared_from_this()](error_code ec, std::size_t) {
                                 if (ec) return self->close();
                                 self->do_read();
                               });
    }
    do_read();
  }

  std::string_view buffered() const {
    return {static_cast<const char*>(buffer_.data().data()), buffer_.size()};
  }

  // ---- answering

  void respond() {
    keep_alive_ = reader_.keep_alive();
    Shared& shared = worker_.shared();
    if (!shared.views || (options_.runs_on_io_thread && options_.runs_on_io_thread(request_))) {
      handle();
      return send_response();
    }
    // On a view thread. Nothing else touches the request or response meanwhile: no read is
    // pending, and the deadline waits (a slow view is the view's business, not a stalled client).
    phase_ = Phase::handling;
    auto io = asio::prefer(worker_.io().get_executor(), asio::execution::outstanding_work.tracked);
    bool queued =
        shared.views->submit([self = shared_from_this(), io, since = Clock::now()]() mutable {
          if (Clock::now() - since > self->options_.max_view_wait)
            self->response_ = busy_response();
          else
            self->handle();
          // The reference moves to the I/O thread: the connection is destroyed on its own
          // thread, never here.
          asio::post(io, [self = std::move(self)] { self->send_response(); });
        });
    if (!queued) {
      response_ = busy_response();
      send_response();
    }
  }

  static Response busy_response() {
    Response r = error_response(503);
    r.headers.set("Retry-After", "1");
    return r;
  }

  void handle() {
    try {
      response_ = worker_.shared().handler(request_);
    } catch (...) {
      response_ = error_response(500);  // last resort; higher layers render nicer pages
    }
  }

  void send_response() {
    if (!socket_.is_open()) return;  // closed meanwhile (shutdown grace over)
    // Stopping: tell the client not to reuse the connection, unless it has pipelined more
    // requests already (they are answered too, the last one with Connection: close).
    if (worker_.shared().stopping.load(std::memory_order_relaxed) && buffer_.size() == 0)
      keep_alive_ = false;
    keep_alive_ = serialize_head(head_, response_, keep_alive_, request_.version);
    bool with_body = request_.method != "HEAD" && response_.status >= 200 &&
                     response_.status != 204 && response_.status != 304;
    write(with_body);
  }

  void respond_error(int status) {
    response_ = error_response(status);
    if (status == 503) response_.headers.set("Retry-After", "1");
    keep_alive_ = serialize_head(head_, response_, false, 11);
    buffer_.clear();
    write(true);
  }

  void write(bool with_body) {
    phase_ = Phase::writing;
    set_deadline(Clock::now() + options_.idle_timeout);
    std::array<asio::const_buffer, 2> buffers{
        asio::buffer(head_), with_body ? asio::buffer(response_.body) : asio::const_buffer()};
    asio::async_write(socket_, buffers, [self = shared_from_this()](error_code ec, std::size_t) {
      self->on_write(ec);
    });
  }

  void on_write(error_code ec) {
    if (ec) return close();
    if (!keep_alive_) return begin_close();
    wait_request(false);
  }

  // ---- closing: half-close, then read and discard until the client closes (bounded), so a
  // client still sending does not get a reset that destroys the response we just sent.

  void begin_close() {
    phase_ = Phase::closing;
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close();
    drained_ = 0;
    set_deadline(Clock::now() +
                 std::min<std::chrono::milliseconds>(options_.header_timeout, kMaxDrainTime));
    drain();
  }

  void drain() {
    drained_ += buffer_.size();
    buffer_.clear();
    if (drained_ > kMaxDrainBytes) return close();
    do_read();
  }

  // ---- deadline: one timer per connection, re-armed only when the deadline moves earlier.

  void set_deadline(Clock::time_point deadline) {
    deadline_ = deadline;
    if (timer_armed_ && timer_expiry_ <= deadline) return;  // fires first, then re-arms
    timer_armed_ = true;
    timer_expiry_ = deadline;
    timer_.expires_at(deadline);
    timer_.async_wait([self = shared_from_this(), generation = ++timer_generation_](error_code) {
      self->on_timer(generation);
    });
  }

  void on_timer(std::uint64_t generation) {
    if (generation != timer_generation_) return;  // superseded by an earlier deadline
    timer_armed_ = false;
    if (!socket_.is_open() || phase_ == Phase::handling) return;
    if (Clock::now() < deadline_) return set_deadline(deadline_);
    if (phase_ == Phase::header) return respond_error(408);  // a partial request stalled
    close();
  }

  Worker& worker_;
  const ServerOptions& options_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;  // received, not yet parsed; reused for the connection's life
  RequestReader reader_;
  Request request_;
  Response response_;  // kept alive while its body is written
  std::string head_;   // serialised status line and fields, reused
  std::string remote_address_;
  Phase phase_ = Phase::idle;
  bool keep_alive_ = true;
  bool sent_continue_ = false;
  std::size_t drained_ = 0;
  std::size_t charged_ = 0;  // body bytes counted in Shared::buffered_body_bytes
  Clock::time_point deadline_{};
  Clock::time_point timer_expiry_{};
  bool timer_armed_ = false;
  std::uint64_t timer_generation_ = 0;
};

void Worker::add(Connection* c) {
  c->index = connections_.size();
  connections_.push_back(c);
}

void Worker::remove(Connection* c) {
  if (c->index < connections_.size() && connections_[c->index] == c) {
    connections_[c->index] = connections_.back();
    connections_[c->index]->index = c->index;
    connections_.pop_back();
  }
  if (stopping_ && connections_.empty() && !destroying_) grace_timer_.cancel();
}

void Worker::do_accept() {
  acceptor_.async_accept(io_, [this](error_code ec, tcp::socket socket) {
    if (stopping_ || shared_.stopping || !acceptor_.is_open()) return;
    if (ec) {
      // EMFILE, ENOBUFS, ...: the connection waits in the backlog; try again shortly.
      retry_timer_.expires_after(kAcceptRetryDelay);
      retry_timer_.async_wait([this](error_code e) {
        if (!e) do_accept();
      });
      return;
    }
    std::make_shared<Connection>(*this, std::move(socket))->start();
    do_accept();
  });
}

void Worker::stop() {
  if (stopping_) return;
  stopping_ = true;
  error_code ec;
  acceptor_.close(ec);
  retry_timer_.cancel();
  // on_stop() may close and so destroy connections; iterate over a copy.
  auto snapshot = connections_;
  for (auto* c : snapshot) c->on_stop();
  if (connections_.empty()) return;
  grace_timer_.expires_after(shared_.options.shutdown_grace);
  grace_timer_.async_wait([this](error_code e) {
    if (!e) close_all();
  });
}

void Worker::close_all() {
  auto snapshot = connections_;
  for (auto* c : snapshot) c->close();
}

tcp::endpoint resolve(const std::string& host, std::uint16_t port) {
  error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (!ec) return {address, port};
  asio::io_context io;
  tcp::resolver resolver(io);
  auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec || results.empty())
    throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " +
                             (ec ? ec.message() : "host not found"));
  return *results.begin();
}

}  // namespace

// -------------------------------------------------------------------------------------------------

struct Server::Impl {
  Shared shared;
  std::vector<std::unique_ptr<Worker>> workers;
  std::optional<asio::signal_set> signals;
  std::uint16_t port = 0;
  std::atomic<bool> stopped{false};
};

Server::Server(ServerOptions options, Handler handler) : impl_(std::make_unique<Impl>()) {
  impl_->shared.options = std::move(options);
  impl_->shared.handler = std::move(handler);
  const auto& opts = impl_->shared.options;
  if (opts.view_threads > 0)
    impl_->shared.views = std::make_unique<ViewPool>(
        opts.view_threads, opts.max_waiting_views > 0
                               ? opts.max_waiting_views
                               : 64 * static_cast<std::size_t>(opts.view_threads));
  int threads = opts.threads > 0
                    ? opts.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto endpoint = resolve(opts.host, opts.port);
  try {
    for (int i = 0; i < threads; ++i) {
      auto worker = std::make_unique<Worker>(impl_->shared);
      worker->listen(endpoint);
      if (i == 0) endpoint.port(worker->port());  // port 0: the others join the chosen port
      impl_->workers.push_back(std::move(worker));
    }
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error("cannot listen on " + opts.host + ":" + std::to_string(opts.port) +
                             ": " + e.code().message());
  }
  impl_->port = endpoint.port();
  if (opts.handle_signals) {
    auto& io = impl_->workers.front()->io();
    impl_->signals.emplace(io, SIGTERM, SIGINT);
    impl_->signals->async_wait([this](error_code ec, int) {
      if (!ec) stop();
    });
  }
}

Server::~Server() { stop(); }

std::uint16_t Server::port() const { return impl_->port; }

void Server::run() {
  for (auto& w : impl_->workers) w->start();
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < impl_->workers.size(); ++i)
    threads.emplace_back([w = impl_->workers[i].get()] { w->io().run(); });
  impl_->workers.front()->io().run();
  for (auto& t : threads) t.join();
  impl_->shared.views.reset();  // idle by now: a queued view keeps its I/O thread running
}

std::size_t Server::views_waiting() const {
  return impl_->shared.views ? impl_->shared.views->waiting() : 0;
}

void Server::stop() {
  if (impl_->stopped.exchange(true)) return;
  impl_->shared.stopping = true;
  for (auto& w : impl_->workers) {
    w->stop_listening();
    asio::post(w->io(), [w = w.get()] { w->stop(); });
  }
  if (impl_->signals)
    asio::post(impl_->workers.front()->io(), [this] {
      error_code ec;
      impl_->signals->cancel(ec);
    });
}

}  // namespace http
