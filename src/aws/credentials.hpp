// aws: what a signer needs to prove who we are, and the interface every credential source has.
// Knows nothing of where credentials come from (see credential_providers.hpp) or of HTTP.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace aws {

// Never print a Credentials value: it holds the secret key and session token.
struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;                                        // empty for long-term keys
  std::optional<std::chrono::system_clock::time_point> expiration;  // none: never expires
  std::string source;  // "environment", "container", "profile:<name>", "imds", "static"
};

// A source of credentials. load() returns nullopt when this source is not configured here
// (its variables or files are absent), and throws aws::Error when it is configured but fails.
class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  virtual std::optional<Credentials> load() = 0;
};

}  // namespace aws
