#include "http/wire.hpp"

#include <gtest/gtest.h>

using http::wire::HeaderScanner;

namespace {

HeaderScanner::Result scan(std::string_view data, std::size_t limit = 8192, int* status = nullptr) {
  HeaderScanner scanner(limit);
  auto result = scanner.scan(data);
  if (status) *status = scanner.error_status();
  return result;
}

TEST(HeaderScanner, CompleteHeaderEndsAfterBlankLine) {
  std::string_view req = "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /next";
  HeaderScanner scanner(8192);
  ASSERT_EQ(scanner.scan(req), HeaderScanner::Result::complete);
  EXPECT_EQ(scanner.end(), req.find("GET /next"));
}

TEST(HeaderScanner, IncrementalScanNeedsMore) {
  HeaderScanner scanner(8192);
  std::string data = "GET / HTTP/1.1\r\nHo";
  EXPECT_EQ(scanner.scan(data), HeaderScanner::Result::need_more);
  data += "st: a\r\n\r\n";
  EXPECT_EQ(scanner.scan(data), HeaderScanner::Result::complete);
}

TEST(HeaderScanner, RejectsWhatBeastLetsThrough) {
  int status = 0;
  EXPECT_EQ(scan("GET / HTTP/1.1\nHost: a\r\n\r\n", 8192, &status), HeaderScanner::Result::error);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n"), HeaderScanner::Result::error);
  EXPECT_EQ(scan(std::string_view("GET / HTTP/1.1\r\nHost: a\0b\r\n\r\n", 29)), HeaderScanner::Result::error);
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nHost : a\r\n\r\n"), HeaderScanner::Result::error);
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\n"), HeaderScanner::Result::error);
}

TEST(HeaderScanner, LimitAtNAndNPlusOne) {
  std::string head = "GET / HTTP/1.1\r\nX: ";
  std::string tail = "\r\n\r\n";
  std::string exact = head + std::string(100 - head.size() - tail.size(), 'a') + tail;
  ASSERT_EQ(exact.size(), 100u);
  EXPECT_EQ(scan(exact, 100), HeaderScanner::Result::complete);
  std::string over = head + std::string(101 - head.size() - tail.size(), 'a') + tail;
  int status = 0;
  EXPECT_EQ(scan(over, 100, &status), HeaderScanner::Result::error);
  EXPECT_EQ(status, 431);
  std::string long_line = "GET /" + std::string(200, 'a') + " HTTP/1.1\r\n\r\n";
  EXPECT_EQ(scan(long_line, 100, &status), HeaderScanner::Result::error);
  EXPECT_EQ(status, 414);
}

TEST(SerializeHead, ServerOwnsFraming) {
  http::Response r = http::Response::text(200, "hello");
  r.headers.add("Content-Length", "999");
  r.headers.add("X-Evil", "a\r\nSet-Cookie: x=1");
  r.headers.add("X-Fine", "yes");
  std::string out;
  EXPECT_TRUE(http::wire::serialize_head(out, r, true, 11));
  EXPECT_EQ(out.rfind("HTTP/1.1 200 OK\r\nDate: ", 0), 0u);
  EXPECT_NE(out.find("Content-Length: 5\r\n"), std::string::npos);
  EXPECT_EQ(out.find("999"), std::string::npos);
  EXPECT_EQ(out.find("Set-Cookie"), std::string::npos);
  EXPECT_NE(out.find("X-Fine: yes\r\n"), std::string::npos);
  EXPECT_TRUE(out.ends_with("\r\n\r\n"));
}

TEST(SerializeHead, ConnectionCloseFromHandlerOrHttp10) {
  http::Response r = http::Response::text(200, "x");
  r.headers.set("Connection", "close");
  std::string out;
  EXPECT_FALSE(http::wire::serialize_head(out, r, true, 11));
  EXPECT_NE(out.find("Connection: close\r\n"), std::string::npos);
  http::Response keep = http::Response::text(200, "x");
  EXPECT_TRUE(http::wire::serialize_head(out, keep, true, 10));
  EXPECT_NE(out.find("Connection: keep-alive\r\n"), std::string::npos);
}

TEST(SerializeHead, NoContentLengthFor304) {
  http::Response r;
  r.status = 304;
  std::string out;
  http::wire::serialize_head(out, r, true, 11);
  EXPECT_EQ(out.find("Content-Length"), std::string::npos);
}

}  // namespace
