// templates (internal): turns template source into a node tree (Django's Parser and the compile
// functions of the built-in tags, which live in tags.cpp). Knows nothing of files or caching.
#pragma once

#include <string_view>

#include "templates/nodes.hpp"

namespace templates::detail {

// Parses source into tmpl.nodes / tmpl.blocks / tmpl.extends. tmpl.name must be set (it is used in
// error messages). Throws Error naming tmpl.name and the line.
void parse_template(CompiledTemplate& tmpl, std::string_view source);

}  // namespace templates::detail
