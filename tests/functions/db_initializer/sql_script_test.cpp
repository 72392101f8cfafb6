// Splitting, placeholders and log redaction of db-initializer scripts (functions/db-initializer).
#include "sql_script.hpp"

#include <gtest/gtest.h>

namespace {

using db_init::parse_script;
using db_init::redact_for_log;
using db_init::ScriptError;

std::vector<std::string> sqls(std::string_view script, const db_init::Placeholders& p = {}) {
  std::vector<std::string> out;
  for (const auto& s : parse_script(script, p)) out.push_back(s.sql);
  return out;
}

using Sqls = std::vector<std::string>;

TEST(SqlScript, SplitsAtSemicolonsAndTrims) {
  EXPECT_EQ(sqls("SELECT 1;\n  SELECT 2 ;SELECT 3"), (Sqls{"SELECT 1", "SELECT 2", "SELECT 3"}));
}

TEST(SqlScript, SkipsEmptyStatements) {
  EXPECT_EQ(sqls(";;  ;\n SELECT 1;;\n"), (Sqls{"SELECT 1"}));
  EXPECT_TRUE(sqls("").empty());
  EXPECT_TRUE(sqls("-- only a comment\n# and another\n/* and a block */").empty());
}

TEST(SqlScript, SemicolonInSingleQuotedStringIsText) {
  EXPECT_EQ(sqls("SELECT 'a;b'; SELECT 2"), (Sqls{"SELECT 'a;b'", "SELECT 2"}));
}

TEST(SqlScript, SemicolonInDoubleQuotedStringIsText) {
  EXPECT_EQ(sqls("SELECT \"a;b\"; SELECT 2"), (Sqls{"SELECT \"a;b\"", "SELECT 2"}));
}

TEST(SqlScript, SemicolonInBacktickIdentifierIsText) {
  EXPECT_EQ(sqls("CREATE TABLE `a;b` (x INT); SELECT 2"),
            (Sqls{"CREATE TABLE `a;b` (x INT)", "SELECT 2"}));
}

TEST(SqlScript, DoubledQuotesStayInsideTheString) {
  EXPECT_EQ(sqls("SELECT 'it''s; here'; SELECT `a``;b`; SELECT \"x\"\";y\""),
            (Sqls{"SELECT 'it''s; here'", "SELECT `a``;b`", "SELECT \"x\"\";y\""}));
}

TEST(SqlScript, BackslashEscapesAQuoteInStrings) {
  EXPECT_EQ(sqls(R"(SELECT 'a\';b'; SELECT 'c\\'; SELECT 3)"),
            (Sqls{R"(SELECT 'a\';b')", R"(SELECT 'c\\')", "SELECT 3"}));
}

TEST(SqlScript, BackslashDoesNotEscapeInBackticks) {
  EXPECT_EQ(sqls(R"(SELECT `a\`; SELECT 2)"), (Sqls{R"(SELECT `a\`)", "SELECT 2"}));
}

TEST(SqlScript, CommentMarkersInsideStringsAreText) {
  EXPECT_EQ(sqls("SELECT '-- no', '# no', '/* no */'; SELECT 2"),
            (Sqls{"SELECT '-- no', '# no', '/* no */'", "SELECT 2"}));
}

TEST(SqlScript, QuotesInsideCommentsAreIgnored) {
  EXPECT_EQ(
      sqls("SELECT 1; -- it's a comment; really\nSELECT 2 # don't ; stop\n;/* isn't; */SELECT 3"),
      (Sqls{"SELECT 1", "SELECT 2", "SELECT 3"}));
}

TEST(SqlScript, DashDashNeedsSpaceToStartAComment) {
  EXPECT_EQ(sqls("SELECT 5--1; SELECT 2"), (Sqls{"SELECT 5--1", "SELECT 2"}));
  EXPECT_EQ(sqls("SELECT 5 --\tcomment ;\n; SELECT 2"), (Sqls{"SELECT 5", "SELECT 2"}));
  EXPECT_EQ(sqls("SELECT 5 --"), (Sqls{"SELECT 5"}));
}

TEST(SqlScript, BlockCommentBecomesASpace) {
  EXPECT_EQ(sqls("SELECT/* c */1"), (Sqls{"SELECT 1"}));
  EXPECT_EQ(sqls("SELECT 1 /* multi\nline; */ + 1;"), (Sqls{"SELECT 1   + 1"}));
}

TEST(SqlScript, ExecutableCommentsAndHintsAreKept) {
  EXPECT_EQ(
      sqls(
          "CREATE TABLE t (x INT) /*!50100 ENGINE=InnoDB */; SELECT /*+ MAX_EXECUTION_TIME(1) */ 1;"
          "SELECT /*M!100100 1 */ 2"),
      (Sqls{"CREATE TABLE t (x INT) /*!50100 ENGINE=InnoDB */",
            "SELECT /*+ MAX_EXECUTION_TIME(1) */ 1", "SELECT /*M!100100 1 */ 2"}));
}

TEST(SqlScript, RecordsTheLineEachStatementStartsOn) {
  const auto statements =
      parse_script("-- header\n\nSELECT 1;\n/* two\nlines */ SELECT\n2;\n  'x';");
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_EQ(statements[0].line, 3);
  EXPECT_EQ(statements[1].line, 5);
  EXPECT_EQ(statements[2].line, 7);
}

TEST(SqlScript, KeepsNewlinesInsideStatements) {
  EXPECT_EQ(sqls("GRANT ALL\n  ON db.*\n  TO u;"), (Sqls{"GRANT ALL\n  ON db.*\n  TO u"}));
}

TEST(SqlScript, FailsOnUnterminatedString) {
  try {
    parse_script("SELECT 1;\nSELECT 'abc;\nSELECT 2;");
    FAIL() << "no error";
  } catch (const ScriptError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_STREQ(e.what(), "line 2: unterminated string");
  }
}

TEST(SqlScript, FailsOnUnterminatedIdentifierDoubleQuoteAndComment) {
  EXPECT_THROW(parse_script("SELECT `abc"), ScriptError);
  EXPECT_THROW(parse_script("SELECT \"abc"), ScriptError);
  EXPECT_THROW(parse_script("SELECT 1 /* abc"), ScriptError);
  EXPECT_THROW(parse_script("SELECT 'abc\\'"), ScriptError);  // the quote is escaped
}

TEST(SqlScript, RefusesDelimiterCommand) {
  EXPECT_THROW(parse_script("DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END //"),
               ScriptError);
  EXPECT_THROW(parse_script("delimiter $$"), ScriptError);
  EXPECT_EQ(sqls("SELECT 1 AS delimiter"), (Sqls{"SELECT 1 AS delimiter"}));
}

// -- placeholders --------------------------------------------------------------------------------

const db_init::Placeholders kPlaceholders{{"DB_USER", "'django'"}, {"DB_NAME", "`main`"}};

TEST(SqlScriptPlaceholders, AreReplacedInCode) {
  EXPECT_EQ(sqls("GRANT ALL ON {{DB_NAME}}.* TO {{DB_USER}}@'%';", kPlaceholders),
            (Sqls{"GRANT ALL ON `main`.* TO 'django'@'%'"}));
}

TEST(SqlScriptPlaceholders, AreLeftAloneInComments) {
  EXPECT_EQ(sqls("-- {{DB_USER}} and {{NOPE}}\nSELECT 1 /* {{DB_NAME}} */;", kPlaceholders),
            (Sqls{"SELECT 1"}));
}

TEST(SqlScriptPlaceholders, UnknownNameFailsNamingTheKnownOnes) {
  try {
    parse_script("SELECT 1;\nSELECT {{DB_PASSWORD}};", kPlaceholders);
    FAIL() << "no error";
  } catch (const ScriptError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_NE(std::string(e.what()).find("unknown placeholder {{DB_PASSWORD}}"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("{{DB_USER}}"), std::string::npos);
  }
}

TEST(SqlScriptPlaceholders, MalformedOnesFail) {
  EXPECT_THROW(parse_script("SELECT {{DB_USER", kPlaceholders), ScriptError);
  EXPECT_THROW(parse_script("SELECT {{db_user}}", kPlaceholders), ScriptError);
  EXPECT_THROW(parse_script("SELECT {{}}", kPlaceholders), ScriptError);
}

TEST(SqlScriptPlaceholders, InsideQuotesFailBecauseTheyAreQuotedForYou) {
  EXPECT_THROW(parse_script("CREATE USER '{{DB_USER}}'@'%';", kPlaceholders), ScriptError);
  EXPECT_THROW(parse_script("GRANT ALL ON `{{DB_NAME}}`.* TO x;", kPlaceholders), ScriptError);
}

TEST(SqlScriptPlaceholders, ValuesAreNotRescanned) {
  // A value that looks like SQL structure stays one token: the splitter ran on the script.
  const db_init::Placeholders tricky{{"DB_USER", "'a;b'"}};
  EXPECT_EQ(sqls("SELECT {{DB_USER}}; SELECT 2", tricky), (Sqls{"SELECT 'a;b'", "SELECT 2"}));
}

// -- redaction -----------------------------------------------------------------------------------

TEST(SqlScriptRedaction, HidesPasswordsAndAuthenticationStrings) {
  bool redacted = false;
  EXPECT_EQ(
      redact_for_log("CREATE USER 'django'@'%' IDENTIFIED BY 's3cr;et' REQUIRE SSL", &redacted),
      "CREATE USER 'django'@'%' IDENTIFIED BY '***' REQUIRE SSL");
  EXPECT_TRUE(redacted);
  EXPECT_EQ(
      redact_for_log("CREATE USER IF NOT EXISTS 'django'@'%' IDENTIFIED WITH "
                     "AWSAuthenticationPlugin AS 'RDS'"),
      "CREATE USER IF NOT EXISTS 'django'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS '***'");
  EXPECT_EQ(redact_for_log("ALTER USER u@'h' IDENTIFIED VIA ed25519 USING PASSWORD(\"pw\")"),
            "ALTER USER u@'h' IDENTIFIED VIA ed25519 USING PASSWORD('***')");
}

TEST(SqlScriptRedaction, KeepsAccountNamesAndIdentifiers) {
  bool redacted = true;
  EXPECT_EQ(redact_for_log("GRANT ALL PRIVILEGES ON `main`.* TO 'django' @ '%'", &redacted),
            "GRANT ALL PRIVILEGES ON `main`.* TO 'django' @ '%'");
  EXPECT_FALSE(redacted);
}

TEST(SqlScriptRedaction, PutsTheStatementOnOneLine) {
  EXPECT_EQ(redact_for_log("GRANT ALL\n  ON db.*\r\n\tTO u"), "GRANT ALL ON db.* TO u");
}

TEST(SqlScriptRedaction, HidesLiteralsInsideExecutableComments) {
  EXPECT_EQ(redact_for_log("SET PASSWORD /*!80000 = 'x' */"), "SET PASSWORD /*!80000 = '***' */");
}

TEST(SqlScriptRedaction, EscapedQuotesDoNotEndTheHiddenLiteral) {
  EXPECT_EQ(redact_for_log(R"(SELECT 'a\'b''c' , 1)"), "SELECT '***' , 1");
}

}  // namespace
