#include "cli/password_prompt.hpp"

#include <termios.h>
#include <unistd.h>

#include <iostream>

namespace cli {

std::optional<std::string> read_password(const std::string& prompt) {
  std::fputs(prompt.c_str(), stderr);
  std::fflush(stderr);
  std::string line;
  if (!::isatty(STDIN_FILENO)) {
    if (!std::getline(std::cin, line)) return std::nullopt;
    return line;
  }
  termios saved{};
  ::tcgetattr(STDIN_FILENO, &saved);
  termios quiet = saved;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  const bool ok = static_cast<bool>(std::getline(std::cin, line));
  ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  std::fputs("\n", stderr);
  if (!ok) return std::nullopt;
  return line;
}

}  // namespace cli
