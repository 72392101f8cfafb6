#include "cli/aws_services.hpp"

#include "aws/client.hpp"
#include "aws/credential_providers.hpp"
#include "aws/error.hpp"
#include "aws/rds_token_provider.hpp"
#include "aws/ssm.hpp"

namespace cli {

std::shared_ptr<aws::CredentialsProvider> process_credentials() {
  static const auto credentials = aws::default_credentials();
  return credentials;
}

std::string fetch_task_params(const std::string& name) {
  const std::string where = "TASK_PARAMS: SSM parameter '" + name + "'";
  try {
    aws::SsmClient ssm(
        aws::client_config_from_env(aws::ssm_service(), aws::system_env(), process_credentials()));
    return ssm.get_parameter(name, true).value;
  } catch (const aws::Error& e) {
    if (e.code() == "ParameterNotFound") throw settings::Error(where + " not found");
    throw settings::Error(where + " could not be read: " + e.what());
  }
}

std::function<std::string()> iam_password_provider(const settings::Settings& s) {
  if (s.aws_region.empty()) throw settings::Error("AWS_REGION: required when DB_AUTH is iam");
  aws::RdsTokenOptions options;
  options.host = s.db_host;
  options.port = s.db_port;
  options.user = s.db_user;
  options.region = s.aws_region;
  options.credentials = process_credentials();
  auto tokens = std::make_shared<aws::RdsTokenProvider>(std::move(options));
  return [tokens] {
    try {
      return tokens->token_for_new_connection();
    } catch (const aws::Error& e) {
      // aws::Error messages carry no secrets; say which part failed.
      throw std::runtime_error("RDS IAM token: " + std::string(e.what()));
    }
  };
}

}  // namespace cli
