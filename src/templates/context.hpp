// templates: the variables a template renders with, as a stack of scopes (Django's Context).
// The engine never mutates a caller's Context: tags that bind names push scopes of their own.
//
//   templates::Context ctx;
//   ctx.set("title", "Hello");
//   engine.render("home.html", ctx);
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "templates/value.hpp"

namespace templates {

class Context {
 public:
  Context();
  // Binds name in the innermost scope (replacing an existing binding there).
  void set(std::string name, Value value);
  // Innermost binding of name, or nullptr.
  const Value* find(std::string_view name) const;
  void push();
  void pop();  // never pops the outermost scope
  // A context whose outermost scope holds every member of a map value (e.g. from JSON).
  static Context from_map(const Value& map);

 private:
  std::vector<std::vector<std::pair<std::string, Value>>> scopes_;
};

}  // namespace templates
