// Unit: the transport refuses header injection before anything is sent.
#include "aws/http_client.hpp"

#include <gtest/gtest.h>

#include "aws/error.hpp"

namespace {

TEST(HttpClientTest, HeaderValuesWithLineBreaksAreRefused) {
  const aws::HttpRequest r{
      "GET", "http://127.0.0.1:1/", {}, {{"x-amz-meta-a", "v\r\nX-Evil: 1"}}, ""};
  try {
    aws::http_send(r, {});
    FAIL() << "expected aws::Error";
  } catch (const aws::Error& e) {
    EXPECT_EQ(e.code(), "ConfigError");
    EXPECT_EQ(std::string(e.what()).find("X-Evil"), std::string::npos);
  }
}

TEST(HttpClientTest, NothingListeningIsARetryableNetworkError) {
  try {
    aws::http_send({"GET", "http://127.0.0.1:1/", {}, {}, ""}, {});
    FAIL() << "expected aws::Error";
  } catch (const aws::Error& e) {
    EXPECT_EQ(e.code(), "NetworkError");
    EXPECT_TRUE(e.retryable());
  }
}

}  // namespace
