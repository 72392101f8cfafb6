// Checking and quoting DB_USER and DB_NAME (functions/db-initializer/identifiers.hpp).
#include "identifiers.hpp"

#include <gtest/gtest.h>

namespace {

using db_init::check_database_name;
using db_init::check_user_name;
using db_init::ConfigError;

TEST(Identifiers, AcceptsOrdinaryNames) {
  EXPECT_NO_THROW(check_user_name("DB_USER", "django"));
  EXPECT_NO_THROW(check_user_name("DB_USER", "svc.app-1_x"));
  EXPECT_NO_THROW(check_database_name("DB_NAME", "main"));
  EXPECT_NO_THROW(check_database_name("DB_NAME", "app_2$"));
}

TEST(Identifiers, UserNameAt32PassesAt33Fails) {
  EXPECT_NO_THROW(check_user_name("DB_USER", std::string(32, 'u')));
  EXPECT_THROW(check_user_name("DB_USER", std::string(33, 'u')), ConfigError);
}

TEST(Identifiers, DatabaseNameAt64PassesAt65Fails) {
  EXPECT_NO_THROW(check_database_name("DB_NAME", std::string(64, 'd')));
  EXPECT_THROW(check_database_name("DB_NAME", std::string(65, 'd')), ConfigError);
}

TEST(Identifiers, RejectsEmpty) {
  EXPECT_THROW(check_user_name("DB_USER", ""), ConfigError);
  EXPECT_THROW(check_database_name("DB_NAME", ""), ConfigError);
}

TEST(Identifiers, RejectsInjection) {
  for (const char* hostile :
       {"x'; DROP USER root; --", "a'@'%", "a b", "a`b", "a\\", "dj\xC3\xA1ngo", "a\nb", "a;b"}) {
    EXPECT_THROW(check_user_name("DB_USER", hostile), ConfigError) << hostile;
    EXPECT_THROW(check_database_name("DB_NAME", hostile), ConfigError) << hostile;
  }
}

TEST(Identifiers, RejectsPathsAndDigitsOnlyDatabaseNames) {
  EXPECT_THROW(check_database_name("DB_NAME", "/srv/mysite/var/db.sqlite3"), ConfigError);
  EXPECT_THROW(check_database_name("DB_NAME", "a.b"), ConfigError);
  EXPECT_THROW(check_database_name("DB_NAME", "123"), ConfigError);
}

TEST(Identifiers, MessageStartsWithTheSettingName) {
  try {
    check_user_name("DB_USER", "bad name");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("DB_USER: ", 0), 0u) << e.what();
  }
}

TEST(Identifiers, QuoteStringEscapesQuotesAndBackslashes) {
  EXPECT_EQ(db_init::quote_string("django"), "'django'");
  EXPECT_EQ(db_init::quote_string("it's\\"), "'it''s\\\\'");
}

TEST(Identifiers, QuoteIdentifierDoublesBackticks) {
  EXPECT_EQ(db_init::quote_identifier("main"), "`main`");
  EXPECT_EQ(db_init::quote_identifier("a`b"), "`a``b`");
}

}  // namespace
