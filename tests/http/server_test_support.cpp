#include "server_test_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <future>

namespace http::testing {

ServerOptions test_options() {
  ServerOptions options;
  options.port = 0;
  options.threads = 2;
  options.header_timeout = std::chrono::seconds(5);
  options.idle_timeout = std::chrono::seconds(5);
  options.shutdown_grace = std::chrono::seconds(5);
  return options;
}

RunningServer::RunningServer(Handler handler, ServerOptions options)
    : server_(std::make_unique<Server>(std::move(options), std::move(handler))) {
  thread_ = std::thread([server = server_.get()] { server->run(); });
}

RunningServer::~RunningServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

bool RunningServer::join(std::chrono::milliseconds timeout) {
  if (!thread_.joinable()) return true;
  // std::thread has no timed join: wait on a future that the joiner thread fulfils.
  auto done = std::async(std::launch::async, [this] { thread_.join(); });
  if (done.wait_for(timeout) == std::future_status::ready) return true;
  server_->stop();
  done.wait();
  return false;
}

std::optional<std::string> ParsedResponse::header(std::string_view name) const {
  std::size_t line = head.find("\r\n");
  while (line != std::string::npos && line + 2 < head.size()) {
    std::size_t start = line + 2;
    std::size_t end = head.find("\r\n", start);
    if (end == std::string::npos || end == start) break;
    std::string_view field(head.data() + start, end - start);
    auto colon = field.find(':');
    if (colon != std::string_view::npos && iequals(field.substr(0, colon), name)) {
      auto value = field.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      return std::string(value);
    }
    line = end;
  }
  return std::nullopt;
}

RawClient::RawClient(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval timeout{10, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

RawClient::~RawClient() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawClient::send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void RawClient::shutdown_send() { ::shutdown(fd_, SHUT_WR); }

bool RawClient::fill() {
  char chunk[16384];
  ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  pending_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

std::optional<ParsedResponse> RawClient::read_response(bool head_request) {
  std::size_t end;
  while ((end = pending_.find("\r\n\r\n")) == std::string::npos)
    if (!fill()) return std::nullopt;
  ParsedResponse response;
  response.head = pending_.substr(0, end + 4);
  pending_.erase(0, end + 4);
  if (response.head.size() > 12) response.status = std::atoi(response.head.c_str() + 9);
  std::size_t length = 0;
  if (auto cl = response.header("Content-Length")) length = std::stoul(*cl);
  if (head_request || response.status < 200 || response.status == 204 || response.status == 304)
    length = 0;
  while (pending_.size() < length)
    if (!fill()) return std::nullopt;
  response.body = pending_.substr(0, length);
  pending_.erase(0, length);
  return response;
}

bool RawClient::wait_closed() {
  char chunk[16384];
  for (;;) {
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n == 0) return true;
    if (n < 0) return errno == ECONNRESET || errno == EPIPE;
  }
}

bool can_connect(std::uint16_t port) { return RawClient(port).connected(); }

ParsedResponse exchange(std::uint16_t port, std::string_view request) {
  RawClient client(port);
  if (!client.send(request)) return {};
  return client.read_response().value_or(ParsedResponse{});
}

}  // namespace http::testing
