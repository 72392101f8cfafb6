// cli: the template engine options a site runs with: its template folder, {% static %} through
// the collectstatic manifest under STATIC_URL, {% url %} through the site's router, and the
// site's tag libraries.
#pragma once

#include "cli/site.hpp"
#include "http/router.hpp"
#include "settings/settings.hpp"
#include "templates/engine.hpp"

namespace cli {

// Loads STATIC_ROOT/staticfiles.json (with STATIC_BUCKET_NAME: static/staticfiles.json from the
// bucket) when DEBUG_FLAG is off and it exists (as Django, DEBUG uses plain names); throws
// staticfiles::Error when it exists but is unreadable. The site's tag libraries come from
// site.template_libraries.
templates::EngineOptions template_options(const settings::Settings& s, const http::Router& router,
                                          const Site& site);

}  // namespace cli
