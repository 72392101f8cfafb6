// The site's URL table: one line per route, as Django's urls.py. `/ping/` is answered by the
// health-check middleware before routing; its route here only gives it a name for {% url %}.
// A view runs on a view thread unless marked kOnIoThread, which only a view that never waits
// may be (no database, no network): the home page renders a template and nothing else.
#include "app/urls.hpp"

#include "app/views.hpp"

namespace app {

void urls(http::Router& router, cli::Services& s) {
  using http::Request;
  using http::Runs;
  router.get(
      "", [&s](Request& r) { return home(r, s); }, "home", Runs::kOnIoThread);
  router.get(
      "fortunes/", [&s](Request& r) { return fortunes(r, s); }, "fortunes");
  router.get(
      "ping/", [](Request&) { return http::Response::text(200, "pong"); }, "ping",
      Runs::kOnIoThread);
}

}  // namespace app
