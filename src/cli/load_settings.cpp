#include "cli/load_settings.hpp"

namespace cli {

settings::Settings load_settings() { return settings::load_from_environment(); }

}  // namespace cli
