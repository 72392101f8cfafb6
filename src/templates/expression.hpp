// templates (internal): compiled variable expressions, `user.name|default:"x"|upper`, resolved
// against a RenderState with Django's FilterExpression semantics (missing -> '' or None).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "templates/render_state.hpp"
#include "templates/value.hpp"

namespace templates::detail {

struct FilterDef;

// A literal (number, quoted string marked safe) or a dotted lookup.
struct Variable {
  std::string text;
  bool is_literal = false;
  // _("...") or {% translate %}: the value goes through gettext, which with no catalogs is the
  // text itself with each '%' doubled (as Django's Variable.resolve prepares it).
  bool translate = false;
  Value literal;
  std::vector<std::string> lookups;

  // Parses one variable token; throws Error (without location) on leading underscores.
  static Variable parse(std::string_view token);
  // Resolves; returns nullptr when a lookup fails. The result may point into `scratch`.
  const Value* resolve(const RenderState& state, Value& scratch) const;

 private:
  // The literal or the dotted lookup, untranslated.
  const Value* lookup(const RenderState& state, Value& scratch) const;
};

struct FilterCall {
  const FilterDef* def = nullptr;
  bool has_arg = false;
  Variable arg;
};

struct FilterExpression {
  std::string text;
  Variable var;
  std::vector<FilterCall> filters;

  // Parses `var|filter:arg|...`; throws Error (without location) on bad syntax or unknown filters.
  // `lookup` finds the filters of {% load %}ed libraries before the built-in ones.
  using FilterLookup = std::function<const FilterDef*(std::string_view name)>;
  static FilterExpression parse(std::string_view token, const FilterLookup& lookup = {});
  // Missing variables become '' (or None when ignore_failures, as in {% if %}).
  const Value* resolve(RenderState& state, Value& scratch, bool ignore_failures = false) const;
  // Resolves and copies (for values that are stored, e.g. {% with %}).
  Value resolve_value(RenderState& state, bool ignore_failures = false) const;
};

// Django's render_value_in_context(): localized, then escaped when autoescape is on.
void append_rendered(const Value& value, bool autoescape, std::string& out);

// Quoted literal? ("..." or '...' or _("..."), backslash escapes) -> its unescaped contents.
bool parse_string_literal(std::string_view token, std::string& out);

}  // namespace templates::detail
