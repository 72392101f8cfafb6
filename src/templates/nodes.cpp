#include "templates/nodes.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "templates/date_format.hpp"
#include "templates/engine_access.hpp"
#include "templates/error.hpp"
#include "templates/filter_support.hpp"
#include "templates/lorem.hpp"
#include "templates/text.hpp"

namespace templates::detail {

// ---- helpers ----

void NodeList::render(RenderState& state, std::string& out) const {
  for (const auto& node : nodes) {
    try {
      node->render(state, out);
    } catch (const Error& e) {
      if (e.located()) throw;
      throw Error(e.message(), origin ? *origin : std::string(), node->line);
    }
  }
}

namespace {

std::string resolve_string(const FilterExpression& expr, RenderState& state) {
  Value scratch;
  return to_python_str(*expr.resolve(state, scratch));
}

// forloop: Django's loop dict, updated in place each iteration.
class ForLoop : public Object {
 public:
  std::int64_t counter0 = 0;
  std::int64_t length = 0;
  Value parentloop;
  // What each {% ifchanged %} inside this loop last saw; a new loop starts afresh.
  mutable std::unordered_map<const void*, Value> ifchanged;

  std::optional<Value> lookup(std::string_view key) const override {
    if (key == "counter0") return Value(counter0);
    if (key == "counter") return Value(counter0 + 1);
    if (key == "revcounter") return Value(length - counter0);
    if (key == "revcounter0") return Value(length - counter0 - 1);
    if (key == "first") return Value(counter0 == 0);
    if (key == "last") return Value(counter0 == length - 1);
    if (key == "parentloop") return std::optional<Value>(parentloop);
    return std::nullopt;
  }
  std::string str() const override {
    std::string out = "{'parentloop': ";
    append_python_repr(parentloop, out);
    out += ", 'counter0': " + std::to_string(counter0) +
           ", 'counter': " + std::to_string(counter0 + 1) +
           ", 'revcounter': " + std::to_string(length - counter0) +
           ", 'revcounter0': " + std::to_string(length - counter0 - 1) +
           ", 'first': " + (counter0 == 0 ? "True" : "False") +
           ", 'last': " + (counter0 == length - 1 ? "True" : "False") + "}";
    return out;
  }
};

// Django's GroupedResult(grouper, list), a named tuple.
class GroupedResult : public Object {
 public:
  GroupedResult(Value grouper, Value::List list)
      : items_{std::move(grouper), Value(std::move(list))} {}
  std::optional<Value> lookup(std::string_view key) const override {
    if (key == "grouper" || key == "0") return items_[0];
    if (key == "list" || key == "1") return items_[1];
    return std::nullopt;
  }
  std::string str() const override {
    std::string out = "GroupedResult(grouper=";
    append_python_repr(items_[0], out);
    out += ", list=";
    append_python_repr(items_[1], out);
    out += ")";
    return out;
  }
  const Value::List* unpack() const override { return &items_; }

 private:
  Value::List items_;
};

// `block` inside {% block %}: gives {{ block.super }}.
class BlockRef : public Object {
 public:
  BlockRef(const BlockNode* block, RenderState* state) : block_(block), state_(state) {}
  std::optional<Value> lookup(std::string_view key) const override {
    if (key != "super") return std::nullopt;
    if (!state_)
      throw Error(
          "'BlockNode' object has no attribute 'context'. Did you use {{ block.super }} in a base "
          "template?");
    BlockContext* blocks = state_->render_context->blocks;
    if (!blocks || !blocks->get(block_->name)) return Value("");
    std::string out;
    block_->render(*state_, out);
    return mark_safe(std::move(out));
  }
  std::string str() const override { return "<Block Node: " + block_->name + ". Contents: ...>"; }

 private:
  const BlockNode* block_;
  RenderState* state_;
};

}  // namespace

// ---- nodes ----

void VariableNode::render(RenderState& state, std::string& out) const {
  Value scratch;
  const Value* value = expr.resolve(state, scratch);
  if (!state.localize && value->is_double()) {
    append_python_str(*value, out);  // {% localize off %}: str(value), as Django
    return;
  }
  append_rendered(*value, state.autoescape, out);
}

const Value* IfExpr::eval(RenderState& state, Value& scratch) const {
  switch (op) {
    case Op::kLiteral:
      return literal.resolve(state, scratch, true);
    case Op::kOr: {
      const Value* a = first->eval(state, scratch);
      if (a->truthy()) return a;
      return second->eval(state, scratch);
    }
    case Op::kAnd: {
      const Value* a = first->eval(state, scratch);
      if (!a->truthy()) return a;
      return second->eval(state, scratch);
    }
    case Op::kNot: {
      bool v = first->eval(state, scratch)->truthy();
      scratch = Value(!v);
      return &scratch;
    }
    default:
      break;
  }
  bool result = false;
  try {
    Value sa, sb;
    const Value* a = first->eval(state, sa);
    const Value* b = second->eval(state, sb);
    std::optional<bool> r;
    switch (op) {
      case Op::kIn:
        r = python_contains(*b, *a);
        break;
      case Op::kNotIn:
        r = python_contains(*b, *a);
        if (r) r = !*r;
        break;
      case Op::kIs:
      case Op::kIsNot: {
        bool same = (a->is_null() && b->is_null()) ||
                    (a->is_bool() && b->is_bool() && a->as_bool() == b->as_bool());
        r = op == Op::kIs ? same : !same;
        break;
      }
      case Op::kEq:
        r = python_equal(*a, *b);
        break;
      case Op::kNe:
        r = !python_equal(*a, *b);
        break;
      case Op::kLt:
        r = python_less(*a, *b);
        break;
      case Op::kGt:
        r = python_less(*b, *a);
        break;
      case Op::kLe: {
        auto lt = python_less(*a, *b);
        if (lt) r = *lt || python_equal(*a, *b);
        break;
      }
      case Op::kGe: {
        auto gt = python_less(*b, *a);
        if (gt) r = *gt || python_equal(*a, *b);
        break;
      }
      default:
        break;
    }
    result = r.value_or(false);
  } catch (const Error&) {
    result = false;  // smartif: any exception in an operator makes it False
  }
  scratch = Value(result);
  return &scratch;
}

void IfNode::render(RenderState& state, std::string& out) const {
  for (const auto& [condition, body] : branches) {
    if (condition) {
      Value scratch;
      bool match = false;
      try {
        match = condition->eval(state, scratch)->truthy();
      } catch (const VariableDoesNotExist&) {
        match = false;  // as Django: a missing filter argument makes the condition None
      }
      if (!match) continue;
    }
    body.render(state, out);
    return;
  }
}

void ForNode::render(RenderState& state, std::string& out) const {
  Value parentloop;
  if (const Value* outer = state.find("forloop"))
    parentloop = *outer;
  else
    parentloop = Value(Map());
  ScopeGuard scope(state);
  Value scratch;
  const Value* seq = sequence.resolve(state, scratch, true);
  Value held = seq == &scratch ? std::move(scratch) : *seq;  // lists and maps: a pointer copy
  Value::List storage;  // keys of a map or characters of a string
  const Value::List* items = &storage;
  if (held.is_list()) {
    items = &held.list();  // `held` keeps the list alive even if the loop rebinds its name
  } else if (held.is_map()) {
    for (const auto& [k, v] : held.map().entries()) storage.emplace_back(k);
  } else if (held.is_string()) {
    storage = python_characters(held.str());
  } else if (!held.is_null()) {
    std::string type = held.is_bool()     ? "bool"
                       : held.is_int()    ? "int"
                       : held.is_double() ? "float"
                                          : "object";
    throw Error("'" + type + "' object is not iterable");
  }
  if (items->empty()) {
    empty.render(state, out);
    return;
  }
  auto loop = std::make_shared<ForLoop>();
  loop->parentloop = std::move(parentloop);
  loop->length = static_cast<std::int64_t>(items->size());
  state.set("forloop", Value(std::shared_ptr<const Object>(loop)));
  const std::size_t n = items->size();
  for (std::size_t k = 0; k < n; ++k) {
    const Value& item = (*items)[reversed ? n - 1 - k : k];
    loop->counter0 = static_cast<std::int64_t>(k);
    if (loopvars.size() == 1) {
      state.set_ref(loopvars[0], &item);
      body.render(state, out);
      continue;
    }
    // A string unpacks into its characters.
    const Value::List characters = item.is_string() ? python_characters(item.str()) : Value::List();
    const Value::List* parts = item.is_list()     ? &item.list()
                               : item.is_object() ? item.object().unpack()
                               : item.is_string() ? &characters
                                                  : nullptr;
    std::size_t len = parts ? parts->size() : item.is_string() ? text::utf8_length(item.str()) : 1;
    if (len != loopvars.size() || !parts)
      throw Error("Need " + std::to_string(loopvars.size()) +
                  " values to unpack in for loop; got " + std::to_string(len) + ".");
    ScopeGuard unpack(state);
    for (std::size_t v = 0; v < loopvars.size(); ++v) state.set_ref(loopvars[v], &(*parts)[v]);
    body.render(state, out);
  }
}

void WithNode::render(RenderState& state, std::string& out) const {
  std::vector<Value> values;
  values.reserve(bindings.size());
  for (const auto& [name, expr] : bindings) values.push_back(expr.resolve_value(state));
  ScopeGuard scope(state);
  for (std::size_t i = 0; i < bindings.size(); ++i)
    state.set(bindings[i].first, std::move(values[i]));
  body.render(state, out);
}

namespace {
constexpr int kMaxIncludeDepth = 64;
}

void IncludeNode::render(RenderState& state, std::string& out) const {
  Value scratch;
  const Value* name_value = name.resolve(state, scratch);
  if (!name_value->is_string())
    throw Error("Invalid template name in 'include' tag: " + to_python_str(*name_value));
  auto tmpl = EngineAccess::get_template(state.engine, name_value->str());
  if (state.include_depth >= kMaxIncludeDepth)
    throw Error("Maximum {% extends %} / {% include %} depth exceeded");
  std::vector<Value> values;
  values.reserve(bindings.size());
  for (const auto& [key, expr] : bindings) values.push_back(expr.resolve_value(state));
  RenderContext isolated;
  if (only) {
    RenderState sub(state.engine, nullptr);
    sub.autoescape = state.autoescape;
    sub.render_context = &isolated;
    sub.include_depth = state.include_depth + 1;
    for (std::size_t i = 0; i < bindings.size(); ++i)
      sub.set(bindings[i].first, std::move(values[i]));
    tmpl->nodes.render(sub, out);
    return;
  }
  ScopeGuard scope(state);
  for (std::size_t i = 0; i < bindings.size(); ++i)
    state.set(bindings[i].first, std::move(values[i]));
  RenderContext* saved = state.render_context;
  state.render_context = &isolated;
  ++state.include_depth;
  try {
    tmpl->nodes.render(state, out);
  } catch (...) {
    state.render_context = saved;
    --state.include_depth;
    throw;
  }
  state.render_context = saved;
  --state.include_depth;
}

void BlockNode::render(RenderState& state, std::string& out) const {
  BlockContext* blocks = state.render_context->blocks;
  ScopeGuard scope(state);
  if (!blocks) {
    state.set("block",
              Value(std::shared_ptr<const Object>(std::make_shared<BlockRef>(this, nullptr))));
    body.render(state, out);
    return;
  }
  const BlockNode* pushed = blocks->pop(name);
  const BlockNode* block = pushed ? pushed : this;
  state.set("block",
            Value(std::shared_ptr<const Object>(std::make_shared<BlockRef>(block, &state))));
  block->body.render(state, out);
  if (pushed) blocks->push(name, pushed);
}

void ExtendsNode::render(RenderState& state, std::string& out) const {
  Value scratch;
  const Value* name = parent_name.resolve(state, scratch);
  if (!name->is_string() || name->str().empty())
    throw Error("Invalid template name in 'extends' tag: " + to_python_str(*name));
  auto parent = EngineAccess::get_template(state.engine, name->str());
  if (state.include_depth >= kMaxIncludeDepth)
    throw Error("Maximum {% extends %} / {% include %} depth exceeded");
  ++state.include_depth;
  struct DepthGuard {
    int& depth;
    ~DepthGuard() { --depth; }
  } depth_guard{state.include_depth};
  BlockContext local;
  bool created = false;
  if (!state.render_context->blocks) {
    state.render_context->blocks = &local;
    created = true;
  }
  BlockContext& blocks = *state.render_context->blocks;
  blocks.add_blocks(owner->blocks);
  if (!parent->extends) blocks.add_blocks(parent->blocks);
  try {
    parent->nodes.render(state, out);
  } catch (...) {
    if (created) state.render_context->blocks = nullptr;
    throw;
  }
  if (created) state.render_context->blocks = nullptr;
}

void AutoescapeNode::render(RenderState& state, std::string& out) const {
  bool saved = state.autoescape;
  state.autoescape = on;
  try {
    body.render(state, out);
  } catch (...) {
    state.autoescape = saved;
    throw;
  }
  state.autoescape = saved;
}

void SpacelessNode::render(RenderState& state, std::string& out) const {
  std::string inner;
  body.render(state, inner);
  std::string_view s = text::strip(inner);
  // re.sub(r'>\s+<', '><', s)
  for (std::size_t i = 0; i < s.size(); ++i) {
    out += s[i];
    if (s[i] != '>') continue;
    std::size_t j = i + 1;
    while (j < s.size() && text::is_space(s[j])) ++j;
    if (j > i + 1 && j < s.size() && s[j] == '<') i = j - 1;
  }
}

void NowNode::render(RenderState& state, std::string& out) const {
  std::string formatted = format_date(now_utc(), named_date_format(format));
  if (!asvar.empty())
    state.set(asvar, Value(std::move(formatted)));
  else
    out += formatted;
}

void CycleNode::render(RenderState& state, std::string& out) const {
  std::size_t& position = state.render_context->cycles[this];
  const FilterExpression& expr = values[position % values.size()];
  ++position;
  Value value = expr.resolve_value(state);
  if (!asvar.empty()) state.set_upward(asvar, value);
  if (silent) return;
  append_rendered(value, state.autoescape, out);
}

void WidthRatioNode::render(RenderState& state, std::string& out) const {
  const auto width = python_int(max_width.resolve_value(state));
  if (!width) throw Error("widthratio final argument must be a number");
  const auto numerator = python_float(value.resolve_value(state));
  const auto denominator = python_float(max_value.resolve_value(state));
  std::string result;  // Django renders nothing for values float() refuses
  if (numerator && denominator) {
    if (*denominator == 0) {
      result = "0";
    } else {
      const double ratio = *numerator / *denominator * static_cast<double>(*width);
      if (std::isfinite(ratio)) {
        char digits[400];  // the largest double has 309 digits
        std::snprintf(digits, sizeof digits, "%.0f", std::nearbyint(ratio));
        result = digits;
        if (result == "-0") result = "0";
      }
    }
  }
  if (!asvar.empty()) {
    state.set(asvar, Value(std::move(result)));
    return;
  }
  out += result;
}

void ResetCycleNode::render(RenderState& state, std::string&) const {
  state.render_context->cycles[target] = 0;
}

void IfChangedNode::render(RenderState& state, std::string& out) const {
  // Django keeps the state in the innermost forloop (so it resets when an outer loop moves on),
  // or in the render context outside loops.
  std::unordered_map<const void*, Value>* frame = &state.render_context->ifchanged;
  if (const Value* loop = state.find("forloop"); loop && loop->is_object()) {
    if (const auto* for_loop = dynamic_cast<const ForLoop*>(&loop->object()))
      frame = &for_loop->ifchanged;
  }
  Value compare_to;
  std::string rendered;
  if (values.empty()) {
    changed.render(state, rendered);
    compare_to = Value(rendered);
  } else {
    Value::List resolved;
    for (const auto& expr : values) {
      Value scratch;
      resolved.push_back(*expr.resolve(state, scratch, true));
    }
    compare_to = Value(std::move(resolved));
  }
  auto seen = frame->find(this);
  if (seen == frame->end() || !python_equal(seen->second, compare_to)) {
    (*frame)[this] = std::move(compare_to);
    // As Django: an empty first rendering is rendered again.
    if (!rendered.empty())
      out += rendered;
    else
      changed.render(state, out);
  } else {
    unchanged.render(state, out);
  }
}

void FilterTagNode::render(RenderState& state, std::string& out) const {
  std::string rendered;
  body.render(state, rendered);
  ScopeGuard scope(state);
  state.set("var", mark_safe(std::move(rendered)));
  Value scratch;
  append_python_str(*expr.resolve(state, scratch), out);  // a node's output: not escaped again
}

void RegroupNode::render(RenderState& state, std::string& out) const {
  (void)out;
  Value scratch;
  const Value* resolved = target.resolve(state, scratch, true);
  if (resolved->is_null()) {
    state.set(var_name, Value(Value::List()));
    return;
  }
  const Value list = *resolved;
  Value::List items;
  if (!python_items(list, items))
    throw Error("regroup: '" + to_python_str(list) + "' is not iterable");
  Value::List groups;
  std::optional<Value> current;
  Value::List members;
  for (Value& item : items) {
    // As Django: the item is bound to the result's name while its key is resolved.
    state.set(var_name, item);
    Value key_scratch;
    Value grouper = *key.resolve(state, key_scratch, true);
    if (current && !python_equal(*current, grouper)) {
      groups.emplace_back(std::shared_ptr<const Object>(
          std::make_shared<GroupedResult>(std::move(*current), std::move(members))));
      members.clear();
    }
    current = std::move(grouper);
    members.push_back(std::move(item));
  }
  if (current)
    groups.emplace_back(std::shared_ptr<const Object>(
        std::make_shared<GroupedResult>(std::move(*current), std::move(members))));
  state.set(var_name, Value(std::move(groups)));
}

void LoremNode::render(RenderState& state, std::string& out) const {
  const auto n = python_int(count.resolve_value(state));
  const std::int64_t wanted = n ? *n : 1;
  if (wanted > kMaxLoremCount) throw Error("lorem: more than 10000 words or paragraphs");
  if (method == 'w') {
    out += lorem_words(wanted, common);
    return;
  }
  for (std::int64_t i = 0; i < wanted; ++i) {
    if (i > 0) out += "\n\n";
    if (method == 'p') out += "<p>";
    out += common && i == 0 ? std::string(kLoremParagraph) : lorem_paragraph();
    if (method == 'p') out += "</p>";
  }
}

void LocalizeNode::render(RenderState& state, std::string& out) const {
  const bool previous = state.localize;
  state.localize = on;
  try {
    body.render(state, out);
  } catch (...) {
    state.localize = previous;
    throw;
  }
  state.localize = previous;
}

void FirstOfNode::render(RenderState& state, std::string& out) const {
  std::string first;
  for (const auto& expr : values) {
    Value scratch;
    const Value* v = expr.resolve(state, scratch, true);
    if (v->truthy()) {
      append_rendered(*v, state.autoescape, first);
      break;
    }
  }
  if (!asvar.empty()) {
    state.set(asvar, state.autoescape ? mark_safe(std::move(first)) : Value(std::move(first)));
    return;
  }
  out += first;
}

void StaticNode::render(RenderState& state, std::string& out) const {
  std::string url = EngineAccess::static_url(state.engine, resolve_string(path, state));
  Value result = state.autoescape ? mark_safe(text::escape(url)) : Value(std::move(url));
  if (!asvar.empty())
    state.set(asvar, std::move(result));
  else
    out += result.str();
}

void StaticPrefixNode::render(RenderState& state, std::string& out) const {
  std::string prefix =
      text::url_quote(EngineAccess::static_prefix(state.engine), "/#%[]=:;$&()+,!?*@'~");
  if (!asvar.empty())
    state.set(asvar, Value(std::move(prefix)));
  else
    out += prefix;
}

void UrlNode::render(RenderState& state, std::string& out) const {
  std::vector<std::string> arg_values;
  arg_values.reserve(args.size());
  for (const auto& arg : args) arg_values.push_back(resolve_string(arg, state));
  std::string name = resolve_string(view_name, state);
  std::string url;
  try {
    url = EngineAccess::reverse_url(state.engine, name, arg_values);
  } catch (const Error&) {
    if (asvar.empty()) throw;
  }
  if (!asvar.empty()) {
    state.set(asvar, Value(std::move(url)));
    return;
  }
  if (state.autoescape)
    text::append_escaped(url, out);
  else
    out += url;
}

void CsrfTokenNode::render(RenderState& state, std::string& out) const {
  const Value* token = state.find("csrf_token");
  if (!token || !token->truthy()) return;
  if (token->is_string() && token->str() == "NOTPROVIDED") return;
  out += "<input type=\"hidden\" name=\"csrfmiddlewaretoken\" value=\"";
  if (token->is_safe())
    out += token->str();
  else
    text::append_escaped(to_python_str(*token), out);
  out += "\">";
}

}  // namespace templates::detail
