// cli: what a site gives the `mysite` command: its routes and its migrations. The site (app/)
// owns main() and passes a Site to cli::run, so the core never includes the app.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace settings {
struct Settings;
}
namespace templates {
class Engine;
class Library;
}  // namespace templates
namespace db {
class Pool;
class MigrationSet;
}  // namespace db
namespace http {
class Router;
}
namespace admin {
class Site;
}

namespace cli {

// What views may use. Built by `mysite serve`; outlives every request.
struct Services {
  const settings::Settings& settings;
  const templates::Engine& templates;
  db::Pool* db;                // null in commands that never run a view (render)
  const http::Router* router;  // for reverse() in views
  // Route patterns ("hooks/<slug:name>/") whose POSTs skip the CSRF check; urls() lists them
  // beside their routes.
  std::vector<std::string> csrf_exempt{};
};

struct Site {
  // Registers the site's routes. Views capture `services` by reference.
  std::function<void(http::Router&, Services& services)> urls;
  // Adds the site's migrations in order.
  std::function<void(db::MigrationSet&)> migrations;
  // Registers the site's models with the admin (users are registered already). Optional.
  std::function<void(admin::Site&)> admin;
  // Adds the site's template tag libraries by the name templates {% load %} (as Django's
  // templatetags modules; templates/library.hpp). Optional.
  std::function<void(
      std::map<std::string, std::shared_ptr<const templates::Library>, std::less<>>&)>
      template_libraries;
};

// The `mysite` command line: dispatches to a subcommand, maps errors to exit codes
// (0 ok, 1 failure, 2 usage) and one line on stderr.
int run(int argc, char** argv, const Site& site);

}  // namespace cli
