// The server over real sockets: keep-alive, pipelining, HEAD, limits at N and N+1, timeouts,
// graceful stop. Strict framing and garbage input live in server_framing_test.cpp.
#include "http/server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

#include "server_test_support.hpp"

namespace http {
namespace {

using namespace std::chrono_literals;
using testing::ParsedResponse;
using testing::RawClient;
using testing::RunningServer;
using testing::test_options;

// Answers with what it saw, one item per line.
Response echo(Request& request) {
  std::string body = request.method + "\n" + request.target + "\n" + request.path + "\n" +
                     request.query + "\n" + std::to_string(request.version) + "\n" +
                     request.remote_address + "\n" + std::string(request.header("X-Test")) + "\n" +
                     request.body;
  return Response::text(200, std::move(body));
}

Response pong(Request&) { return Response::text(200, "pong"); }

std::string get(std::string_view target = "/", std::string_view extra = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: x\r\n" + std::string(extra) + "\r\n";
}

// A request whose header section (request line to blank line) is exactly `size` bytes.
std::string request_of_header_size(std::size_t size) {
  std::string head = "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: ";
  std::string tail = "\r\n\r\n";
  return head + std::string(size - head.size() - tail.size(), 'a') + tail;
}

// "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 IMF-fixdate).
bool is_imf_fixdate(std::string_view date) {
  constexpr std::string_view kDays = "Mon Tue Wed Thu Fri Sat Sun";
  constexpr std::string_view kMonths = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec";
  constexpr std::string_view kShape = "ddd, 00 mmm 0000 00:00:00 GMT";
  if (date.size() != kShape.size()) return false;
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    bool digit = date[i] >= '0' && date[i] <= '9';
    if (kShape[i] == '0' ? !digit : (kShape[i] != 'd' && kShape[i] != 'm' && kShape[i] != date[i]))
      return false;
  }
  return kDays.find(date.substr(0, 3)) % 4 == 0 && kMonths.find(date.substr(8, 3)) % 4 == 0;
}

// ---- basics

TEST(Server, ServesARequestAndFillsTheRequestFields) {
  RunningServer server(echo);
  RawClient client(server.port());
  client.send(
      "POST /a%20b/?x=1 HTTP/1.1\r\nHost: x\r\nX-Test: hi\r\nContent-Length: 4\r\n\r\nbody");
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "POST\n/a%20b/?x=1\n/a b/\nx=1\n11\n127.0.0.1\nhi\nbody");
}

TEST(Server, NothingOfARequestReachesTheNextOnTheSameConnection) {
  // An ALB sends many clients' requests over one connection; what middleware stored in one
  // request (the user, the session, the parsed form) must not be there for the next.
  RunningServer server([](Request& request) {
    std::string seen = std::to_string(request.context.size()) + " " +
                       std::to_string(request.params.size()) + " " +
                       (request.parsed_form ? "form" : "no-form") + " " + request.request_id;
    request.context["user"] = std::string("alice");
    request.params["id"] = "7";
    request.parsed_form = std::make_shared<const FormData>();
    request.request_id = "set-by-the-first";
    return Response::text(200, seen);
  });
  RawClient client(server.port());
  for (int i = 0; i < 3; ++i) {
    client.send(get());
    auto response = client.read_response();
    ASSERT_TRUE(response) << i;
    EXPECT_EQ(response->body, "0 0 no-form ") << "request " << i;
  }
}

TEST(Server, KeepsHttp11ConnectionsAlive) {
  RunningServer server(pong);
  RawClient client(server.port());
  for (int i = 0; i < 3; ++i) {
    client.send(get());
    auto response = client.read_response();
    ASSERT_TRUE(response) << i;
    EXPECT_EQ(response->body, "pong");
    EXPECT_FALSE(response->header("Connection"));
  }
}

TEST(Server, ClosesHttp10ConnectionsByDefault) {
  RunningServer server(pong);
  RawClient client(server.port());
  client.send("GET / HTTP/1.0\r\n\r\n");
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(client.wait_closed());
}

TEST(Server, KeepsHttp10ConnectionsAliveWhenAsked) {
  RunningServer server(echo);
  RawClient client(server.port());
  for (int i = 0; i < 2; ++i) {
    client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    auto response = client.read_response();
    ASSERT_TRUE(response) << i;
    EXPECT_EQ(response->header("Connection"), "keep-alive");
    EXPECT_NE(response->body.find("\n10\n"), std::string::npos);
  }
}

TEST(Server, HonoursConnectionClose) {
  RunningServer server(pong);
  RawClient client(server.port());
  client.send(get("/", "Connection: close\r\n"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(client.wait_closed());
}

TEST(Server, HonoursConnectionCloseFromTheHandler) {
  RunningServer server([](Request&) {
    Response response = Response::text(200, "bye");
    response.headers.set("Connection", "close");
    return response;
  });
  RawClient client(server.port());
  client.send(get());
  ASSERT_TRUE(client.read_response());
  EXPECT_TRUE(client.wait_closed());
}

TEST(Server, AnswersPipelinedRequestsInOrder) {
  RunningServer server(echo);
  RawClient client(server.port());
  client.send(get("/1") + "POST /2 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc" +
              get("/3"));
  for (std::string_view target : {"/1", "/2", "/3"}) {
    auto response = client.read_response();
    ASSERT_TRUE(response) << target;
    auto first_newline = response->body.find('\n');
    auto second_newline = response->body.find('\n', first_newline + 1);
    EXPECT_EQ(response->body.substr(first_newline + 1, second_newline - first_newline - 1), target);
  }
}

TEST(Server, AnswersHeadWithTheGetHeadersAndNoBody) {
  RunningServer server(pong);
  RawClient client(server.port());
  // The GET right behind the HEAD proves no body bytes were sent for the HEAD.
  client.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n" + get());
  auto head = client.read_response(/*head_request=*/true);
  auto get_response = client.read_response();
  ASSERT_TRUE(head);
  ASSERT_TRUE(get_response);
  EXPECT_EQ(head->header("Content-Length"), "4");
  EXPECT_EQ(head->header("Content-Type"), get_response->header("Content-Type"));
  EXPECT_EQ(get_response->body, "pong");
}

TEST(Server, AlwaysSendsContentLengthAndDate) {
  RunningServer server([](Request&) { return Response{200, {}, ""}; });
  auto response = testing::exchange(server.port(), get());
  EXPECT_EQ(response.header("Content-Length"), "0");
  auto date = response.header("Date").value_or("");
  EXPECT_TRUE(is_imf_fixdate(date)) << date;
}

TEST(Server, DropsHandlerHeadersThatWouldBreakFraming) {
  RunningServer server([](Request&) {
    Response response = Response::text(200, "ok");
    response.headers.add("Content-Length", "99");
    response.headers.add("Transfer-Encoding", "chunked");
    response.headers.add("X-Evil", "a\r\nSet-Cookie: x=1");
    return response;
  });
  auto response = testing::exchange(server.port(), get());
  EXPECT_EQ(response.header("Content-Length"), "2");
  EXPECT_FALSE(response.header("Transfer-Encoding"));
  EXPECT_FALSE(response.header("Set-Cookie"));
  EXPECT_EQ(response.body, "ok");
}

TEST(Server, TurnsHandlerExceptionsInto500AndKeepsTheConnection) {
  RunningServer server([](Request& request) -> Response {
    if (request.path == "/boom") throw std::runtime_error("secret detail");
    return Response::text(200, "pong");
  });
  RawClient client(server.port());
  client.send(get("/boom"));
  auto failed = client.read_response();
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->status, 500);
  EXPECT_EQ(failed->body.find("secret"), std::string::npos);
  client.send(get());
  auto ok = client.read_response();
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST(Server, DecodesChunkedBodies) {
  RunningServer server(echo);
  auto response =
      testing::exchange(server.port(),
                        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body.substr(response.body.rfind('\n') + 1), "abcde");
}

TEST(Server, SendsContinueBeforeReadingAnExpectedBody) {
  RunningServer server(echo);
  RawClient client(server.port());
  client.send("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  auto interim = client.read_response();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  client.send("hi");
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

TEST(Server, IgnoresEmptyLinesBeforeTheRequestLine) {
  RunningServer server(pong);
  EXPECT_EQ(testing::exchange(server.port(), "\r\n" + get()).status, 200);
}

TEST(Server, PicksAFreePortWhenAskedForPortZero) {
  RunningServer server(pong);
  EXPECT_NE(server.port(), 0);
  EXPECT_EQ(testing::exchange(server.port(), get()).body, "pong");
}

TEST(Server, ThrowsWhenThePortIsTaken) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ServerOptions options = test_options();
  options.port = ntohs(address.sin_port);
  try {
    Server server(options, pong);
    FAIL() << "listened on a taken port";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot listen on 127.0.0.1:" + std::to_string(options.port) +
                                         ": Address already in use");
  }
  ::close(fd);
}

// ---- limits, each at N (accepted) and N + 1 (rejected, connection closed)

TEST(ServerLimits, AcceptsAHeaderSectionOfExactlyMaxHeaderBytes) {
  RunningServer server(pong);
  auto request = request_of_header_size(kMaxHeaderBytes);
  ASSERT_EQ(request.size(), kMaxHeaderBytes);
  EXPECT_EQ(testing::exchange(server.port(), request).status, 200);
}

TEST(ServerLimits, Rejects431AHeaderSectionOneByteOverTheLimit) {
  RunningServer server(pong);
  RawClient client(server.port());
  client.send(request_of_header_size(kMaxHeaderBytes + 1));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431);
  EXPECT_TRUE(client.wait_closed());
}

TEST(ServerLimits, Rejects414ARequestLineOverTheLimit) {
  RunningServer server(pong);
  // Request line plus its CRLF is one byte over the whole limit.
  std::string line = "GET /" + std::string(kMaxHeaderBytes - 15, 'a') + " HTTP/1.1\r\n";
  ASSERT_EQ(line.size(), kMaxHeaderBytes + 1);
  RawClient client(server.port());
  client.send(line + "\r\n");
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 414);
  EXPECT_TRUE(client.wait_closed());
}

TEST(ServerLimits, Rejects431WhenTheRequestLineFitsButNotTheBlankLine) {
  RunningServer server(pong);
  std::string line = "GET /" + std::string(kMaxHeaderBytes - 16, 'a') + " HTTP/1.1\r\n";
  ASSERT_EQ(line.size(), kMaxHeaderBytes);
  EXPECT_EQ(testing::exchange(server.port(), line + "\r\n").status, 431);
}

TEST(ServerLimits, AcceptsABodyOfExactlyMaxBodyBytes) {
  ServerOptions options = test_options();
  options.max_body_bytes = 1000;
  RunningServer server(
      [](Request& r) { return Response::text(200, std::to_string(r.body.size())); }, options);
  auto response = testing::exchange(
      server.port(),
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + std::string(1000, 'b'));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "1000");
}

TEST(ServerLimits, Rejects413BeforeReadingABodyOneByteOverTheLimit) {
  ServerOptions options = test_options();
  options.max_body_bytes = 1000;
  std::atomic<int> calls{0};
  RunningServer server(
      [&](Request&) {
        ++calls;
        return Response::text(200, "ok");
      },
      options);
  RawClient client(server.port());
  // Only the header is sent: the answer must come without the body.
  client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n");
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_TRUE(client.wait_closed());
  EXPECT_EQ(calls, 0);
}

TEST(ServerLimits, UsesTheDefaultBodyLimitOfDjango) {
  RunningServer server(pong);
  auto header = [](std::size_t n) {
    return "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(n) + "\r\n\r\n";
  };
  EXPECT_EQ(testing::exchange(server.port(), header(kDefaultMaxBodyBytes + 1)).status, 413);
  EXPECT_EQ(testing::exchange(server.port(),
                              header(kDefaultMaxBodyBytes) + std::string(kDefaultMaxBodyBytes, 'x'))
                .status,
            200);
}

TEST(ServerLimits, AcceptsAChunkedBodyOfExactlyMaxBodyBytes) {
  ServerOptions options = test_options();
  options.max_body_bytes = 10;
  RunningServer server(pong, options);
  EXPECT_EQ(testing::exchange(server.port(),
                              "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "5\r\naaaaa\r\n5\r\naaaaa\r\n0\r\n\r\n")
                .status,
            200);
}

TEST(ServerLimits, Rejects413AChunkedBodyThatGrowsOverTheLimit) {
  ServerOptions options = test_options();
  options.max_body_bytes = 10;
  RunningServer server(pong, options);
  RawClient client(server.port());
  client.send(
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\naaaaa\r\n6\r\naaaaaa\r\n0\r\n\r\n");
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_TRUE(client.wait_closed());
}

// ---- timeouts (short option values; the client's 10 s receive timeout is only a guard)

TEST(ServerTimeouts, DisconnectsAClientThatStallsInsideTheHeader) {
  ServerOptions options = test_options();
  options.header_timeout = 300ms;
  options.idle_timeout = 60s;
  RunningServer server(pong, options);
  RawClient client(server.port());
  client.send("GET / HTTP/1.1\r\nHost: x\r\n");
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 408);
  EXPECT_TRUE(client.wait_closed());
}

TEST(ServerTimeouts, ClosesAnIdleKeepAliveConnection) {
  ServerOptions options = test_options();
  options.header_timeout = 60s;
  options.idle_timeout = 300ms;
  RunningServer server(pong, options);
  RawClient client(server.port());
  client.send(get());
  ASSERT_TRUE(client.read_response());
  EXPECT_TRUE(client.wait_closed());
}

TEST(ServerTimeouts, SwitchesFromIdleToHeaderTimeoutOnTheFirstByte) {
  ServerOptions options = test_options();
  options.header_timeout = 300ms;
  options.idle_timeout = 60s;  // were it still in force, the guard would expire first
  RunningServer server(pong, options);
  RawClient client(server.port());
  client.send(get());
  ASSERT_TRUE(client.read_response());
  client.send("G");
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 408);
  EXPECT_TRUE(client.wait_closed());
}

TEST(ServerTimeouts, KeepsAnIdleConnectionWithinTheIdleTimeout) {
  ServerOptions options = test_options();
  options.header_timeout = 100ms;
  options.idle_timeout = 60s;
  RunningServer server(pong, options);
  RawClient client(server.port());
  client.send(get());
  ASSERT_TRUE(client.read_response());
  std::this_thread::sleep_for(400ms);  // several header timeouts, far from the idle one
  client.send(get());
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

// ---- graceful stop

TEST(ServerStop, FinishesAnInFlightRequestRefusesNewConnectionsAndReturnsFromRun) {
  std::atomic<bool> entered{false};
  RunningServer server([&](Request&) {
    entered = true;
    std::this_thread::sleep_for(300ms);
    return Response::text(200, "slow");
  });
  RawClient client(server.port());
  client.send(get());
  while (!entered) std::this_thread::sleep_for(1ms);

  server.server().stop();
  EXPECT_FALSE(testing::can_connect(server.port()));

  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "slow");
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(client.wait_closed());
  EXPECT_TRUE(server.join());
}

TEST(ServerStop, ClosesIdleConnections) {
  RunningServer server(pong);
  RawClient client(server.port());
  client.send(get());
  ASSERT_TRUE(client.read_response());
  server.server().stop();
  EXPECT_TRUE(client.wait_closed());
  EXPECT_TRUE(server.join());
}

TEST(ServerStop, AnswersARequestSentOnAnIdleConnectionInTheRaceWithTheStop) {
  // The client reuses its kept-alive connection just as the server stops: its request reached
  // the socket, so it gets an answer (and Connection: close), never a closed socket.
  RunningServer server(pong);
  RawClient client(server.port());
  client.send(get());
  ASSERT_TRUE(client.read_response());
  server.server().stop();
  client.send(get());
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(client.wait_closed());
  EXPECT_TRUE(server.join());
}

TEST(ServerStop, AnswersEveryPipelinedRequestAlreadyReceived) {
  std::atomic<bool> entered{false};
  RunningServer server([&](Request& r) {
    if (r.path == "/first") {
      entered = true;
      std::this_thread::sleep_for(200ms);
    }
    return Response::text(200, r.path);
  });
  RawClient client(server.port());
  client.send(get("/first") + get("/second") + get("/third"));
  while (!entered) std::this_thread::sleep_for(1ms);
  server.server().stop();
  for (const char* path : {"/first", "/second", "/third"}) {
    auto response = client.read_response();
    ASSERT_TRUE(response) << path;
    EXPECT_EQ(response->body, path);
    EXPECT_EQ(response->header("Connection").value_or(""),
              std::string(path) == "/third" ? "close" : "")
        << path;
  }
  EXPECT_TRUE(client.wait_closed());
  EXPECT_TRUE(server.join());
}

TEST(ServerStop, ClosesStragglersAfterTheGracePeriod) {
  ServerOptions options = test_options();
  options.shutdown_grace = 300ms;
  options.header_timeout = 60s;
  RunningServer server(pong, options);
  RawClient client(server.port());
  client.send("GET / HTTP/1.1\r\n");  // a request that never ends
  std::this_thread::sleep_for(50ms);
  server.server().stop();
  EXPECT_TRUE(client.wait_closed());
  EXPECT_TRUE(server.join());
}

TEST(ServerStop, StopsOnSigtermWhenAsked) {
  ServerOptions options = test_options();
  options.handle_signals = true;
  RunningServer server(pong, options);
  EXPECT_EQ(testing::exchange(server.port(), get()).status, 200);
  ::kill(::getpid(), SIGTERM);
  EXPECT_TRUE(server.join());
}

// ---- the server-wide budget of request bodies

TEST(ServerLimits, Answers503WhenTheBodiesHeldAtOnceWouldExceedTheBudget) {
  ServerOptions options = test_options();
  options.max_body_bytes = 1000;
  options.max_buffered_body_bytes = 1500;
  RunningServer server(echo, options);
  auto post = [](std::size_t length) {
    return "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(length) + "\r\n\r\n";
  };
  // A holds 1000 bytes of the budget while its body is still arriving: the server says
  // "100 Continue" once it has read A's header (and charged its length).
  RawClient a(server.port());
  a.send("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 1000\r\n\r\n");
  auto go_on = a.read_response();
  ASSERT_TRUE(go_on);
  ASSERT_EQ(go_on->status, 100);
  a.send(std::string(10, 'a'));
  // B's 600 would take the total to 1600: refused at once, before its body is read.
  RawClient b(server.port());
  b.send(post(600));
  auto refused = b.read_response();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503);
  EXPECT_EQ(refused->header("Retry-After"), "1");
  EXPECT_TRUE(b.wait_closed());
  // 500 still fit.
  RawClient c(server.port());
  c.send(post(500) + std::string(500, 'c'));
  auto fits = c.read_response();
  ASSERT_TRUE(fits);
  EXPECT_EQ(fits->status, 200);
  // When A is done, its share is free again.
  a.send(std::string(990, 'a'));
  auto done = a.read_response();
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 200);
  RawClient d(server.port());
  d.send(post(1000) + std::string(1000, 'd'));
  auto later = d.read_response();
  ASSERT_TRUE(later);
  EXPECT_EQ(later->status, 200);
}

// ---- view threads: handlers that may block run off the I/O threads

// Holds the handlers that enter it until open() is called.
class Gate {
 public:
  void pass() {
    std::unique_lock lock(mutex_);
    ++waiting_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  void wait_for_waiting(int n) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return waiting_ >= n; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int waiting_ = 0;
  bool open_ = false;
};

// One I/O thread, `views` view threads; /ping/ runs on the I/O thread, everything else waits at
// the gate.
ServerOptions with_view_threads(int views) {
  ServerOptions options = test_options();
  options.threads = 1;
  options.view_threads = views;
  options.runs_on_io_thread = [](const Request& r) { return r.path == "/ping/"; };
  return options;
}

// Opens the gate when the test ends, however it ends: a view still held would keep the
// server from stopping. Declare it after the server, so it runs first.
struct OpenOnExit {
  Gate& gate;
  ~OpenOnExit() { gate.open(); }
};

Handler gated(Gate& gate) {
  return [&gate](Request& r) {
    if (r.path == "/ping/") return Response::text(200, "pong");
    gate.pass();
    return Response::text(200, "view " + r.path);
  };
}

TEST(ServerViewThreads, AnswersTheHealthCheckWhileEveryViewThreadIsBlocked) {
  Gate gate;
  RunningServer server(gated(gate), with_view_threads(2));
  OpenOnExit open_on_exit{gate};
  RawClient a(server.port()), b(server.port()), c(server.port());
  a.send(get("/a"));
  b.send(get("/b"));
  gate.wait_for_waiting(2);  // both view threads are held

  // Inline, on the only I/O thread, which also owns a and b: answered while they wait.
  c.send(get("/ping/"));
  auto ping = c.read_response();
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->body, "pong");

  gate.open();
  auto ra = a.read_response(), rb = b.read_response();
  ASSERT_TRUE(ra && rb);
  EXPECT_EQ(ra->body, "view /a");
  EXPECT_EQ(rb->body, "view /b");
}

TEST(ServerViewThreads, KeepsTheConnectionAndItsOrderAcrossViewThreads) {
  Gate gate;
  gate.open();
  RunningServer server(gated(gate), with_view_threads(2));
  OpenOnExit open_on_exit{gate};
  RawClient client(server.port());
  client.send(get("/1") + get("/ping/") + get("/2"));  // pipelined: view, inline, view
  for (std::string expected : {"view /1", "pong", "view /2"}) {
    auto response = client.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->body, expected);
  }
  client.send(get("/3"));  // and the connection is still kept alive
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "view /3");
}

TEST(ServerViewThreads, Answers503AtOnceWhenTheQueueIsFull) {
  Gate gate;
  ServerOptions options = with_view_threads(1);
  options.max_waiting_views = 1;
  RunningServer server(gated(gate), options);
  OpenOnExit open_on_exit{gate};
  RawClient running(server.port()), queued(server.port()), refused(server.port());
  running.send(get("/running"));
  gate.wait_for_waiting(1);
  queued.send(get("/queued"));
  for (int i = 0; i < 10000 && server.server().views_waiting() < 1; ++i)
    std::this_thread::sleep_for(1ms);
  ASSERT_EQ(server.server().views_waiting(), 1u);
  // The queue holds one: the next is refused without reaching a view, and the connection stays.
  refused.send(get("/refused"));
  auto busy = refused.read_response();
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->status, 503);
  EXPECT_EQ(busy->header("Retry-After"), "1");

  gate.open();
  auto r1 = running.read_response(), r2 = queued.read_response();
  ASSERT_TRUE(r1 && r2);
  EXPECT_EQ(r1->body, "view /running");
  EXPECT_EQ(r2->body, "view /queued");
}

TEST(ServerViewThreads, Answers503WithoutRunningTheViewWhenTheWaitWasTooLong) {
  Gate gate;
  std::atomic<int> views_run{0};
  ServerOptions options = with_view_threads(1);
  options.max_view_wait = 50ms;
  RunningServer server(
      [&](Request& r) {
        ++views_run;
        if (r.path == "/first") gate.pass();
        return Response::text(200, "ran");
      },
      options);
  OpenOnExit open_on_exit{gate};
  RawClient first(server.port()), second(server.port());
  first.send(get("/first"));
  gate.wait_for_waiting(1);
  second.send(get("/second"));
  for (int i = 0; i < 10000 && server.server().views_waiting() < 1; ++i)
    std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(200ms);  // /second, queued, waits longer than max_view_wait
  gate.open();
  auto r1 = first.read_response(), r2 = second.read_response();
  ASSERT_TRUE(r1 && r2);
  EXPECT_EQ(r1->status, 200);
  EXPECT_EQ(r2->status, 503);
  EXPECT_EQ(views_run, 1);
}

TEST(ServerViewThreads, StopLetsAViewInFlightFinishAndRunReturns) {
  Gate gate;
  RunningServer server(gated(gate), with_view_threads(1));
  OpenOnExit open_on_exit{gate};
  RawClient client(server.port());
  client.send(get("/slow"));
  gate.wait_for_waiting(1);
  server.server().stop();
  gate.open();
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "view /slow");
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(client.wait_closed());
  EXPECT_TRUE(server.join());
}

TEST(ServerViewThreads, ClosesAViewStillRunningWhenTheGraceEnds) {
  Gate gate;
  ServerOptions options = with_view_threads(1);
  options.shutdown_grace = 200ms;
  RunningServer server(gated(gate), options);
  OpenOnExit open_on_exit{gate};
  RawClient client(server.port());
  client.send(get("/stuck"));
  gate.wait_for_waiting(1);
  server.server().stop();
  EXPECT_TRUE(client.wait_closed());  // the grace ended while the view still ran
  gate.open();                        // its answer, when it comes, has nowhere to go
  EXPECT_TRUE(server.join());
}

}  // namespace
}  // namespace http
