// settings: `mysite check`, modelled on Django's system checks and `check --deploy`.
// Looks only at the settings and the files they name.
#pragma once

#include <string>
#include <vector>

#include "settings/settings.hpp"

namespace settings {

struct Problem {
  std::string id;       // "mysite.E001" / "security.W009", as Django names its checks
  bool error = false;   // an error makes `mysite check` exit 1
  std::string message;  // starts with the setting's name
};

// Problems with `s`; `deploy` adds the checks that matter on AWS (DEBUG on, weak SECRET_KEY...)
// and turns them into errors.
std::vector<Problem> check(const Settings& s, bool deploy);

}  // namespace settings
