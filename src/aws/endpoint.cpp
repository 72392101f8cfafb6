#include "aws/endpoint.hpp"

#include "aws/ini.hpp"
#include "aws/shared_files.hpp"
#include "aws/strings.hpp"

namespace aws {

ServiceInfo ssm_service() { return {"ssm", "ssm", "SSM"}; }
ServiceInfo secrets_manager_service() {
  return {"secretsmanager", "secretsmanager", "SECRETS_MANAGER"};
}
ServiceInfo s3_service() { return {"s3", "s3", "S3"}; }

std::optional<std::string> resolve_region(const Env& env) {
  if (auto region = env("AWS_REGION")) return region;
  if (auto region = env("AWS_DEFAULT_REGION")) return region;
  if (const auto config = read_ini_file(config_file_path(env).value_or(""))) {
    const auto section = config->find(config_section_name(profile_name(env)));
    if (section != config->end()) {
      if (const auto it = section->second.find("region"); it != section->second.end()) {
        if (!it->second.empty()) return it->second;
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> configured_endpoint(const Env& env, std::string_view env_suffix) {
  if (env_flag(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) return std::nullopt;
  auto url = env(cat({"AWS_ENDPOINT_URL_", env_suffix}));
  if (!url) url = env("AWS_ENDPOINT_URL");
  if (!url) return std::nullopt;
  std::string value(trim(*url));
  while (!value.empty() && value.back() == '/') value.pop_back();
  return value;
}

std::string default_endpoint(std::string_view endpoint_prefix, std::string_view region) {
  const std::string_view suffix =
      region.substr(0, 3) == "cn-" ? ".amazonaws.com.cn" : ".amazonaws.com";
  return cat({"https://", endpoint_prefix, ".", region, suffix});
}

}  // namespace aws
