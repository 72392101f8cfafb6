// Unit: region, endpoints, retry policy and the shared-file INI reader.
#include <gtest/gtest.h>

#include "aws/aws_time.hpp"
#include "aws/credential_providers.hpp"
#include "aws/endpoint.hpp"
#include "aws/error.hpp"
#include "aws/ini.hpp"
#include "aws/retry.hpp"

namespace {

using namespace std::chrono_literals;

TEST(RegionTest, AwsRegionThenDefaultRegion) {
  EXPECT_EQ(aws::resolve_region(
                aws::map_env({{"AWS_REGION", "eu-west-1"}, {"AWS_DEFAULT_REGION", "us-east-2"}})),
            "eu-west-1");
  EXPECT_EQ(aws::resolve_region(aws::map_env({{"AWS_DEFAULT_REGION", "us-east-2"}})), "us-east-2");
  EXPECT_FALSE(aws::resolve_region(aws::map_env({})).has_value());
}

TEST(EndpointTest, ServiceVariableBeatsGlobalVariable) {
  const auto env = aws::map_env({{"AWS_ENDPOINT_URL", "http://global:1/"},
                                 {"AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://sm:2"}});
  EXPECT_EQ(aws::configured_endpoint(env, "SECRETS_MANAGER"), "http://sm:2");
  EXPECT_EQ(aws::configured_endpoint(env, "S3"), "http://global:1");
  EXPECT_FALSE(aws::configured_endpoint(aws::map_env({}), "S3").has_value());
}

TEST(EndpointTest, IgnoreConfiguredEndpointUrls) {
  const auto env = aws::map_env(
      {{"AWS_ENDPOINT_URL", "http://global:1"}, {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}});
  EXPECT_FALSE(aws::configured_endpoint(env, "SSM").has_value());
}

TEST(EndpointTest, DefaultEndpoints) {
  EXPECT_EQ(aws::default_endpoint("ssm", "eu-west-1"), "https://ssm.eu-west-1.amazonaws.com");
  EXPECT_EQ(aws::default_endpoint("s3", "cn-north-1"), "https://s3.cn-north-1.amazonaws.com.cn");
}

TEST(RetryPolicyTest, BackoffGrowsWithJitterAndIsCapped) {
  aws::RetryPolicy p;
  EXPECT_EQ(aws::backoff_delay(p, 1, 0.0), 0ms);
  EXPECT_EQ(aws::backoff_delay(p, 1, 0.5), 500ms);
  EXPECT_EQ(aws::backoff_delay(p, 2, 0.5), 1000ms);
  EXPECT_EQ(aws::backoff_delay(p, 3, 0.5), 2000ms);
  EXPECT_EQ(aws::backoff_delay(p, 30, 0.999), 19980ms);  // capped at 20 s
}

TEST(RetryPolicyTest, WhatIsRetried) {
  EXPECT_TRUE(aws::is_retryable_response(400, "ThrottlingException"));
  EXPECT_TRUE(aws::is_retryable_response(503, "SlowDown"));
  EXPECT_TRUE(aws::is_retryable_response(500, "Whatever"));
  EXPECT_TRUE(aws::is_retryable_response(429, "TooManyRequests"));
  EXPECT_FALSE(aws::is_retryable_response(400, "ValidationException"));
  EXPECT_FALSE(aws::is_retryable_response(403, "SignatureDoesNotMatch"));
  EXPECT_FALSE(aws::is_retryable_response(404, "NoSuchKey"));
}

TEST(RetryPolicyTest, MaxAttemptsFromEnvironment) {
  EXPECT_EQ(aws::retry_policy_from_env(aws::map_env({{"AWS_MAX_ATTEMPTS", "5"}})).max_attempts, 5);
  EXPECT_EQ(aws::retry_policy_from_env(aws::map_env({{"AWS_MAX_ATTEMPTS", "x"}})).max_attempts, 3);
  EXPECT_EQ(aws::retry_policy_from_env(aws::map_env({{"AWS_MAX_ATTEMPTS", "0"}})).max_attempts, 3);
}

TEST(IniTest, SectionsKeysCommentsAndNestedBlocks) {
  const aws::IniFile f = aws::parse_ini(
      "# comment\n[default]\naws_access_key_id = AKID ; trailing comment\n"
      "AWS_Secret_Access_Key=se#cret\r\n\n[profile   dev]\nregion=eu-west-1\ns3 =\n"
      "  addressing_style = path\nstray line\n");
  EXPECT_EQ(f.at("default").at("aws_access_key_id"), "AKID");
  EXPECT_EQ(f.at("default").at("aws_secret_access_key"), "se#cret");
  EXPECT_EQ(f.at("profile dev").at("region"), "eu-west-1");
  EXPECT_EQ(f.at("profile dev").count("addressing_style"), 0U);
}

TEST(EnvironmentCredentialsTest, ReadsTheThreeVariables) {
  const auto creds = aws::environment_credentials(aws::map_env({{"AWS_ACCESS_KEY_ID", "AKID"},
                                                                {"AWS_SECRET_ACCESS_KEY", "s"},
                                                                {"AWS_SESSION_TOKEN", "t"}}))
                         ->load();
  ASSERT_TRUE(creds.has_value());
  EXPECT_EQ(creds->session_token, "t");
  EXPECT_EQ(creds->source, "environment");
  EXPECT_FALSE(aws::environment_credentials(aws::map_env({}))->load().has_value());
  EXPECT_THROW(aws::environment_credentials(aws::map_env({{"AWS_ACCESS_KEY_ID", "AKID"}}))->load(),
               aws::Error);
}

TEST(CredentialsJsonTest, MissingFieldsAreNamedButTheBodyIsNotQuoted) {
  try {
    aws::parse_credentials_json(R"({"AccessKeyId":"AKID","Token":"SECRET-TOKEN"})", "container");
    FAIL() << "expected aws::Error";
  } catch (const aws::Error& e) {
    EXPECT_NE(std::string(e.what()).find("SecretAccessKey"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find("SECRET-TOKEN"), std::string::npos);
  }
  const auto c = aws::parse_credentials_json(
      R"({"AccessKeyId":"A","SecretAccessKey":"S","Token":"T","Expiration":"2026-11-28T09:00:00Z"})",
      "x");
  EXPECT_EQ(c.expiration, aws::parse_iso8601("2026-11-28T09:00:00Z"));
}

TEST(TimeTest, Iso8601Forms) {
  const auto t = aws::parse_iso8601("2026-11-28T07:51:00Z");
  EXPECT_EQ(aws::format_amz_date(t), "20261128T075100Z");
  EXPECT_EQ(aws::parse_iso8601("2026-11-28T07:51:00.123Z"), t);
  EXPECT_EQ(aws::parse_iso8601("2026-11-28T08:51:00+01:00"), t);
  EXPECT_THROW(aws::parse_iso8601("yesterday"), aws::Error);
}

}  // namespace
