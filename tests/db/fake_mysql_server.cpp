#include "fake_mysql_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace db::testing {

namespace {

constexpr std::uint32_t kCapabilities =
    0x1         // CLIENT_LONG_PASSWORD
    | 0x8       // CLIENT_CONNECT_WITH_DB
    | 0x200     // CLIENT_PROTOCOL_41
    | 0x2000    // CLIENT_TRANSACTIONS
    | 0x8000    // CLIENT_SECURE_CONNECTION
    | 0x80000;  // CLIENT_PLUGIN_AUTH (no CLIENT_SSL: TLS impossible)
constexpr int kReadTimeoutMs = 3000;

// The initial handshake packet (protocol 10), sequence 0.
std::string greeting(const std::string& plugin) {
  std::string p;
  p += '\x0a';
  p += std::string("5.5.5-10.11.0-fake") + '\0';
  p += std::string("\x01\x00\x00\x00", 4);  // thread id
  p += "abcdefgh";                          // scramble, part 1
  p += '\0';
  p += static_cast<char>(kCapabilities & 0xff);
  p += static_cast<char>((kCapabilities >> 8) & 0xff);
  p += '\x21';                      // utf8 collation
  p += std::string("\x02\x00", 2);  // SERVER_STATUS_AUTOCOMMIT
  p += static_cast<char>((kCapabilities >> 16) & 0xff);
  p += static_cast<char>((kCapabilities >> 24) & 0xff);
  p += static_cast<char>(21);  // scramble length
  p += std::string(10, '\0');
  p += std::string("ijklmnopqrst") + '\0';  // scramble, part 2
  p += plugin + '\0';
  std::string packet;
  packet += static_cast<char>(p.size() & 0xff);
  packet += static_cast<char>((p.size() >> 8) & 0xff);
  packet += static_cast<char>((p.size() >> 16) & 0xff);
  packet += '\0';
  return packet + p;
}

}  // namespace

FakeMysqlServer::FakeMysqlServer(std::string auth_plugin) : auth_plugin_(std::move(auth_plugin)) {
  listener_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (listener_ < 0 || bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listener_, 1) != 0 ||
      getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error("fake mysql server: cannot listen on loopback");
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

FakeMysqlServer::~FakeMysqlServer() {
  if (thread_.joinable()) thread_.join();
  close(listener_);
}

const std::string& FakeMysqlServer::received() {
  if (thread_.joinable()) thread_.join();
  return received_;
}

void FakeMysqlServer::serve() {
  pollfd waiting{listener_, POLLIN, 0};
  if (poll(&waiting, 1, kReadTimeoutMs) <= 0) return;
  const int client = accept(listener_, nullptr, nullptr);
  if (client < 0) return;
  const std::string hello = greeting(auth_plugin_);
  if (send(client, hello.data(), hello.size(), MSG_NOSIGNAL) ==
      static_cast<ssize_t>(hello.size())) {
    char buffer[4096];
    for (;;) {
      pollfd readable{client, POLLIN, 0};
      if (poll(&readable, 1, kReadTimeoutMs) <= 0) break;
      const ssize_t n = recv(client, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      received_.append(buffer, static_cast<std::size_t>(n));
      if (received_.size() > 4) break;  // the client's answer to the greeting: enough to inspect
    }
  }
  close(client);
}

}  // namespace db::testing
