// db: the SQL dialects the data layer speaks (SQLite embedded, MySQL/Aurora).
// Knows nothing of connections or settings; only names and parses the engine.
#pragma once

#include <optional>
#include <string_view>

namespace db {

// Which backend a connection talks to. Migrations pick per-dialect SQL with it.
enum class Dialect { sqlite, mysql };

// "sqlite" / "mysql", as written in DB_ENGINE.
std::string_view to_string(Dialect dialect) noexcept;

// Parses a DB_ENGINE value ("sqlite", "mysql"); nullopt for anything else.
std::optional<Dialect> parse_dialect(std::string_view text) noexcept;

}  // namespace db
