// The `mysite` binary: the core's command line with this site's routes, migrations, admin
// models and template tags.
#include "app/urls.hpp"
#include "cli/site.hpp"

int main(int argc, char** argv) {
  cli::Site site;
  site.urls = app::urls;
  site.migrations = app::migrations;
  site.admin = app::admin;
  site.template_libraries = app::template_libraries;
  return cli::run(argc, argv, site);
}
