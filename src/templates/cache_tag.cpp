// The cache library ({% load cache %}): {% cache timeout name [vary_on ...] [using="default"] %}
// keeps the rendered fragment in the engine's process-memory cache (fragment_cache.hpp), keyed
// by the name and the vary-on values, as django/templatetags/cache.py (3.2) does with its
// local-memory backend. The one cache is "default".
#include <optional>
#include <string>
#include <vector>

#include "templates/engine_access.hpp"
#include "templates/error.hpp"
#include "templates/filter_support.hpp"
#include "templates/fragment_cache.hpp"
#include "templates/nodes.hpp"
#include "templates/parser_impl.hpp"

namespace templates::detail {
namespace {

struct CacheNode : Node {
  FilterExpression expire_time;
  std::string fragment_name;
  std::vector<FilterExpression> vary_on;
  std::optional<FilterExpression> cache_name;
  NodeList body;

  void render(RenderState& state, std::string& out) const override {
    const Value timeout = expire_time.resolve_value(state);
    std::optional<std::int64_t> seconds;
    if (!timeout.is_null()) {
      seconds = python_int(timeout);
      if (!seconds)
        throw Error("\"cache\" tag got a non-integer timeout value: '" + to_python_str(timeout) +
                    "'");
    }
    if (cache_name) {
      const std::string name = to_python_str(cache_name->resolve_value(state));
      if (name != "default")
        throw Error("Invalid cache name specified for cache tag: '" + name + "'");
    }
    std::string key = "template.cache." + fragment_name;
    for (const auto& expr : vary_on) {
      key.push_back('\0');  // values cannot run into each other
      key += to_python_str(expr.resolve_value(state));
    }
    FragmentCache& cache = EngineAccess::fragment_cache(state.engine);
    if (auto cached = cache.get(key)) {
      out += *cached;
      return;
    }
    std::string rendered;
    body.render(state, rendered);
    out += rendered;
    cache.set(key, std::move(rendered), seconds);
  }
};

}  // namespace

std::unique_ptr<Node> Parser::tag_cache(const Token& token) {
  auto node = make<CacheNode>(token);
  parse_body(node->body, {"endcache"});
  auto bits = split_contents(token.contents);
  if (bits.size() < 3) throw error(token, "'cache' tag requires at least 2 arguments.");
  if (bits.size() > 3 && bits.back().starts_with("using=")) {
    node->cache_name = compile_filter(token, bits.back().substr(6));
    bits.pop_back();
  }
  node->expire_time = compile_filter(token, bits[1]);
  node->fragment_name = bits[2];  // a name, never a variable
  for (std::size_t i = 3; i < bits.size(); ++i)
    node->vary_on.push_back(compile_filter(token, bits[i]));
  return node;
}

}  // namespace templates::detail
