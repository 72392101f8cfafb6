// templates: a site's own tags and filters, as Django's template.Library. Register them in one
// place, name the library in EngineOptions::libraries, and templates `{% load NAME %}` it:
//
//   auto lib = std::make_shared<templates::Library>();
//   lib->filter("shout", [](const Value& v, const Value*, bool) { return Value(v.str() + "!"); },
//               {.is_safe = true, .string_input = true});
//   lib->simple_tag("greet", [](const templates::TagArguments& a) {
//     return Value("Hello, " + to_python_str(a.args.at(0)));   // {% greet user.name %}
//   });
//   lib->inclusion_tag("card", "card.html", [](const templates::TagArguments& a) {
//     templates::Map context; context.set("title", a.args.at(0)); return context;
//   });
//   lib->block_tag("box", [](const templates::TagArguments&, const Value& body) {
//     return templates::Value::safe("<div class=\"box\">" + body.str() + "</div>");
//   });                                                        // {% box %}...{% endbox %}
//   options.libraries["mysite_tags"] = lib;
//
// Filters follow Django's rules: `is_safe` keeps a safe input's result safe, `string_input` is
// @stringfilter (the value arrives as str(value)); the third argument says whether autoescape is
// on (needs_autoescape). Tags take positional and name=value arguments (variables, literals and
// filters, resolved at render) and end with `as var` to store the result instead of printing it;
// what they return is escaped when autoescape is on unless it is safe. An error a filter or tag
// throws (templates::Error or any std::exception) fails the render, as in Django.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "templates/value.hpp"

namespace templates {

namespace detail {
struct FilterDef;
}

// What a tag was given: {% tag a "b" c=d|upper %} gives args [a, "b"] and kwargs [("c", ...)].
struct TagArguments {
  std::vector<Value> args;
  std::vector<std::pair<std::string, Value>> kwargs;
  bool autoescape = true;
  // The keyword argument named `name`, or nullptr.
  const Value* kwarg(std::string_view name) const;
};

struct FilterFlags {
  bool is_safe = false;       // a safe input gives a safe result
  bool string_input = false;  // @stringfilter: the value arrives converted with str()
  bool takes_arg = false;     // {{ v|name:arg }}
  bool arg_optional = false;  // with takes_arg: {{ v|name }} is allowed too (arg is then null)
};

class Library {
 public:
  using Filter = std::function<Value(const Value& value, const Value* arg, bool autoescape)>;
  using SimpleTag = std::function<Value(const TagArguments&)>;
  using InclusionTag = std::function<Map(const TagArguments&)>;
  using BlockTag = std::function<Value(const TagArguments&, const Value& body)>;

  Library();
  ~Library();
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;

  Library& filter(std::string name, Filter fn, FilterFlags flags = {});
  Library& simple_tag(std::string name, SimpleTag fn);
  // Renders `template_name` with the context the function returns (and nothing else).
  Library& inclusion_tag(std::string name, std::string template_name, InclusionTag fn);
  // {% name args %}...{% endname %}: the function gets the rendered body (a safe string).
  Library& block_tag(std::string name, BlockTag fn);

  // What the parser looks up (internal).
  enum class TagKind { kSimple, kInclusion, kBlock };
  struct Tag {
    TagKind kind;
    SimpleTag simple;
    InclusionTag inclusion;
    BlockTag block;
    std::string template_name;
  };
  const detail::FilterDef* find_filter(std::string_view name) const;
  const Tag* find_tag(std::string_view name) const;
  std::vector<std::string> filter_names() const;
  std::vector<std::string> tag_names() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

using Libraries = std::map<std::string, std::shared_ptr<const Library>, std::less<>>;

// Django's conditional_escape(): a safe value as it is, anything else str()-ed, escaped and
// marked safe. For tags that build HTML around what they were given.
Value conditional_escape(const Value& value);

}  // namespace templates
