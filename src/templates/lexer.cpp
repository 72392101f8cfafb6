#include "templates/lexer.hpp"

#include <algorithm>

#include "templates/text.hpp"

namespace templates::detail {

std::vector<Token> tokenize(std::string_view source) {
  std::vector<Token> tokens;
  int line = 1;
  std::string verbatim_end;  // non-empty inside {% verbatim %}
  auto count_lines = [](std::string_view s) {
    return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
  };
  auto add_text = [&](std::string_view s) {
    if (s.empty()) return;
    tokens.push_back({Token::Type::kText, std::string(s), line});
    line += count_lines(s);
  };
  std::size_t text_start = 0, i = 0;
  while (i + 1 < source.size()) {
    if (source[i] != '{' ||
        (source[i + 1] != '%' && source[i + 1] != '{' && source[i + 1] != '#')) {
      ++i;
      continue;
    }
    const char close_first = source[i + 1] == '{' ? '}' : source[i + 1];
    // Shortest match on the same line: tag_re is `{%.*?%}` without DOTALL.
    std::size_t end = std::string_view::npos;
    for (std::size_t k = i + 2; k + 1 < source.size() && source[k] != '\n'; ++k) {
      if (source[k] == close_first && source[k + 1] == '}') {
        end = k + 2;
        break;
      }
    }
    if (end == std::string_view::npos) {
      ++i;
      continue;
    }
    add_text(source.substr(text_start, i - text_start));
    std::string_view raw = source.substr(i, end - i);
    std::string_view inner = text::strip(raw.substr(2, raw.size() - 4));
    Token token{Token::Type::kText, std::string(raw), line};
    if (raw[1] == '%' && !verbatim_end.empty() && inner == verbatim_end) verbatim_end.clear();
    if (verbatim_end.empty()) {
      if (raw[1] == '{') {
        token = {Token::Type::kVar, std::string(inner), line};
      } else if (raw[1] == '%') {
        if (inner.substr(0, 9) == "verbatim" || inner.substr(0, 9) == "verbatim ")
          verbatim_end = "end" + std::string(inner);
        token = {Token::Type::kBlock, std::string(inner), line};
      } else {
        token = {Token::Type::kComment, std::string(), line};
      }
    }
    tokens.push_back(std::move(token));
    line += count_lines(raw);
    i = end;
    text_start = end;
  }
  add_text(source.substr(text_start));
  return tokens;
}

std::vector<std::string> split_contents(std::string_view s) {
  std::vector<std::string> bits;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && text::is_space(s[i])) ++i;
    if (i >= s.size()) break;
    std::size_t start = i;
    while (i < s.size() && !text::is_space(s[i])) {
      if (s[i] == '"' || s[i] == '\'') {
        char quote = s[i];
        std::size_t k = i + 1;
        while (k < s.size() && s[k] != quote) k += s[k] == '\\' ? 2 : 1;
        if (k < s.size()) {
          i = k + 1;
          continue;
        }
      }
      ++i;
    }
    bits.emplace_back(s.substr(start, i - start));
  }
  return bits;
}

std::string command_of(const Token& token) {
  std::string_view c = token.contents;
  std::size_t end = 0;
  while (end < c.size() && !text::is_space(c[end])) ++end;
  return std::string(c.substr(0, end));
}

}  // namespace templates::detail
