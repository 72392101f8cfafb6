// templates (internal): the built-in filters. Each is a pure function of (value, arg, autoescape);
// FilterExpression applies Django's is_safe rule around the call.
#pragma once

#include <functional>
#include <string_view>

#include "templates/value.hpp"

namespace templates::detail {

struct FilterDef {
  std::string_view name;
  int min_args = 0;
  int max_args = 0;
  bool is_safe = false;       // safe input -> safe output
  bool string_input = false;  // Django's @stringfilter: input converted with str() first
  Value (*fn)(const Value& input, const Value* arg, bool autoescape) = nullptr;
  // A site's filter (templates::Library) instead of `fn`.
  const std::function<Value(const Value&, const Value*, bool)>* user = nullptr;

  Value call(const Value& input, const Value* arg, bool autoescape) const {
    return fn ? fn(input, arg, autoescape) : (*user)(input, arg, autoescape);
  }
};

// nullptr when no built-in filter has this name.
const FilterDef* find_filter(std::string_view name);
// The filters of the built-in libraries ({% load l10n %}): nullptr when none has this name.
const FilterDef* find_library_filter(std::string_view name);

}  // namespace templates::detail
