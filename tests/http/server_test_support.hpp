// tests/http: what the server tests share: a Server on port 0 running in a background thread,
// and a raw-socket client that sends exact bytes and reads responses without any HTTP library.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "http/server.hpp"

namespace http::testing {

// Port 0, two threads, short timeouts that still never fire on a healthy test.
ServerOptions test_options();

// A Server serving on its own thread; stops and joins on destruction.
class RunningServer {
 public:
  explicit RunningServer(Handler handler, ServerOptions options = test_options());
  ~RunningServer();
  std::uint16_t port() const { return server_->port(); }
  Server& server() { return *server_; }
  // Waits for run() to return; true when it did within `timeout`.
  bool join(std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

struct ParsedResponse {
  int status = 0;
  std::string head;  // status line and fields, up to and including the blank line
  std::string body;
  // Value of the first field `name` (case-insensitive), or nullopt.
  std::optional<std::string> header(std::string_view name) const;
};

// A blocking TCP client on 127.0.0.1 with a 10 s receive timeout (a guard, not a measurement).
class RawClient {
 public:
  explicit RawClient(std::uint16_t port);
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  // Sends every byte; false when the peer has gone.
  bool send(std::string_view bytes);
  // Half-closes: the server reads EOF after what was sent.
  void shutdown_send();
  // Reads one response; a HEAD response has no body whatever its Content-Length says.
  // nullopt when the connection closes or times out first.
  std::optional<ParsedResponse> read_response(bool head_request = false);
  // True when the server closes the connection (EOF or reset) before the receive timeout;
  // bytes still arriving before the close are discarded.
  bool wait_closed();

 private:
  bool fill();  // reads more into pending_; false on EOF, error or timeout
  int fd_ = -1;
  std::string pending_;
};

// True when a TCP connection to 127.0.0.1:port is accepted.
bool can_connect(std::uint16_t port);

// Sends `request` on a new connection and returns the response (status 0 when none came).
ParsedResponse exchange(std::uint16_t port, std::string_view request);

}  // namespace http::testing
