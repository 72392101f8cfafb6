// Unit: credentials are cached, refreshed before expiry, kept through a failed refresh while
// still comfortably valid, and loaded once however many threads ask.
#include "aws/credentials_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "aws/aws_time.hpp"
#include "aws/error.hpp"

namespace {

using namespace std::chrono_literals;

class CountingProvider : public aws::CredentialsProvider {
 public:
  std::optional<aws::Credentials> load() override {
    ++calls;
    if (fail) throw aws::Error("CredentialsError", "endpoint down", true);
    aws::Credentials c{"AKID" + std::to_string(calls.load()), "s", "t", expiration, "test"};
    return c;
  }
  std::atomic<int> calls{0};
  std::atomic<bool> fail{false};
  std::optional<aws::Clock::time_point> expiration;
};

struct FakeClock {
  std::shared_ptr<aws::Clock::time_point> now =
      std::make_shared<aws::Clock::time_point>(aws::Clock::now());
  std::function<aws::Clock::time_point()> fn() const {
    return [n = now] { return *n; };
  }
};

TEST(CredentialsCacheTest, LongTermCredentialsAreLoadedOnce) {
  auto inner = std::make_shared<CountingProvider>();
  aws::CachingCredentialsProvider cache(inner);
  EXPECT_EQ(cache.load()->access_key_id, "AKID1");
  EXPECT_EQ(cache.load()->access_key_id, "AKID1");
  EXPECT_EQ(inner->calls, 1);
}

TEST(CredentialsCacheTest, RefreshesWithinTheAdvisoryWindow) {
  FakeClock clock;
  auto inner = std::make_shared<CountingProvider>();
  inner->expiration = *clock.now + 60min;
  aws::CachingCredentialsProvider cache(inner, {15min, 10min, clock.fn()});
  EXPECT_EQ(cache.load()->access_key_id, "AKID1");
  *clock.now += 44min;  // 16 min left: still fresh
  EXPECT_EQ(cache.load()->access_key_id, "AKID1");
  *clock.now += 2min;  // 14 min left: refresh
  inner->expiration = *clock.now + 60min;
  EXPECT_EQ(cache.load()->access_key_id, "AKID2");
  EXPECT_EQ(inner->calls, 2);
}

TEST(CredentialsCacheTest, FailedRefreshKeepsOldCredentialsUntilTheMandatoryWindow) {
  FakeClock clock;
  auto inner = std::make_shared<CountingProvider>();
  inner->expiration = *clock.now + 60min;
  aws::CachingCredentialsProvider cache(inner, {15min, 10min, clock.fn()});
  cache.load();
  inner->fail = true;
  *clock.now += 47min;  // 13 min left: advisory refresh fails, old ones still served
  EXPECT_EQ(cache.load()->access_key_id, "AKID1");
  *clock.now += 4min;  // 9 min left: mandatory refresh fails -> error
  EXPECT_THROW(cache.load(), aws::Error);
  inner->fail = false;
  EXPECT_EQ(cache.load()->access_key_id, "AKID4");
}

TEST(CredentialsCacheTest, ManyThreadsOneLoad) {
  auto inner = std::make_shared<CountingProvider>();
  inner->expiration = aws::Clock::now() + 60min;
  aws::CachingCredentialsProvider cache(inner);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) ok += cache.load()->access_key_id == "AKID1";
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 16000);
  EXPECT_EQ(inner->calls, 1);
}

TEST(CredentialsCacheTest, NotConfiguredStaysNotConfigured) {
  class Nothing : public aws::CredentialsProvider {
   public:
    std::optional<aws::Credentials> load() override { return std::nullopt; }
  };
  aws::CachingCredentialsProvider cache(std::make_shared<Nothing>());
  EXPECT_FALSE(cache.load().has_value());
}

}  // namespace
