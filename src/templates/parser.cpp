#include "templates/parser.hpp"

#include <algorithm>
#include <functional>

#include "templates/parser_impl.hpp"
#include "templates/text.hpp"

namespace templates::detail {
namespace {

std::string join_quoted(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += i + 1 == names.size() ? " or " : ", ";
    out += "'" + names[i] + "'";
  }
  return out;
}

}  // namespace

const std::unordered_map<std::string_view, Parser::TagFn>& Parser::tags() {
  static const std::unordered_map<std::string_view, TagFn> kTags = {
      {"if", &Parser::tag_if},
      {"for", &Parser::tag_for},
      {"with", &Parser::tag_with},
      {"include", &Parser::tag_include},
      {"extends", &Parser::tag_extends},
      {"block", &Parser::tag_block},
      {"comment", &Parser::tag_comment},
      {"load", &Parser::tag_load},
      {"static", &Parser::tag_static},
      {"url", &Parser::tag_url},
      {"csrf_token", &Parser::tag_csrf_token},
      {"autoescape", &Parser::tag_autoescape},
      {"spaceless", &Parser::tag_spaceless},
      {"now", &Parser::tag_now},
      {"cycle", &Parser::tag_cycle},
      {"firstof", &Parser::tag_firstof},
      {"verbatim", &Parser::tag_verbatim},
      {"templatetag", &Parser::tag_templatetag},
      {"ifchanged", &Parser::tag_ifchanged},
      {"resetcycle", &Parser::tag_resetcycle},
      {"filter", &Parser::tag_filter},
      {"regroup", &Parser::tag_regroup},
      {"lorem", &Parser::tag_lorem},
      {"get_static_prefix", &Parser::tag_get_static_prefix},
      {"trans", &Parser::tag_translate},
      {"translate", &Parser::tag_translate},
      {"blocktrans", &Parser::tag_block_translate},
      {"blocktranslate", &Parser::tag_block_translate},
      {"language", &Parser::tag_language},
      {"get_current_language", &Parser::tag_get_current_language},
      {"get_current_language_bidi", &Parser::tag_get_current_language_bidi},
      {"cache", &Parser::tag_cache},
      {"localize", &Parser::tag_localize},
      {"widthratio", &Parser::tag_widthratio},
  };
  return kTags;
}

std::string_view Parser::library_of(std::string_view tag) {
  static const std::unordered_map<std::string_view, std::string_view> kLibraries = {
      {"static", "static"},
      {"get_static_prefix", "static"},
      {"trans", "i18n"},
      {"translate", "i18n"},
      {"blocktrans", "i18n"},
      {"blocktranslate", "i18n"},
      {"language", "i18n"},
      {"get_current_language", "i18n"},
      {"get_current_language_bidi", "i18n"},
      {"cache", "cache"},
      {"localize", "l10n"},    // the tag and the filter
      {"unlocalize", "l10n"},  // a filter
  };
  const auto it = kLibraries.find(tag);
  return it == kLibraries.end() ? std::string_view() : it->second;
}

NodeList Parser::parse(const std::vector<std::string>& until, bool top_level) {
  NodeList list;
  list.origin = &tmpl_.name;
  if (++depth_ > kMaxNesting) {
    Token where;
    if (!command_stack_.empty()) where.line = command_stack_.back().second;
    throw error(where, "Tags are nested more than " + std::to_string(kMaxNesting) + " deep");
  }
  while (!at_end()) {
    Token token = next_token();
    switch (token.type) {
      case Token::Type::kText: {
        auto node = make<TextNode>(token);
        node->text = std::move(token.contents);
        list.nodes.push_back(std::move(node));
        break;
      }
      case Token::Type::kVar: {
        if (token.contents.empty()) throw error(token, "Empty variable tag");
        auto node = make<VariableNode>(token);
        node->expr = compile_filter(token, token.contents);
        list.nodes.push_back(std::move(node));
        if (top_level) contains_nontext_ = true;
        break;
      }
      case Token::Type::kComment:
        break;
      case Token::Type::kBlock: {
        std::string command = command_of(token);
        if (command.empty()) throw error(token, "Empty block tag");
        if (std::find(until.begin(), until.end(), command) != until.end()) {
          --pos_;
          tokens_[pos_] = std::move(token);
          --depth_;
          return list;
        }
        auto it = tags().find(command);
        const bool in_library = !library_of(command).empty();
        if (auto user = user_tags_.find(command); user != user_tags_.end()) {
          command_stack_.emplace_back(command, token.line);
          auto node = user_tag(token, *user->second);
          command_stack_.pop_back();
          if (top_level) contains_nontext_ = true;
          list.nodes.push_back(std::move(node));
          continue;
        }
        if (it == tags().end() || (in_library && !loaded_.contains(command))) {
          std::string message = "Invalid block tag '" + command + "'";
          if (!until.empty()) message += ", expected " + join_quoted(until);
          if (in_library) message += ". Did you forget to register or load this tag?";
          throw error(token, message);
        }
        if (command == "extends" && (contains_nontext_ || !top_level || depth_ != 1)) {
          if (seen_extends_)
            throw error(token, "'extends' cannot appear more than once in the same template");
          throw error(token,
                      "<ExtendsNode: extends " +
                          token.contents.substr(std::min<std::size_t>(8, token.contents.size())) +
                          "> must be the first tag in the template.");
        }
        command_stack_.emplace_back(command, token.line);
        bool was_top = top_level;
        std::unique_ptr<Node> node = (this->*(it->second))(token);
        command_stack_.pop_back();
        if (was_top) contains_nontext_ = true;
        if (node) list.nodes.push_back(std::move(node));
        break;
      }
    }
  }
  if (!until.empty()) {
    std::string looking;
    for (std::size_t i = 0; i < until.size(); ++i) looking += (i ? ", " : "") + until[i];
    Token where;
    std::string tag = "?";
    if (!command_stack_.empty()) {
      tag = command_stack_.back().first;
      where.line = command_stack_.back().second;
    }
    throw error(where, "Unclosed tag '" + tag + "'. Looking for one of: " + looking + ".");
  }
  --depth_;
  return list;
}

// ---- if ----

namespace {

struct IfToken {
  std::string text;
  bool is_op = false;
  IfExpr::Op op = IfExpr::Op::kLiteral;
  int lbp = 0;
};

class IfParser {
 public:
  IfParser(std::vector<IfToken> tokens, std::function<FilterExpression(const std::string&)> compile)
      : tokens_(std::move(tokens)), compile_(std::move(compile)) {}

  std::unique_ptr<IfExpr> parse() {
    auto result = expression(0);
    if (pos_ < tokens_.size())
      throw Error("Unused '" + tokens_[pos_].text + "' at end of if expression.");
    return result;
  }

 private:
  int current_lbp() const { return pos_ < tokens_.size() ? tokens_[pos_].lbp : 0; }

  std::unique_ptr<IfExpr> expression(int rbp) {
    if (pos_ >= tokens_.size()) throw Error("Unexpected end of expression in if tag.");
    const IfToken& t = tokens_[pos_++];
    auto left = nud(t);
    while (rbp < current_lbp()) {
      const IfToken& op = tokens_[pos_++];
      if (op.op == IfExpr::Op::kNot)
        throw Error("Not expecting 'not' as infix operator in if tag.");
      auto node = std::make_unique<IfExpr>();
      node->op = op.op;
      node->first = std::move(left);
      node->second = expression(op.lbp);
      left = std::move(node);
    }
    return left;
  }

  std::unique_ptr<IfExpr> nud(const IfToken& t) {
    auto node = std::make_unique<IfExpr>();
    if (!t.is_op) {
      node->literal = compile_(t.text);
      return node;
    }
    if (t.op != IfExpr::Op::kNot)
      throw Error("Not expecting '" + t.text + "' in this position in if tag.");
    node->op = IfExpr::Op::kNot;
    node->first = expression(8);
    return node;
  }

  std::vector<IfToken> tokens_;
  std::size_t pos_ = 0;
  std::function<FilterExpression(const std::string&)> compile_;
};

}  // namespace

std::unique_ptr<IfExpr> Parser::parse_condition(const Token& token,
                                                const std::vector<std::string>& bits) {
  using Op = IfExpr::Op;
  static const std::unordered_map<std::string_view, std::pair<Op, int>> kOps = {
      {"or", {Op::kOr, 6}},         {"and", {Op::kAnd, 7}},      {"not", {Op::kNot, 8}},
      {"in", {Op::kIn, 9}},         {"not in", {Op::kNotIn, 9}}, {"is", {Op::kIs, 10}},
      {"is not", {Op::kIsNot, 10}}, {"==", {Op::kEq, 10}},       {"!=", {Op::kNe, 10}},
      {">", {Op::kGt, 10}},         {">=", {Op::kGe, 10}},       {"<", {Op::kLt, 10}},
      {"<=", {Op::kLe, 10}},
  };
  std::vector<IfToken> tokens;
  for (std::size_t i = 0; i < bits.size(); ++i) {
    std::string bit = bits[i];
    if (bit == "is" && i + 1 < bits.size() && bits[i + 1] == "not")
      bit = "is not", ++i;
    else if (bit == "not" && i + 1 < bits.size() && bits[i + 1] == "in")
      bit = "not in", ++i;
    IfToken t;
    t.text = bit;
    if (auto it = kOps.find(bit); it != kOps.end()) {
      t.is_op = true;
      t.op = it->second.first;
      t.lbp = it->second.second;
    }
    tokens.push_back(std::move(t));
  }
  try {
    IfParser parser(std::move(tokens), [this](const std::string& s) {
      return FilterExpression::parse(s, filter_lookup());
    });
    return parser.parse();
  } catch (const Error& e) {
    throw error(token, e.message());
  }
}

void parse_template(CompiledTemplate& tmpl, std::string_view source) {
  Parser parser(tmpl, tokenize(source));
  parser.run();
}

}  // namespace templates::detail
