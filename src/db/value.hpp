// db: one column value as read from a result row (NULL, integer, real or text/blob).
// Knows nothing of backends or statements; a plain owning variant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

namespace db {

// Text and blobs both arrive as std::string (bytes, UTF-8 for text).
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

}  // namespace db
