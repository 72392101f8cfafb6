// `mysite rds-token [--host H] [--port P] [--user U] [--region R]`: prints an RDS IAM
// authentication token, as `aws rds generate-db-auth-token` does, signed with the default
// credential chain. Unset options come from the settings (DB_HOST, DB_PORT, DB_USER,
// AWS_REGION), so inside a task it prints the token the site itself would send.
// The token is a password: it goes to stdout only, never to stderr.
#include <cstdio>
#include <string>

#include "aws/aws_time.hpp"
#include "aws/credential_providers.hpp"
#include "aws/endpoint.hpp"
#include "aws/error.hpp"
#include "aws/rds_token.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "settings/process_settings.hpp"

namespace cli {

namespace {

int parse_port(const std::string& text) {
  int port = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || port > 65535)
      throw UsageError{"--port: expected 1-65535, got '" + text + "'"};
    port = port * 10 + (c - '0');
  }
  if (text.empty() || port < 1 || port > 65535)
    throw UsageError{"--port: expected 1-65535, got '" + text + "'"};
  return port;
}

// The option's value, else the setting's; UsageError when neither is set.
std::string option_or_setting(const Options& options, const std::string& option,
                              const std::string& setting_name, const std::string& setting) {
  auto value = options.value(option);
  if (value && !value->empty()) return *value;
  if (!setting.empty()) return setting;
  throw UsageError{option + " is required (or set " + setting_name + ")"};
}

}  // namespace

int rds_token_command(const Args& args, const Site&) {
  Options options(args, {"--host", "--port", "--user", "--region"});
  if (!options.positional().empty())
    throw UsageError{"unexpected argument " + options.positional()[0]};
  const auto s = settings::load_process_settings();
  const std::string host = option_or_setting(options, "--host", "DB_HOST", s.db_host);
  const int port = parse_port(options.value("--port").value_or(std::to_string(s.db_port)));
  const std::string user = option_or_setting(options, "--user", "DB_USER", s.db_user);
  std::string region = options.value("--region").value_or(s.aws_region);
  if (region.empty()) region = aws::resolve_region(aws::system_env()).value_or("");
  if (region.empty()) {
    std::fputs("mysite rds-token: no region (pass --region or set AWS_REGION)\n", stderr);
    return 1;
  }
  auto credentials = aws::process_credentials()->load();
  if (!credentials) {
    std::fputs("mysite rds-token: no AWS credentials found in the default chain\n", stderr);
    return 1;
  }
  const std::string token =
      aws::generate_rds_auth_token(host, port, user, region, *credentials, aws::Clock::now());
  std::printf("%s\n", token.c_str());
  return 0;
}

}  // namespace cli
