// The compile functions of the built-in tags: each reads its token and returns its node (or
// nullptr for tags that leave nothing to render, such as {% load %} and {% comment %}).
#include <algorithm>

#include "templates/filters.hpp"
#include "templates/parser_impl.hpp"
#include "templates/text.hpp"

namespace templates::detail {

std::unique_ptr<Node> Parser::tag_if(const Token& token) {
  auto node = make<IfNode>(token);
  auto bits = split_contents(token.contents);
  bits.erase(bits.begin());
  auto condition = parse_condition(token, bits);
  NodeList body;
  Token end = parse_body(body, {"elif", "else", "endif"});
  node->branches.emplace_back(std::move(condition), std::move(body));
  while (command_of(end) == "elif") {
    auto elif_bits = split_contents(end.contents);
    elif_bits.erase(elif_bits.begin());
    condition = parse_condition(end, elif_bits);
    end = parse_body(body, {"elif", "else", "endif"});
    node->branches.emplace_back(std::move(condition), std::move(body));
  }
  if (end.contents == "else") {
    end = parse_body(body, {"endif"});
    node->branches.emplace_back(nullptr, std::move(body));
  }
  if (end.contents != "endif")
    throw error(end, "Malformed template tag at line " + std::to_string(end.line) + ": \"" +
                         end.contents + "\"");
  return node;
}

// ---- for / with / include ----

std::unique_ptr<Node> Parser::tag_for(const Token& token) {
  auto bits = split_contents(token.contents);
  if (bits.size() < 4)
    throw error(token, "'for' statements should have at least four words: " + token.contents);
  auto node = make<ForNode>(token);
  node->reversed = bits.back() == "reversed";
  std::size_t in_index = bits.size() - (node->reversed ? 3 : 2);
  if (bits[in_index] != "in")
    throw error(token, "'for' statements should use the format 'for x in y': " + token.contents);
  std::string vars;
  for (std::size_t i = 1; i < in_index; ++i) vars += (i > 1 ? " " : "") + bits[i];
  // re.split(r' *, *', vars)
  std::size_t start = 0;
  while (true) {
    std::size_t comma = vars.find(',', start);
    std::string var =
        vars.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    while (!var.empty() && var.back() == ' ') var.pop_back();
    while (!var.empty() && var.front() == ' ') var.erase(0, 1);
    if (var.empty() || var.find_first_of(" \"'|") != std::string::npos)
      throw error(token, "'for' tag received an invalid argument: " + token.contents);
    node->loopvars.push_back(var);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  node->sequence = compile_filter(token, bits[in_index + 1]);
  Token end = parse_body(node->body, {"empty", "endfor"});
  if (end.contents == "empty") end = parse_body(node->empty, {"endfor"});
  return node;
}

std::vector<std::pair<std::string, FilterExpression>> Parser::token_kwargs(
    const Token& token, std::vector<std::string>& bits, bool support_legacy) {
  std::vector<std::pair<std::string, FilterExpression>> kwargs;
  auto kwarg_key = [](const std::string& bit) -> std::string {  // (?:(\w+)=)?(.+)
    std::size_t i = 0;
    while (i < bit.size() && text::is_word(bit[i])) ++i;
    if (i > 0 && i < bit.size() - 1 && bit[i] == '=') return bit.substr(0, i);
    return {};
  };
  if (bits.empty()) return kwargs;
  bool kwarg_format = !kwarg_key(bits[0]).empty();
  if (!kwarg_format && (!support_legacy || bits.size() < 3 || bits[1] != "as")) return kwargs;
  while (!bits.empty()) {
    std::string key, value;
    if (kwarg_format) {
      key = kwarg_key(bits[0]);
      if (key.empty()) return kwargs;
      value = bits[0].substr(key.size() + 1);
      bits.erase(bits.begin());
    } else {
      if (bits.size() < 3 || bits[1] != "as") return kwargs;
      key = bits[2];
      value = bits[0];
      bits.erase(bits.begin(), bits.begin() + 3);
    }
    kwargs.emplace_back(key, compile_filter(token, value));
    if (!bits.empty() && !kwarg_format) {
      if (bits[0] != "and") return kwargs;
      bits.erase(bits.begin());
    }
  }
  return kwargs;
}

std::unique_ptr<Node> Parser::tag_with(const Token& token) {
  auto bits = split_contents(token.contents);
  std::vector<std::string> remaining(bits.begin() + 1, bits.end());
  auto node = make<WithNode>(token);
  node->bindings = token_kwargs(token, remaining, true);
  if (node->bindings.empty())
    throw error(token, "'with' expected at least one variable assignment");
  if (!remaining.empty())
    throw error(token, "'with' received an invalid token: '" + remaining[0] + "'");
  parse_body(node->body, {"endwith"});
  return node;
}

std::unique_ptr<Node> Parser::tag_include(const Token& token) {
  auto bits = split_contents(token.contents);
  if (bits.size() < 2)
    throw error(
        token,
        "'include' tag takes at least one argument: the name of the template to be included.");
  auto node = make<IncludeNode>(token);
  std::vector<std::string> remaining(bits.begin() + 2, bits.end());
  bool seen_with = false;
  while (!remaining.empty()) {
    std::string option = remaining.front();
    remaining.erase(remaining.begin());
    if ((option == "with" && seen_with) || (option == "only" && node->only))
      throw error(token, "The '" + option + "' option was specified more than once.");
    if (option == "with") {
      seen_with = true;
      node->bindings = token_kwargs(token, remaining, false);
      if (node->bindings.empty())
        throw error(token, "\"with\" in 'include' tag needs at least one keyword argument.");
    } else if (option == "only") {
      node->only = true;
    } else {
      throw error(token, "Unknown argument for 'include' tag: '" + option + "'.");
    }
  }
  node->name = compile_filter(token, bits[1]);
  return node;
}

// ---- inheritance ----

std::unique_ptr<Node> Parser::tag_extends(const Token& token) {
  auto bits = split_contents(token.contents);
  if (bits.size() != 2) throw error(token, "'extends' takes one argument");
  auto node = make<ExtendsNode>(token);
  node->parent_name = compile_filter(token, bits[1]);
  node->owner = &tmpl_;
  seen_extends_ = true;
  tmpl_.extends = node.get();
  // Django parses the rest of the template into the ExtendsNode; only its blocks are used.
  node->rest = parse({});
  return node;
}

std::unique_ptr<Node> Parser::tag_block(const Token& token) {
  auto bits = split_contents(token.contents);
  if (bits.size() != 2) throw error(token, "'block' tag takes only one argument");
  if (!block_names_.insert(bits[1]).second)
    throw error(token, "'block' tag with name '" + bits[1] + "' appears more than once");
  auto node = make<BlockNode>(token);
  node->name = bits[1];
  Token end = parse_body(node->body, {"endblock"});
  std::string end_contents = end.contents;
  if (end_contents != "endblock" && end_contents != "endblock " + node->name)
    throw error(end, "Invalid block tag '" + end_contents + "', expected 'endblock'");
  tmpl_.blocks.push_back(node.get());
  return node;
}

// ---- small tags ----

std::unique_ptr<Node> Parser::tag_comment(const Token& token) {
  while (!at_end()) {
    Token t = next_token();
    if (t.type == Token::Type::kBlock && t.contents == "endcomment") return nullptr;
  }
  throw error(token, "Unclosed tag 'comment'. Looking for one of: endcomment.");
}

std::unique_ptr<Node> Parser::tag_load(const Token& token) {
  static const std::vector<std::string_view> kLibraries = {"cache", "i18n", "l10n", "static"};
  auto bits = split_contents(token.contents);
  const auto site_library = [&](const std::string& name) -> const Library* {
    if (!tmpl_.libraries) return nullptr;
    auto it = tmpl_.libraries->find(name);
    return it == tmpl_.libraries->end() ? nullptr : it->second.get();
  };
  const auto load_site_name = [&](const Library& library, const std::string& name) {
    bool found = false;
    if (const FilterDef* f = library.find_filter(name)) {
      user_filters_[name] = f;
      found = true;
    }
    if (const Library::Tag* t = library.find_tag(name)) {
      user_tags_[name] = t;
      found = true;
    }
    return found;
  };
  const auto known = [&](const std::string& name) {
    if (std::find(kLibraries.begin(), kLibraries.end(), name) != kLibraries.end()) return;
    if (site_library(name)) return;
    std::string message = "'" + name + "' is not a registered tag library. Must be one of:";
    for (auto library : kLibraries) {
      message.push_back('\n');
      message += library;
    }
    throw error(token, message);
  };
  if (bits.size() >= 4 && bits[bits.size() - 2] == "from") {
    // {% load tag1 tag2 from library %}: only those.
    const std::string& library = bits.back();
    known(library);
    if (const Library* site = site_library(library)) {
      for (std::size_t i = 1; i + 2 < bits.size(); ++i) {
        if (!load_site_name(*site, bits[i]))
          throw error(token, "'" + bits[i] + "' is not a valid tag or filter in tag library '" +
                                 library + "'");
      }
      return nullptr;
    }
    for (std::size_t i = 1; i + 2 < bits.size(); ++i) {
      if (library_of(bits[i]) != library)
        throw error(token, "'" + bits[i] + "' is not a valid tag or filter in tag library '" +
                               library + "'");
      loaded_.insert(bits[i]);
    }
    return nullptr;
  }
  for (std::size_t i = 1; i < bits.size(); ++i) {
    known(bits[i]);
    if (const Library* site = site_library(bits[i])) {
      for (const auto& name : site->filter_names()) load_site_name(*site, name);
      for (const auto& name : site->tag_names()) load_site_name(*site, name);
      continue;
    }
    for (const auto& [tag, fn] : tags())
      if (library_of(tag) == bits[i]) loaded_.insert(std::string(tag));
    for (std::string_view filter : {"localize", "unlocalize"})
      if (library_of(filter) == bits[i]) loaded_.insert(std::string(filter));
  }
  return nullptr;
}

std::unique_ptr<Node> Parser::tag_static(const Token& token) {
  auto bits = split_contents(token.contents);
  if (bits.size() < 2) throw error(token, "'static' takes at least one argument (path to file)");
  auto node = make<StaticNode>(token);
  node->path = compile_filter(token, bits[1]);
  if (bits.size() >= 2 && bits[bits.size() - 2] == "as") {
    if (bits.size() < 4) throw error(token, "'static' takes at least one argument (path to file)");
    node->asvar = bits[3];
  }
  return node;
}

std::unique_ptr<Node> Parser::tag_get_static_prefix(const Token& token) {
  auto bits = split_contents(token.contents);
  auto node = make<StaticPrefixNode>(token);
  if (bits.size() == 3 && bits[1] == "as")
    node->asvar = bits[2];
  else if (bits.size() != 1)
    throw error(token, "First argument in 'get_static_prefix' must be 'as'");
  return node;
}

std::unique_ptr<Node> Parser::tag_url(const Token& token) {
  auto bits = split_contents(token.contents);
  if (bits.size() < 2) throw error(token, "'url' takes at least one argument, a URL pattern name.");
  auto node = make<UrlNode>(token);
  node->view_name = compile_filter(token, bits[1]);
  std::vector<std::string> rest(bits.begin() + 2, bits.end());
  if (rest.size() >= 2 && rest[rest.size() - 2] == "as") {
    node->asvar = rest.back();
    rest.resize(rest.size() - 2);
  }
  for (const auto& bit : rest) {
    std::size_t i = 0;
    while (i < bit.size() && text::is_word(bit[i])) ++i;
    if (i > 0 && i + 1 < bit.size() && bit[i] == '=')
      throw error(token, "Keyword arguments to the url tag are not supported");
    node->args.push_back(compile_filter(token, bit));
  }
  return node;
}

std::unique_ptr<Node> Parser::tag_csrf_token(const Token& token) {
  return make<CsrfTokenNode>(token);
}

std::unique_ptr<Node> Parser::tag_autoescape(const Token& token) {
  auto bits = split_contents(token.contents);
  if (bits.size() != 2) throw error(token, "'autoescape' tag requires exactly one argument.");
  if (bits[1] != "on" && bits[1] != "off")
    throw error(token, "'autoescape' argument should be 'on' or 'off'");
  auto node = make<AutoescapeNode>(token);
  node->on = bits[1] == "on";
  parse_body(node->body, {"endautoescape"});
  return node;
}

std::unique_ptr<Node> Parser::tag_spaceless(const Token& token) {
  auto node = make<SpacelessNode>(token);
  parse_body(node->body, {"endspaceless"});
  return node;
}

std::unique_ptr<Node> Parser::tag_now(const Token& token) {
  auto bits = split_contents(token.contents);
  auto node = make<NowNode>(token);
  if (bits.size() == 4 && bits[2] == "as") {
    node->asvar = bits[3];
    bits.resize(2);
  }
  if (bits.size() != 2 || bits[1].size() < 2)
    throw error(token, "'now' statement takes one argument");
  node->format = bits[1].substr(1, bits[1].size() - 2);
  return node;
}

std::unique_ptr<Node> Parser::tag_cycle(const Token& token) {
  auto args = split_contents(token.contents);
  if (args.size() < 2) throw error(token, "'cycle' tag requires at least two arguments");
  if (args.size() == 2) {
    auto it = named_cycles_.find(args[1]);
    if (named_cycles_.empty())
      throw error(token, "No named cycles in template. '" + args[1] + "' is not defined");
    if (it == named_cycles_.end())
      throw error(token, "Named cycle '" + args[1] + "' does not exist");
    auto ref = make<CycleRefNode>(token);
    ref->target = it->second;
    return ref;
  }
  auto node = make<CycleNode>(token);
  bool as_form = false;
  if (args.size() > 4) {
    if (args[args.size() - 3] == "as") {
      if (args.back() != "silent")
        throw error(token,
                    "Only 'silent' flag is allowed after cycle's name, not '" + args.back() + "'.");
      as_form = true;
      node->silent = true;
      args.pop_back();
    } else if (args[args.size() - 2] == "as") {
      as_form = true;
    }
  }
  std::size_t value_end = as_form ? args.size() - 2 : args.size();
  for (std::size_t i = 1; i < value_end; ++i)
    node->values.push_back(compile_filter(token, args[i]));
  if (as_form) {
    node->asvar = args.back();
    named_cycles_[node->asvar] = node.get();
  }
  last_cycle_ = node.get();
  return node;
}

std::unique_ptr<Node> Parser::tag_resetcycle(const Token& token) {
  auto args = split_contents(token.contents);
  if (args.size() > 2) throw error(token, "'resetcycle' tag accepts at most one argument.");
  auto node = make<ResetCycleNode>(token);
  if (args.size() == 2) {
    auto it = named_cycles_.find(args[1]);
    if (it == named_cycles_.end())
      throw error(token, "Named cycle '" + args[1] + "' does not exist.");
    node->target = it->second;
  } else if (last_cycle_ == nullptr) {
    throw error(token, "No cycles in template.");
  } else {
    node->target = last_cycle_;
  }
  return node;
}

std::unique_ptr<Node> Parser::tag_ifchanged(const Token& token) {
  auto bits = split_contents(token.contents);
  auto node = make<IfChangedNode>(token);
  Token end = parse_body(node->changed, {"else", "endifchanged"});
  if (end.contents == "else") parse_body(node->unchanged, {"endifchanged"});
  for (std::size_t i = 1; i < bits.size(); ++i)
    node->values.push_back(compile_filter(token, bits[i]));
  return node;
}

std::unique_ptr<Node> Parser::tag_firstof(const Token& token) {
  auto bits = split_contents(token.contents);
  bits.erase(bits.begin());
  if (bits.empty()) throw error(token, "'firstof' statement requires at least one argument");
  auto node = make<FirstOfNode>(token);
  if (bits.size() >= 2 && bits[bits.size() - 2] == "as") {
    node->asvar = bits.back();
    bits.resize(bits.size() - 2);
  }
  for (const auto& bit : bits) node->values.push_back(compile_filter(token, bit));
  return node;
}

std::unique_ptr<Node> Parser::tag_verbatim(const Token& token) {
  NodeList body;
  parse_body(body, {"endverbatim"});
  auto node = make<TextNode>(token);
  for (const auto& n : body.nodes)
    if (auto* t = dynamic_cast<const TextNode*>(n.get())) node->text += t->text;
  return node;
}

std::unique_ptr<Node> Parser::tag_templatetag(const Token& token) {
  auto bits = split_contents(token.contents);
  if (bits.size() != 2) throw error(token, "'templatetag' statement takes one argument");
  static constexpr std::pair<std::string_view, std::string_view> kMapping[] = {
      {"openblock", "{%"}, {"closeblock", "%}"}, {"openvariable", "{{"}, {"closevariable", "}}"},
      {"openbrace", "{"},  {"closebrace", "}"},  {"opencomment", "{#"},  {"closecomment", "#}"},
  };
  for (const auto& [name, text] : kMapping) {
    if (bits[1] != name) continue;
    auto node = make<TextNode>(token);
    node->text = text;
    return node;
  }
  throw error(token, "Invalid templatetag argument: '" + bits[1] +
                         "'. Must be one of: openblock, closeblock, openvariable, closevariable, "
                         "openbrace, closebrace, opencomment, closecomment");
}

std::unique_ptr<Node> Parser::tag_widthratio(const Token& token) {
  auto bits = split_contents(token.contents);
  auto node = make<WidthRatioNode>(token);
  if (bits.size() == 6) {
    if (bits[4] != "as")
      throw error(token, "Invalid syntax in widthratio tag. Expecting 'as' keyword");
    node->asvar = bits[5];
  } else if (bits.size() != 4) {
    throw error(token, "widthratio takes at least three arguments");
  }
  node->value = compile_filter(token, bits[1]);
  node->max_value = compile_filter(token, bits[2]);
  node->max_width = compile_filter(token, bits[3]);
  return node;
}

std::unique_ptr<Node> Parser::tag_filter(const Token& token) {
  // Django splits on whitespace, not split_contents: the filters take no variables.
  const std::string_view contents = token.contents;
  const std::size_t space = contents.find_first_of(" \t\n\r\f\v");
  const std::size_t rest = space == std::string_view::npos
                               ? std::string_view::npos
                               : contents.find_first_not_of(" \t\n\r\f\v", space);
  if (rest == std::string_view::npos) throw error(token, "'filter' tag requires a filter");
  std::string_view filters = contents.substr(rest);
  while (!filters.empty() && text::is_space(filters.back())) filters.remove_suffix(1);
  auto node = make<FilterTagNode>(token);
  node->expr = compile_filter(token, "var|" + std::string(filters));
  for (const auto& call : node->expr.filters) {
    if (call.def->name == "escape" || call.def->name == "safe")
      throw error(token, "\"filter " + std::string(call.def->name) +
                             "\" is not permitted.  Use the \"autoescape\" tag instead.");
  }
  parse_body(node->body, {"endfilter"});
  return node;
}

std::unique_ptr<Node> Parser::tag_regroup(const Token& token) {
  auto bits = split_contents(token.contents);
  if (bits.size() != 6) throw error(token, "'regroup' tag takes five arguments");
  if (bits[2] != "by") throw error(token, "second argument to 'regroup' tag must be 'by'");
  if (bits[4] != "as") throw error(token, "next-to-last argument to 'regroup' tag must be 'as'");
  auto node = make<RegroupNode>(token);
  node->target = compile_filter(token, bits[1]);
  node->var_name = bits[5];
  // The key is looked up on each item as `var_name.<key>`, filters and all.
  node->key = compile_filter(token, bits[5] + "." + bits[3]);
  return node;
}

std::unique_ptr<Node> Parser::tag_lorem(const Token& token) {
  auto bits = split_contents(token.contents);
  auto node = make<LoremNode>(token);
  if (bits.size() > 1 && bits.back() == "random") {
    node->common = false;
    bits.pop_back();
  }
  if (bits.size() > 1 && (bits.back() == "w" || bits.back() == "p" || bits.back() == "b")) {
    node->method = bits.back()[0];
    bits.pop_back();
  }
  std::string count = "1";
  if (bits.size() > 1) {
    count = bits.back();
    bits.pop_back();
  }
  node->count = compile_filter(token, count);
  if (bits.size() != 1) throw error(token, "Incorrect format for 'lorem' tag");
  return node;
}

std::unique_ptr<Node> Parser::tag_localize(const Token& token) {
  auto bits = split_contents(token.contents);
  if (bits.size() > 2 || (bits.size() == 2 && bits[1] != "on" && bits[1] != "off"))
    throw error(token, "'" + bits[0] + "' argument should be 'on' or 'off'");
  // In English without a thousands separator, localized output differs from plain only for
  // floats, which {% localize off %} prints as Python's str() does.
  auto node = make<LocalizeNode>(token);
  node->on = bits.size() == 1 || bits[1] == "on";
  parse_body(node->body, {"endlocalize"});
  return node;
}

}  // namespace templates::detail
