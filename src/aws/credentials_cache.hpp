// aws: caches another provider's credentials and refreshes them before they expire; safe to
// call from many threads. Knows nothing of where the credentials come from.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "aws/credentials.hpp"

namespace aws {

struct CredentialsCacheOptions {
  // Refresh when this close to expiry; if the refresh fails, keep the old ones...
  std::chrono::seconds advisory_refresh{15 * 60};
  // ...until this close to expiry, when a failed refresh is an error.
  std::chrono::seconds mandatory_refresh{10 * 60};
  std::function<std::chrono::system_clock::time_point()> now = std::chrono::system_clock::now;
};

class CachingCredentialsProvider : public CredentialsProvider {
 public:
  explicit CachingCredentialsProvider(std::shared_ptr<CredentialsProvider> inner,
                                      CredentialsCacheOptions options = {});

  // Cached credentials, refreshed as the options say. One thread refreshes at a time; the
  // others wait for it rather than calling the source again.
  std::optional<Credentials> load() override;

 private:
  std::shared_ptr<CredentialsProvider> inner_;
  CredentialsCacheOptions options_;
  std::mutex mutex_;
  std::optional<Credentials> cached_;
};

}  // namespace aws
