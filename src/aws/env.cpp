#include "aws/env.hpp"

#include <cstdlib>

#include "aws/strings.hpp"

namespace aws {

Env system_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
  };
}

Env map_env(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
    const auto it = values.find(name);
    if (it == values.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
}

bool env_flag(const Env& env, const std::string& name) {
  const auto value = env(name);
  if (!value) return false;
  const std::string v = to_lower(trim(*value));
  return v == "true" || v == "1" || v == "yes";
}

}  // namespace aws
