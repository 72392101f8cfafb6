// templates (internal): what nodes need from the Engine (loading other templates, URL hooks).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "templates/engine.hpp"

namespace templates::detail {

class FragmentCache;

class EngineAccess {
 public:
  static std::shared_ptr<const CompiledTemplate> get_template(const Engine& engine,
                                                              std::string_view name);
  static std::string static_url(const Engine& engine, std::string_view path);
  static const std::string& static_prefix(const Engine& engine);
  static FragmentCache& fragment_cache(const Engine& engine);
  static std::string reverse_url(const Engine& engine, std::string_view name,
                                 const std::vector<std::string>& args);
};

}  // namespace templates::detail
