// cli: the settings every command runs with: defaults, MYSITE_SETTINGS_FILE, the environment,
// and the JSON SSM parameter TASK_PARAMS names (read through the AWS client).
#pragma once

#include "settings/settings.hpp"

namespace cli {

settings::Settings load_settings();

}  // namespace cli
