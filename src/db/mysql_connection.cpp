#include "db/mysql_connection.hpp"

#include <errmsg.h>
#include <mysql.h>

#include <algorithm>
#include <fstream>
#include <mutex>

#include "db/mysql_error.hpp"
#include "db/mysql_statement.hpp"

namespace db {

namespace {

constexpr const char* kCharset = "utf8mb4";
// Authentication plugins that never put the password itself on the wire.
constexpr const char* kHashingAuthPlugins =
    "mysql_native_password,client_ed25519,caching_sha2_password,sha256_password";

// mysql_library_init is not thread-safe; mysql_init would call it lazily from any thread.
void init_library_once() {
  static std::once_flag once;
  std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
}

unsigned int whole_seconds(std::chrono::milliseconds timeout) {
  const auto seconds = (timeout.count() + 999) / 1000;  // round up; Connector/C takes seconds
  return static_cast<unsigned int>(std::max<std::int64_t>(1, seconds));
}

void set_option(MYSQL* mysql, mysql_option option, const void* value, const char* name) {
  if (mysql_optionsv(mysql, option, value) != 0) {
    throw Error(Error::Kind::config,
                std::string("mysql: the client library refused option ") + name);
  }
}

std::string ask_password(const MysqlOptions& options, const std::string& where) {
  if (!options.password_provider) return options.password;
  try {
    return options.password_provider();
  } catch (const Error& e) {
    throw Error(e.kind(),
                "mysql connect to " + where + ": the password provider failed: " + e.what(),
                e.native_code());
  } catch (const std::exception& e) {
    throw Error(Error::Kind::config,
                "mysql connect to " + where + ": the password provider failed: " + e.what());
  }
}

void wipe(std::string& secret) noexcept {
  std::fill(secret.begin(), secret.end(), '\0');
  secret.clear();
}

}  // namespace

MysqlConnection::MysqlConnection(const MysqlOptions& options) {
  where_ = options.user + "@" + options.host + ":" + std::to_string(options.port) + "/" +
           options.database;
  if (options.host.empty()) throw Error(Error::Kind::config, "mysql connect: DB_HOST is empty");
  const bool tls = !options.ssl_ca.empty();
  if (tls && !std::ifstream(options.ssl_ca).good()) {
    throw Error(Error::Kind::config, "mysql connect to " + where_ + ": DB_SSL_CA '" +
                                         options.ssl_ca + "' cannot be read");
  }

  init_library_once();
  mysql_ = mysql_init(nullptr);
  if (mysql_ == nullptr)
    throw Error(Error::Kind::other, "mysql connect: out of memory (mysql_init)");
  std::string password;
  try {
    const unsigned int connect_s = whole_seconds(options.connect_timeout);
    const unsigned int read_s = whole_seconds(options.read_timeout);
    const unsigned int write_s = whole_seconds(options.write_timeout);
    const unsigned int protocol = MYSQL_PROTOCOL_TCP;
    const unsigned int no_local_infile = 0;
    const my_bool off = 0;
    const my_bool on = 1;
    set_option(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &connect_s, "MYSQL_OPT_CONNECT_TIMEOUT");
    set_option(mysql_, MYSQL_OPT_READ_TIMEOUT, &read_s, "MYSQL_OPT_READ_TIMEOUT");
    set_option(mysql_, MYSQL_OPT_WRITE_TIMEOUT, &write_s, "MYSQL_OPT_WRITE_TIMEOUT");
    set_option(mysql_, MYSQL_OPT_PROTOCOL, &protocol, "MYSQL_OPT_PROTOCOL");
    set_option(mysql_, MYSQL_OPT_LOCAL_INFILE, &no_local_infile, "MYSQL_OPT_LOCAL_INFILE");
    // Reconnect only by replacement (the pool), never silently under an open transaction.
    set_option(mysql_, MYSQL_OPT_RECONNECT, &off, "MYSQL_OPT_RECONNECT");
    set_option(mysql_, MYSQL_SET_CHARSET_NAME, kCharset, "MYSQL_SET_CHARSET_NAME");
    if (tls) {
      // Verify the chain against DB_SSL_CA and the host name (Connector/C 3.3 checks both under
      // MYSQL_OPT_SSL_VERIFY_SERVER_CERT); refuse to fall back to a plain connection.
      set_option(mysql_, MYSQL_OPT_SSL_CA, options.ssl_ca.c_str(), "MYSQL_OPT_SSL_CA");
      set_option(mysql_, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on, "MYSQL_OPT_SSL_VERIFY_SERVER_CERT");
      set_option(mysql_, MYSQL_OPT_SSL_ENFORCE, &on, "MYSQL_OPT_SSL_ENFORCE");
    }
    // The cleartext plugin (RDS IAM tokens) sends the password as is: only over verified TLS.
    // Connector/C 3.3 accepts MYSQL_ENABLE_CLEARTEXT_PLUGIN but ignores it (it would answer a
    // server asking for mysql_clear_password over plain TCP), so without TLS the plugins that
    // send the password in the clear (mysql_clear_password, dialog) are ruled out explicitly.
    set_option(mysql_, MYSQL_ENABLE_CLEARTEXT_PLUGIN, tls ? &on : &off,
               "MYSQL_ENABLE_CLEARTEXT_PLUGIN");
    if (!tls)
      set_option(mysql_, MARIADB_OPT_RESTRICTED_AUTH, kHashingAuthPlugins,
                 "MARIADB_OPT_RESTRICTED_AUTH");

    password = ask_password(options, where_);
    MYSQL* connected =
        mysql_real_connect(mysql_, options.host.c_str(), options.user.c_str(), password.c_str(),
                           options.database.empty() ? nullptr : options.database.c_str(),
                           options.port, nullptr, CLIENT_FOUND_ROWS);
    wipe(password);
    if (connected == nullptr) {
      const unsigned int code = mysql_errno(mysql_);
      const std::string native = mysql_error(mysql_);
      if (tls && code == CR_SSL_CONNECTION_ERROR) {
        throw Error(Error::Kind::config,
                    "mysql connect to " + where_ +
                        ": TLS refused, the server certificate was not verified (it must "
                        "chain to DB_SSL_CA '" +
                        options.ssl_ca + "' and name host '" + options.host + "'): " + native +
                        " (errno " + std::to_string(code) + ")",
                    static_cast<int>(code));
      }
      if (!tls && code == CR_PLUGIN_NOT_ALLOWED) {
        throw Error(Error::Kind::config,
                    "mysql connect to " + where_ +
                        ": the server asks for a password in the clear, which is only sent "
                        "over verified TLS (set DB_SSL_CA): " +
                        native + " (errno " + std::to_string(code) + ")",
                    static_cast<int>(code));
      }
      throw mysql_detail::make_error(code, native, mysql_sqlstate(mysql_), "connect to " + where_,
                                     "");
    }
  } catch (...) {
    wipe(password);
    mysql_close(mysql_);
    mysql_ = nullptr;
    throw;
  }
}

MysqlConnection::~MysqlConnection() {
  clear_statement_cache();  // close statements before the connection
  mysql_close(mysql_);
}

std::unique_ptr<StatementImpl> MysqlConnection::prepare_uncached(std::string_view sql) {
  if (broken())
    throw Error(Error::Kind::connection_lost,
                "mysql prepare: the connection to " + where_ + " was lost");
  MYSQL_STMT* stmt = mysql_stmt_init(mysql_);
  if (stmt == nullptr)
    throw Error(Error::Kind::other, "mysql prepare: out of memory (mysql_stmt_init)");
  if (mysql_stmt_prepare(stmt, sql.data(), static_cast<unsigned long>(sql.size())) != 0) {
    Error error = mysql_detail::make_error(mysql_stmt_errno(stmt), mysql_stmt_error(stmt),
                                           mysql_stmt_sqlstate(stmt), "prepare", sql);
    mysql_stmt_close(stmt);
    if (error.kind() == Error::Kind::connection_lost) mark_broken();
    throw error;
  }
  return std::make_unique<MysqlStatement>(*this, stmt, std::string(sql));
}

void MysqlConnection::run_simple(std::string_view sql) {
  if (broken())
    throw Error(Error::Kind::connection_lost, "mysql: the connection to " + where_ + " was lost");
  if (mysql_real_query(mysql_, sql.data(), static_cast<unsigned long>(sql.size())) != 0) {
    Error error = mysql_detail::make_error(mysql_errno(mysql_), mysql_error(mysql_),
                                           mysql_sqlstate(mysql_), "query", sql);
    if (error.kind() == Error::Kind::connection_lost) mark_broken();
    throw error;
  }
}

bool MysqlConnection::ping() {
  if (broken()) return false;
  if (mysql_ping(mysql_) == 0) return true;
  mark_broken();  // reconnect is off: a failed ping means this connection is done
  return false;
}

void MysqlConnection::begin() { run_simple("START TRANSACTION"); }

void MysqlConnection::commit() { run_simple("COMMIT"); }

void MysqlConnection::rollback() { run_simple("ROLLBACK"); }

bool MysqlConnection::in_transaction() const {
  if (broken()) return false;  // the server rolled back when the session ended
  unsigned int status = 0;
  if (mariadb_get_infov(mysql_, MARIADB_CONNECTION_SERVER_STATUS, &status) != 0) return false;
  return (status & SERVER_STATUS_IN_TRANS) != 0;
}

std::uint64_t MysqlConnection::server_thread_id() const noexcept { return mysql_thread_id(mysql_); }

std::string MysqlConnection::tls_cipher() const {
  const char* cipher = mysql_get_ssl_cipher(mysql_);
  return cipher != nullptr ? std::string(cipher) : std::string();
}

void MysqlConnection::note_execution(std::int64_t changes, std::int64_t insert_id) noexcept {
  changes_ = changes;
  if (insert_id != 0) last_insert_id_ = insert_id;
}

}  // namespace db
