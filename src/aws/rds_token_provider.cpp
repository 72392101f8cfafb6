#include "aws/rds_token_provider.hpp"

#include <algorithm>
#include <thread>

#include "aws/error.hpp"
#include "aws/rds_token.hpp"

namespace aws {

RateLimiter::RateLimiter(double rate_per_second, double burst,
                         std::function<SteadyClock::time_point()> now,
                         std::function<void(std::chrono::nanoseconds)> sleep)
    : rate_(rate_per_second),
      burst_(std::max(1.0, burst)),
      now_(std::move(now)),
      sleep_(std::move(sleep)),
      permits_(burst_),
      last_(now_()) {
  if (!(rate_ > 0)) throw Error("ConfigError", "rate limiter: the rate must be positive");
  if (!sleep_) sleep_ = [](std::chrono::nanoseconds d) { std::this_thread::sleep_for(d); };
}

std::chrono::nanoseconds RateLimiter::reserve() {
  std::lock_guard lock(mutex_);
  const auto now = now_();
  if (now > last_) {
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    permits_ = std::min(burst_, permits_ + elapsed * rate_);
    last_ = now;
  }
  // A negative balance is a queue of callers already promised a later permit.
  permits_ -= 1.0;
  if (permits_ >= 0) return std::chrono::nanoseconds{0};
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::duration<double>(-permits_ / rate_));
}

void RateLimiter::acquire() {
  const auto wait = reserve();
  if (wait.count() > 0) sleep_(wait);
}

std::shared_ptr<RateLimiter> iam_connection_limiter() {
  static const auto limiter =
      std::make_shared<RateLimiter>(kIamConnectionsPerSecond, kIamConnectionBurst);
  return limiter;
}

RdsTokenProvider::RdsTokenProvider(RdsTokenOptions options) : options_(std::move(options)) {
  if (!options_.credentials) throw Error("ConfigError", "RDS IAM token: no credentials provider");
  if (options_.region.empty())
    throw Error("ConfigError", "RDS IAM token: no region (set AWS_REGION)");
  if (!options_.limiter) options_.limiter = iam_connection_limiter();
}

std::string RdsTokenProvider::token_for_new_connection() {
  options_.limiter->acquire();
  auto credentials = options_.credentials->load();
  if (!credentials)
    throw Error("CredentialsError", "RDS IAM token: no AWS credentials found in the default chain");
  const std::string identity = credentials->access_key_id + '\n' + credentials->secret_access_key +
                               '\n' + credentials->session_token;

  std::lock_guard lock(mutex_);
  const auto now = options_.now();
  if (!token_.empty() && now < renew_at_ && identity == signed_with_) return token_;

  token_ = generate_rds_auth_token(options_.host, options_.port, options_.user, options_.region,
                                   *credentials, now);
  renew_at_ = now + options_.reuse_for;
  if (credentials->expiration)
    renew_at_ = std::min(renew_at_, *credentials->expiration - kRdsTokenCredentialsMargin);
  signed_with_ = identity;
  return token_;
}

}  // namespace aws
