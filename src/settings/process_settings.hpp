// settings: how every program of the project reads its settings, in one order: built-in
// defaults, the JSON file MYSITE_SETTINGS_FILE names, the environment, then the JSON SSM
// parameter TASK_PARAMS names (fetched with the process's AWS credentials). `mysite` (every
// subcommand) and `db-initializer` call this and nothing else, so a container started with only
// TASK_PARAMS sees the same settings whatever it runs. The one settings file that knows AWS;
// settings.hpp stays free of it.
#pragma once

#include <string>

#include "aws/env.hpp"
#include "settings/settings.hpp"

namespace settings {

// The settings of this process. `env` is the environment (an unset or empty variable counts as
// unset); tests pass aws::map_env. Throws Error naming the setting when a value is bad, or
// naming TASK_PARAMS and the parameter when it cannot be read.
Settings load_process_settings(const aws::Env& env = aws::system_env());

// The JSON text of SSM parameter `name` (GetParameter, decrypted), with the AWS client's
// retries, over `env` (region, endpoint) and aws::process_credentials(). Throws Error naming
// TASK_PARAMS and the parameter when it is missing or cannot be read.
std::string fetch_task_params(const std::string& name, const aws::Env& env = aws::system_env());

}  // namespace settings
