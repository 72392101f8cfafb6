// Unit: RDS IAM tokens for long-running processes (reuse at most 10 minutes, renewal on new
// credentials or near their expiry) and the token bucket that limits new IAM connections.
#include "aws/rds_token_provider.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "aws/credential_providers.hpp"
#include "aws/error.hpp"
#include "aws/rds_token.hpp"

namespace {

using namespace std::chrono_literals;

// Credentials a test can swap between calls.
class SwappableCredentials : public aws::CredentialsProvider {
 public:
  explicit SwappableCredentials(aws::Credentials c) : current_(std::move(c)) {}
  std::optional<aws::Credentials> load() override {
    std::lock_guard lock(mutex_);
    return current_;
  }
  void set(aws::Credentials c) {
    std::lock_guard lock(mutex_);
    current_ = std::move(c);
  }

 private:
  std::mutex mutex_;
  aws::Credentials current_;
};

struct Fixture {
  aws::Clock::time_point now = aws::parse_iso8601("2026-01-02T03:04:05Z");
  std::shared_ptr<SwappableCredentials> creds = std::make_shared<SwappableCredentials>(
      aws::Credentials{"AKIDEXAMPLE", "secret", "", std::nullopt, "static"});
  std::shared_ptr<aws::RateLimiter> unlimited = std::make_shared<aws::RateLimiter>(1e9, 1e9);

  aws::RdsTokenProvider provider() {
    aws::RdsTokenOptions o;
    o.host = "db.example";
    o.port = 3306;
    o.user = "django";
    o.region = "eu-west-1";
    o.credentials = creds;
    o.now = [this] { return now; };
    o.limiter = unlimited;
    return aws::RdsTokenProvider(std::move(o));
  }
};

TEST(RdsTokenProviderTest, FirstTokenIsTheSignedConnectUrlForNow) {
  Fixture f;
  auto p = f.provider();
  EXPECT_EQ(p.token_for_new_connection(),
            aws::generate_rds_auth_token("db.example", 3306, "django", "eu-west-1",
                                         *f.creds->load(), f.now));
}

TEST(RdsTokenProviderTest, ReusedJustUnderTenMinutesRenewedAtTen) {
  Fixture f;
  auto p = f.provider();
  const auto first = p.token_for_new_connection();
  f.now += aws::kRdsTokenReuse - 1s;
  EXPECT_EQ(p.token_for_new_connection(), first);
  f.now += 1s;
  const auto second = p.token_for_new_connection();
  EXPECT_NE(second, first);
  EXPECT_NE(second.find("X-Amz-Date=20260102T031405Z"), std::string::npos) << second;
}

TEST(RdsTokenProviderTest, NeverHandsOutATokenOlderThanItsLifetime) {
  // A process running for days: every token handed out was signed less than 10 minutes ago.
  Fixture f;
  auto p = f.provider();
  const auto start = f.now;
  for (int minute = 0; minute < 3 * 24 * 60; minute += 7) {
    f.now = start + std::chrono::minutes(minute);
    const auto token = p.token_for_new_connection();
    const auto date = token.substr(token.find("X-Amz-Date=") + 11, 16);
    const auto signed_at = aws::parse_iso8601(date.substr(0, 4) + "-" + date.substr(4, 2) + "-" +
                                              date.substr(6, 2) + "T" + date.substr(9, 2) + ":" +
                                              date.substr(11, 2) + ":" + date.substr(13, 2) + "Z");
    ASSERT_LT(f.now - signed_at, aws::kRdsTokenReuse) << minute;
    ASSERT_LT(f.now - signed_at, aws::kRdsTokenLifetime);
  }
}

TEST(RdsTokenProviderTest, NewCredentialsMeanANewToken) {
  Fixture f;
  auto p = f.provider();
  const auto first = p.token_for_new_connection();
  f.creds->set(aws::Credentials{"AKIDOTHER", "secret2", "session", std::nullopt, "static"});
  const auto second = p.token_for_new_connection();
  EXPECT_NE(second, first);
  EXPECT_NE(second.find("AKIDOTHER"), std::string::npos);
}

TEST(RdsTokenProviderTest, NotReusedWhenTheCredentialsAreAboutToExpire) {
  Fixture f;
  f.creds->set(aws::Credentials{"AKIDEXAMPLE", "secret", "session", f.now + 5min, "container"});
  auto p = f.provider();
  const auto first = p.token_for_new_connection();
  f.now += 5min - aws::kRdsTokenCredentialsMargin - 1s;
  EXPECT_EQ(p.token_for_new_connection(), first);
  f.now += 1s;
  EXPECT_NE(p.token_for_new_connection(), first);
}

TEST(RdsTokenProviderTest, NoCredentialsIsAnErrorWithoutSecrets) {
  Fixture f;
  aws::RdsTokenOptions o;
  o.host = "h";
  o.user = "u";
  o.region = "us-east-1";
  o.credentials = aws::chain_credentials({});
  o.limiter = f.unlimited;
  aws::RdsTokenProvider p(std::move(o));
  try {
    p.token_for_new_connection();
    FAIL() << "expected aws::Error";
  } catch (const aws::Error& e) {
    EXPECT_EQ(e.code(), "CredentialsError");
  }
}

TEST(RdsTokenProviderTest, NoRegionIsAConfigError) {
  Fixture f;
  aws::RdsTokenOptions o;
  o.credentials = f.creds;
  EXPECT_THROW(aws::RdsTokenProvider{o}, aws::Error);
}

TEST(RdsTokenProviderTest, ThreadsShareOneToken) {
  Fixture f;
  auto p = f.provider();
  std::mutex m;
  std::set<std::string> seen;
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      for (int j = 0; j < 200; ++j) {
        auto t = p.token_for_new_connection();
        std::lock_guard lock(m);
        seen.insert(t);
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(seen.size(), 1U);
}

// Waits compared to the microsecond: the bucket counts in doubles.
std::chrono::microseconds us(std::chrono::nanoseconds d) {
  return std::chrono::round<std::chrono::microseconds>(d);
}

struct FakeSteady {
  aws::RateLimiter::SteadyClock::time_point now{};
  std::chrono::nanoseconds slept{0};
};

TEST(RateLimiterTest, BurstIsFreeThenOnePermitPerInterval) {
  FakeSteady clock;
  aws::RateLimiter limiter(
      20.0, 20.0, [&] { return clock.now; }, [&](std::chrono::nanoseconds d) { clock.slept += d; });
  for (int i = 0; i < 20; ++i) EXPECT_EQ(limiter.reserve(), 0ns) << i;
  EXPECT_EQ(us(limiter.reserve()), 50ms);   // the 21st waits one interval
  EXPECT_EQ(us(limiter.reserve()), 100ms);  // the 22nd queues behind it
  clock.now += 100ms;                       // both served; bucket empty again
  EXPECT_EQ(us(limiter.reserve()), 50ms);
}

TEST(RateLimiterTest, RefillsUpToTheBurstOnly) {
  FakeSteady clock;
  aws::RateLimiter limiter(20.0, 5.0, [&] { return clock.now; });
  for (int i = 0; i < 5; ++i) limiter.reserve();
  clock.now += 1h;  // long idle: still only 5 banked
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.reserve(), 0ns);
  EXPECT_GT(limiter.reserve(), 0ns);
}

TEST(RateLimiterTest, SustainedRateIsTheConfiguredRate) {
  // 1000 reservations at once: the last waits (1000 - burst) / rate seconds.
  FakeSteady clock;
  aws::RateLimiter limiter(aws::kIamConnectionsPerSecond, aws::kIamConnectionBurst,
                           [&] { return clock.now; });
  std::chrono::nanoseconds last{0};
  for (int i = 0; i < 1000; ++i) last = limiter.reserve();
  EXPECT_EQ(std::chrono::round<std::chrono::milliseconds>(last), 49s);
  EXPECT_LT(aws::kIamConnectionsPerSecond, 200.0 / 5);  // "well under" AWS's 200/s guidance
}

TEST(RateLimiterTest, AcquireSleepsWhatReserveSays) {
  FakeSteady clock;
  aws::RateLimiter limiter(
      10.0, 1.0, [&] { return clock.now; }, [&](std::chrono::nanoseconds d) { clock.slept += d; });
  limiter.acquire();
  limiter.acquire();
  EXPECT_EQ(us(clock.slept), 100ms);
}

TEST(RateLimiterTest, ProcessLimiterIsShared) {
  EXPECT_EQ(aws::iam_connection_limiter(), aws::iam_connection_limiter());
}

}  // namespace
