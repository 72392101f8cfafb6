// `mysite healthcheck [--bind HOST:PORT]`: the container health check without curl in the image.
// Opens a plain socket to the local server (BIND), asks for /ping/ and exits 0 on a 200 within
// the timeout.
#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "settings/process_settings.hpp"
#include "settings/settings.hpp"

namespace cli {

namespace {

constexpr int kTimeoutMs = 3000;

// Sends `request` to host:port and returns the status code of the answer, or -1.
int fetch_status(const std::string& host, const std::string& port, const std::string& request) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0) return -1;
  int status = -1;
  for (addrinfo* a = found; a && status < 0; a = a->ai_next) {
    int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) continue;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kTimeoutMs);
    auto remaining = [&] {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now())
                      .count();
      return static_cast<int>(left > 0 ? left : 0);
    };
    auto wait = [&](short events) {
      pollfd p{fd, events, 0};
      return poll(&p, 1, remaining()) == 1;
    };
    bool ok =
        connect(fd, a->ai_addr, a->ai_addrlen) == 0 || (errno == EINPROGRESS && wait(POLLOUT));
    int err = 0;
    socklen_t len = sizeof err;
    ok = ok && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
    ok = ok && send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
                   static_cast<ssize_t>(request.size());
    std::string reply;
    char buf[512];
    while (ok && reply.find("\r\n") == std::string::npos && wait(POLLIN)) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      reply.append(buf, static_cast<std::size_t>(n));
    }
    close(fd);
    // "HTTP/1.1 200 OK"
    if (reply.size() >= 12 && reply.compare(0, 5, "HTTP/") == 0)
      status = std::atoi(reply.c_str() + 9);
  }
  freeaddrinfo(found);
  return status;
}

}  // namespace

int healthcheck_command(const Args& args, const Site&) {
  Options options(args, {"--bind"});
  // Every layer but TASK_PARAMS: this runs every 15 s in every task, and an SSM call each time
  // would turn an SSM outage into every task failing its health check and being replaced while
  // it serves well. BIND cannot come from the parameter (settings::load refuses it there).
  const aws::Env env = aws::system_env();
  auto s = settings::load_process_settings(
      [&env](const std::string& name) { return name == "TASK_PARAMS" ? std::nullopt : env(name); });
  std::string bind = options.value("--bind").value_or(s.bind);
  auto colon = bind.rfind(':');
  if (colon == std::string::npos) throw UsageError{"--bind needs HOST:PORT"};
  std::string host = bind.substr(0, colon);
  std::string port = bind.substr(colon + 1);
  if (host == "0.0.0.0" || host.empty()) host = "127.0.0.1";
  if (host == "::" || host == "[::]") host = "::1";
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  std::string request = "GET /ping/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  int status = fetch_status(host, port, request);
  if (status == 200) {
    std::puts("healthy");
    return 0;
  }
  std::fprintf(stderr, "mysite healthcheck: %s:%s answered %s\n", host.c_str(), port.c_str(),
               status < 0 ? "nothing" : std::to_string(status).c_str());
  return 1;
}

}  // namespace cli
