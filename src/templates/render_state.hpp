// templates (internal): the mutable state of one render: local scopes layered over the caller's
// const Context, autoescape, the block context of {% extends %} and cycle positions
// (Django's Context + RenderContext). One per render call, never shared between threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "templates/context.hpp"
#include "templates/value.hpp"

namespace templates {
class Engine;
}

namespace templates::detail {

struct BlockNode;
struct CompiledTemplate;

// Which override of each {% block %} renders next (Django's BlockContext).
struct BlockContext {
  std::unordered_map<std::string_view, std::vector<const BlockNode*>> blocks;
  void add_blocks(const std::vector<const BlockNode*>& nodes);  // parents go in front
  const BlockNode* pop(std::string_view name);
  void push(std::string_view name, const BlockNode* node);
  const BlockNode* get(std::string_view name) const;
};

// Per-template-render state that {% include %} isolates (Django's RenderContext).
struct RenderContext {
  BlockContext* blocks = nullptr;
  std::unordered_map<const void*, std::size_t> cycles;
  std::unordered_map<const void*, Value> ifchanged;  // {% ifchanged %} outside any loop
};

class RenderState {
 public:
  RenderState(const Engine& engine, const Context* base) : engine(engine), base_(base) {
    scope_starts_.push_back(0);
  }

  const Engine& engine;
  bool autoescape = true;
  RenderContext* render_context = nullptr;
  int include_depth = 0;
  std::string language = "en-us";
  bool localize = true;  // false inside {% localize off %}  // translation.get_language():
                         // LANGUAGE_CODE, or {% language %}
  std::vector<std::shared_ptr<const CompiledTemplate>> keepalive;

  // Innermost binding: local scopes first, then the caller's context, then True/False/None.
  const Value* find(std::string_view name) const;
  void push() { scope_starts_.push_back(vars_.size()); }
  void pop() {
    vars_.resize(scope_starts_.back());
    scope_starts_.pop_back();
  }
  // Binds in the innermost scope; `name` must outlive the render (it points into a template).
  void set(std::string_view name, Value value);
  // Binds name to a value owned elsewhere (a loop item); it must outlive the binding's scope.
  void set_ref(std::string_view name, const Value* value);
  // Django's set_upward: rebinds where name is already bound locally, else binds innermost.
  void set_upward(std::string_view name, Value value);

  // A fresh state for {% include ... only %}: no caller context, same autoescape.
  const Context* base() const { return base_; }

 private:
  const Context* base_;
  struct Binding {
    std::string_view name;
    Value value;
    const Value* ref = nullptr;  // when set, the binding's value lives elsewhere
    const Value* get() const { return ref ? ref : &value; }
  };
  Binding& bind(std::string_view name);
  std::vector<Binding> vars_;
  std::vector<std::size_t> scope_starts_;
};

class ScopeGuard {
 public:
  explicit ScopeGuard(RenderState& state) : state_(state) { state_.push(); }
  ~ScopeGuard() { state_.pop(); }
  ScopeGuard(const ScopeGuard&) = delete;
  ScopeGuard& operator=(const ScopeGuard&) = delete;

 private:
  RenderState& state_;
};

}  // namespace templates::detail
