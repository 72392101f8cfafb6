// The i18n tag library ({% load i18n %}): translate/trans, blocktranslate/blocktrans (with,
// count and {% plural %}, context, trimmed, asvar), language, get_current_language and
// get_current_language_bidi, as django/templatetags/i18n.py (3.2). The site has no message
// catalogs, so every message renders in the source language, exactly as Django renders an
// untranslated string: the same escaping, the same '%' handling, English plural rules.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "templates/error.hpp"
#include "templates/filter_support.hpp"
#include "templates/nodes.hpp"
#include "templates/parser_impl.hpp"
#include "templates/text.hpp"

namespace templates::detail {
namespace {

// render_value_in_context(): the text, and whether Django would mark it safe.
std::pair<std::string, bool> render_in_context(const Value& value, const RenderState& state) {
  std::string out;
  append_rendered(value, state.autoescape, out);
  return {std::move(out), state.autoescape || (value.is_string() && value.is_safe())};
}

struct TranslateNode : Node {
  FilterExpression message;
  std::optional<FilterExpression> message_context;
  std::string asvar;

  void render(RenderState& state, std::string& out) const override {
    if (message_context) message_context->resolve_value(state);
    auto [text, safe] = render_in_context(message.resolve_value(state), state);
    // Percent signs doubled for gettext come back single.
    std::string restored;
    for (std::size_t i = 0; i < text.size(); ++i) {
      restored.push_back(text[i]);
      if (text[i] == '%' && i + 1 < text.size() && text[i + 1] == '%') ++i;
    }
    if (asvar.empty()) {
      out += restored;
      return;
    }
    state.set(asvar, safe ? mark_safe(std::move(restored)) : Value(std::move(restored)));
  }
};

struct BlockTranslateNode : Node {
  std::vector<std::pair<std::string, FilterExpression>> extra_context;
  std::vector<Token> singular;
  std::vector<Token> plural;
  std::string countervar;
  std::optional<FilterExpression> counter;
  std::optional<FilterExpression> message_context;
  bool trimmed = false;
  std::string asvar;
  std::string tag_name;

  // The message as gettext sees it: text with '%' doubled, {{ var }} as %(var)s.
  std::string message(const std::vector<Token>& tokens, std::vector<std::string>& vars) const {
    std::string msg;
    for (const Token& token : tokens) {
      if (token.type == Token::Type::kText) {
        for (char c : token.contents) {
          msg.push_back(c);
          if (c == '%') msg.push_back('%');
        }
      } else {
        msg += "%(" + token.contents + ")s";
        vars.push_back(token.contents);
      }
    }
    if (!trimmed) return msg;
    // trim_whitespace(): strip, then each run of whitespace holding a newline becomes a space.
    const std::u32string chars = text::utf8_decode(msg);
    std::size_t from = 0, to = chars.size();
    while (from < to && text::is_unicode_space(chars[from])) ++from;
    while (to > from && text::is_unicode_space(chars[to - 1])) --to;
    std::u32string trimmed_chars;
    for (std::size_t i = from; i < to;) {
      if (!text::is_unicode_space(chars[i])) {
        trimmed_chars.push_back(chars[i++]);
        continue;
      }
      std::size_t j = i;
      bool newline = false;
      while (j < to && text::is_unicode_space(chars[j])) newline |= chars[j++] == '\n';
      if (newline)
        trimmed_chars.push_back(' ');
      else
        trimmed_chars.append(chars, i, j - i);
      i = j;
    }
    return text::utf8_encode(trimmed_chars);
  }

  void render(RenderState& state, std::string& out) const override {
    if (message_context) message_context->resolve_value(state);
    std::vector<Value> extra_values;
    for (const auto& [name, expr] : extra_context)
      extra_values.push_back(expr.resolve_value(state));
    std::string result;
    std::vector<std::string> vars;
    std::vector<std::pair<std::string, std::string>> data;
    {
      ScopeGuard scope(state);
      for (std::size_t i = 0; i < extra_context.size(); ++i)
        state.set(extra_context[i].first, extra_values[i]);
      result = message(singular, vars);
      if (counter && !plural.empty()) {
        Value count = counter->resolve_value(state);
        if (!count.is_int() && !count.is_double() && !count.is_bool())
          throw Error("'" + countervar + "' argument to '" + tag_name + "' tag must be a number.");
        state.set(countervar, count);
        std::string plural_message = message(plural, vars);
        // English: the singular for exactly one.
        const bool one = count.is_double() ? count.as_double() == 1.0 : python_int(count) == 1;
        if (!one) result = std::move(plural_message);
      }
      for (const std::string& var : vars) {
        const Value* found = state.find(var);
        data.emplace_back(var, render_in_context(found ? *found : Value(""), state).first);
      }
    }
    std::string formatted;
    for (std::size_t i = 0; i < result.size(); ++i) {
      if (result[i] != '%') {
        formatted.push_back(result[i]);
      } else if (i + 1 < result.size() && result[i + 1] == '%') {
        formatted.push_back('%');
        ++i;
      } else {
        const std::size_t close = result.find(")s", i);
        if (close == std::string::npos || i + 1 >= result.size() || result[i + 1] != '(')
          throw Error("'" + tag_name + "' is unable to format string returned by gettext");
        const std::string name = result.substr(i + 2, close - i - 2);
        for (const auto& [var, value] : data)
          if (var == name) {
            formatted += value;
            break;
          }
        i = close + 1;
      }
    }
    if (asvar.empty())
      out += formatted;
    else
      state.set(asvar, Value(std::move(formatted)));
  }
};

struct LanguageNode : Node {
  FilterExpression language;
  NodeList body;
  void render(RenderState& state, std::string& out) const override {
    std::string previous = state.language;
    state.language = to_python_str(language.resolve_value(state));
    try {
      body.render(state, out);
    } catch (...) {
      state.language = std::move(previous);
      throw;
    }
    state.language = std::move(previous);
  }
};

struct CurrentLanguageNode : Node {
  std::string variable;
  bool bidi = false;
  void render(RenderState& state, std::string&) const override {
    if (!bidi) {
      state.set(variable, Value(state.language));
      return;
    }
    const std::string base = state.language.substr(0, state.language.find('-'));
    state.set(variable, Value(base == "he" || base == "ar" || base == "fa" || base == "ur"));
  }
};

}  // namespace

std::unique_ptr<Node> Parser::tag_translate(const Token& token) {
  auto bits = split_contents(token.contents);
  if (bits.size() < 2) throw error(token, "'" + bits[0] + "' takes at least one argument");
  auto node = make<TranslateNode>(token);
  node->message = compile_filter(token, bits[1]);
  bool noop = false;
  std::vector<std::string> seen;
  for (std::size_t i = 2; i < bits.size(); ++i) {
    const std::string& option = bits[i];
    if (std::find(seen.begin(), seen.end(), option) != seen.end())
      throw error(token, "The '" + option + "' option was specified more than once.");
    if (option == "noop") {
      noop = true;
    } else if (option == "context") {
      if (++i >= bits.size())
        throw error(token,
                    "No argument provided to the '" + bits[0] + "' tag for the context option.");
      if (bits[i] == "as" || bits[i] == "noop")
        throw error(token, "Invalid argument '" + bits[i] + "' provided to the '" + bits[0] +
                               "' tag for the context option");
      node->message_context = compile_filter(token, bits[i]);
    } else if (option == "as") {
      if (++i >= bits.size())
        throw error(token, "No argument provided to the '" + bits[0] + "' tag for the as option.");
      node->asvar = bits[i];
    } else {
      throw error(token, "Unknown argument for '" + bits[0] + "' tag: '" + option +
                             "'. The only options available are 'noop', 'context' \"xxx\", and "
                             "'as VAR'.");
    }
    seen.push_back(option);
  }
  node->message.var.translate = !noop;
  return node;
}

std::unique_ptr<Node> Parser::tag_block_translate(const Token& token) {
  auto bits = split_contents(token.contents);
  auto node = make<BlockTranslateNode>(token);
  node->tag_name = bits[0];
  std::vector<std::string> remaining(bits.begin() + 1, bits.end());
  std::vector<std::string> seen;
  while (!remaining.empty()) {
    const std::string option = remaining.front();
    remaining.erase(remaining.begin());
    if (std::find(seen.begin(), seen.end(), option) != seen.end())
      throw error(token, "The '" + option + "' option was specified more than once.");
    if (option == "with") {
      node->extra_context = token_kwargs(token, remaining, true);
      if (node->extra_context.empty())
        throw error(token,
                    "\"with\" in '" + bits[0] + "' tag needs at least one keyword argument.");
    } else if (option == "count") {
      auto counted = token_kwargs(token, remaining, true);
      if (counted.size() != 1)
        throw error(token,
                    "\"count\" in '" + bits[0] + "' tag expected exactly one keyword argument.");
      node->countervar = counted[0].first;
      node->counter = std::move(counted[0].second);
    } else if (option == "context") {
      if (remaining.empty())
        throw error(token, "\"context\" in '" + bits[0] + "' tag expected exactly one argument.");
      node->message_context = compile_filter(token, remaining.front());
      remaining.erase(remaining.begin());
    } else if (option == "trimmed") {
      node->trimmed = true;
    } else if (option == "asvar") {
      if (remaining.empty())
        throw error(token,
                    "No argument provided to the '" + bits[0] + "' tag for the asvar option.");
      node->asvar = remaining.front();
      remaining.erase(remaining.begin());
    } else {
      throw error(token, "Unknown argument for '" + bits[0] + "' tag: '" + option + "'.");
    }
    seen.push_back(option);
  }
  const auto body = [&](std::vector<Token>& into) -> std::optional<Token> {
    while (!at_end()) {
      Token next = next_token();
      if (next.type == Token::Type::kText || next.type == Token::Type::kVar) {
        into.push_back(std::move(next));
        continue;
      }
      return next;
    }
    return std::nullopt;
  };
  std::optional<Token> end = body(node->singular);
  if (node->counter) {
    if (!end || text::strip(end->contents) != "plural")
      throw error(end ? *end : token, "'" + bits[0] + "' doesn't allow other block tags inside it");
    end = body(node->plural);
  }
  if (!end || text::strip(end->contents) != "end" + bits[0])
    throw error(end ? *end : token, "'" + bits[0] + "' doesn't allow other block tags (seen '" +
                                        (end ? end->contents : std::string()) + "') inside it");
  return node;
}

std::unique_ptr<Node> Parser::tag_language(const Token& token) {
  auto bits = split_contents(token.contents);
  if (bits.size() != 2) throw error(token, "'" + bits[0] + "' takes one argument (language)");
  auto node = make<LanguageNode>(token);
  node->language = compile_filter(token, bits[1]);
  parse_body(node->body, {"endlanguage"});
  return node;
}

std::unique_ptr<Node> Parser::tag_get_current_language(const Token& token) {
  auto bits = split_contents(token.contents);
  if (bits.size() != 3 || bits[1] != "as")
    throw error(token,
                "'get_current_language' requires 'as variable' (got " + token.contents + ")");
  auto node = make<CurrentLanguageNode>(token);
  node->variable = bits[2];
  return node;
}

std::unique_ptr<Node> Parser::tag_get_current_language_bidi(const Token& token) {
  auto bits = split_contents(token.contents);
  if (bits.size() != 3 || bits[1] != "as")
    throw error(token,
                "'get_current_language_bidi' requires 'as variable' (got " + token.contents + ")");
  auto node = make<CurrentLanguageNode>(token);
  node->variable = bits[2];
  node->bidi = true;
  return node;
}

}  // namespace templates::detail
