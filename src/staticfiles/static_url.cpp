#include "staticfiles/static_url.hpp"

#include "http/request.hpp"
#include "staticfiles/error.hpp"

namespace staticfiles {

std::function<std::string(std::string_view)> make_static_url(StaticUrlOptions options) {
  return [options = std::move(options)](std::string_view name) -> std::string {
    auto cut = name.find_first_of("?#");
    std::string_view path = name.substr(0, cut);
    std::string_view suffix = cut == std::string_view::npos ? std::string_view{} : name.substr(cut);
    std::string base = options.static_url;
    // Folders ("css/") are never hashed, as in Django.
    if (!options.manifest || path.empty() || path.back() == '/')
      return base + http::percent_encode(path, "/") + std::string(suffix);
    if (auto hashed = options.manifest->lookup(path))
      return base + http::percent_encode(*hashed, "/") + std::string(suffix);
    if (options.debug) return base + http::percent_encode(path, "/") + std::string(suffix);
    throw MissingManifestEntry("Missing staticfiles manifest entry for '" + std::string(path) +
                               "'");
  };
}

std::shared_ptr<const Manifest> load_manifest_if_present(const std::filesystem::path& static_root) {
  auto manifest = Manifest::load(static_root);
  if (!manifest) return nullptr;
  return std::make_shared<const Manifest>(std::move(*manifest));
}

}  // namespace staticfiles
