#include "http/request.hpp"

#include <gtest/gtest.h>

TEST(Request, SetTargetSplitsAndDecodes) {
  http::Request r;
  ASSERT_TRUE(http::set_target(r, "/a%20b/c?x=1&y=%2F"));
  EXPECT_EQ(r.path, "/a b/c");
  EXPECT_EQ(r.query, "x=1&y=%2F");
  EXPECT_EQ(r.target, "/a%20b/c?x=1&y=%2F");
}

TEST(Request, SetTargetRejectsBadTargets) {
  http::Request r;
  EXPECT_FALSE(http::set_target(r, ""));
  EXPECT_FALSE(http::set_target(r, "http://example.com/"));
  EXPECT_FALSE(http::set_target(r, "*"));
  EXPECT_FALSE(http::set_target(r, "/bad%2"));
  EXPECT_FALSE(http::set_target(r, "/bad%zz"));
  EXPECT_FALSE(http::set_target(r, "/nul%00"));
}

TEST(Request, HostDropsPortAndLowercases) {
  http::Request r;
  r.headers.add("Host", "Example.COM:8000");
  EXPECT_EQ(r.host(), "example.com");
  http::Request v6;
  v6.headers.add("Host", "[::1]:8000");
  EXPECT_EQ(v6.host(), "[::1]");
}

TEST(Request, PercentEncodeMatchesPythonQuote) {
  EXPECT_EQ(http::percent_encode("a b/c~d_e.f-g", "/"), "a%20b/c~d_e.f-g");
  EXPECT_EQ(http::percent_encode("é&?", "/"), "%C3%A9%26%3F");
  EXPECT_EQ(http::percent_encode("a/b", ""), "a%2Fb");
}

TEST(Headers, LookupIgnoresCase) {
  http::Headers h;
  h.add("Content-Type", "text/html");
  h.add("Set-Cookie", "a=1");
  h.add("set-cookie", "b=2");
  EXPECT_EQ(h.get("content-type").value_or(""), "text/html");
  h.set("SET-COOKIE", "c=3");
  EXPECT_EQ(h.size(), 2u);
  EXPECT_EQ(h.get("Set-Cookie").value_or(""), "c=3");
}
