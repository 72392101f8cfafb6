#include "aws/ini.hpp"

#include <fstream>
#include <sstream>

#include "aws/strings.hpp"

namespace aws {
namespace {

std::string_view strip_comment(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    if ((line[i] == '#' || line[i] == ';') &&
        (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
      return line.substr(0, i);
    }
  }
  return line;
}

std::string collapse_spaces(std::string_view text) {
  std::string out;
  for (char c : text) {
    if ((c == ' ' || c == '\t') && (out.empty() || out.back() == ' ')) continue;
    out.push_back(c == '\t' ? ' ' : c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

IniFile parse_ini(std::string_view text) {
  IniFile file;
  std::string section;
  bool in_section = false;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(start, end - start);
    start = end + 1;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    const bool indented = !raw.empty() && (raw.front() == ' ' || raw.front() == '\t');
    const std::string_view line = trim(strip_comment(raw));
    if (line.empty() || indented) continue;
    if (line.front() == '[') {
      const std::size_t close = line.find(']');
      if (close == std::string_view::npos) continue;
      section = collapse_spaces(trim(line.substr(1, close - 1)));
      in_section = true;
      file[section];
      continue;
    }
    const std::size_t eq = line.find('=');
    if (!in_section || eq == std::string_view::npos) continue;
    file[section][to_lower(trim(line.substr(0, eq)))] = std::string(trim(line.substr(eq + 1)));
  }
  return file;
}

std::optional<IniFile> read_ini_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse_ini(buffer.str());
}

}  // namespace aws
