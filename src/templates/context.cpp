#include "templates/context.hpp"

namespace templates {

Context::Context() : scopes_(1) {}

void Context::set(std::string name, Value value) {
  auto& scope = scopes_.back();
  for (auto& [k, v] : scope) {
    if (k == name) {
      v = std::move(value);
      return;
    }
  }
  scope.emplace_back(std::move(name), std::move(value));
}

const Value* Context::find(std::string_view name) const {
  for (auto scope = scopes_.rbegin(); scope != scopes_.rend(); ++scope)
    for (const auto& [k, v] : *scope)
      if (k == name) return &v;
  return nullptr;
}

void Context::push() { scopes_.emplace_back(); }

void Context::pop() {
  if (scopes_.size() > 1) scopes_.pop_back();
}

Context Context::from_map(const Value& map) {
  Context ctx;
  if (map.is_map())
    for (const auto& [k, v] : map.map().entries()) ctx.set(k, v);
  return ctx;
}

}  // namespace templates
