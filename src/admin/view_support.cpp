#include "admin/view_support.hpp"

#include "auth/csrf.hpp"
#include "auth/messages.hpp"
#include "db/pool.hpp"
#include "http/form.hpp"
#include "http/http_error.hpp"
#include "http/request.hpp"
#include "templates/engine.hpp"

namespace admin::detail {

std::string query_value(std::string_view query, std::string_view name) {
  return http::form_value(http::parse_urlencoded(query), name);
}

std::string model_url(const State& s, const ModelAdmin& m) {
  return s.options.root + m.app_label + "/" + m.model_name + "/";
}
std::string object_url(const State& s, const ModelAdmin& m, std::int64_t id,
                       std::string_view action) {
  return model_url(s, m) + std::to_string(id) + "/" + std::string(action) + "/";
}

Context base_context(const State& s, Request& r, const auth::User* user, std::string title) {
  Context c;
  c.set("site_header", s.options.site_header);
  c.set("root", s.options.root);
  c.set("title", std::move(title));
  c.set("csrf_token", auth::csrf_token(r));
  if (user != nullptr) c.set("username", user->username);
  // Django's messages context processor: {% for message in messages %}{{ message }}...
  Value::List messages;
  for (const auto& m : auth::messages::take(r)) {
    Map attributes;
    attributes.set("message", m.text);
    attributes.set("tags", m.tags());
    attributes.set("level_tag", m.level_tag());
    attributes.set("extra_tags", m.extra_tags);
    attributes.set("level", static_cast<std::int64_t>(m.level));
    messages.push_back(templates::text_object(m.text, std::move(attributes)));
  }
  c.set("messages", Value(std::move(messages)));
  return c;
}

Response render(const State& s, std::string_view name, const Context& c, int status) {
  auto response = Response::html(status, s.engine.render(name, c));
  response.headers.set("Cache-Control", "no-cache, no-store, must-revalidate, private");
  return response;
}

[[noreturn]] Response forbidden() { throw http::HttpError(403, "permission denied"); }

const auth::User* staff_user(Request& r) {
  const auth::User* user = auth::user(r);
  return user != nullptr && user->is_active && user->is_staff ? user : nullptr;
}

Response to_login(const State& s, const Request& r) {
  std::string location = s.options.root + "login/?next=" + http::percent_encode(r.path);
  return Response::redirect(std::move(location), 302);
}

bool may(const State& s, const auth::User& user, const ModelAdmin& m, std::string_view action) {
  if (user.is_superuser) return true;
  auto lease = s.pool.acquire();
  if (action == "view" && auth::has_perm(*lease, user, m.permission("change"))) return true;
  return auth::has_perm(*lease, user, m.permission(action));
}

const ModelAdmin& model_of(const State& s, const Request& r) {
  const ModelAdmin* m = s.site.find(r.param("app"), r.param("model"));
  if (m == nullptr) throw http::HttpError(404, "no such model");
  return *m;
}

std::int64_t id_of(const Request& r) {
  auto id = r.param_int("id");
  if (!id) throw http::HttpError(404, "bad id");
  return *id;
}

void log_action(db::Connection& conn, const auth::User& user, const ModelAdmin& m, std::int64_t id,
                std::string repr, int flag, std::string message) {
  auth::LogEntry e;
  e.action_time = auth::now_text();
  e.user_id = user.id;
  e.object_type = m.app_label + "." + m.model_name;
  e.object_id = std::to_string(id);
  e.object_repr = std::move(repr);
  e.action_flag = flag;
  e.change_message = std::move(message);
  auth::add_log_entry(conn, e);
}

http::Handler guarded(const StatePtr& state, StaffView view) {
  return [state, view = std::move(view)](Request& r) {
    const auth::User* user = staff_user(r);
    if (user == nullptr) return to_login(*state, r);
    return view(*state, r, *user);
  };
}

}  // namespace admin::detail
