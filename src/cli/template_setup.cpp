#include "cli/template_setup.hpp"

#include "staticfiles/static_url.hpp"

namespace cli {

templates::EngineOptions template_options(const settings::Settings& s, const http::Router& router) {
  templates::EngineOptions options;
  options.dirs = {s.app_dir() + "/templates"};
  options.auto_reload = s.debug;
  auto manifest = s.debug ? nullptr : staticfiles::load_manifest_if_present(s.static_root);
  options.static_url = staticfiles::make_static_url({s.static_url, s.debug, std::move(manifest)});
  options.reverse_url = [&router](std::string_view name, const std::vector<std::string>& args) {
    if (auto url = router.reverse(name, args)) return *url;
    throw templates::Error("Reverse for '" + std::string(name) + "' not found");
  };
  return options;
}

}  // namespace cli
