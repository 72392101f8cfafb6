// admin: the add, change, set-password and delete pages of one registered model's objects.
#include <map>
#include <optional>

#include "admin/crud.hpp"
#include "admin/view_support.hpp"
#include "auth/login.hpp"
#include "auth/messages.hpp"
#include "auth/password_hashers.hpp"
#include "auth/password_validation.hpp"
#include "db/error.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "http/form.hpp"
#include "http/http_error.hpp"

namespace admin::detail {

namespace {

// ---- add / change ----

std::string widget_of(const Field& f) {
  switch (f.type) {
    case FieldType::kInt:
      return "number";
    case FieldType::kBool:
      return "checkbox";
    case FieldType::kEmail:
      return "email";
    case FieldType::kDateTime:
      return "datetime";
    case FieldType::kPasswordHash:
      return "password_hash";
    case FieldType::kText:
      return f.max_length == 0 || f.max_length > 255 ? "textarea" : "text";
  }
  return "text";
}

// A summary of a password hash, never the hash itself: "pbkdf2_sha256" or "No password set."
std::string hash_summary(std::string_view encoded) {
  if (!auth::is_password_usable(encoded)) return "No password set.";
  return "algorithm: " + std::string(encoded.substr(0, encoded.find('$')));
}

Value form_fields(const ModelAdmin& m, const Object& values,
                  const std::map<std::string, std::string, std::less<>>& errors, bool adding) {
  Value::List list;
  for (const auto& f : m.fields) {
    if (adding && f.readonly) continue;
    Map item;
    item.set("name", f.name);
    item.set("label", f.label);
    item.set("required", f.required && f.type != FieldType::kBool);
    item.set("readonly", f.readonly);
    auto it = values.find(f.name);
    std::string value = it == values.end() ? "" : it->second;
    item.set("widget",
             f.readonly && f.type != FieldType::kPasswordHash ? "readonly" : widget_of(f));
    if (f.type == FieldType::kPasswordHash) value = hash_summary(value);
    item.set("checked", value == "1");
    item.set("value", value);
    if (f.max_length > 0) item.set("max_length", static_cast<std::int64_t>(f.max_length));
    if (auto e = errors.find(f.name); e != errors.end()) item.set("error", e->second);
    list.emplace_back(std::move(item));
  }
  return Value(std::move(list));
}

bool has_password_field(const ModelAdmin& m) {
  for (const auto& f : m.fields)
    if (f.type == FieldType::kPasswordHash) return true;
  return false;
}

Response change_form(State& s, Request& r, const auth::User& user, const ModelAdmin& m,
                     std::optional<std::int64_t> id, const Object& values,
                     const std::map<std::string, std::string, std::less<>>& errors,
                     bool read_only = false) {
  auto c = base_context(s, r, &user,
                        (read_only ? "View "
                         : id      ? "Change "
                                   : "Add ") +
                            m.verbose_name);
  c.set("model_name", m.verbose_name_plural);
  c.set("changelist_url", model_url(s, m));
  Value fields = form_fields(m, values, errors, !id);
  if (read_only) {
    // Django's view permission: the same page, every field shown, nothing to submit.
    Value::List shown;
    for (const Value& f : fields.list()) {
      Map field = f.map();
      const std::string widget = field.find("widget")->str();
      if (widget == "checkbox") field.set("value", field.find("checked")->truthy() ? "Yes" : "No");
      if (widget != "password_hash") field.set("widget", "readonly");
      shown.emplace_back(std::move(field));
    }
    fields = Value(std::move(shown));
    c.set("read_only", true);
  }
  c.set("fields", std::move(fields));
  if (auto e = errors.find(""); e != errors.end()) c.set("form_error", e->second);
  if (!id && has_password_field(m)) {
    // The add page of a model with a password asks for it twice (UserCreationForm).
    c.set("password_fields", true);
    if (auto e = errors.find("password1"); e != errors.end()) c.set("password1_error", e->second);
    if (auto e = errors.find("password2"); e != errors.end()) c.set("password2_error", e->second);
  }
  if (!errors.empty()) c.set("has_errors", true);
  if (!read_only && may(s, user, m, "add")) c.set("may_add", true);
  if (id) {
    c.set("object_repr", object_repr(m, values));
    c.set("history_url", object_url(s, m, *id, "history"));
    if (!read_only && may(s, user, m, "delete"))
      c.set("delete_url", object_url(s, m, *id, "delete"));
    if (!read_only && has_password_field(m))
      c.set("password_url", object_url(s, m, *id, "password"));
  }
  return render(s, "admin/change_form.html", c, errors.empty() ? 200 : 400);
}

std::function<std::string(std::string_view)> form_reader(const Request& r) {
  auto form = std::make_shared<http::FormData>(http::form(r));
  return [form](std::string_view name) { return http::form_value(*form, name); };
}

// Django's response_add / response_change: a message, then where the clicked button leads.
Response after_save(State& s, Request& r, const auth::User& user, const ModelAdmin& m,
                    std::int64_t id, const std::string& repr, bool added) {
  const auto& form = http::form(r);
  const bool again = form.count("_continue") > 0 ||
                     (added && has_password_field(m));  // a new user gets its password next
  const bool another = !again && form.count("_addanother") > 0 && may(s, user, m, "add");
  std::string text = "The " + m.verbose_name + " \u201c" + repr + "\u201d was " +
                     (added ? "added" : "changed") + " successfully.";
  if (again) text += " You may edit it again below.";
  if (another) text += " You may add another " + m.verbose_name + " below.";
  auth::messages::success(r, std::move(text));
  if (again) return Response::redirect(object_url(s, m, id, "change"), 302);
  if (another) return Response::redirect(model_url(s, m) + "add/", 302);
  return Response::redirect(model_url(s, m), 302);
}

bool is_constraint_violation(const db::Error& e) {
  return e.kind() == db::Error::Kind::constraint_violation;
}

// The object `id` of `m`, read on a connection returned before the view goes on; 404 if absent.
Object find_or_404(State& s, const ModelAdmin& m, std::int64_t id) {
  auto lease = s.pool.acquire();
  auto object = get_object(*lease, m, id);
  if (!object) throw http::HttpError(404, "no such object");
  return std::move(*object);
}

}  // namespace

Response add_view(State& s, Request& r, const auth::User& user) {
  const ModelAdmin& m = model_of(s, r);
  if (!may(s, user, m, "add")) return forbidden();
  if (r.method != "POST") {
    Object initial;
    for (const auto& f : m.fields) initial[f.name] = f.initial;
    return change_form(s, r, user, m, std::nullopt, initial, {});
  }
  FormResult form = clean_form(m, form_reader(r));
  // Django's UserCreationForm: a new user gets its password, twice, validated, here.
  std::string password;
  if (has_password_field(m)) {
    const auto& posted = http::form(r);
    password = http::form_value(posted, "password1");
    const std::string again = http::form_value(posted, "password2");
    if (password.empty()) form.errors["password1"] = "This field is required.";
    if (again.empty()) {
      form.errors["password2"] = "This field is required.";
    } else if (password != again) {
      form.errors["password2"] = "The two password fields didn’t match.";
    } else if (!password.empty()) {
      auto text_of = [&](const char* column) {
        auto it = form.submitted.find(column);
        return it == form.submitted.end() ? std::string() : it->second;
      };
      std::string problems;
      for (const auto& p :
           auth::validate_password(password, {text_of("username"), text_of("first_name"),
                                              text_of("last_name"), text_of("email")}))
        problems += (problems.empty() ? "" : " ") + p;
      if (!problems.empty()) form.errors["password2"] = problems;
    }
  }
  if (form.ok()) {
    try {
      auto lease = s.pool.acquire();
      db::Transaction tx(*lease);
      const std::int64_t id = insert_object(*lease, m, form);
      if (!password.empty()) {
        for (const auto& f : m.fields)
          if (f.type == FieldType::kPasswordHash)
            lease->execute(
                "UPDATE " + m.table + " SET " + f.name + " = ? WHERE " + m.primary_key + " = ?",
                auth::make_password(password, s.authenticator.policy()), id);
      }
      const std::string repr = object_repr(m, form.submitted);
      log_action(*lease, user, m, id, repr, kAddition, "Added.");
      tx.commit();
      return after_save(s, r, user, m, id, repr, true);
    } catch (const db::Error& e) {
      if (!is_constraint_violation(e)) throw;
      form.errors[""] = "A " + m.verbose_name + " with these values already exists.";
    }
  }
  return change_form(s, r, user, m, std::nullopt, form.submitted, form.errors);
}

Response edit_view(State& s, Request& r, const auth::User& user) {
  const ModelAdmin& m = model_of(s, r);
  const bool may_change = may(s, user, m, "change");
  if (!may_change && (r.method == "POST" || !may(s, user, m, "view"))) return forbidden();
  const std::int64_t id = id_of(r);
  const Object current = find_or_404(s, m, id);
  if (r.method != "POST") return change_form(s, r, user, m, id, current, {}, !may_change);
  FormResult form = clean_form(m, form_reader(r));
  if (form.ok()) {
    std::string changed;
    for (const auto& [column, text] : form.submitted)
      if (current.at(column) != text)
        changed += (changed.empty() ? "" : ", ") + m.field(column)->label;
    try {
      auto lease = s.pool.acquire();
      db::Transaction tx(*lease);
      update_object(*lease, m, id, form);
      Object merged = current;
      for (const auto& [column, text] : form.submitted) merged[column] = text;
      const std::string repr = object_repr(m, merged);
      log_action(*lease, user, m, id, repr, kChange,
                 changed.empty() ? "No fields changed." : "Changed " + changed + ".");
      tx.commit();
      return after_save(s, r, user, m, id, repr, false);
    } catch (const db::Error& e) {
      if (!is_constraint_violation(e)) throw;
      form.errors[""] = "A " + m.verbose_name + " with these values already exists.";
    }
  }
  Object shown = current;
  for (const auto& [column, text] : form.submitted) shown[column] = text;
  return change_form(s, r, user, m, id, shown, form.errors);
}

Response set_password_view(State& s, Request& r, const auth::User& user) {
  const ModelAdmin& m = model_of(s, r);
  if (!has_password_field(m)) throw http::HttpError(404, "no password field");
  if (!may(s, user, m, "change")) return forbidden();
  const std::int64_t id = id_of(r);
  const Object current = find_or_404(s, m, id);
  std::map<std::string, std::string, std::less<>> errors;
  if (r.method == "POST") {
    const auto& form = http::form(r);
    const std::string new1 = http::form_value(form, "new_password1");
    const std::string new2 = http::form_value(form, "new_password2");
    auto text_of = [&](const char* column) {
      auto it = current.find(column);
      return it == current.end() ? std::string() : it->second;
    };
    if (new1.empty()) errors["new_password1"] = "This field is required.";
    if (new1 != new2) {
      errors["new_password2"] = "The two password fields didn’t match.";
    } else if (!new1.empty()) {
      std::string text;
      for (const auto& p :
           auth::validate_password(new1, {text_of("username"), text_of("first_name"),
                                          text_of("last_name"), text_of("email")}))
        text += (text.empty() ? "" : " ") + p;
      if (!text.empty()) errors["new_password2"] = text;
    }
    if (errors.empty()) {
      const Field* hash_field = nullptr;
      for (const auto& f : m.fields)
        if (f.type == FieldType::kPasswordHash) hash_field = &f;
      auto lease = s.pool.acquire();
      {
        db::Transaction tx(*lease);
        lease->execute("UPDATE " + m.table + " SET " + hash_field->name + " = ? WHERE " +
                           m.primary_key + " = ?",
                       auth::make_password(new1, s.authenticator.policy()), id);
        log_action(*lease, user, m, id, object_repr(m, current), kChange, "Changed password.");
        tx.commit();
      }
      if (m.table == "auth_user" && id == user.id)
        if (auto fresh = auth::find_user_by_id(*lease, user.id))
          auth::login(r, *lease, *fresh, s.options.secret_key);
      auth::messages::success(r, "Password changed successfully.");
      return Response::redirect(object_url(s, m, id, "change"), 302);
    }
  }
  auto c = base_context(s, r, &user, "Change password: " + object_repr(m, current));
  Map e;
  for (auto& [k, v] : errors) e.set(k, v);
  c.set("errors", Value(std::move(e)));
  c.set("back_url", object_url(s, m, id, "change"));
  return render(s, "admin/password_change.html", c, errors.empty() ? 200 : 400);
}

// ---- delete ----

Response delete_view(State& s, Request& r, const auth::User& user) {
  const ModelAdmin& m = model_of(s, r);
  if (!may(s, user, m, "delete")) return forbidden();
  const std::int64_t id = id_of(r);
  auto lease = s.pool.acquire();
  auto current = get_object(*lease, m, id);
  if (!current) throw http::HttpError(404, "no such object");
  if (r.method == "POST") {
    db::Transaction tx(*lease);
    delete_object(*lease, m, id);
    const std::string repr = object_repr(m, *current);
    log_action(*lease, user, m, id, repr, kDeletion, "Deleted.");
    tx.commit();
    auth::messages::success(
        r, "The " + m.verbose_name + " \u201c" + repr + "\u201d was deleted successfully.");
    return Response::redirect(model_url(s, m), 302);
  }
  auto c = base_context(s, r, &user, "Are you sure?");
  c.set("verbose_name", m.verbose_name);
  c.set("model_name", m.verbose_name_plural);
  c.set("changelist_url", model_url(s, m));
  c.set("object_repr", object_repr(m, *current));
  c.set("change_url", object_url(s, m, id, "change"));
  return render(s, "admin/delete_confirmation.html", c);
}

// ---- history ----

Response history_view(State& s, Request& r, const auth::User& user) {
  const ModelAdmin& m = model_of(s, r);
  if (!may(s, user, m, "view")) return forbidden();
  const std::int64_t id = id_of(r);
  const Object current = find_or_404(s, m, id);
  auto lease = s.pool.acquire();
  Value::List entries;
  std::map<std::int64_t, std::string> names;
  for (const auto& e :
       auth::object_log_entries(*lease, m.app_label + "." + m.model_name, std::to_string(id))) {
    if (!names.contains(e.user_id)) {
      auto who = auth::find_user_by_id(*lease, e.user_id);
      names[e.user_id] = who ? who->username : "";
    }
    Map entry;
    entry.set("action_time", e.action_time);
    entry.set("user", names[e.user_id]);
    entry.set("change_message", e.change_message);
    entries.emplace_back(std::move(entry));
  }
  const std::string repr = object_repr(m, current);
  auto c = base_context(s, r, &user, "Change history: " + repr);
  c.set("model_name", m.verbose_name_plural);
  c.set("changelist_url", model_url(s, m));
  c.set("object_repr", repr);
  c.set("change_url", object_url(s, m, id, "change"));
  c.set("entries", Value(std::move(entries)));
  return render(s, "admin/object_history.html", c);
}

}  // namespace admin::detail
