// cli: the template engine options a site runs with: its template folder, {% static %} under
// STATIC_URL and {% url %} through the site's router.
#pragma once

#include "http/router.hpp"
#include "settings/settings.hpp"
#include "templates/engine.hpp"

namespace cli {

templates::EngineOptions template_options(const settings::Settings& s, const http::Router& router);

}  // namespace cli
