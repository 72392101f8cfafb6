// db-initializer: turns a MySQL script into the statements to send, one by one: splits at the
// semicolons that end statements (not those inside quotes, backticks or comments), drops comments,
// fills in {{PLACEHOLDERS}} with already-quoted values, and redacts literals for logs.
// Knows nothing of connections, secrets or Lambda.
//
//   auto statements = db_init::parse_script(text, {{"DB_USER", db_init::quote_string("django")}});
//   for (const auto& s : statements) log(db_init::redact_for_log(s.sql));
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace db_init {

// A script the initializer refuses; what() names the line: "line 3: unterminated string".
class ScriptError : public std::runtime_error {
 public:
  ScriptError(int line, const std::string& what);
  int line() const noexcept { return line_; }

 private:
  int line_;
};

struct Statement {
  std::string sql;  // no trailing semicolon, no comments, trimmed
  int line = 1;     // where the statement starts in the script
};

// Placeholder name ("DB_USER") -> the text that replaces "{{DB_USER}}". The values are inserted
// verbatim, so they must already be quoted (quote_string / quote_identifier in identifiers.hpp).
using Placeholders = std::map<std::string, std::string, std::less<>>;

// Splits `script` into statements, as the mysql client does with its default delimiter:
//  - '...' and "..." strings (with '' / "" doubling and backslash escapes), `...` identifiers
//    (with `` doubling): semicolons and comment markers inside them are text;
//  - comments: "-- " (two dashes then a space, control character or end of line; "--1" is code),
//    "#" to the end of the line, "/* ... */"; they are removed (a block comment becomes a space),
//    except MySQL's executable comments "/*! ... */", "/*M! ... */" and hints "/*+ ... */", kept;
//  - a statement is what lies between two semicolons; empty ones are skipped; the last one needs
//    no semicolon.
// Placeholders "{{NAME}}" are replaced in code (not in comments). Throws ScriptError for an
// unterminated string, identifier or comment, an unknown placeholder, a placeholder written inside
// quotes (it is quoted for you), and the client-only DELIMITER command.
std::vector<Statement> parse_script(std::string_view script, const Placeholders& placeholders = {});

// The statement as it may be logged: on one line (runs of whitespace become one space), every
// string literal replaced by '***' except the parts of an account name 'user'@'host' (a literal
// next to '@'), so passwords and authentication strings never reach the logs. `redacted`, when
// given, is set to whether any literal was hidden.
std::string redact_for_log(std::string_view statement, bool* redacted = nullptr);

}  // namespace db_init
