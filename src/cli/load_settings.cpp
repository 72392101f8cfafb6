#include "cli/load_settings.hpp"

#include <cstdlib>

#include "cli/aws_services.hpp"

namespace cli {

settings::Settings load_settings() {
  settings::Sources sources;
  if (const char* file = std::getenv("MYSITE_SETTINGS_FILE"); file && *file) sources.file = file;
  sources.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (!value) return std::nullopt;
    return std::string(value);
  };
  sources.fetch_task_params = fetch_task_params;
  return settings::load(sources);
}

}  // namespace cli
