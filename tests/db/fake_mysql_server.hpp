// tests/db: a one-shot fake MySQL server on loopback that greets a client with a chosen default
// authentication plugin and records what the client sends back. Knows nothing of db::.
#pragma once

#include <cstdint>
#include <string>
#include <thread>

namespace db::testing {

// Example:
//   FakeMysqlServer server("mysql_clear_password");
//   ... connect to 127.0.0.1:server.port() ...
//   server.received();  // every byte the client sent, after the greeting
class FakeMysqlServer {
 public:
  explicit FakeMysqlServer(std::string auth_plugin);
  FakeMysqlServer(const FakeMysqlServer&) = delete;
  FakeMysqlServer& operator=(const FakeMysqlServer&) = delete;
  ~FakeMysqlServer();

  std::uint16_t port() const { return port_; }
  // Waits for the single client session to end, then returns its bytes.
  const std::string& received();

 private:
  void serve();

  std::string auth_plugin_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::string received_;
  std::thread thread_;
};

}  // namespace db::testing
