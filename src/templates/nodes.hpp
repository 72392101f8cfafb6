// templates (internal): the compiled node tree. A template is parsed once into these nodes; a
// render walks them, appending to one output string. Nodes are immutable after parsing, so one
// tree serves many concurrent renders (all per-render state lives in RenderState).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "templates/expression.hpp"
#include "templates/library.hpp"
#include "templates/render_state.hpp"

namespace templates::detail {

struct Node {
  int line = 0;
  virtual ~Node() = default;
  virtual void render(RenderState& state, std::string& out) const = 0;
};

struct NodeList {
  std::vector<std::unique_ptr<Node>> nodes;
  const std::string* origin = nullptr;  // template name, for error locations
  // Renders every node; errors without a location get this template's name and the node's line.
  void render(RenderState& state, std::string& out) const;
};

struct ExtendsNode;

struct CompiledTemplate {
  std::string name;
  std::filesystem::path path;               // empty for render_string
  std::filesystem::file_time_type mtime{};  // for auto_reload
  NodeList nodes;
  const ExtendsNode* extends = nullptr;  // set when the template starts with {% extends %}
  std::vector<const BlockNode*> blocks;  // every {% block %} in the template
  const Libraries* libraries = nullptr;  // what {% load %} may name beyond the built-in ones
};

struct TextNode : Node {
  std::string text;
  void render(RenderState&, std::string& out) const override { out += text; }
};

struct VariableNode : Node {
  FilterExpression expr;
  void render(RenderState& state, std::string& out) const override;
};

// {% if %}: a Pratt-parsed expression tree with Django's smartif operators.
struct IfExpr {
  enum class Op {
    kLiteral,
    kOr,
    kAnd,
    kNot,
    kIn,
    kNotIn,
    kIs,
    kIsNot,
    kEq,
    kNe,
    kLt,
    kGt,
    kLe,
    kGe
  };
  Op op = Op::kLiteral;
  FilterExpression literal;
  std::unique_ptr<IfExpr> first, second;
  const Value* eval(RenderState& state, Value& scratch) const;
};

struct IfNode : Node {
  std::vector<std::pair<std::unique_ptr<IfExpr>, NodeList>> branches;  // null condition = else
  void render(RenderState& state, std::string& out) const override;
};

struct ForNode : Node {
  std::vector<std::string> loopvars;
  FilterExpression sequence;
  bool reversed = false;
  NodeList body;
  NodeList empty;
  void render(RenderState& state, std::string& out) const override;
};

struct WithNode : Node {
  std::vector<std::pair<std::string, FilterExpression>> bindings;
  NodeList body;
  void render(RenderState& state, std::string& out) const override;
};

struct IncludeNode : Node {
  FilterExpression name;
  std::vector<std::pair<std::string, FilterExpression>> bindings;
  bool only = false;
  void render(RenderState& state, std::string& out) const override;
};

struct BlockNode : Node {
  std::string name;
  NodeList body;
  void render(RenderState& state, std::string& out) const override;
  // Renders this block as the current override (BlockNode.render with a block context).
  void render_in_context(RenderState& state, std::string& out) const;
};

struct ExtendsNode : Node {
  FilterExpression parent_name;
  const CompiledTemplate* owner = nullptr;
  NodeList rest;  // the rest of the child template: kept for its blocks, never rendered
  void render(RenderState& state, std::string& out) const override;
};

struct AutoescapeNode : Node {
  bool on = true;
  NodeList body;
  void render(RenderState& state, std::string& out) const override;
};

struct SpacelessNode : Node {
  NodeList body;
  void render(RenderState& state, std::string& out) const override;
};

struct NowNode : Node {
  std::string format;
  std::string asvar;
  void render(RenderState& state, std::string& out) const override;
};

struct CycleNode : Node {
  std::vector<FilterExpression> values;
  std::string asvar;
  bool silent = false;
  void render(RenderState& state, std::string& out) const override;
};

struct CycleRefNode : Node {  // {% cycle name %} reuses the named node
  const CycleNode* target = nullptr;
  void render(RenderState& state, std::string& out) const override { target->render(state, out); }
};

struct ResetCycleNode : Node {  // {% resetcycle [name] %}: the cycle starts over
  const CycleNode* target = nullptr;
  void render(RenderState& state, std::string&) const override;
};

// {% ifchanged [values] %}: renders `changed` when the values (or, with none, its own output)
// differ from the last time in the innermost loop, else `unchanged`.
struct IfChangedNode : Node {
  NodeList changed;
  NodeList unchanged;
  std::vector<FilterExpression> values;
  void render(RenderState& state, std::string& out) const override;
};

// {% filter f|g %}...{% endfilter %}: the body's output, through the filters.
struct FilterTagNode : Node {
  FilterExpression expr;  // "var|f|g"
  NodeList body;
  void render(RenderState& state, std::string& out) const override;
};

// {% regroup list by key as name %}: consecutive items with equal keys, as Django's
// GroupedResult(grouper, list).
struct RegroupNode : Node {
  FilterExpression target;
  FilterExpression key;  // "name.key|filters"
  std::string var_name;
  void render(RenderState& state, std::string& out) const override;
};

// {% lorem [count] [w|p|b] [random] %}: Latin placeholder text.
struct LoremNode : Node {
  FilterExpression count;
  char method = 'b';
  bool common = true;
  void render(RenderState& state, std::string& out) const override;
};

struct LocalizeNode : Node {  // {% localize [on|off] %}
  NodeList body;
  bool on = true;
  void render(RenderState& state, std::string& out) const override;
};

struct FirstOfNode : Node {
  std::vector<FilterExpression> values;
  std::string asvar;
  void render(RenderState& state, std::string& out) const override;
};

// {% widthratio value max_value max_width [as var] %}: value / max_value * max_width, rounded
// half to even as Python's round().
struct WidthRatioNode : Node {
  FilterExpression value;
  FilterExpression max_value;
  FilterExpression max_width;
  std::string asvar;
  void render(RenderState& state, std::string& out) const override;
};

struct StaticNode : Node {
  FilterExpression path;
  std::string asvar;
  void render(RenderState& state, std::string& out) const override;
};

struct StaticPrefixNode : Node {  // {% get_static_prefix [as var] %}
  std::string asvar;
  void render(RenderState& state, std::string& out) const override;
};

struct UrlNode : Node {
  FilterExpression view_name;
  std::vector<FilterExpression> args;
  std::string asvar;
  void render(RenderState& state, std::string& out) const override;
};

struct CsrfTokenNode : Node {
  void render(RenderState& state, std::string& out) const override;
};

}  // namespace templates::detail
