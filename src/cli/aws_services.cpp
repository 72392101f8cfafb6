#include "cli/aws_services.hpp"

#include <memory>
#include <stdexcept>

#include "aws/credential_providers.hpp"
#include "aws/error.hpp"
#include "aws/rds_token_provider.hpp"

namespace cli {

std::function<std::string()> iam_password_provider(const settings::Settings& s) {
  if (s.aws_region.empty()) throw settings::Error("AWS_REGION: required when DB_AUTH is iam");
  aws::RdsTokenOptions options;
  options.host = s.db_host;
  options.port = s.db_port;
  options.user = s.db_user;
  options.region = s.aws_region;
  options.credentials = aws::process_credentials();
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
