// Unit: the shape of RDS IAM tokens (the botocore oracle checks them byte for byte).
#include "aws/rds_token.hpp"

#include <gtest/gtest.h>

#include "aws/aws_time.hpp"

namespace {

TEST(RdsTokenTest, PresignedConnectUrlWithoutScheme) {
  const aws::Credentials creds{"AKIDEXAMPLE", "secret", "tok/en", std::nullopt, "static"};
  const std::string token =
      aws::generate_rds_auth_token("db.cluster-x.eu-west-1.rds.amazonaws.com", 3306, "django",
                                   "eu-west-1", creds, aws::parse_iso8601("2026-01-02T03:04:05Z"));
  EXPECT_EQ(
      token.rfind("db.cluster-x.eu-west-1.rds.amazonaws.com:3306/?Action=connect&DBUser=django"
                  "&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20260102%2F"
                  "eu-west-1%2Frds-db%2Faws4_request&X-Amz-Date=20260102T030405Z&X-Amz-Expires=900"
                  "&X-Amz-SignedHeaders=host&X-Amz-Security-Token=tok%2Fen&X-Amz-Signature=",
                  0),
      0U)
      << token;
  EXPECT_EQ(token.size() - token.rfind('=') - 1, 64U);
}

TEST(RdsTokenTest, SameInputsSameTokenDifferentTimeDifferentToken) {
  const aws::Credentials creds{"AKIDEXAMPLE", "secret", "", std::nullopt, "static"};
  const auto t = aws::parse_iso8601("2026-01-02T03:04:05Z");
  const auto a = aws::generate_rds_auth_token("h", 3306, "u", "us-east-1", creds, t);
  EXPECT_EQ(a, aws::generate_rds_auth_token("h", 3306, "u", "us-east-1", creds, t));
  EXPECT_NE(a, aws::generate_rds_auth_token("h", 3306, "u", "us-east-1", creds,
                                            t + std::chrono::seconds{1}));
}

}  // namespace
