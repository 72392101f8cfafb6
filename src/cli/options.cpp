#include "cli/options.hpp"

namespace cli {

Options::Options(const Args& args, std::set<std::string> valued, std::set<std::string> flags) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      positional_.push_back(arg);
      continue;
    }
    auto eq = arg.find('=');
    std::string name = arg.substr(0, eq);
    if (valued.count(name)) {
      if (eq != std::string::npos) {
        values_.emplace(name, arg.substr(eq + 1));
      } else {
        if (i + 1 >= args.size()) throw UsageError{name + " needs a value"};
        values_.emplace(name, args[++i]);
      }
    } else if (flags.count(name) && eq == std::string::npos) {
      flags_.insert(name);
    } else {
      throw UsageError{"unknown option " + name};
    }
  }
}

std::optional<std::string> Options::value(const std::string& name) const {
  auto range = values_.equal_range(name);
  if (range.first == range.second) return std::nullopt;
  return std::prev(range.second)->second;  // the last one wins
}

std::vector<std::string> Options::values(const std::string& name) const {
  std::vector<std::string> out;
  auto range = values_.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
  return out;
}

}  // namespace cli
