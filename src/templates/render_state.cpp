#include "templates/render_state.hpp"

#include "templates/nodes.hpp"

namespace templates::detail {

const Value* RenderState::find(std::string_view name) const {
  for (auto it = vars_.rbegin(); it != vars_.rend(); ++it)
    if (it->name == name) return it->get();
  if (base_)
    if (const Value* v = base_->find(name)) return v;
  static const Value kTrue(true), kFalse(false), kNone;
  if (name == "True") return &kTrue;
  if (name == "False") return &kFalse;
  if (name == "None") return &kNone;
  return nullptr;
}

RenderState::Binding& RenderState::bind(std::string_view name) {
  for (std::size_t i = vars_.size(); i > scope_starts_.back(); --i)
    if (vars_[i - 1].name == name) return vars_[i - 1];
  vars_.push_back(Binding{name, Value(), nullptr});
  return vars_.back();
}

void RenderState::set(std::string_view name, Value value) {
  Binding& b = bind(name);
  b.value = std::move(value);
  b.ref = nullptr;
}

void RenderState::set_ref(std::string_view name, const Value* value) {
  Binding& b = bind(name);
  b.value = Value();
  b.ref = value;
}

void RenderState::set_upward(std::string_view name, Value value) {
  for (auto it = vars_.rbegin(); it != vars_.rend(); ++it) {
    if (it->name == name) {
      it->value = std::move(value);
      it->ref = nullptr;
      return;
    }
  }
  set(name, std::move(value));
}

void BlockContext::add_blocks(const std::vector<const BlockNode*>& nodes) {
  for (const BlockNode* node : nodes) {
    auto& list = blocks[node->name];
    list.insert(list.begin(), node);
  }
}

const BlockNode* BlockContext::pop(std::string_view name) {
  auto it = blocks.find(name);
  if (it == blocks.end() || it->second.empty()) return nullptr;
  const BlockNode* node = it->second.back();
  it->second.pop_back();
  return node;
}

void BlockContext::push(std::string_view name, const BlockNode* node) {
  blocks[name].push_back(node);
}

const BlockNode* BlockContext::get(std::string_view name) const {
  auto it = blocks.find(name);
  if (it == blocks.end() || it->second.empty()) return nullptr;
  return it->second.back();
}

}  // namespace templates::detail
