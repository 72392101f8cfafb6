// templates (internal): the Parser class shared by parser.cpp (the token loop and {% if %}
// expressions) and tags.cpp (one compile function per built-in tag).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "templates/error.hpp"
#include "templates/filters.hpp"
#include "templates/lexer.hpp"
#include "templates/nodes.hpp"

namespace templates::detail {

constexpr int kMaxNesting = 200;  // about where Django hits Python's recursion limit

class Parser {
 public:
  Parser(CompiledTemplate& tmpl, std::vector<Token> tokens)
      : tmpl_(tmpl), tokens_(std::move(tokens)) {}

  NodeList parse(const std::vector<std::string>& until, bool top_level = false);
  void run() { tmpl_.nodes = parse({}, true); }

 private:
  using TagFn = std::unique_ptr<Node> (Parser::*)(const Token&);

  Error error(const Token& token, const std::string& message) const {
    std::string written = token.type == Token::Type::kBlock ? "{% " + token.contents + " %}"
                          : token.type == Token::Type::kVar ? "{{ " + token.contents + " }}"
                                                            : std::string();
    return Error(message, tmpl_.name, token.line).with_token(std::move(written));
  }
  Token next_token() {
    Token t = std::move(tokens_[pos_]);
    ++pos_;
    return t;
  }
  bool at_end() const { return pos_ >= tokens_.size(); }
  FilterExpression compile_filter(const Token& token, std::string_view text) const {
    try {
      return FilterExpression::parse(text, filter_lookup());
    } catch (const Error& e) {
      throw error(token, e.message());
    }
  }
  template <typename T>
  std::unique_ptr<T> make(const Token& token) {
    auto node = std::make_unique<T>();
    node->line = token.line;
    return node;
  }
  // Parses until one of `until`, consumes that end token, and returns it.
  Token parse_body(NodeList& body, const std::vector<std::string>& until) {
    body = parse(until);
    return next_token();
  }

  std::unique_ptr<Node> tag_if(const Token&);
  std::unique_ptr<Node> tag_for(const Token&);
  std::unique_ptr<Node> tag_with(const Token&);
  std::unique_ptr<Node> tag_include(const Token&);
  std::unique_ptr<Node> tag_extends(const Token&);
  std::unique_ptr<Node> tag_block(const Token&);
  std::unique_ptr<Node> tag_comment(const Token&);
  std::unique_ptr<Node> tag_load(const Token&);
  std::unique_ptr<Node> tag_static(const Token&);
  std::unique_ptr<Node> tag_url(const Token&);
  std::unique_ptr<Node> tag_csrf_token(const Token&);
  std::unique_ptr<Node> tag_autoescape(const Token&);
  std::unique_ptr<Node> tag_spaceless(const Token&);
  std::unique_ptr<Node> tag_now(const Token&);
  std::unique_ptr<Node> tag_cycle(const Token&);
  std::unique_ptr<Node> tag_firstof(const Token&);
  std::unique_ptr<Node> tag_templatetag(const Token&);
  std::unique_ptr<Node> tag_ifchanged(const Token&);
  std::unique_ptr<Node> tag_resetcycle(const Token&);
  std::unique_ptr<Node> tag_filter(const Token&);
  std::unique_ptr<Node> tag_regroup(const Token&);
  std::unique_ptr<Node> tag_lorem(const Token&);
  std::unique_ptr<Node> tag_get_static_prefix(const Token&);
  // The i18n library (i18n_tags.cpp).
  std::unique_ptr<Node> tag_translate(const Token&);
  std::unique_ptr<Node> tag_block_translate(const Token&);
  std::unique_ptr<Node> tag_language(const Token&);
  std::unique_ptr<Node> tag_get_current_language(const Token&);
  std::unique_ptr<Node> tag_get_current_language_bidi(const Token&);
  std::unique_ptr<Node> tag_cache(const Token&);     // the cache library (cache_tag.cpp)
  std::unique_ptr<Node> tag_localize(const Token&);  // the l10n library
  // A tag of a site's library (user_tags.cpp).
  std::unique_ptr<Node> user_tag(const Token& token, const Library::Tag& tag);
  FilterExpression::FilterLookup filter_lookup() const {
    return [this](std::string_view name) -> const FilterDef* {
      if (auto it = user_filters_.find(name); it != user_filters_.end()) return it->second;
      return loaded_.contains(std::string(name)) ? find_library_filter(name) : nullptr;
    };
  }
  std::unique_ptr<Node> tag_widthratio(const Token&);
  std::unique_ptr<Node> tag_verbatim(const Token&);

  std::unique_ptr<IfExpr> parse_condition(const Token& token, const std::vector<std::string>& bits);
  std::vector<std::pair<std::string, FilterExpression>> token_kwargs(const Token& token,
                                                                     std::vector<std::string>& bits,
                                                                     bool support_legacy);

  static const std::unordered_map<std::string_view, TagFn>& tags();
  // The library a tag comes from ("static", "i18n", ...), or "" for the built-in tags.
  static std::string_view library_of(std::string_view tag);

  CompiledTemplate& tmpl_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  std::vector<std::pair<std::string, int>> command_stack_;
  bool contains_nontext_ = false;  // at top level, for "extends must be first"
  bool seen_extends_ = false;
  std::unordered_set<std::string> loaded_;  // tags of {% load %}ed libraries
  std::map<std::string, const FilterDef*, std::less<>> user_filters_;  // loaded site filters
  std::map<std::string, const Library::Tag*, std::less<>> user_tags_;  // loaded site tags
  std::unordered_set<std::string> block_names_;
  std::unordered_map<std::string, const CycleNode*> named_cycles_;
  const CycleNode* last_cycle_ = nullptr;  // what a bare {% resetcycle %} resets
  int depth_ = 0;
};

}  // namespace templates::detail
