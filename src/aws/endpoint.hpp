// aws: which region and which endpoint URL a service call goes to, as the SDKs decide it
// (AWS_REGION, AWS_DEFAULT_REGION, profile region; AWS_ENDPOINT_URL[_<SERVICE>]).
// Knows nothing of signing or transport.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "aws/env.hpp"

namespace aws {

// What the client needs to know about one service.
struct ServiceInfo {
  std::string endpoint_prefix;  // host prefix: "ssm", "secretsmanager", "s3"
  std::string signing_name;     // SigV4 service name
  std::string env_suffix;       // AWS_ENDPOINT_URL_<env_suffix>: "SSM", "SECRETS_MANAGER", "S3"
};

ServiceInfo ssm_service();
ServiceInfo secrets_manager_service();
ServiceInfo s3_service();

// AWS_REGION, then AWS_DEFAULT_REGION, then `region` of the AWS_PROFILE profile in the config
// file; nullopt when none is set.
std::optional<std::string> resolve_region(const Env& env);

// AWS_ENDPOINT_URL_<suffix>, then AWS_ENDPOINT_URL; nullopt when neither is set or when
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true. Trailing slashes removed.
std::optional<std::string> configured_endpoint(const Env& env, std::string_view env_suffix);

// "https://<prefix>.<region>.amazonaws.com" (".amazonaws.com.cn" in China regions).
std::string default_endpoint(std::string_view endpoint_prefix, std::string_view region);

}  // namespace aws
