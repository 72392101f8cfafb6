// aws: where the shared config and credentials files are and which profile is selected
// (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, AWS_PROFILE). Knows nothing of their contents.
#pragma once

#include <optional>
#include <string>

#include "aws/env.hpp"

namespace aws {

// AWS_PROFILE, then AWS_DEFAULT_PROFILE, else "default".
std::string profile_name(const Env& env);

// AWS_CONFIG_FILE, else $HOME/.aws/config; nullopt without either.
std::optional<std::string> config_file_path(const Env& env);

// AWS_SHARED_CREDENTIALS_FILE, else $HOME/.aws/credentials; nullopt without either.
std::optional<std::string> credentials_file_path(const Env& env);

// The config file names profiles "[profile NAME]", except "[default]".
std::string config_section_name(const std::string& profile);

}  // namespace aws
