#include "db/mysql_error.hpp"

#include <errmsg.h>
#include <mysqld_error.h>

#include <string>

namespace db::mysql_detail {

namespace {
constexpr std::size_t kMaxSqlInMessage = 200;
// Server errors that Connector/C's mysqld_error.h does not name.
constexpr unsigned int kErClientInactivity = 4031;    // disconnected after wait_timeout
constexpr unsigned int kErMysqlCheckViolated = 3819;  // MySQL 8 CHECK constraint
constexpr unsigned int kErMysqlQueryTimeout = 3024;   // MySQL 8 max_execution_time
}  // namespace

bool is_connection_lost(unsigned int error_number) noexcept {
  switch (error_number) {
    case CR_SERVER_GONE_ERROR:     // 2006
    case CR_SERVER_LOST:           // 2013
    case CR_SERVER_LOST_EXTENDED:  // 2055
    case CR_CONNECTION_ERROR:      // 2002
    case CR_CONN_HOST_ERROR:       // 2003
    case CR_UNKNOWN_HOST:          // 2005
    case ER_SERVER_SHUTDOWN:       // 1053
    case ER_CONNECTION_KILLED:
    case kErClientInactivity:
      return true;
    default:
      return false;
  }
}

Error::Kind kind_for(unsigned int error_number) noexcept {
  if (is_connection_lost(error_number)) return Error::Kind::connection_lost;
  switch (error_number) {
    case ER_DUP_ENTRY:
    case ER_DUP_ENTRY_WITH_KEY_NAME:
    case ER_DUP_KEY:
    case ER_NO_REFERENCED_ROW:
    case ER_NO_REFERENCED_ROW_2:
    case ER_ROW_IS_REFERENCED:
    case ER_ROW_IS_REFERENCED_2:
    case ER_BAD_NULL_ERROR:
    case ER_NO_DEFAULT_FOR_FIELD:
    case ER_CONSTRAINT_FAILED:
    case kErMysqlCheckViolated:
      return Error::Kind::constraint_violation;
    case ER_LOCK_WAIT_TIMEOUT:
    case ER_STATEMENT_TIMEOUT:
    case kErMysqlQueryTimeout:
      return Error::Kind::timeout;
    case ER_LOCK_DEADLOCK:
    case ER_LOCK_OR_ACTIVE_TRANSACTION:
      return Error::Kind::busy;
    case ER_PARSE_ERROR:
    case ER_SYNTAX_ERROR:
    case ER_NO_SUCH_TABLE:
    case ER_BAD_TABLE_ERROR:
    case ER_BAD_FIELD_ERROR:
    case ER_TABLE_EXISTS_ERROR:
    case ER_DUP_FIELDNAME:
    case ER_DUP_KEYNAME:
    case ER_CANT_DROP_FIELD_OR_KEY:
    case ER_SP_DOES_NOT_EXIST:
    case ER_WRONG_VALUE_COUNT_ON_ROW:
    case ER_NON_UNIQ_ERROR:
    case ER_UNSUPPORTED_PS:
      return Error::Kind::syntax;
    case ER_ACCESS_DENIED_ERROR:
    case ER_DBACCESS_DENIED_ERROR:
    case ER_BAD_DB_ERROR:
    case ER_TABLEACCESS_DENIED_ERROR:
    case ER_HOST_NOT_PRIVILEGED:
    case CR_AUTH_PLUGIN_CANNOT_LOAD:
    case CR_PLUGIN_NOT_ALLOWED:
    case CR_SSL_CONNECTION_ERROR:
      return Error::Kind::config;
    default:
      return Error::Kind::other;
  }
}

Error make_error(unsigned int error_number, std::string_view message, std::string_view sqlstate,
                 std::string_view what, std::string_view sql) {
  std::string text = "mysql ";
  text += what;
  text += ": ";
  text += message.empty() ? std::string_view("unknown error") : message;
  text += " (errno " + std::to_string(error_number);
  if (!sqlstate.empty()) {
    text += ", SQLSTATE ";
    text += sqlstate;
  }
  text += ")";
  if (!sql.empty()) {
    text += " in: ";
    text += sql.substr(0, kMaxSqlInMessage);
    if (sql.size() > kMaxSqlInMessage) text += "...";
  }
  Error::Kind kind = kind_for(error_number);
  // A TLS error on a connection already made is the connection going away (the server died, the
  // network was cut, a read timed out under TLS); while connecting it is a certificate or
  // configuration problem.
  if (error_number == CR_SSL_CONNECTION_ERROR && !what.starts_with("connect"))
    kind = Error::Kind::connection_lost;
  return Error(kind, text, static_cast<int>(error_number));
}

}  // namespace db::mysql_detail
