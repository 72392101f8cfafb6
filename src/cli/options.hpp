// cli: a small command-line option parser for the subcommands: "--name VALUE",
// "--name=VALUE", repeatable options, flags and positional arguments. Unknown options are
// usage errors. (Boost.Program_options would do, but adds a compiled library for ~60 lines.)
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace cli {

class Options {
 public:
  // `valued`: options that take a value; `flags`: options that do not.
  Options(const Args& args, std::set<std::string> valued, std::set<std::string> flags = {});

  std::optional<std::string> value(const std::string& name) const;
  std::vector<std::string> values(const std::string& name) const;
  bool flag(const std::string& name) const { return flags_.count(name) > 0; }
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::multimap<std::string, std::string> values_;
  std::set<std::string> flags_;
  std::vector<std::string> positional_;
};

}  // namespace cli
