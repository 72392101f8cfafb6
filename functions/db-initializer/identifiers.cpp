#include "identifiers.hpp"

#include <algorithm>

namespace db_init {

namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::string shown(std::string_view name) {
  // Enough to recognise the value, never a whole paragraph of it.
  constexpr std::size_t kShown = 80;
  std::string out(1, '\'');
  out.append(name.substr(0, kShown));
  out.append(name.size() > kShown ? "...'" : "'");
  return out;
}

}  // namespace

void check_user_name(std::string_view setting, std::string_view name) {
  if (name.empty())
    throw ConfigError(std::string(setting) + ": required (the database user to create)");
  if (name.size() > kMaxUserNameLength)
    throw ConfigError(std::string(setting) + ": at most " + std::to_string(kMaxUserNameLength) +
                      " characters, got " + shown(name));
  if (!std::all_of(name.begin(), name.end(),
                   [](char c) { return is_alnum(c) || c == '_' || c == '.' || c == '-'; }))
    throw ConfigError(std::string(setting) + ": expected letters, digits, '_', '.' or '-', got " +
                      shown(name));
}

void check_database_name(std::string_view setting, std::string_view name) {
  if (name.empty())
    throw ConfigError(std::string(setting) + ": required (the database to grant on)");
  if (name.size() > kMaxDatabaseNameLength)
    throw ConfigError(std::string(setting) + ": at most " + std::to_string(kMaxDatabaseNameLength) +
                      " characters, got " + shown(name));
  if (!std::all_of(name.begin(), name.end(),
                   [](char c) { return is_alnum(c) || c == '_' || c == '$'; }))
    throw ConfigError(std::string(setting) + ": expected letters, digits, '_' or '$', got " +
                      shown(name));
  if (std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; }))
    throw ConfigError(std::string(setting) + ": must not be only digits, got " + shown(name));
}

std::string quote_string(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "''";
    else if (c == '\\')
      out += "\\\\";
    else
      out += c;
  }
  return out + "'";
}

std::string quote_identifier(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`')
      out += "``";
    else
      out += c;
  }
  return out + "`";
}

}  // namespace db_init
