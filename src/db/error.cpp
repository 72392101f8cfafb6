#include "db/error.hpp"

namespace db {

Error::Error(Kind kind, const std::string& message, int native_code)
    : std::runtime_error(message), kind_(kind), native_code_(native_code) {}

std::string_view to_string(Error::Kind kind) noexcept {
  using K = Error::Kind;
  switch (kind) {
    case K::connection_lost: return "connection_lost";
    case K::constraint_violation: return "constraint_violation";
    case K::timeout: return "timeout";
    case K::busy: return "busy";
    case K::syntax: return "syntax";
    case K::not_found: return "not_found";
    case K::config: return "config";
    case K::other: return "other";
  }
  return "unknown";
}

}  // namespace db
