// aws: parses the JSON credentials document served by the ECS container endpoint and IMDS.
#include <nlohmann/json.hpp>

#include "aws/aws_time.hpp"
#include "aws/credential_providers.hpp"
#include "aws/error.hpp"
#include "aws/strings.hpp"

namespace aws {

Credentials parse_credentials_json(std::string_view body, std::string source) {
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) {
    throw Error("CredentialsError", cat({source, ": credentials response is not a JSON object"}));
  }
  const auto field = [&](const char* name, bool required) -> std::string {
    if (json.contains(name) && json[name].is_string()) return json[name].get<std::string>();
    if (required)
      throw Error("CredentialsError", cat({source, ": credentials response lacks ", name}));
    return {};
  };
  Credentials creds;
  creds.access_key_id = field("AccessKeyId", true);
  creds.secret_access_key = field("SecretAccessKey", true);
  creds.session_token = field("Token", false);
  if (const std::string expiration = field("Expiration", false); !expiration.empty()) {
    creds.expiration = parse_iso8601(expiration);
  }
  creds.source = std::move(source);
  return creds;
}

}  // namespace aws
