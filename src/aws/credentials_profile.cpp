// aws: the shared-files credential source (~/.aws/credentials, then ~/.aws/config, for the
// profile AWS_PROFILE names).
#include "aws/credential_providers.hpp"
#include "aws/error.hpp"
#include "aws/ini.hpp"
#include "aws/shared_files.hpp"
#include "aws/strings.hpp"

namespace aws {
namespace {

using Section = std::map<std::string, std::string>;

std::optional<Credentials> from_section(const Section& section, const std::string& source) {
  const auto get = [&](const char* key) -> std::string {
    const auto it = section.find(key);
    return it == section.end() ? std::string() : it->second;
  };
  Credentials creds;
  creds.access_key_id = get("aws_access_key_id");
  creds.secret_access_key = get("aws_secret_access_key");
  if (creds.access_key_id.empty() && creds.secret_access_key.empty()) return std::nullopt;
  if (creds.access_key_id.empty() || creds.secret_access_key.empty()) {
    throw Error(
        "CredentialsError",
        cat({source, ": aws_access_key_id and aws_secret_access_key must be set together"}));
  }
  creds.session_token = get("aws_session_token");
  creds.source = source;
  return creds;
}

class ProfileProvider : public CredentialsProvider {
 public:
  explicit ProfileProvider(Env env) : env_(std::move(env)) {}

  std::optional<Credentials> load() override {
    const std::string profile = profile_name(env_);
    const std::string source = cat({"profile:", profile});
    bool found = false;
    if (const auto path = credentials_file_path(env_)) {
      if (const auto file = read_ini_file(*path)) {
        if (const auto it = file->find(profile); it != file->end()) {
          found = true;
          if (auto creds = from_section(it->second, source)) return creds;
        }
      }
    }
    if (const auto path = config_file_path(env_)) {
      if (const auto file = read_ini_file(*path)) {
        if (const auto it = file->find(config_section_name(profile)); it != file->end()) {
          found = true;
          if (auto creds = from_section(it->second, source)) return creds;
        }
      }
    }
    const bool explicit_profile =
        env_("AWS_PROFILE").has_value() || env_("AWS_DEFAULT_PROFILE").has_value();
    if (!found && explicit_profile) {
      throw Error("ConfigError", cat({"profile '", profile, "' not found in the shared files"}));
    }
    return std::nullopt;
  }

 private:
  Env env_;
};

}  // namespace

std::shared_ptr<CredentialsProvider> profile_credentials(Env env) {
  return std::make_shared<ProfileProvider>(std::move(env));
}

}  // namespace aws
