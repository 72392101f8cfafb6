#include "aws/credentials_cache.hpp"

#include "aws/error.hpp"

namespace aws {

CachingCredentialsProvider::CachingCredentialsProvider(std::shared_ptr<CredentialsProvider> inner,
                                                       CredentialsCacheOptions options)
    : inner_(std::move(inner)), options_(std::move(options)) {}

std::optional<Credentials> CachingCredentialsProvider::load() {
  std::lock_guard lock(mutex_);
  const auto now = options_.now();
  if (cached_ && (!cached_->expiration || now < *cached_->expiration - options_.advisory_refresh)) {
    return cached_;
  }
  try {
    auto fresh = inner_->load();
    if (fresh) {
      cached_ = std::move(fresh);
      return cached_;
    }
    if (!cached_) return std::nullopt;
    throw Error("CredentialsError", "credentials source no longer configured");
  } catch (const Error&) {
    if (cached_ && cached_->expiration && now < *cached_->expiration - options_.mandatory_refresh) {
      return cached_;  // still comfortably valid: try again on a later call
    }
    throw;
  }
}

}  // namespace aws
