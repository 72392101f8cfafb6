#include "aws/shared_files.hpp"

namespace aws {

std::string profile_name(const Env& env) {
  if (auto name = env("AWS_PROFILE")) return *name;
  if (auto name = env("AWS_DEFAULT_PROFILE")) return *name;
  return "default";
}

std::optional<std::string> config_file_path(const Env& env) {
  if (auto path = env("AWS_CONFIG_FILE")) return path;
  if (auto home = env("HOME")) return *home + "/.aws/config";
  return std::nullopt;
}

std::optional<std::string> credentials_file_path(const Env& env) {
  if (auto path = env("AWS_SHARED_CREDENTIALS_FILE")) return path;
  if (auto home = env("HOME")) return *home + "/.aws/credentials";
  return std::nullopt;
}

std::string config_section_name(const std::string& profile) {
  return profile == "default" ? profile : "profile " + profile;
}

}  // namespace aws
