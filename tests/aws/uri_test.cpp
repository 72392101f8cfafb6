// Unit: percent-encoding, path normalisation and URL parsing.
#include "aws/uri.hpp"

#include <gtest/gtest.h>

#include "aws/error.hpp"

namespace {

TEST(UriTest, EncodeKeepsOnlyUnreserved) {
  EXPECT_EQ(aws::uri_encode("aZ09-_.~ /+*é"), "aZ09-_.~%20%2F%2B%2A%C3%A9");
  EXPECT_EQ(aws::uri_encode("a b/c", true), "a%20b/c");
}

TEST(UriTest, DecodeReversesEncodeAndKeepsBadEscapes) {
  EXPECT_EQ(aws::uri_decode("a%20b%2Fc%C3%A9"), "a b/cé");
  EXPECT_EQ(aws::uri_decode("100%"), "100%");
  EXPECT_EQ(aws::uri_decode("%zz+"), "%zz+");
}

TEST(UriTest, NormalizePathRemovesDotAndEmptySegments) {
  EXPECT_EQ(aws::normalize_path(""), "/");
  EXPECT_EQ(aws::normalize_path("/"), "/");
  EXPECT_EQ(aws::normalize_path("/a/./b/../c//"), "/a/c/");
  EXPECT_EQ(aws::normalize_path("/.."), "/");
  EXPECT_EQ(aws::normalize_path("//a//b"), "/a/b");
}

TEST(UriTest, ParseUrlAndHostHeader) {
  const aws::Url u = aws::parse_url("HTTPS://User@Example.COM:443/p%20q?x=1#frag");
  EXPECT_EQ(u.scheme, "https");
  EXPECT_EQ(u.host, "Example.COM");
  EXPECT_EQ(u.port, 443);
  EXPECT_EQ(u.path, "/p%20q");
  EXPECT_EQ(u.query, "x=1");
  EXPECT_EQ(aws::host_header(u), "example.com");
  EXPECT_EQ(aws::host_header(aws::parse_url("http://127.0.0.1:8080")), "127.0.0.1:8080");
  EXPECT_EQ(aws::host_header(aws::parse_url("http://[::1]:80/")), "[::1]");
}

TEST(UriTest, ParseUrlRejectsMalformed) {
  EXPECT_THROW(aws::parse_url("no-scheme.example.com"), aws::Error);
  EXPECT_THROW(aws::parse_url("http://host:99999/"), aws::Error);
  EXPECT_THROW(aws::parse_url("http:///path"), aws::Error);
}

}  // namespace
