#include "cli/template_setup.hpp"

#include <cstdio>

#include "aws/credential_providers.hpp"
#include "staticfiles/s3_storage.hpp"
#include "staticfiles/static_url.hpp"

namespace cli {

namespace {

// STATIC_ROOT/staticfiles.json, or with STATIC_BUCKET_NAME s3://bucket/static/staticfiles.json
// (read once, at start-up); none: a warning naming the one place looked in, and {% static %}
// keeps plain names.
std::shared_ptr<const staticfiles::Manifest> load_static_manifest(const settings::Settings& s) {
  if (s.static_bucket_name.empty()) {
    auto manifest = staticfiles::load_manifest_if_present(s.static_root);
    if (!manifest)
      std::fprintf(stderr,
                   "mysite: warning: no staticfiles.json in STATIC_ROOT '%s' (run `mysite "
                   "collectstatic`); {%% static %%} uses plain names\n",
                   s.static_root.c_str());
    return manifest;
  }
  auto client = staticfiles::make_static_s3_client(s.aws_region, aws::process_credentials());
  auto manifest = staticfiles::load_s3_manifest_if_present(*client, s.static_bucket_name);
  if (!manifest)
    std::fprintf(stderr,
                 "mysite: warning: no static/staticfiles.json in bucket '%s' (run `mysite "
                 "collectstatic`); {%% static %%} uses plain names\n",
                 s.static_bucket_name.c_str());
  return manifest;
}

}  // namespace

templates::EngineOptions template_options(const settings::Settings& s, const http::Router& router,
                                          const Site& site) {
  templates::EngineOptions options;
  options.dirs = {s.app_dir() + "/templates", s.base_dir + "/src/admin/templates"};
  options.auto_reload = s.debug;
  auto manifest = s.debug ? nullptr : load_static_manifest(s);
  options.static_url = staticfiles::make_static_url({s.static_url, s.debug, std::move(manifest)});
  options.static_prefix = s.static_url;
  if (site.template_libraries) site.template_libraries(options.libraries);
  options.reverse_url = [&router](std::string_view name, const std::vector<std::string>& args) {
    if (auto url = router.reverse(name, args)) return *url;
    throw templates::Error("Reverse for '" + std::string(name) + "' not found");
  };
  return options;
}

}  // namespace cli
