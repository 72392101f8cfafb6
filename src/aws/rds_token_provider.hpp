// aws: RDS IAM tokens for a process that opens database connections for days: one token reused
// for at most 10 minutes (a token opens connections for 15), renewed before it expires or when
// the credentials change, and new IAM connections rate-limited per process. Knows nothing of
// MySQL: it hands out passwords as strings (cli wires it into db::Config::password_provider).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "aws/aws_time.hpp"
#include "aws/credentials.hpp"

namespace aws {

// How long one token is handed out: well inside its 900 s lifetime, so a connection opened with
// it at the last moment still has minutes of validity for the handshake.
inline constexpr std::chrono::seconds kRdsTokenReuse{600};
// A token is not reused once its credentials are this close to expiring.
inline constexpr std::chrono::seconds kRdsTokenCredentialsMargin{60};
// AWS asks for fewer than 200 new IAM connections per second per database instance. 20/s per
// process keeps ten tasks of the site under that together; a pool refilling after a failover
// gets its first 20 connections at once (the burst), then one every 50 ms.
inline constexpr double kIamConnectionsPerSecond = 20.0;
inline constexpr double kIamConnectionBurst = 20.0;

// A token bucket: `rate` permits a second, at most `burst` banked. Thread-safe. Example:
//   aws::RateLimiter limiter(20.0, 20.0);
//   limiter.acquire();  // blocks until a permit is free
class RateLimiter {
 public:
  using SteadyClock = std::chrono::steady_clock;

  RateLimiter(double rate_per_second, double burst,
              std::function<SteadyClock::time_point()> now = SteadyClock::now,
              std::function<void(std::chrono::nanoseconds)> sleep = {});

  // Takes a permit and returns how long the caller must wait before using it (zero when one was
  // banked). Callers queue fairly: each reservation pushes the next one further out.
  std::chrono::nanoseconds reserve();
  // reserve(), then sleeps that long.
  void acquire();

 private:
  double rate_;
  double burst_;
  std::function<SteadyClock::time_point()> now_;
  std::function<void(std::chrono::nanoseconds)> sleep_;
  std::mutex mutex_;
  double permits_;
  SteadyClock::time_point last_;
};

// The limiter every RdsTokenProvider shares unless given another: kIamConnectionsPerSecond.
std::shared_ptr<RateLimiter> iam_connection_limiter();

struct RdsTokenOptions {
  std::string host;
  int port = 3306;
  std::string user;
  std::string region;
  std::shared_ptr<CredentialsProvider> credentials;  // e.g. aws::default_credentials()
  std::chrono::seconds reuse_for = kRdsTokenReuse;
  std::function<Clock::time_point()> now = Clock::now;  // the signing clock
  std::shared_ptr<RateLimiter> limiter;                 // null: iam_connection_limiter()
};

// Example (cli/database.cpp):
//   auto tokens = std::make_shared<aws::RdsTokenProvider>(options);
//   config.password_provider = [tokens] { return tokens->token_for_new_connection(); };
class RdsTokenProvider {
 public:
  explicit RdsTokenProvider(RdsTokenOptions options);

  // A token for one new connection. Waits for the rate limiter, then returns the current token
  // if it was made less than reuse_for ago with the credentials the chain returns now (and they
  // do not expire within kRdsTokenCredentialsMargin), else signs a new one. Thread-safe. Throws
  // aws::Error (CredentialsError, ConfigError) whose message never holds a token or secret.
  std::string token_for_new_connection();

 private:
  RdsTokenOptions options_;
  std::mutex mutex_;
  std::string token_;  // empty: none yet
  Clock::time_point renew_at_{};
  std::string signed_with_;  // access key id + session token the token was signed with
};

}  // namespace aws
