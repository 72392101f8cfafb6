// Integration: the standard retry mode against injected throttling and 5xx answers: retried
// with growing, jittered, capped delays, and never more than max_attempts times.
#include <gtest/gtest.h>

#include <mutex>
#include <vector>

#include "aws/error.hpp"
#include "aws/s3.hpp"
#include "aws/secrets_manager.hpp"
#include "aws/ssm.hpp"
#include "fake_aws_process.hpp"

namespace {

using aws_test::FakeAws;

struct SleepRecorder {
  std::shared_ptr<std::vector<std::chrono::milliseconds>> delays =
      std::make_shared<std::vector<std::chrono::milliseconds>>();
  std::function<void(std::chrono::milliseconds)> fn() {
    return [d = delays](std::chrono::milliseconds ms) { d->push_back(ms); };
  }
};

TEST(RetryTest, S3SlowDownTwiceThenSucceeds) {
  FakeAws fake;
  fake.fail_next(2, 503, "SlowDown", "s3");
  SleepRecorder sleeps;
  aws::ClientConfig config = fake.client_config(aws_test::test_credentials());
  config.sleep = sleeps.fn();
  const aws::S3Client s3(config);
  EXPECT_FALSE(s3.put_object("static-bucket", "k", "v").empty());
  EXPECT_EQ(fake.count("s3:attempts"), 3);
  EXPECT_EQ(fake.count("s3:injected"), 2);
  ASSERT_EQ(sleeps.delays->size(), 2U);
  EXPECT_LE(sleeps.delays->at(0), config.retry.base_delay);
  EXPECT_LE(sleeps.delays->at(1), config.retry.base_delay * 2);
}

TEST(RetryTest, PersistentThrottlingStopsAtMaxAttempts) {
  FakeAws fake;
  fake.fail_next(10, 400, "ThrottlingException", "ssm");
  aws::ClientConfig config = fake.client_config(aws_test::test_credentials());
  config.retry.max_attempts = 4;
  const aws::SsmClient ssm(config);
  try {
    ssm.get_parameter("ecsTaskParams");
    FAIL() << "expected aws::Error";
  } catch (const aws::Error& e) {
    EXPECT_EQ(e.code(), "ThrottlingException");
    EXPECT_TRUE(e.retryable());
  }
  EXPECT_EQ(fake.count("ssm:attempts"), 4);
}

TEST(RetryTest, InternalErrorsOnSecretsManagerAreRetried) {
  FakeAws fake;
  fake.fail_next(1, 500, "InternalFailure", "secretsmanager");
  fake.fail_next(1, 503, "ServiceUnavailable", "secretsmanager");
  const aws::SecretsManagerClient sm(fake.client_config(aws_test::test_credentials()));
  EXPECT_TRUE(sm.get_secret_value("db-master").secret_string.has_value());
  EXPECT_EQ(fake.count("secretsmanager:attempts"), 3);
}

TEST(RetryTest, DefaultPolicyMakesThreeAttempts) {
  FakeAws fake;
  fake.fail_next(5, 503, "SlowDown", "s3");
  aws::ClientConfig config = fake.client_config(aws_test::test_credentials());
  config.retry.max_attempts = aws::RetryPolicy{}.max_attempts;
  const aws::S3Client s3(config);
  EXPECT_THROW(s3.get_object("static-bucket", "k"), aws::Error);
  EXPECT_EQ(fake.count("s3:attempts"), 3);
}

TEST(RetryTest, ClientErrorsAreNotRetried) {
  FakeAws fake;
  fake.fail_next(1, 400, "ValidationException", "ssm");
  const aws::SsmClient ssm(fake.client_config(aws_test::test_credentials()));
  EXPECT_THROW(ssm.get_parameter("ecsTaskParams"), aws::Error);
  EXPECT_EQ(fake.count("ssm:attempts"), 1);
}

TEST(RetryTest, EachAttemptIsSignedAfresh) {
  FakeAws fake;
  fake.fail_next(1, 503, "SlowDown", "s3");
  aws::ClientConfig config = fake.client_config(aws_test::test_credentials());
  auto calls = std::make_shared<int>(0);
  config.now = [calls] {  // a clock that moves a day per signature: scope changes each attempt
    return aws::Clock::now() - std::chrono::hours{24} + std::chrono::hours{24} * (*calls)++;
  };
  const aws::S3Client s3(config);
  s3.put_object("static-bucket", "fresh", "v");
  EXPECT_EQ(*calls, 2);
}

}  // namespace
