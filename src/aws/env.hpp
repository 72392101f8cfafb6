// aws: how the client reads its environment, as a function so tests can pass a map instead of
// calling setenv (which is not thread-safe). Knows nothing of what the variables mean.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace aws {

// Returns the variable's value, or nullopt when it is unset or empty.
using Env = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment (getenv).
Env system_env();

// A fixed environment, for tests. Example: aws::map_env({{"AWS_REGION", "eu-west-1"}}).
Env map_env(std::map<std::string, std::string> values);

// True for "true"/"1"/"yes" (case-insensitive).
bool env_flag(const Env& env, const std::string& name);

}  // namespace aws
