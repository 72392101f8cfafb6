#include "auth/login_views.hpp"

#include "auth/csrf.hpp"
#include "http/form.hpp"
#include "http/middleware.hpp"

namespace auth {

namespace {

std::string query_value(std::string_view query, std::string_view name) {
  return http::form_value(http::parse_urlencoded(query), name);
}

http::Response form_page(http::Request& request, std::string_view next, std::string_view error,
                         int status) {
  std::string body =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Log "
      "in</title></head><body>"
      "<h1>Log in</h1>";
  if (!error.empty()) body += "<p class=\"errornote\">" + http::html_escape(error) + "</p>";
  body +=
      "<form method=\"post\" action=\"" + http::html_escape(request.path) +
      "\">"
      "<input type=\"hidden\" name=\"csrfmiddlewaretoken\" value=\"" +
      csrf_token(request) +
      "\">"
      "<input type=\"hidden\" name=\"next\" value=\"" +
      http::html_escape(next) +
      "\">"
      "<p><label for=\"id_username\">Username:</label> <input type=\"text\" name=\"username\" "
      "id=\"id_username\" autocomplete=\"username\" maxlength=\"150\" required autofocus></p>"
      "<p><label for=\"id_password\">Password:</label> <input type=\"password\" name=\"password\" "
      "id=\"id_password\" autocomplete=\"current-password\" required></p>"
      "<p><input type=\"submit\" value=\"Log in\"></p></form></body></html>\n";
  return http::Response::html(status, std::move(body));
}

http::Response retry_later(int status, std::chrono::seconds after, std::string_view text) {
  auto response = http::Response::text(status, std::string(text) + "\n");
  response.headers.set("Retry-After", std::to_string(std::max<long long>(1, after.count())));
  return response;
}

}  // namespace

std::string safe_next(std::string_view next) {
  if (next.empty() || next.front() != '/' || next.substr(0, 2) == "//" ||
      next.substr(0, 2) == "/\\")
    return "/";
  for (char c : next)
    if (static_cast<unsigned char>(c) < 0x20) return "/";
  return std::string(next);
}

http::Handler login_view(db::Pool& pool, Authenticator& authenticator, LoginViewOptions options) {
  return [&pool, &authenticator, options = std::move(options)](http::Request& request) {
    if (request.method != "POST")
      return form_page(request, query_value(request.query, "next"), "", 200);
    const auto& form = http::form(request);
    const std::string username = http::form_value(form, "username");
    const std::string next = http::form_value(form, "next");
    AuthResult result;
    {
      auto lease = pool.acquire();
      result = authenticator.authenticate(*lease, username, http::form_value(form, "password"),
                                          client_address(request, options.trust));
      if (result.status == AuthStatus::kOk)
        login(request, *lease, *result.user, options.secret_key);
    }
    switch (result.status) {
      case AuthStatus::kOk:
        return http::Response::redirect(safe_next(next), 302);
      case AuthStatus::kThrottled:
        return retry_later(429, result.retry_after,
                           "Too many failed login attempts; try again later.");
      case AuthStatus::kBusy:
        return retry_later(503, result.retry_after, "The server is busy; try again in a moment.");
      case AuthStatus::kInvalid:
        break;
    }
    return form_page(request, next,
                     "Please enter a correct username and password. Note that both fields may be "
                     "case-sensitive.",
                     200);
  };
}

http::Handler logout_view() {
  return [](http::Request& request) {
    logout(request);
    return http::Response::redirect("/", 302);
  };
}

}  // namespace auth
