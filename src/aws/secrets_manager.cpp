#include "aws/secrets_manager.hpp"

#include "aws/crypto.hpp"
#include "aws/json_protocol.hpp"

namespace aws {

SecretsManagerClient::SecretsManagerClient(ClientConfig config)
    : client_(secrets_manager_service(), std::move(config)) {}

SecretValue SecretsManagerClient::get_secret_value(const std::string& secret_id,
                                                   const std::string& version_stage) const {
  nlohmann::json input{{"SecretId", secret_id}};
  if (!version_stage.empty()) input["VersionStage"] = version_stage;
  const auto output = call_json_operation(client_, "secretsmanager.GetSecretValue", input);
  SecretValue secret;
  secret.arn = output.value("ARN", "");
  secret.name = output.value("Name", "");
  secret.version_id = output.value("VersionId", "");
  if (output.contains("SecretString") && output["SecretString"].is_string()) {
    secret.secret_string = output["SecretString"].get<std::string>();
  }
  if (output.contains("SecretBinary") && output["SecretBinary"].is_string()) {
    secret.secret_binary = base64_decode(output["SecretBinary"].get<std::string>());
  }
  if (!secret.secret_string && !secret.secret_binary) {
    throw Error("InvalidResponse",
                "GetSecretValue: response has neither SecretString nor SecretBinary");
  }
  return secret;
}

}  // namespace aws
