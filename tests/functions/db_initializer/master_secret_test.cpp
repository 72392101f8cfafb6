// Parsing the RDS master secret (functions/db-initializer/master_secret.hpp).
#include "master_secret.hpp"

#include <gtest/gtest.h>

namespace {

using db_init::parse_master_secret;
using db_init::SecretFormatError;

TEST(MasterSecret, ParsesWhatRdsStores) {
  const auto s = parse_master_secret(
      R"({"username":"admin","password":"p@ss\"w0rd","engine":"mysql","host":"c.cluster-x.eu-west-1.rds.amazonaws.com",)"
      R"("port":3306,"dbname":"main","dbClusterIdentifier":"c"})");
  EXPECT_EQ(s.username, "admin");
  EXPECT_EQ(s.password, "p@ss\"w0rd");
  EXPECT_EQ(s.host, "c.cluster-x.eu-west-1.rds.amazonaws.com");
  EXPECT_EQ(s.port, 3306);
  EXPECT_EQ(s.dbname, "main");
  EXPECT_EQ(s.engine, "mysql");
}

TEST(MasterSecret, PortMayBeAStringOrAbsent) {
  EXPECT_EQ(parse_master_secret(R"({"username":"a","password":"b","host":"h","port":"3307"})").port,
            3307);
  EXPECT_EQ(parse_master_secret(R"({"username":"a","password":"b","host":"h"})").port, 3306);
}

TEST(MasterSecret, RejectsBadPorts) {
  for (const char* port : {"0", "65536", "\"x\"", "\"33a\"", "-1", "true"}) {
    EXPECT_THROW(
        parse_master_secret(std::string(R"({"username":"a","password":"b","host":"h","port":)") +
                            port + "}"),
        SecretFormatError)
        << port;
  }
}

TEST(MasterSecret, OneErrorPerMissingField) {
  EXPECT_THROW(parse_master_secret(R"({"password":"b","host":"h"})"), SecretFormatError);
  EXPECT_THROW(parse_master_secret(R"({"username":"a","host":"h"})"), SecretFormatError);
  EXPECT_THROW(parse_master_secret(R"({"username":"a","password":"b"})"), SecretFormatError);
  EXPECT_THROW(parse_master_secret(R"({"username":"a","password":"","host":"h"})"),
               SecretFormatError);
  EXPECT_THROW(parse_master_secret(R"({"username":1,"password":"b","host":"h"})"),
               SecretFormatError);
}

TEST(MasterSecret, ErrorsNeverQuoteTheSecret) {
  for (const char* text :
       {R"({"username":"a","password":"hunter2-secret", "host": )",  // truncated
        R"(["hunter2-secret"])", R"({"username":"a","password":"hunter2-secret"})"}) {
    try {
      parse_master_secret(text);
      FAIL() << text;
    } catch (const SecretFormatError& e) {
      EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
