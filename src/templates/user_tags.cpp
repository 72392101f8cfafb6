// The tags of a site's templates::Library: simple tags, inclusion tags and block tags, parsed
// and rendered as Django's simple_tag and inclusion_tag are: positional, then name=value
// arguments (each a filter expression, resolved at render), `as var` at the end, the result
// escaped when autoescape is on unless safe.
#include <string>
#include <vector>

#include "templates/engine_access.hpp"
#include "templates/error.hpp"
#include "templates/nodes.hpp"
#include "templates/parser_impl.hpp"

namespace templates::detail {
namespace {

// A site's tag may use this many nested inclusion levels, as {% include %}.
constexpr int kMaxInclusionDepth = 20;

struct UserTagNode : Node {
  const Library::Tag* tag = nullptr;
  std::string name;
  std::vector<FilterExpression> args;
  std::vector<std::pair<std::string, FilterExpression>> kwargs;
  std::string asvar;
  NodeList body;  // block tags

  TagArguments resolve(RenderState& state) const {
    TagArguments resolved;
    resolved.autoescape = state.autoescape;
    for (const auto& expr : args) resolved.args.push_back(expr.resolve_value(state));
    for (const auto& [key, expr] : kwargs)
      resolved.kwargs.emplace_back(key, expr.resolve_value(state));
    return resolved;
  }

  void render(RenderState& state, std::string& out) const override {
    const TagArguments arguments = resolve(state);
    if (tag->kind == Library::TagKind::kInclusion) {
      render_inclusion(state, arguments, out);
      return;
    }
    Value result;
    if (tag->kind == Library::TagKind::kBlock) {
      std::string rendered;
      body.render(state, rendered);
      result = tag->block(arguments, mark_safe(std::move(rendered)));
    } else {
      result = tag->simple(arguments);
    }
    if (!asvar.empty()) {
      state.set(asvar, std::move(result));
      return;
    }
    append_rendered(result, state.autoescape, out);
  }

  void render_inclusion(RenderState& state, const TagArguments& arguments, std::string& out) const {
    if (state.include_depth >= kMaxInclusionDepth)
      throw Error("'" + name + "': inclusion tags nested more than 20 deep");
    const Value context(tag->inclusion(arguments));
    auto tmpl = EngineAccess::get_template(state.engine, tag->template_name);
    RenderContext isolated;
    RenderState sub(state.engine, nullptr);  // only what the function returned
    sub.autoescape = state.autoescape;
    sub.render_context = &isolated;
    sub.include_depth = state.include_depth + 1;
    for (const auto& [key, value] : context.map().entries()) sub.set(key, value);
    // As Django: the CSRF token goes along, so forms in the fragment still post.
    if (const Value* token = state.find("csrf_token"); token && !context.map().find("csrf_token"))
      sub.set("csrf_token", *token);
    std::string rendered;
    tmpl->nodes.render(sub, rendered);
    if (!asvar.empty()) {
      state.set(asvar, mark_safe(std::move(rendered)));
      return;
    }
    out += rendered;
  }
};

bool is_word(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

}  // namespace

std::unique_ptr<Node> Parser::user_tag(const Token& token, const Library::Tag& tag) {
  auto bits = split_contents(token.contents);
  auto node = make<UserTagNode>(token);
  node->tag = &tag;
  node->name = bits[0];
  std::size_t end = bits.size();
  if (bits.size() >= 3 && bits[bits.size() - 2] == "as") {
    node->asvar = bits.back();
    end -= 2;
  }
  for (std::size_t i = 1; i < end; ++i) {
    const std::string& bit = bits[i];
    const std::size_t eq = bit.find('=');
    if (eq != std::string::npos && is_word(bit.substr(0, eq))) {
      const std::string key = bit.substr(0, eq);
      for (const auto& [existing, expr] : node->kwargs)
        if (existing == key)
          throw error(token, "'" + bits[0] + "' received multiple values for keyword argument '" +
                                 key + "'");
      node->kwargs.emplace_back(key, compile_filter(token, bit.substr(eq + 1)));
    } else {
      if (!node->kwargs.empty())
        throw error(token,
                    "'" + bits[0] +
                        "' received some positional argument(s) after some keyword argument(s)");
      node->args.push_back(compile_filter(token, bit));
    }
  }
  if (tag.kind == Library::TagKind::kBlock) parse_body(node->body, {"end" + bits[0]});
  return node;
}

}  // namespace templates::detail
