#include "db/dialect.hpp"

namespace db {

std::string_view to_string(Dialect dialect) noexcept {
  switch (dialect) {
    case Dialect::sqlite: return "sqlite";
    case Dialect::mysql: return "mysql";
  }
  return "unknown";
}

std::optional<Dialect> parse_dialect(std::string_view text) noexcept {
  if (text == "sqlite") return Dialect::sqlite;
  if (text == "mysql") return Dialect::mysql;
  return std::nullopt;
}

}  // namespace db
