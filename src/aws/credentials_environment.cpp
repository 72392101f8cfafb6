// aws: the environment credential source (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN).
#include "aws/credential_providers.hpp"
#include "aws/error.hpp"

namespace aws {
namespace {

class EnvironmentProvider : public CredentialsProvider {
 public:
  explicit EnvironmentProvider(Env env) : env_(std::move(env)) {}

  std::optional<Credentials> load() override {
    auto id = env_("AWS_ACCESS_KEY_ID");
    auto secret = env_("AWS_SECRET_ACCESS_KEY");
    if (!id && !secret) return std::nullopt;
    if (!id || !secret) {
      throw Error("CredentialsError",
                  "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together");
    }
    Credentials creds;
    creds.access_key_id = std::move(*id);
    creds.secret_access_key = std::move(*secret);
    creds.session_token = env_("AWS_SESSION_TOKEN").value_or("");
    creds.source = "environment";
    return creds;
  }

 private:
  Env env_;
};

}  // namespace

std::shared_ptr<CredentialsProvider> environment_credentials(Env env) {
  return std::make_shared<EnvironmentProvider>(std::move(env));
}

}  // namespace aws
