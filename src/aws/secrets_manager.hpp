// aws: the Secrets Manager call the DB initializer needs (GetSecretValue).
// Knows nothing of what the secret holds.
#pragma once

#include <optional>
#include <string>

#include "aws/client.hpp"

namespace aws {

struct SecretValue {
  std::string arn;
  std::string name;
  std::string version_id;
  std::optional<std::string> secret_string;
  std::optional<std::string> secret_binary;  // decoded bytes
};

class SecretsManagerClient {
 public:
  explicit SecretsManagerClient(ClientConfig config);

  // Throws aws::Error("ResourceNotFoundException", ...) when it does not exist.
  SecretValue get_secret_value(const std::string& secret_id,
                               const std::string& version_stage = "") const;

 private:
  Client client_;
};

}  // namespace aws
