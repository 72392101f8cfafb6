// aws: the fixed and chained credential sources, and the SDKs' default chain (cached).
#include "aws/credential_providers.hpp"

namespace aws {
namespace {

class StaticProvider : public CredentialsProvider {
 public:
  explicit StaticProvider(Credentials creds) : creds_(std::move(creds)) {}
  std::optional<Credentials> load() override { return creds_; }

 private:
  Credentials creds_;
};

class ChainProvider : public CredentialsProvider {
 public:
  explicit ChainProvider(std::vector<std::shared_ptr<CredentialsProvider>> providers)
      : providers_(std::move(providers)) {}

  std::optional<Credentials> load() override {
    for (const auto& provider : providers_) {
      if (auto creds = provider->load()) return creds;
    }
    return std::nullopt;
  }

 private:
  std::vector<std::shared_ptr<CredentialsProvider>> providers_;
};

}  // namespace

std::shared_ptr<CredentialsProvider> static_credentials(Credentials credentials) {
  if (credentials.source.empty()) credentials.source = "static";
  return std::make_shared<StaticProvider>(std::move(credentials));
}

std::shared_ptr<CredentialsProvider> chain_credentials(
    std::vector<std::shared_ptr<CredentialsProvider>> providers) {
  return std::make_shared<ChainProvider>(std::move(providers));
}

std::shared_ptr<CredentialsProvider> default_credentials(const Env& env,
                                                         const DefaultCredentialsOptions& options) {
  auto chain = chain_credentials({environment_credentials(env), profile_credentials(env),
                                  container_credentials(env, options.container),
                                  imds_credentials(env, options.imds)});
  return std::make_shared<CachingCredentialsProvider>(std::move(chain), options.cache);
}

std::shared_ptr<CredentialsProvider> process_credentials() {
  static const auto credentials = default_credentials();
  return credentials;
}

}  // namespace aws
