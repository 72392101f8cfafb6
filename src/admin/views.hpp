// admin: the admin site's pages over a Site's registered models: login, logout, password
// change, the index with the recent actions, and per model the change list, add, change,
// set-password (models with a password-hash field) and delete-with-confirmation. Only active
// staff get in (others go to the login page); superusers may do anything; others need the
// model's view/add/change/delete permission (403 otherwise). Every change is one transaction
// with its log entry. Pages are the templates under src/admin/templates/admin/ (escaped by
// default). Knows nothing of the site's own views.
//
//   auth::Authenticator authenticator;
//   admin::Site site;  site.register_model(admin::user_model_admin());
//   router.include("admin/", admin::admin_urls(site, pool, engine, authenticator, {.secret_key =
//   key}));
#pragma once

#include <string>

#include "admin/model_admin.hpp"
#include "auth/client.hpp"
#include "auth/login.hpp"
#include "db/pool.hpp"
#include "http/router.hpp"
#include "templates/engine.hpp"

namespace admin {

struct AdminOptions {
  std::string secret_key{};      // SECRET_KEY (session auth hash)
  auth::ProxyTrust trust{};      // client address for the login throttle
  std::string root = "/admin/";  // where admin_urls() is included
  std::string site_header = "mysite administration";
};

// The admin's routes, relative to its root (include them under "admin/"). `site`, `pool`,
// `engine` and `authenticator` must outlive the router.
http::Router admin_urls(const Site& site, db::Pool& pool, const templates::Engine& engine,
                        auth::Authenticator& authenticator, AdminOptions options);

}  // namespace admin
