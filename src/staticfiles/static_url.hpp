// staticfiles: what `{% static 'css/site.css' %}` becomes: STATIC_URL + the hashed name from the
// manifest that `mysite collectstatic` wrote ("/static/css/site.55e7cbb9ba48.css").
// With no manifest at all (collectstatic never ran) names stay plain, and `mysite check` warns.
// A name the manifest lacks is an error with DEBUG_FLAG off (as in Django) and plain with it on.
//   auto manifest = load_manifest_if_present(s.static_root);
//   options.static_url = make_static_url({s.static_url, s.debug, manifest});
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "staticfiles/manifest.hpp"

namespace staticfiles {

struct StaticUrlOptions {
  std::string static_url = "/static/";       // STATIC_URL, ends with '/'
  bool debug = false;                        // DEBUG_FLAG
  std::shared_ptr<const Manifest> manifest;  // null: no manifest, plain names
};

// A thread-safe function from a static name to its URL. It throws MissingManifestEntry
// ("Missing staticfiles manifest entry for 'css/x.css'") for a name the manifest lacks
// when debug is off. Names are percent-encoded; a "?query" or "#fragment" is kept.
std::function<std::string(std::string_view)> make_static_url(StaticUrlOptions options);

// The manifest in `static_root`, or null when there is none. Throws Error when it exists but
// cannot be read or parsed (start-up should stop with that line).
std::shared_ptr<const Manifest> load_manifest_if_present(const std::filesystem::path& static_root);

}  // namespace staticfiles
