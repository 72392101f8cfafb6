// aws: the SDKs' "standard" retry mode: which failures are retried and how long to wait
// (exponential backoff with full jitter, capped, bounded attempts). Knows nothing of HTTP.
#pragma once

#include <chrono>
#include <string_view>

#include "aws/env.hpp"

namespace aws {

struct RetryPolicy {
  int max_attempts = 3;                          // first try included (AWS_MAX_ATTEMPTS)
  std::chrono::milliseconds base_delay{1000};    // delay before retry n is rand * base * 2^(n-1)
  std::chrono::milliseconds max_backoff{20000};  // cap on any one delay
};

// The policy with AWS_MAX_ATTEMPTS applied (ignored when not a positive integer).
RetryPolicy retry_policy_from_env(const Env& env);

// Throttling codes ("Throttling", "ThrottlingException", "SlowDown", ...) and transient ones
// ("RequestTimeout", "InternalError", ...).
bool is_throttling_code(std::string_view code);
bool is_transient_code(std::string_view code);

// Whether a response with this status and error code should be retried: throttling and
// transient codes, 429, 500, 502, 503, 504.
bool is_retryable_response(int http_status, std::string_view code);

// Delay before attempt `attempt + 1` after failed attempt `attempt` (1-based), given a
// uniform random number in [0, 1).
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int attempt, double random01);

}  // namespace aws
