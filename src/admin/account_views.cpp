// admin: the login page, logout and the logged-in user's own password change.
#include <algorithm>

#include "admin/view_support.hpp"
#include "auth/client.hpp"
#include "auth/login.hpp"
#include "auth/login_views.hpp"
#include "auth/password_validation.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "http/form.hpp"

namespace admin::detail {

Response login_page(State& s, Request& r) {
  const auth::User* current = auth::user(r);
  std::string next =
      r.method == "POST" ? http::form_value(http::form(r), "next") : query_value(r.query, "next");
  if (next.empty()) next = s.options.root;
  std::string error;
  if (r.method == "POST") {
    const auto& form = http::form(r);
    const std::string username = http::form_value(form, "username");
    auth::AuthResult result;
    {
      auto lease = s.pool.acquire();
      result = s.authenticator.authenticate(*lease, username, http::form_value(form, "password"),
                                            auth::client_address(r, s.options.trust));
      if (result.status == auth::AuthStatus::kOk && result.user->is_staff)
        auth::login(r, *lease, *result.user, s.options.secret_key);
    }
    if (result.status == auth::AuthStatus::kThrottled || result.status == auth::AuthStatus::kBusy) {
      auto response =
          Response::text(result.status == auth::AuthStatus::kThrottled ? 429 : 503,
                         "Too many login attempts or the server is busy; try again later.\n");
      response.headers.set("Retry-After",
                           std::to_string(std::max<long long>(1, result.retry_after.count())));
      return response;
    }
    if (result.status == auth::AuthStatus::kOk && result.user->is_staff)
      return Response::redirect(auth::safe_next(next), 302);
    error =
        "Please enter the correct username and password for a staff account. Note that both fields "
        "may be case-sensitive.";
  } else if (staff_user(r) != nullptr) {
    return Response::redirect(auth::safe_next(next), 302);
  }
  auto c = base_context(s, r, nullptr, "Log in");
  c.set("next", next);
  c.set("error", error);
  if (current != nullptr && error.empty())
    c.set("not_authorized", "You are authenticated as " + current->username +
                                ", but are not authorized to access this page. Would you like to "
                                "login to a different account?");
  return render(s, "admin/login.html", c);
}

Response logout_view(State& s, Request& r) {
  auth::logout(r);
  return Response::redirect(s.options.root + "login/", 302);
}

Response password_change(State& s, Request& r, const auth::User& user) {
  std::map<std::string, std::string, std::less<>> errors;
  if (r.method == "POST") {
    const auto& form = http::form(r);
    const std::string old_password = http::form_value(form, "old_password");
    const std::string new1 = http::form_value(form, "new_password1");
    const std::string new2 = http::form_value(form, "new_password2");
    auto lease = s.pool.acquire();
    auto check = s.authenticator.authenticate(*lease, user.username, old_password,
                                              auth::client_address(r, s.options.trust));
    if (check.status != auth::AuthStatus::kOk)
      errors["old_password"] = "Your old password was entered incorrectly. Please enter it again.";
    if (new1.empty()) errors["new_password1"] = "This field is required.";
    if (new1 != new2) {
      errors["new_password2"] = "The two password fields didn’t match.";
    } else if (!new1.empty()) {
      auto problems = auth::validate_password(
          new1, {user.username, user.first_name, user.last_name, user.email});
      std::string text;
      for (const auto& p : problems) text += (text.empty() ? "" : " ") + p;
      if (!text.empty()) errors["new_password2"] = text;
    }
    if (errors.empty()) {
      {
        db::Transaction tx(*lease);
        auth::set_password(*lease, user.id, new1, s.authenticator.policy());
        log_action(*lease, user, user_model_admin(), user.id, user.username, kChange,
                   "Changed password.");
        tx.commit();
      }
      // Keeps this session (the new hash ends every other one), as Django's
      // update_session_auth_hash.
      // login() replaces the request's user, which `user` refers to: from here on, only the
      // fresh one (ASan found the page reading the freed one).
      const auth::User* current = &user;
      if (auto fresh = auth::find_user_by_id(*lease, user.id)) {
        auth::login(r, *lease, *fresh, s.options.secret_key);
        current = auth::user(r);
      }
      auto c = base_context(s, r, current, "Password change successful");
      c.set("done", true);
      return render(s, "admin/password_change.html", c);
    }
  }
  auto c = base_context(s, r, &user, "Password change");
  c.set("ask_old", true);
  Map e;
  for (auto& [k, v] : errors) e.set(k, v);
  c.set("errors", Value(std::move(e)));
  return render(s, "admin/password_change.html", c);
}

}  // namespace admin::detail
