// origin-group: the process, a Lambda custom runtime serving handler.hpp's custom resource.
// Knows nothing of EC2 or CloudFormation beyond what handler.hpp offers.
#include <chrono>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "aws/client.hpp"
#include "aws/ec2.hpp"
#include "handler.hpp"
#include "lambda/runtime_api.hpp"
#include "lambda/runtime_loop.hpp"

namespace {

constexpr const char* kUsage =
    "usage: origin-group [HANDLER]\n"
    "\n"
    "A CloudFormation custom resource served from Lambda (AWS_LAMBDA_RUNTIME_API): returns the id\n"
    "of the security group CloudFront gives its VPC origins' interfaces in a VPC\n"
    "(ResourceProperties VpcId, GroupName), as Data.GroupId. HANDLER is ignored.\n";

void log_line(const std::string& line) {
  std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg.starts_with("-") || i > 1) {
      std::fprintf(stderr, "origin-group: unexpected argument '%s'\n%s", argv[i], kUsage);
      return 2;
    }
  }
  const auto env = aws::system_env();
  const std::optional<std::string> endpoint = env("AWS_LAMBDA_RUNTIME_API");
  if (!endpoint) {
    std::fprintf(stderr,
                 "origin-group: AWS_LAMBDA_RUNTIME_API is not set: this runs inside Lambda\n");
    return 2;
  }
  std::optional<lambda::RuntimeApi> api;
  std::optional<aws::Ec2Client> ec2;
  aws::ClientConfig config;
  try {
    api.emplace(*endpoint);
    config = aws::client_config_from_env(aws::ec2_service(), env);
    ec2.emplace(config);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "origin-group: cannot start: %s\n", e.what());
    if (api) {
      try {
        api->report_init_error("Runtime.InitError", e.what());
      } catch (const std::exception&) {
      }
    }
    return 1;
  }
  origin_group::Services services;
  services.ec2 = &*ec2;
  services.http = config.http;
  services.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  services.log = log_line;
  return lambda::run_loop(
      *api,
      [&](const lambda::Invocation& invocation) {
        const auto event = nlohmann::json::parse(invocation.payload, nullptr, false);
        const origin_group::Answer answer =
            origin_group::handle(event, services, invocation.deadline);
        return lambda::Outcome::success(nlohmann::json{
            {"Status", answer.success ? "SUCCESS" : "FAILED"},
            {"PhysicalResourceId",
             answer.physical_id}}.dump());
      },
      log_line);
}
