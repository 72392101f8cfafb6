// admin: what the admin's views share (internal to src/admin): their state, the page
// context and rendering, the staff guard, permission checks and the action log.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "admin/model_admin.hpp"
#include "admin/views.hpp"
#include "auth/user.hpp"
#include "http/handler.hpp"
#include "templates/context.hpp"

namespace admin::detail {

using http::Request;
using http::Response;
using templates::Context;
using templates::Map;
using templates::Value;

struct State {
  const Site& site;
  db::Pool& pool;
  const templates::Engine& engine;
  auth::Authenticator& authenticator;
  AdminOptions options;
};
using StatePtr = std::shared_ptr<State>;

// Django's LogEntry action flags.
inline constexpr int kAddition = 1;
inline constexpr int kChange = 2;
inline constexpr int kDeletion = 3;
inline constexpr std::size_t kRecentActions = 10;

std::string query_value(std::string_view query, std::string_view name);
std::string model_url(const State& s, const ModelAdmin& m);
std::string object_url(const State& s, const ModelAdmin& m, std::int64_t id,
                       std::string_view action);
// title, site header, root, CSRF token and the user's name for every page.
Context base_context(const State& s, Request& r, const auth::User* user, std::string title);
Response render(const State& s, std::string_view name, const Context& c, int status = 200);
[[noreturn]] Response forbidden();
// The logged-in active staff user, or nullptr (the caller redirects to the login page).
const auth::User* staff_user(Request& r);
Response to_login(const State& s, const Request& r);
// `action` is view/add/change/delete; a change permission implies view, as in Django.
bool may(const State& s, const auth::User& user, const ModelAdmin& m, std::string_view action);
// The registered model named by the <app>/<model> path parameters; 404 otherwise.
const ModelAdmin& model_of(const State& s, const Request& r);
std::int64_t id_of(const Request& r);
void log_action(db::Connection& conn, const auth::User& user, const ModelAdmin& m, std::int64_t id,
                std::string repr, int flag, std::string message);

// A guarded admin view: `view(state, request, user)` runs for active staff only.
using StaffView = std::function<Response(State&, Request&, const auth::User&)>;
http::Handler guarded(const StatePtr& state, StaffView view);

// account_views.cpp
Response login_page(State& s, Request& r);
Response logout_view(State& s, Request& r);
Response password_change(State& s, Request& r, const auth::User& user);
// object_views.cpp
Response add_view(State& s, Request& r, const auth::User& user);
Response edit_view(State& s, Request& r, const auth::User& user);
Response set_password_view(State& s, Request& r, const auth::User& user);
Response delete_view(State& s, Request& r, const auth::User& user);
Response history_view(State& s, Request& r, const auth::User& user);

}  // namespace admin::detail
