// aws: reads the shared ~/.aws/credentials and ~/.aws/config files (INI as the SDKs parse it).
// Knows nothing of credential precedence or profiles' meaning beyond section names.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace aws {

// section name -> key -> value. Keys are lowercased; section names kept as written but trimmed
// and with inner runs of spaces collapsed ("profile  dev" -> "profile dev").
using IniFile = std::map<std::string, std::map<std::string, std::string>>;

// '#' and ';' start comments (at line start, or after whitespace); indented lines continue the
// previous key (nested S3 settings) and are skipped; malformed lines are ignored.
IniFile parse_ini(std::string_view text);

// nullopt when the file cannot be read.
std::optional<IniFile> read_ini_file(const std::string& path);

}  // namespace aws
