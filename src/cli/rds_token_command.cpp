// `mysite rds-token --host H --port P --user U [--region R]`: prints an RDS IAM authentication
// token, as `aws rds generate-db-auth-token` does, signed with the default credential chain.
// The token is a password: it goes to stdout only, never to stderr.
#include <cstdio>
#include <string>

#include "aws/aws_time.hpp"
#include "aws/endpoint.hpp"
#include "aws/error.hpp"
#include "aws/rds_token.hpp"
#include "cli/aws_services.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"

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

std::string required(const Options& options, const std::string& name) {
  auto value = options.value(name);
  if (!value || value->empty()) throw UsageError{name + " is required"};
  return *value;
}

}  // namespace

int rds_token_command(const Args& args, const Site&) {
  Options options(args, {"--host", "--port", "--user", "--region"});
  if (!options.positional().empty())
    throw UsageError{"unexpected argument " + options.positional()[0]};
  const std::string host = required(options, "--host");
  const int port = parse_port(required(options, "--port"));
  const std::string user = required(options, "--user");
  std::string region = options.value("--region").value_or("");
  if (region.empty()) region = aws::resolve_region(aws::system_env()).value_or("");
  if (region.empty()) {
    std::fputs("mysite rds-token: no region (pass --region or set AWS_REGION)\n", stderr);
    return 1;
  }
  auto credentials = process_credentials()->load();
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
