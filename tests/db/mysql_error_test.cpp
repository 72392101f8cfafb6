// How MariaDB/MySQL error numbers become db::Error kinds: the kinds decide whether a connection
// is dropped from the pool and whether a page answers 503 (database unavailable) or 500.
#include "db/mysql_error.hpp"

#include <errmsg.h>
#include <gtest/gtest.h>
#include <mysqld_error.h>

namespace {

using db::Error;
using db::mysql_detail::make_error;

TEST(MysqlError, ALostServerIsConnectionLost) {
  for (unsigned int n :
       {CR_SERVER_GONE_ERROR, CR_SERVER_LOST, CR_CONNECTION_ERROR, CR_CONN_HOST_ERROR})
    EXPECT_EQ(make_error(n, "gone", "HY000", "execute", "SELECT 1").kind(),
              Error::Kind::connection_lost)
        << n;
}

TEST(MysqlError, ATlsErrorIsAConnectionLostOnceConnectedAndAConfigErrorWhileConnecting) {
  // The server died or the network was cut under TLS ("unexpected eof", "Connection timed out").
  EXPECT_EQ(make_error(CR_SSL_CONNECTION_ERROR, "TLS/SSL error: unexpected eof while reading",
                       "HY000", "execute", "SELECT 1")
                .kind(),
            Error::Kind::connection_lost);
  EXPECT_EQ(make_error(CR_SSL_CONNECTION_ERROR, "TLS/SSL error: Connection timed out (110)",
                       "HY000", "query", "COMMIT")
                .kind(),
            Error::Kind::connection_lost);
  // A certificate that does not verify.
  EXPECT_EQ(make_error(CR_SSL_CONNECTION_ERROR, "TLS/SSL error: certificate verify failed", "HY000",
                       "connect to u@h:3306/db", "")
                .kind(),
            Error::Kind::config);
}

TEST(MysqlError, TheMessageCarriesTheNumberAndTheStatementButNeverMoreThanItsStart) {
  Error e = make_error(ER_DUP_ENTRY, "Duplicate entry", "23000", "execute", std::string(300, 'x'));
  EXPECT_EQ(e.kind(), Error::Kind::constraint_violation);
  EXPECT_NE(std::string(e.what()).find("(errno 1062, SQLSTATE 23000) in: xxx"), std::string::npos)
      << e.what();
  EXPECT_NE(std::string(e.what()).find("x..."), std::string::npos) << e.what();
}

}  // namespace
