#include "aws/retry.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace aws {
namespace {

constexpr std::array<std::string_view, 15> kThrottlingCodes = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
    "ThrottledByService"};

constexpr std::array<std::string_view, 5> kTransientCodes = {
    "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure",
    "ServiceUnavailable"};

}  // namespace

RetryPolicy retry_policy_from_env(const Env& env) {
  RetryPolicy policy;
  if (const auto value = env("AWS_MAX_ATTEMPTS")) {
    int n = 0;
    const auto [ptr, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
    if (ec == std::errc{} && ptr == value->data() + value->size() && n > 0) policy.max_attempts = n;
  }
  return policy;
}

bool is_throttling_code(std::string_view code) {
  return std::find(kThrottlingCodes.begin(), kThrottlingCodes.end(), code) !=
         kThrottlingCodes.end();
}

bool is_transient_code(std::string_view code) {
  return std::find(kTransientCodes.begin(), kTransientCodes.end(), code) != kTransientCodes.end();
}

bool is_retryable_response(int http_status, std::string_view code) {
  if (is_throttling_code(code) || is_transient_code(code)) return true;
  return http_status == 429 || http_status == 500 || http_status == 502 || http_status == 503 ||
         http_status == 504;
}

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int attempt, double random01) {
  const int exponent = std::clamp(attempt - 1, 0, 30);
  const double ceiling = std::min(
      static_cast<double>(policy.base_delay.count()) * static_cast<double>(1LL << exponent),
      static_cast<double>(policy.max_backoff.count()));
  const double r = std::clamp(random01, 0.0, 1.0);
  return std::chrono::milliseconds{static_cast<long long>(r * ceiling)};
}

}  // namespace aws
