// aws: the SSM Parameter Store call the site needs (GetParameter, decrypted).
// Knows nothing of settings or of what the parameter holds.
#pragma once

#include <string>

#include "aws/client.hpp"

namespace aws {

struct Parameter {
  std::string name;
  std::string type;  // "String", "StringList", "SecureString"
  std::string value;
  long long version = 0;
};

class SsmClient {
 public:
  explicit SsmClient(ClientConfig config);

  // Throws aws::Error("ParameterNotFound", ...) when it does not exist. Example:
  //   auto params = nlohmann::json::parse(ssm.get_parameter("ecsTaskParams").value);
  Parameter get_parameter(const std::string& name, bool with_decryption = true) const;

 private:
  Client client_;
};

}  // namespace aws
