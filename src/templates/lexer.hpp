// templates (internal): splits template source into tokens exactly as Django's Lexer does
// ({{ }}, {% %} and {# #} on one line each; {% verbatim %} turns tags back into text).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace templates::detail {

struct Token {
  enum class Type { kText, kVar, kBlock, kComment };
  Type type = Type::kText;
  std::string contents;  // stripped tag contents, or the raw text
  int line = 1;
};

std::vector<Token> tokenize(std::string_view source);
// Django's Token.split_contents(): whitespace-separated bits, quoted strings kept whole.
std::vector<std::string> split_contents(std::string_view contents);
// The first word of a block tag ("endfor" for "endfor", "if" for "if x").
std::string command_of(const Token& token);

}  // namespace templates::detail
