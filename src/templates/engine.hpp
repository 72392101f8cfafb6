// templates: the Django template language subset, compiled once and rendered many times.
// Owns loading (from EngineOptions::dirs), parsing and the compiled-template cache. Knows nothing
// of HTTP: {% static %} and {% url %} go through hooks the caller provides.
//
//   templates::Engine engine({.dirs = {"app/templates"}});
//   templates::Context ctx;
//   ctx.set("title", "Hello");
//   std::string html = engine.render("home.html", ctx);
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "templates/context.hpp"
#include "templates/error.hpp"
#include "templates/library.hpp"
#include "templates/value.hpp"

namespace templates {

namespace detail {
struct CompiledTemplate;
class EngineAccess;
}  // namespace detail

struct EngineOptions {
  std::vector<std::filesystem::path> dirs;  // searched in order
  bool auto_reload = false;                 // re-read a template when its file changed (DEBUG)
  // {% static %}; default "/static/" + url-quoted path.
  std::function<std::string(std::string_view path)> static_url;
  // {% get_static_prefix %}: STATIC_URL.
  std::string static_prefix = "/static/";
  // {% url %}; throws templates::Error (NoReverseMatch) when the name is unknown.
  std::function<std::string(std::string_view name, const std::vector<std::string>& args)>
      reverse_url;
  // The site's tag libraries by the name templates {% load %} (library.hpp).
  Libraries libraries;
};

class Engine {
 public:
  explicit Engine(EngineOptions options);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Renders a template found in options.dirs. Thread-safe.
  std::string render(std::string_view name, const Context& context) const;
  // Parses and renders source (not cached); errors name the template "<string>".
  std::string render_string(std::string_view source, const Context& context) const;
  // Loads and parses only; throws Error on a missing template or a syntax error.
  void check(std::string_view name) const;
  // For DEBUG error pages, as Django's technical 500 shows a template error: the template's
  // path, the line, the message and the source around it with the failing line (and token)
  // marked; HTML, everything escaped. "" when the error names no template this engine reads.
  std::string debug_html(const Error& error) const;

 private:
  friend class detail::EngineAccess;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace templates
