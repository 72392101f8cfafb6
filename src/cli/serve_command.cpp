// `mysite serve`: builds the site (settings, database, templates, routes, middleware) and runs
// the HTTP server until SIGTERM/SIGINT.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "admin/views.hpp"
#include "auth/csrf.hpp"
#include "auth/login.hpp"
#include "auth/login_views.hpp"
#include "auth/session.hpp"
#include "cli/commands.hpp"
#include "cli/database.hpp"
#include "cli/options.hpp"
#include "cli/readiness.hpp"
#include "cli/template_setup.hpp"
#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "settings/check.hpp"
#include "settings/process_settings.hpp"
#include "staticfiles/serve.hpp"
#include "templates/engine.hpp"

namespace cli {

namespace {

constexpr int kSqliteViewThreadsPerCore = 2;
constexpr int kMysqlViewThreadsPerCore = 4;

// One write per line keeps lines whole when several threads log at once.
void write_stdout(std::string_view line) {
  while (!line.empty()) {
    ssize_t n = ::write(STDOUT_FILENO, line.data(), line.size());
    if (n <= 0) return;
    line.remove_prefix(static_cast<std::size_t>(n));
  }
}

void write_stderr(std::string_view message) {
  std::string line = "mysite: " + std::string(message) + "\n";
  if (::write(STDERR_FILENO, line.data(), line.size()) < 0) return;
}

}  // namespace

int serve_command(const Args& args, const Site& site) {
  Options options(args, {"--bind", "--threads"});
  if (!options.positional().empty())
    throw UsageError{"unexpected argument " + options.positional()[0]};
  auto s = settings::load_process_settings();
  if (auto bind = options.value("--bind")) settings::apply(s, "BIND", *bind);
  if (auto threads = options.value("--threads")) settings::apply(s, "THREADS", *threads);

  int errors = 0;
  for (const auto& p : settings::check(s, false)) {
    if (!p.error) continue;
    std::fprintf(stderr, "mysite serve: %s\n", p.message.c_str());
    ++errors;
  }
  if (errors > 0) return 1;

  http::ServerOptions server_options;
  auto colon = s.bind.rfind(':');
  server_options.host = s.bind.substr(0, colon);
  if (server_options.host.size() > 2 && server_options.host.front() == '[')
    server_options.host = server_options.host.substr(1, server_options.host.size() - 2);
  server_options.port = static_cast<std::uint16_t>(std::stoi(s.bind.substr(colon + 1)));
  // One I/O thread per core reads requests and writes responses; views that may block (a query,
  // a password hash) run on view threads, so /ping/ and static files are answered whatever the
  // database does. On SQLite a query never leaves the process, but a login flood may hold up to
  // two view threads per hashing slot (cores - 1 slots: one hashing, one waiting), so two per
  // core leave pages theirs; on MySQL a view waits a network round trip for each query, so more
  // keep the cores busy while others wait (make bench: 8 beat 2 on 2 cores).
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  server_options.threads = cores;
  server_options.view_threads =
      s.threads > 0
          ? s.threads
          : cores * (s.db_engine == "mysql" ? kMysqlViewThreadsPerCore : kSqliteViewThreadsPerCore);
  server_options.handle_signals = true;

  // A view may hold a connection while the session middleware loads or saves its session on
  // another, so two per view thread; views marked kOnIoThread never touch the database.
  auto pool = open_serving_database(s, 2 * static_cast<std::size_t>(server_options.view_threads));
  auto migrations = all_migrations(site);
  {
    auto lease = pool->acquire();
    if (migrations.has_pending(*lease)) {
      std::fprintf(
          stderr,
          "mysite serve: the database has unapplied migrations; run `mysite migrate` first\n");
      return 1;
    }
  }

  http::Router router;
  templates::Engine engine(template_options(s, router, site));
  Services services{s, engine, pool.get(), &router};
  site.urls(router, services);
  router.get("ready/", readiness_view(*pool, std::move(migrations)), "ready");
  // Logins: throttled, hashing bounded, one JSON line per attempt on stdout (auth/login.hpp).
  const auth::ProxyTrust trust{s.trusted_proxy_count};
  auth::AuthenticatorOptions authenticator_options;
  authenticator_options.log_sink = write_stdout;
  auth::Authenticator authenticator(authenticator_options);
  router.add("accounts/login/", auth::login_view(*pool, authenticator, {s.secret_key, trust}),
             "login", {"GET", "POST"});
  router.add("accounts/logout/", auth::logout_view(), "logout", {"POST"});
  // The admin site over the models the site registers (app/admin.cpp), users first.
  admin::Site admin_site;
  admin_site.register_model(admin::user_model_admin());
  if (site.admin) site.admin(admin_site);
  router.include("admin/", admin::admin_urls(admin_site, *pool, engine, authenticator,
                                             {.secret_key = s.secret_key, .trust = trust}));
  if (!s.static_url.empty() && s.static_url.front() == '/') {
    // The embedded default serves static files itself; on AWS CloudFront serves them from S3.
    // Collected (hashed) files first; with DEBUG_FLAG on the sources first, so edits show at once.
    std::vector<std::filesystem::path> roots{s.static_root, s.app_dir() + "/static",
                                             s.base_dir + "/src/admin/static"};
    if (s.debug) std::rotate(roots.begin(), roots.begin() + 1, roots.end());
    router.get(s.static_url.substr(1) + "<path:path>", staticfiles::static_view(std::move(roots)),
               "static", http::Runs::kOnIoThread);
  }

  http::PipelineOptions pipeline;
  const std::string pipeline_health_path = pipeline.health_path;
  pipeline.debug = s.debug;
  pipeline.host_names = s.host_names;
  pipeline.access_log = s.access_log;
  pipeline.log_sink = write_stdout;
  pipeline.error_sink = write_stderr;
  // With DEBUG_FLAG on, a template error's page shows the template source around the error.
  pipeline.debug_details = [&engine](const std::exception& e) {
    const auto* error = dynamic_cast<const templates::Error*>(&e);
    return error ? engine.debug_html(*error) : std::string();
  };
  // Then sessions: loaded only when a view asks, so /ping/ (answered earlier) and static files
  // never touch the database. Then the request's user (needs the session), then CSRF.
  auth::SessionOptions session_options;
  session_options.cookie_age = s.session_cookie_age;
  session_options.idle_timeout = s.session_idle_timeout;
  session_options.trust = trust;
  // A database that cannot be reached answers 503 (Retry-After), not 500, in every layer below.
  pipeline.site_layers.push_back(database_unavailable(write_stderr));
  pipeline.site_layers.push_back(auth::session_middleware(*pool, std::move(session_options)));
  pipeline.site_layers.push_back(auth::auth_middleware(s.secret_key));
  auth::CsrfOptions csrf_options;
  csrf_options.trust = trust;
  csrf_options.trusted_origins = s.csrf_trusted_origins;
  csrf_options.debug = s.debug;
  csrf_options.exempt = services.csrf_exempt;
  csrf_options.reaches_view = [&router](const http::Request& r) {
    return router.routes_to_view(r.path, r.method);
  };
  pipeline.site_layers.push_back(auth::csrf_middleware(std::move(csrf_options)));
  auto handler = http::default_pipeline(std::move(pipeline),
                                        [&router](http::Request& r) { return router.dispatch(r); });

  server_options.runs_on_io_thread = [&router,
                                      health = pipeline_health_path](const http::Request& r) {
    return r.path == health || router.runs_on_io_thread(r.path, r.method);
  };
  http::Server server(server_options, std::move(handler));
  std::fprintf(stderr,
               "mysite: serving on http://%s:%u/ with %d I/O and %d view threads (DEBUG_FLAG %s)\n",
               server_options.host.c_str(), server.port(), server_options.threads,
               server_options.view_threads, s.debug ? "on" : "off");
  server.run();
  std::fprintf(stderr, "mysite: stopped\n");
  return 0;
}

}  // namespace cli
