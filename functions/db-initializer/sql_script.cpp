#include "sql_script.hpp"

#include <algorithm>
#include <cctype>

namespace db_init {

ScriptError::ScriptError(int line, const std::string& what)
    : std::runtime_error("line " + std::to_string(line) + ": " + what), line_(line) {}

namespace {

enum class Kind {
  code,          // anything else, whitespace included
  semicolon,     // ends a statement
  quoted,        // '...' or "..."
  backticked,    // `...`
  comment,       // -- ..., # ..., /* ... */: dropped
  kept_comment,  // /*! ... */, /*M! ... */, /*+ ... */: sent to the server
};

struct Token {
  Kind kind;
  std::string_view text;
  int line;  // where the token starts
};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// MySQL starts a "--" comment only when a space or control character (or the end) follows.
bool starts_dash_comment(std::string_view s, std::size_t i) {
  if (s.compare(i, 2, "--") != 0) return false;
  if (i + 2 >= s.size()) return true;
  const auto next = static_cast<unsigned char>(s[i + 2]);
  return next <= ' ' || next == 127;
}

int count_newlines(std::string_view s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

const char* describe_quote(char q) {
  return q == '`' ? "backtick-quoted identifier" : q == '"' ? "double-quoted string" : "string";
}

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  const std::size_t n = s.size();
  std::size_t i = 0;
  int line = 1;
  constexpr std::size_t kNoCode = std::string_view::npos;
  std::size_t code_start = kNoCode;  // where the current run of code began
  int code_line = 1;
  auto flush_code = [&](std::size_t end) {
    if (code_start != kNoCode)
      out.push_back({Kind::code, s.substr(code_start, end - code_start), code_line});
    code_start = kNoCode;
  };
  auto push = [&](Kind kind, std::size_t start, std::size_t end) {
    out.push_back({kind, s.substr(start, end - start), line});
    line += count_newlines(s.substr(start, end - start));
  };

  while (i < n) {
    const char c = s[i];
    const std::size_t start = i;
    if (c == '\'' || c == '"' || c == '`') {
      flush_code(i);
      bool closed = false;
      for (++i; i < n; ++i) {
        if (s[i] == '\\' && c != '`') {
          ++i;  // the escaped character, whatever it is
        } else if (s[i] == c) {
          if (i + 1 < n && s[i + 1] == c) {
            ++i;  // '' inside '...': a quote, not the end
          } else {
            closed = true;
            ++i;
            break;
          }
        }
      }
      if (!closed) throw ScriptError(line, std::string("unterminated ") + describe_quote(c));
      push(c == '`' ? Kind::backticked : Kind::quoted, start, i);
    } else if (c == '#' || starts_dash_comment(s, i)) {
      flush_code(i);
      std::size_t end = s.find('\n', i);
      if (end == std::string_view::npos) end = n;  // the newline itself stays code (whitespace)
      push(Kind::comment, start, end);
      i = end;
    } else if (s.compare(i, 2, "/*") == 0) {
      flush_code(i);
      std::size_t end = s.find("*/", i + 2);
      if (end == std::string_view::npos) throw ScriptError(line, "unterminated /* comment");
      end += 2;
      const std::string_view body = s.substr(i + 2);
      const bool kept = body.starts_with("!") || body.starts_with("M!") || body.starts_with("+");
      push(kept ? Kind::kept_comment : Kind::comment, start, end);
      i = end;
    } else if (c == ';') {
      flush_code(i);
      push(Kind::semicolon, i, i + 1);
      ++i;
    } else {
      if (code_start == kNoCode) {
        code_start = i;
        code_line = line;
      }
      if (c == '\n') ++line;
      ++i;
    }
  }
  flush_code(n);
  return out;
}

bool is_placeholder_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::string known_names(const Placeholders& placeholders) {
  std::string out;
  for (const auto& [name, value] : placeholders) out += (out.empty() ? "{{" : ", {{") + name + "}}";
  return out.empty() ? "none" : out;
}

// Replaces every {{NAME}} in a code token.
std::string substitute(const Token& token, const Placeholders& placeholders) {
  std::string out;
  const std::string_view text = token.text;
  std::size_t pos = 0;
  while (true) {
    const std::size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) break;
    out.append(text.substr(pos, open - pos));
    const int line = token.line + count_newlines(text.substr(0, open));
    const std::size_t close = text.find("}}", open + 2);
    const std::string_view name = close == std::string_view::npos
                                      ? std::string_view()
                                      : text.substr(open + 2, close - open - 2);
    if (name.empty() || !std::all_of(name.begin(), name.end(), is_placeholder_char))
      throw ScriptError(line, "malformed placeholder: expected {{NAME}} with NAME in A-Z, 0-9, _");
    const auto found = placeholders.find(name);
    if (found == placeholders.end())
      throw ScriptError(line, "unknown placeholder {{" + std::string(name) +
                                  "}} (known: " + known_names(placeholders) + ")");
    out += found->second;
    pos = close + 2;
  }
  out.append(text.substr(pos));
  return out;
}

// A placeholder inside quotes would silently stay literal text: refuse it.
void reject_quoted_placeholder(const Token& token, const Placeholders& placeholders) {
  for (const auto& [name, value] : placeholders) {
    const std::string marker = "{{" + name + "}}";
    const std::size_t at = token.text.find(marker);
    if (at != std::string_view::npos)
      throw ScriptError(
          token.line + count_newlines(token.text.substr(0, at)),
          "placeholder " + marker + " inside quotes: write it bare, its value is quoted for you");
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool starts_with_word(std::string_view s, std::string_view word) {
  if (s.size() < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(s[i])) != word[i]) return false;
  return s.size() == word.size() || is_space(s[word.size()]);
}

}  // namespace

std::vector<Statement> parse_script(std::string_view script, const Placeholders& placeholders) {
  std::vector<Statement> statements;
  std::string current;
  int current_line = 0;  // 0: nothing but whitespace and comments yet

  auto note_start = [&](const Token& token) {
    if (current_line != 0) return;
    const std::size_t first =
        std::find_if_not(token.text.begin(), token.text.end(), is_space) - token.text.begin();
    if (first < token.text.size())
      current_line = token.line + count_newlines(token.text.substr(0, first));
  };
  auto finish = [&] {
    const std::string_view sql = trim(current);
    if (!sql.empty()) {
      if (starts_with_word(sql, "DELIMITER"))
        throw ScriptError(
            current_line,
            "DELIMITER is a command of the mysql client, not SQL; end statements with ;");
      statements.push_back({std::string(sql), current_line});
    }
    current.clear();
    current_line = 0;
  };

  for (const Token& token : tokenize(script)) {
    switch (token.kind) {
      case Kind::code:
        note_start(token);
        current += substitute(token, placeholders);
        break;
      case Kind::quoted:
      case Kind::backticked:
        reject_quoted_placeholder(token, placeholders);
        note_start(token);
        current += token.text;
        break;
      case Kind::kept_comment:
        note_start(token);
        current += token.text;
        break;
      case Kind::comment:
        current += ' ';
        break;
      case Kind::semicolon:
        finish();
        break;
    }
  }
  finish();
  return statements;
}

namespace {

void append_collapsed(std::string& out, std::string_view code) {
  for (char c : code) {
    if (is_space(c)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
}

char last_non_space(const std::string& s) {
  for (auto it = s.rbegin(); it != s.rend(); ++it)
    if (*it != ' ') return *it;
  return '\0';
}

char first_non_space(std::string_view s) {
  for (char c : s)
    if (!is_space(c)) return c;
  return '\0';
}

std::string redact_tokens(std::string_view text, bool& redacted);

std::string redact_tokens(const std::vector<Token>& tokens, bool& redacted) {
  std::string out;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& token = tokens[i];
    switch (token.kind) {
      case Kind::code:
        append_collapsed(out, token.text);
        break;
      case Kind::backticked:
        out += token.text;
        break;
      case Kind::quoted: {
        const bool after_at = last_non_space(out) == '@';
        const bool before_at = i + 1 < tokens.size() && tokens[i + 1].kind == Kind::code &&
                               first_non_space(tokens[i + 1].text) == '@';
        if (after_at || before_at) {
          out += token.text;
        } else {
          out += "'***'";
          redacted = true;
        }
        break;
      }
      case Kind::kept_comment: {
        // "/*!" or "/*M!" or "/*+", the body redacted like a statement, then " */".
        const std::size_t body = token.text.find_first_of("!+") + 1;
        out += token.text.substr(0, body);
        out += redact_tokens(token.text.substr(body, token.text.size() - body - 2), redacted);
        out += " */";
        break;
      }
      case Kind::comment:
        if (!out.empty() && out.back() != ' ') out += ' ';
        break;
      case Kind::semicolon:
        out += ';';
        break;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string redact_tokens(std::string_view text, bool& redacted) {
  try {
    return redact_tokens(tokenize(text), redacted);
  } catch (const ScriptError&) {
    redacted = true;
    return "(statement not shown: it does not parse)";
  }
}

}  // namespace

std::string redact_for_log(std::string_view statement, bool* redacted) {
  bool hidden = false;
  std::string out = redact_tokens(statement, hidden);
  if (redacted != nullptr) *redacted = hidden;
  const std::size_t first = out.find_first_not_of(' ');
  return first == std::string::npos ? std::string() : out.substr(first);
}

}  // namespace db_init
