// cli: reads a password for createsuperuser/changepassword: from the terminal without echo
// (termios), or one line from stdin when stdin is not a terminal (scripts, tests).
#pragma once

#include <optional>
#include <string>

namespace cli {

// Prints `prompt` on stderr and reads one line; nullopt at end of input.
std::optional<std::string> read_password(const std::string& prompt);

// Asks twice until both agree and `check` returns no problems (printed on stderr), at most
// three times. nullopt when the input ends or the tries run out.
template <class Check>
std::optional<std::string> ask_new_password(Check check);

}  // namespace cli

#include <cstdio>
#include <vector>

namespace cli {

template <class Check>
std::optional<std::string> ask_new_password(Check check) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto first = read_password("Password: ");
    if (!first) return std::nullopt;
    auto second = read_password("Password (again): ");
    if (!second) return std::nullopt;
    if (*first != *second) {
      std::fputs("Error: Your passwords didn't match.\n", stderr);
      continue;
    }
    if (first->empty()) {
      std::fputs("Error: Blank passwords aren't allowed.\n", stderr);
      continue;
    }
    std::vector<std::string> problems = check(*first);
    if (problems.empty()) return first;
    for (const auto& p : problems) std::fprintf(stderr, "%s\n", p.c_str());
  }
  return std::nullopt;
}

}  // namespace cli
