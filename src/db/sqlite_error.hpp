// db: maps SQLite result codes to db::Error kinds (internal to the SQLite backend).
// Knows nothing of connections or statements beyond the native handle.
#pragma once

#include <string_view>

#include "db/error.hpp"

struct sqlite3;

namespace db::sqlite_detail {

Error::Kind kind_for(int extended_code) noexcept;

// Builds an Error from the handle's last error, with `what` ("prepare", "step") and the SQL
// (truncated; it never contains values because they are always bound).
Error make_error(sqlite3* db, int code, std::string_view what, std::string_view sql);

}  // namespace db::sqlite_detail
