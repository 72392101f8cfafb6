// db: maps MariaDB/MySQL error numbers (server ER_* and client CR_*) to db::Error kinds.
// Knows nothing of connections or statements; internal to the MySQL backend.
#pragma once

#include <string_view>

#include "db/error.hpp"

namespace db::mysql_detail {

// ER_DUP_ENTRY / foreign keys / NOT NULL / CHECK -> constraint_violation; CR_SERVER_GONE_ERROR,
// CR_SERVER_LOST, CR_SERVER_LOST_EXTENDED, ER_CONNECTION_KILLED... -> connection_lost;
// ER_LOCK_WAIT_TIMEOUT -> timeout; ER_LOCK_DEADLOCK -> busy; ER_PARSE_ERROR, unknown table or
// column -> syntax; access denied or unknown database -> config; anything else -> other.
Error::Kind kind_for(unsigned int error_number) noexcept;

// True for the error numbers that mean the connection itself is gone.
bool is_connection_lost(unsigned int error_number) noexcept;

// "mysql <what>: <message> (errno N, SQLSTATE S) in: <sql, cut at 200 characters>". A TLS error
// (CR_SSL_CONNECTION_ERROR) is connection_lost unless `what` starts with "connect".
// Never carries bound values or the password: only the server's message and the SQL text.
Error make_error(unsigned int error_number, std::string_view message, std::string_view sqlstate,
                 std::string_view what, std::string_view sql);

}  // namespace db::mysql_detail
