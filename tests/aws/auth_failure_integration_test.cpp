// Integration: the fake rejects bad signatures as AWS does, and our errors carry the service's
// code without ever repeating a secret, token or signature.
#include <gtest/gtest.h>

#include <cctype>

#include "aws/credential_providers.hpp"
#include "aws/error.hpp"
#include "aws/s3.hpp"
#include "aws/secrets_manager.hpp"
#include "aws/ssm.hpp"
#include "fake_aws_process.hpp"

namespace {

using aws_test::FakeAws;

aws::Credentials wrong_secret() {
  aws::Credentials c = aws_test::test_credentials();
  c.secret_access_key = "WRONG/secret+key=doNotLeakThis0123456789";
  return c;
}

void expect_clean(const aws::Error& e, const aws::Credentials& used) {
  const std::string text = std::string(e.what()) + " " + e.message();
  EXPECT_EQ(text.find(used.secret_access_key), std::string::npos) << text;
  EXPECT_EQ(text.find(aws_test::test_credentials().secret_access_key), std::string::npos) << text;
  EXPECT_EQ(text.find("Signature="), std::string::npos) << text;
  EXPECT_EQ(text.find("AWS4-HMAC-SHA256"), std::string::npos) << text;  // no string to sign
  EXPECT_EQ(text.find("aws4_request"), std::string::npos) << text;
  if (!used.session_token.empty()) {
    EXPECT_EQ(text.find(used.session_token), std::string::npos) << text;
  }
  // No 64-hex-digit run (a signature or a hashed canonical request).
  int run = 0;
  for (char c : text) {
    run = std::isxdigit(static_cast<unsigned char>(c)) ? run + 1 : 0;
    EXPECT_LT(run, 64) << text;
  }
}

TEST(AuthFailureTest, WrongSecretKeyIsInvalidSignatureExceptionForSsm) {
  FakeAws fake;
  const aws::SsmClient ssm(fake.client_config(wrong_secret()));
  try {
    ssm.get_parameter("ecsTaskParams");
    FAIL() << "expected aws::Error";
  } catch (const aws::Error& e) {
    EXPECT_EQ(e.code(), "InvalidSignatureException");
    EXPECT_EQ(e.http_status(), 403);
    EXPECT_FALSE(e.retryable());
    expect_clean(e, wrong_secret());
  }
  EXPECT_EQ(fake.count("ssm:attempts"), 1);
}

TEST(AuthFailureTest, WrongSecretKeyIsSignatureDoesNotMatchForS3WithoutEchoingIt) {
  FakeAws fake;
  const aws::S3Client s3(fake.client_config(wrong_secret()));
  try {
    s3.put_object("static-bucket", "k", "v");
    FAIL() << "expected aws::Error";
  } catch (const aws::Error& e) {
    EXPECT_EQ(e.code(), "SignatureDoesNotMatch");
    EXPECT_EQ(e.http_status(), 403);
    expect_clean(e, wrong_secret());  // the fake echoes StringToSign/SignatureProvided like S3
  }
}

TEST(AuthFailureTest, WrongSecretKeyForSecretsManager) {
  FakeAws fake;
  const aws::SecretsManagerClient sm(fake.client_config(wrong_secret()));
  try {
    sm.get_secret_value("db-master");
    FAIL() << "expected aws::Error";
  } catch (const aws::Error& e) {
    EXPECT_EQ(e.code(), "InvalidSignatureException");
    expect_clean(e, wrong_secret());
  }
}

TEST(AuthFailureTest, WrongSessionTokenIsRejected) {
  FakeAws fake;
  aws::Credentials creds = aws_test::test_session_credentials();
  creds.session_token = "stolen-or-stale-token";
  const aws::SsmClient ssm(fake.client_config(creds));
  try {
    ssm.get_parameter("ecsTaskParams");
    FAIL() << "expected aws::Error";
  } catch (const aws::Error& e) {
    EXPECT_EQ(e.code(), "UnrecognizedClientException");
    expect_clean(e, creds);
  }
}

TEST(AuthFailureTest, UnknownAccessKeyIsInvalidAccessKeyIdForS3) {
  FakeAws fake;
  aws::Credentials creds = aws_test::test_credentials();
  creds.access_key_id = "AKIDUNKNOWN000000000";
  const aws::S3Client s3(fake.client_config(creds));
  try {
    s3.get_object("static-bucket", "k");
    FAIL() << "expected aws::Error";
  } catch (const aws::Error& e) {
    EXPECT_EQ(e.code(), "InvalidAccessKeyId");
    expect_clean(e, creds);
  }
}

TEST(AuthFailureTest, SigningForAnotherRegionDoesNotVerify) {
  FakeAws fake;
  aws::ClientConfig config = fake.client_config(aws_test::test_credentials());
  config.region = "eu-west-1";  // the fake serves us-east-1: scope mismatch
  const aws::SsmClient ssm(config);
  EXPECT_THROW(ssm.get_parameter("ecsTaskParams"), aws::Error);
}

TEST(AuthFailureTest, NetworkErrorsNameOnlyTheHost) {
  aws::ClientConfig config;
  config.region = "us-east-1";
  config.credentials = nullptr;
  config.endpoint_url = "http://127.0.0.1:1";  // nothing listens on port 1
  config.retry.max_attempts = 2;
  config.retry.base_delay = std::chrono::milliseconds{1};
  config.credentials = aws::static_credentials(aws_test::test_credentials());
  const aws::SsmClient ssm(config);
  try {
    ssm.get_parameter("x");
    FAIL() << "expected aws::Error";
  } catch (const aws::Error& e) {
    EXPECT_EQ(e.code(), "NetworkError");
    EXPECT_TRUE(e.retryable());
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:1"), std::string::npos) << e.what();
    expect_clean(e, aws_test::test_credentials());
  }
}

}  // namespace
