// Strict request framing: every ambiguity that lets a proxy and this server disagree on where a
// request ends is a 400 and a closed connection. One test per case, raw bytes over a real socket.
// Ends with randomized garbage: the server must survive it and keep answering.
#include <gtest/gtest.h>

#include <random>

#include "http/server.hpp"
#include "server_test_support.hpp"

namespace http {
namespace {

using namespace std::string_literals;
using testing::RawClient;
using testing::RunningServer;

class ServerFraming : public ::testing::Test {
 protected:
  // Sends `raw`, expects `status` and then the server closing the connection.
  void expect_rejected(std::string_view raw, int status = 400) {
    RawClient client(server_.port());
    ASSERT_TRUE(client.send(raw));
    auto response = client.read_response();
    ASSERT_TRUE(response) << "no response to: " << raw;
    EXPECT_EQ(response->status, status) << raw;
    EXPECT_EQ(response->header("Connection"), "close") << raw;
    EXPECT_TRUE(client.wait_closed()) << raw;
    EXPECT_EQ(handled_, 0) << "the handler saw: " << raw;
  }

  std::atomic<int> handled_{0};
  RunningServer server_{[this](Request&) {
    ++handled_;
    return Response::text(200, "ok");
  }};
};

constexpr std::string_view kPost = "POST / HTTP/1.1\r\nHost: x\r\n";

std::string post(std::string_view fields, std::string_view body = "") {
  return std::string(kPost) + std::string(fields) + "\r\n" + std::string(body);
}

TEST_F(ServerFraming, AcceptsAWellFormedRequest) {
  RawClient client(server_.port());
  client.send(post("Content-Length: 5\r\n", "hello"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(handled_, 1);
}

// Transfer-Encoding and Content-Length

TEST_F(ServerFraming, RejectsTransferEncodingWithContentLength) {
  expect_rejected(post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "0\r\n\r\n"));
}
TEST_F(ServerFraming, RejectsContentLengthWithTransferEncoding) {
  expect_rejected(post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"));
}
TEST_F(ServerFraming, RejectsTransferEncodingGzipChunked) {
  expect_rejected(post("Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n"));
}
TEST_F(ServerFraming, RejectsTransferEncodingChunkedChunked) {
  expect_rejected(post("Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n"));
}
TEST_F(ServerFraming, RejectsTransferEncodingWithJunkBeforeChunked) {
  expect_rejected(post("Transfer-Encoding:  xchunked\r\n", "0\r\n\r\n"));
}
TEST_F(ServerFraming, RejectsTransferEncodingOtherThanChunked) {
  expect_rejected(post("Transfer-Encoding: gzip\r\n", "0\r\n\r\n"));
}
TEST_F(ServerFraming, RejectsTwoTransferEncodingFields) {
  expect_rejected(
      post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"));
}
TEST_F(ServerFraming, RejectsTransferEncodingInHttp10) {
  expect_rejected("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
}
TEST_F(ServerFraming, RejectsAMalformedChunkSize) {
  expect_rejected(post("Transfer-Encoding: chunked\r\n", "zz\r\nabc\r\n0\r\n\r\n"));
}

// Content-Length values

TEST_F(ServerFraming, RejectsDuplicateContentLengthEvenWhenEqual) {
  expect_rejected(post("Content-Length: 5\r\nContent-Length: 5\r\n", "hello"));
}
TEST_F(ServerFraming, RejectsDuplicateContentLengthThatDiffers) {
  expect_rejected(post("Content-Length: 5\r\nContent-Length: 6\r\n", "hello!"));
}
TEST_F(ServerFraming, RejectsContentLengthList) {
  expect_rejected(post("Content-Length: 5, 5\r\n", "hello"));
}
TEST_F(ServerFraming, RejectsContentLengthWithPlusSign) {
  expect_rejected(post("Content-Length: +5\r\n", "hello"));
}
TEST_F(ServerFraming, RejectsContentLengthWithTwoNumbers) {
  expect_rejected(post("Content-Length: 5 5\r\n", "hello"));
}
TEST_F(ServerFraming, RejectsHexContentLength) {
  expect_rejected(post("Content-Length: 0x5\r\n", "hello"));
}
TEST_F(ServerFraming, RejectsEmptyContentLength) {
  expect_rejected(post("Content-Length: \r\n", "hello"));
}
TEST_F(ServerFraming, RejectsNegativeContentLength) {
  expect_rejected(post("Content-Length: -1\r\n"));
}
TEST_F(ServerFraming, RejectsOverflowingContentLength) {
  expect_rejected(post("Content-Length: 99999999999999999999999\r\n"));
}

// Line endings and bytes inside the header

TEST_F(ServerFraming, RejectsBareLfInTheRequestLine) {
  expect_rejected("GET / HTTP/1.1\nHost: x\r\n\r\n");
}
TEST_F(ServerFraming, RejectsBareLfAfterAField) {
  expect_rejected("GET / HTTP/1.1\r\nHost: x\n\r\n");
}
TEST_F(ServerFraming, RejectsBareLfAsTheBlankLine) {
  expect_rejected("GET / HTTP/1.1\r\nHost: x\r\n\n");
}
TEST_F(ServerFraming, RejectsBareCrInAFieldValue) {
  expect_rejected("GET / HTTP/1.1\r\nHost: x\rX-Smuggled: y\r\n\r\n");
}
TEST_F(ServerFraming, RejectsBareCrInTheRequestLine) {
  expect_rejected("GET / HTTP/1.1\rHost: x\r\n\r\n");
}
TEST_F(ServerFraming, RejectsNulInAFieldValue) {
  expect_rejected("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n"s);
}
TEST_F(ServerFraming, RejectsNulInAFieldName) {
  expect_rejected("GET / HTTP/1.1\r\nHost: x\r\nX\0A: b\r\n\r\n"s);
}
TEST_F(ServerFraming, RejectsControlCharacterInAFieldValue) {
  expect_rejected("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x01z\r\n\r\n");
}
TEST_F(ServerFraming, RejectsWhitespaceBetweenFieldNameAndColon) {
  expect_rejected("GET / HTTP/1.1\r\nHost: x\r\nContent-Length : 5\r\n\r\nhello");
}
TEST_F(ServerFraming, RejectsTabBetweenFieldNameAndColon) {
  expect_rejected("GET / HTTP/1.1\r\nHost\t: x\r\n\r\n");
}
TEST_F(ServerFraming, RejectsObsFoldWithSpace) {
  expect_rejected("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n");
}
TEST_F(ServerFraming, RejectsObsFoldWithTab) {
  expect_rejected("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n\tb\r\n\r\n");
}
TEST_F(ServerFraming, RejectsAFieldWithoutColon) {
  expect_rejected("GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n");
}
TEST_F(ServerFraming, RejectsAFieldWithAnEmptyName) {
  expect_rejected("GET / HTTP/1.1\r\nHost: x\r\n: empty\r\n\r\n");
}

// Host (RFC 9112 3.2): two answers to "which site" are one too many, and HTTP/1.1 must name one

TEST_F(ServerFraming, RejectsTwoHostFields) {
  expect_rejected("GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n");
}
TEST_F(ServerFraming, RejectsTwoEqualHostFields) {
  expect_rejected("GET / HTTP/1.1\r\nHost: x\r\nhost: x\r\n\r\n");
}
TEST_F(ServerFraming, RejectsAnHttp11RequestWithoutHost) {
  expect_rejected("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n");
}
TEST_F(ServerFraming, AcceptsAnHttp10RequestWithoutHost) {
  RawClient client(server_.port());
  client.send("GET / HTTP/1.0\r\n\r\n");
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

// Request line

TEST_F(ServerFraming, RejectsAnAbsoluteFormTarget) {
  expect_rejected("GET http://example.com/ HTTP/1.1\r\nHost: x\r\n\r\n");
}
TEST_F(ServerFraming, RejectsAnAsteriskTarget) {
  expect_rejected("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
}
TEST_F(ServerFraming, RejectsABadPercentEscape) {
  expect_rejected("GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n");
}
TEST_F(ServerFraming, RejectsAnEncodedNul) {
  expect_rejected("GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n");
}
TEST_F(ServerFraming, RejectsATruncatedPercentEscape) {
  expect_rejected("GET /a%2 HTTP/1.1\r\nHost: x\r\n\r\n");
}
TEST_F(ServerFraming, RejectsTwoSpacesInTheRequestLine) {
  expect_rejected("GET  / HTTP/1.1\r\nHost: x\r\n\r\n");
}
TEST_F(ServerFraming, RejectsAnUnknownProtocol) {
  expect_rejected("GET / FTP/1.1\r\nHost: x\r\n\r\n");
}
TEST_F(ServerFraming, Rejects505AnUnsupportedHttpVersion) {
  expect_rejected("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505);
}
TEST_F(ServerFraming, RejectsAnUnknownExpectation) {
  expect_rejected(post("Expect: teapot\r\nContent-Length: 0\r\n"), 417);
}

// The request-smuggling corpus: the desync techniques of the published suites (James Kettle's
// "HTTP Desync Attacks" and smuggler.py's Transfer-Encoding mutations, the HTTP Garden's
// discrepancies) and RFC 9112's framing rules (section 2.2 line endings, 3 request line, 5.1
// field syntax, 6.1 Transfer-Encoding, 6.3 message body length, 7.1 chunked coding). Each case
// is named for its technique; either the server rejects it (400 and a closed connection), or,
// where the RFC makes it valid, the server reads exactly the request the RFC says.

// RFC 9112 6.1: Transfer-Encoding obfuscations a front end may read differently.
TEST_F(ServerFraming, SmugglingTeWithVerticalTabBeforeValue) {
  expect_rejected(
      post("Transfer-Encoding:\x0b"
           "chunked\r\n",
           "0\r\n\r\n"));
}
TEST_F(ServerFraming, SmugglingTeWithFormFeedBeforeValue) {
  expect_rejected(
      post("Transfer-Encoding:\x0c"
           "chunked\r\n",
           "0\r\n\r\n"));
}
TEST_F(ServerFraming, SmugglingTeValueFollowedByJunk) {
  expect_rejected(post("Transfer-Encoding: chunked-false\r\n", "0\r\n\r\n"));
}
TEST_F(ServerFraming, SmugglingTeChunkedThenIdentity) {
  expect_rejected(post("Transfer-Encoding: chunked, identity\r\n", "0\r\n\r\n"));
}
TEST_F(ServerFraming, SmugglingTeQuotedChunked) {
  expect_rejected(post("Transfer-Encoding: \"chunked\"\r\n", "0\r\n\r\n"));
}
TEST_F(ServerFraming, SmugglingTeNameWithUnderscore) {
  // Some front ends map '_' to '-'; a field name with '_' is no Transfer-Encoding here, so the
  // body is framed by Content-Length and the "0\r\n\r\n" is this request's body, not a second one.
  RawClient client(server_.port());
  client.send(post("Transfer_Encoding: chunked\r\nContent-Length: 5\r\n", "0\r\n\r\n"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(handled_, 1);
}
TEST_F(ServerFraming, SmugglingTeInUpperCaseIsStillChunked) {
  // Transfer coding names are case-insensitive (RFC 9112 7): CHUNKED frames the body.
  RawClient client(server_.port());
  client.send(post("Transfer-Encoding: CHUNKED\r\n", "3\r\nabc\r\n0\r\n\r\n"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}
TEST_F(ServerFraming, SmugglingFieldLineStartingWithWhitespaceBeforeTheFirstField) {
  // RFC 9112 2.2: whitespace between the start-line and the first field line: reject.
  expect_rejected("POST / HTTP/1.1\r\n Transfer-Encoding: chunked\r\nHost: x\r\n\r\n0\r\n\r\n");
}
TEST_F(ServerFraming, SmugglingFieldNameWithAnInvalidCharacter) {
  expect_rejected(post("Content-Length@: 5\r\n", "hello"));
}

// RFC 9112 7.1: the chunked coding.
TEST_F(ServerFraming, SmugglingChunkDataLongerThanItsSize) {
  expect_rejected(post("Transfer-Encoding: chunked\r\n", "3\r\nabcdef\r\n0\r\n\r\n"));
}
TEST_F(ServerFraming, SmugglingChunkSizeWithBareLf) {
  expect_rejected(post("Transfer-Encoding: chunked\r\n", "3\nabc\r\n0\r\n\r\n"));
}
TEST_F(ServerFraming, SmugglingChunkSizeOverflowingSixtyFourBits) {
  // A size that wraps to a small number in a 64-bit parser: never read as such.
  RawClient client(server_.port());
  client.send(post("Transfer-Encoding: chunked\r\n", "10000000000000003\r\nabc\r\n0\r\n\r\n"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_TRUE(response->status == 400 || response->status == 413) << response->status;
  EXPECT_EQ(handled_, 0);
}
TEST_F(ServerFraming, SmugglingChunkSizeWithLeadingSpace) {
  expect_rejected(post("Transfer-Encoding: chunked\r\n", " 3\r\nabc\r\n0\r\n\r\n"));
}
TEST_F(ServerFraming, SmugglingChunkSizeWithAnUnderscore) {
  expect_rejected(post("Transfer-Encoding: chunked\r\n", "1_0\r\n0123456789abcdef\r\n0\r\n\r\n"));
}
TEST_F(ServerFraming, SmugglingNulInAChunkExtension) {
  expect_rejected(post("Transfer-Encoding: chunked\r\n", "3;a=\0b\r\nabc\r\n0\r\n\r\n"s));
}
TEST_F(ServerFraming, SmugglingAChunkedBodyEndsWhereTheCodingSaysAndTheRestIsTheNextRequest) {
  // CL.TE's second half: what follows the last chunk is a new request, answered on its own.
  RawClient client(server_.port());
  client.send(post("Transfer-Encoding: chunked\r\n", "3\r\nabc\r\n0\r\n\r\n") +
              "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
  auto first = client.read_response();
  auto second = client.read_response();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(second->status, 200);
  EXPECT_EQ(handled_, 2);  // two requests, each framed by the RFC; nothing hid inside the first
}
TEST_F(ServerFraming, SmugglingAFramingFieldInTheTrailerIsRejected) {
  // RFC 9110 6.5.1: a trailer field must not change how the message is framed; one that names
  // a framing field is refused outright rather than ignored.
  expect_rejected(
      post("Transfer-Encoding: chunked\r\n", "3\r\nabc\r\n0\r\nContent-Length: 50\r\n\r\n") +
      "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
}
TEST_F(ServerFraming, SmugglingAnOrdinaryTrailerFieldIsDroppedAndTheNextRequestFollows) {
  RawClient client(server_.port());
  client.send(post("Transfer-Encoding: chunked\r\n", "3\r\nabc\r\n0\r\nX-Checksum: 1\r\n\r\n") +
              "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  auto first = client.read_response();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  auto second = client.read_response();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 200);
}

// RFC 9112 3: the request line.
TEST_F(ServerFraming, SmugglingLowerCaseHttpVersion) {
  expect_rejected("GET / http/1.1\r\nHost: x\r\n\r\n");
}
TEST_F(ServerFraming, SmugglingTabsInTheRequestLine) {
  expect_rejected("GET\t/\tHTTP/1.1\r\nHost: x\r\n\r\n");
}
TEST_F(ServerFraming, SmugglingATargetWithASpace) {
  expect_rejected("GET /a b HTTP/1.1\r\nHost: x\r\n\r\n");
}
TEST_F(ServerFraming, SmugglingAGetWithContentLengthKeepsItsBody) {
  // GET with a body: the body is framed by Content-Length (RFC 9112 6.3), never a new request.
  RawClient client(server_.port());
  const std::string inner = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
  client.send("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(inner.size()) +
              "\r\n\r\n" + inner);
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  client.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(client.read_response());
  EXPECT_EQ(handled_, 2);  // the first and /next; the inner request was body
}

// Garbage

TEST_F(ServerFraming, SurvivesRandomGarbageAndStillAnswers) {
  std::mt19937 random(20261128);  // fixed seed: a failure reproduces
  const std::string valid = "POST /p?q=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc";
  for (int round = 0; round < 200; ++round) {
    std::string bytes;
    if (round % 2 == 0) {
      // Pure noise.
      std::size_t size = random() % 2048 + 1;
      for (std::size_t i = 0; i < size; ++i) bytes.push_back(static_cast<char>(random()));
    } else {
      // A valid request with a few bytes flipped, inserted or cut.
      bytes = valid;
      for (int edits = static_cast<int>(random() % 4) + 1; edits > 0; --edits) {
        std::size_t at = random() % bytes.size();
        switch (random() % 3) {
          case 0:
            bytes[at] = static_cast<char>(random());
            break;
          case 1:
            bytes = bytes.substr(0, at) + static_cast<char>(random()) + bytes.substr(at);
            break;
          default:
            bytes.erase(at, 1);
            break;
        }
        if (bytes.empty()) bytes.push_back('x');
      }
    }
    RawClient client(server_.port());
    ASSERT_TRUE(client.connected()) << "round " << round;
    client.send(bytes);
    client.shutdown_send();
    client.wait_closed();
  }
  RawClient client(server_.port());
  client.send(valid);
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

}  // namespace
}  // namespace http
