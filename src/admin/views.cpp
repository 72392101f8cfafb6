#include "admin/views.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>

#include "admin/crud.hpp"
#include "admin/view_support.hpp"
#include "auth/messages.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "http/form.hpp"
#include "http/http_error.hpp"
#include "http/request.hpp"

namespace admin {

namespace detail {

namespace {

// ---- index ----

Response index(State& s, Request& r, const auth::User& user) {
  Value::List models;
  for (const auto& m : s.site.models()) {
    if (!may(s, user, m, "view")) continue;
    Map item;
    item.set("name", m.verbose_name_plural);
    item.set("app_label", m.app_label);
    item.set("url", model_url(s, m));
    if (may(s, user, m, "add")) item.set("add_url", model_url(s, m) + "add/");
    models.emplace_back(std::move(item));
  }
  Value::List actions;
  {
    auto lease = s.pool.acquire();
    // "My actions", as Django's index: a staff user sees only their own.
    for (const auto& e : auth::recent_log_entries(*lease, kRecentActions, user.id)) {
      Map item;
      item.set("what", e.object_repr);
      item.set("type", e.object_type);
      item.set("when", e.action_time.substr(0, 19));
      item.set("action", e.action_flag == kAddition   ? "Added"
                         : e.action_flag == kDeletion ? "Deleted"
                                                      : "Changed");
      item.set("message", e.change_message);
      actions.emplace_back(std::move(item));
    }
  }
  auto c = base_context(s, r, &user, "Site administration");
  c.set("models", Value(std::move(models)));
  c.set("actions", Value(std::move(actions)));
  return render(s, "admin/index.html", c);
}

// ---- change list ----

// The change list's filter parameters in the URL ("is_staff__exact" -> "1"), in order.
using FilterParams = std::vector<std::pair<std::string, std::string>>;

std::string list_query(std::string_view q, std::string_view o, std::size_t page,
                       const FilterParams& filters = {}) {
  std::string out;
  auto add = [&out](std::string_view k, std::string_view v) {
    out.push_back(out.empty() ? '?' : '&');
    out.append(k);
    out.push_back('=');
    out.append(http::percent_encode(v, ""));
  };
  if (!q.empty()) add("q", q);
  for (const auto& [k, v] : filters) add(k, v);
  if (!o.empty()) add("o", o);
  if (page > 1) add("p", std::to_string(page));
  return out.empty() ? "?" : out;
}

bool is_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

std::string iso(std::chrono::year_month_day d) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buffer;
}

// Django's BooleanFieldListFilter and DateFieldListFilter: the filters the query asks for, and
// the sidebar's choices (each a link keeping the search, the order and the other filters).
struct Filters {
  std::vector<ListFilter> applied;
  FilterParams params;
  Value::List sidebar;
};

Filters list_filters(const ModelAdmin& m, const Request& r, std::string_view q,
                     std::string_view o) {
  Filters out;
  for (const auto& column : m.list_filter) {
    const Field* f = m.field(column);
    if (f->type == FieldType::kBool) {
      const std::string v = query_value(r.query, column + "__exact");
      if (v == "0" || v == "1") {
        out.applied.push_back({column, v, "", ""});
        out.params.emplace_back(column + "__exact", v);
      }
    } else {
      const std::string from = query_value(r.query, column + "__gte");
      const std::string to = query_value(r.query, column + "__lt");
      if (is_iso_date(from) || is_iso_date(to)) {
        out.applied.push_back(
            {column, "", is_iso_date(from) ? from : "", is_iso_date(to) ? to : ""});
        if (is_iso_date(from)) out.params.emplace_back(column + "__gte", from);
        if (is_iso_date(to)) out.params.emplace_back(column + "__lt", to);
      }
    }
  }
  using namespace std::chrono;
  const year_month_day today{floor<days>(system_clock::now())};
  const auto tomorrow = iso(year_month_day{sys_days{today} + days{1}});
  for (const auto& column : m.list_filter) {
    const Field* f = m.field(column);
    FilterParams others;
    for (const auto& p : out.params)
      if (!p.first.starts_with(column + "__")) others.push_back(p);
    std::vector<std::pair<std::string, FilterParams>> choices;
    if (f->type == FieldType::kBool) {
      choices = {
          {"All", {}}, {"Yes", {{column + "__exact", "1"}}}, {"No", {{column + "__exact", "0"}}}};
    } else {
      const auto month = year_month_day{today.year(), today.month(), day{1}};
      const auto next_month = year_month_day{sys_days{month + months{1}}};
      choices = {
          {"Any date", {}},
          {"Today", {{column + "__gte", iso(today)}, {column + "__lt", tomorrow}}},
          {"Past 7 days",
           {{column + "__gte", iso(year_month_day{sys_days{today} - days{7}})},
            {column + "__lt", tomorrow}}},
          {"This month", {{column + "__gte", iso(month)}, {column + "__lt", iso(next_month)}}},
          {"This year",
           {{column + "__gte", iso(today.year() / January / 1)},
            {column + "__lt", iso((today.year() + years{1}) / January / 1)}}},
      };
    }
    Value::List links;
    for (auto& [display, mine] : choices) {
      FilterParams current;
      for (const auto& p : out.params)
        if (p.first.starts_with(column + "__")) current.push_back(p);
      Map link;
      link.set("display", display);
      link.set("selected", current == mine);
      FilterParams all = others;
      all.insert(all.end(), mine.begin(), mine.end());
      link.set("url", list_query(q, o, 1, all));
      links.emplace_back(std::move(link));
    }
    Map group;
    group.set("title", f->label);
    group.set("choices", Value(std::move(links)));
    out.sidebar.emplace_back(std::move(group));
  }
  return out;
}

std::string label_of(const ModelAdmin& m, const std::string& column) {
  if (const Field* f = m.field(column)) return f->label;
  return column == m.primary_key ? "ID" : column;
}

// Django's delete_selected action: a confirmation page listing the objects, then one
// transaction deleting them (each logged), then a message on the change list.
Response delete_selected(State& s, Request& r, const auth::User& user, const ModelAdmin& m) {
  if (!may(s, user, m, "delete")) return forbidden();
  const auto& form = http::form(r);
  std::vector<std::int64_t> ids;
  for (auto [it, end] = form.equal_range("_selected_action"); it != end; ++it) {
    std::int64_t id = 0;
    const auto& text = it->second;
    if (std::from_chars(text.data(), text.data() + text.size(), id).ec == std::errc{} &&
        std::find(ids.begin(), ids.end(), id) == ids.end())
      ids.push_back(id);
  }
  if (ids.empty()) {
    auth::messages::warning(
        r,
        "Items must be selected in order to perform actions on them. No items have been changed.");
    return Response::redirect(model_url(s, m), 302);
  }
  auto lease = s.pool.acquire();
  std::vector<std::pair<std::int64_t, std::string>> found;  // id, repr
  for (std::int64_t id : ids)
    if (auto object = get_object(*lease, m, id)) found.emplace_back(id, object_repr(m, *object));
  if (http::form_value(form, "post") == "yes" && !found.empty()) {
    db::Transaction tx(*lease);
    for (const auto& [id, repr] : found) {
      delete_object(*lease, m, id);
      log_action(*lease, user, m, id, repr, kDeletion, "Deleted.");
    }
    tx.commit();
    auth::messages::success(r, "Successfully deleted " + std::to_string(found.size()) + " " +
                                   (found.size() == 1 ? m.verbose_name : m.verbose_name_plural) +
                                   ".");
    return Response::redirect(model_url(s, m), 302);
  }
  auto c = base_context(s, r, &user, "Are you sure?");
  c.set("model_name", m.verbose_name_plural);
  c.set("changelist_url", model_url(s, m));
  Value::List objects;
  for (const auto& [id, repr] : found) {
    Map o;
    o.set("id", id);
    o.set("repr", repr);
    o.set("url", object_url(s, m, id, "change"));
    objects.emplace_back(std::move(o));
  }
  c.set("objects", Value(std::move(objects)));
  return render(s, "admin/delete_selected_confirmation.html", c);
}

Response change_list(State& s, Request& r, const auth::User& user) {
  const ModelAdmin& m = model_of(s, r);
  if (!may(s, user, m, "view")) return forbidden();
  if (r.method == "POST") {
    const std::string action = http::form_value(http::form(r), "action");
    if (action.empty()) {
      auth::messages::warning(r, "No action selected.");
      return Response::redirect(model_url(s, m), 302);
    }
    if (action != "delete_selected") throw http::HttpError(400, "unknown action");
    return delete_selected(s, r, user, m);
  }
  ListQuery q;
  q.search = query_value(r.query, "q");
  q.ordering = query_value(r.query, "o");
  Filters filters = list_filters(m, r, q.search, q.ordering);
  q.filters = filters.applied;
  const std::string p = query_value(r.query, "p");
  std::size_t page = 1;
  std::from_chars(p.data(), p.data() + p.size(), page);
  q.page = page == 0 ? 1 : page;
  ListResult result;
  {
    auto lease = s.pool.acquire();
    result = list_objects(*lease, m, q);
  }
  const std::string requested_o = result.ordering == m.ordering ? "" : result.ordering;
  Value::List headers;
  for (const auto& column : m.list_display) {
    Map h;
    h.set("label", label_of(m, column));
    const bool asc = result.ordering == column;
    const bool desc = result.ordering == "-" + column;
    h.set("url", list_query(q.search, asc ? "-" + column : column, 1, filters.params));
    h.set("sorted", asc ? "ascending" : desc ? "descending" : "");
    headers.emplace_back(std::move(h));
  }
  Value::List rows;
  for (const auto& object : result.rows) {
    const std::int64_t id = std::stoll(object.at(m.primary_key));
    Value::List cells;
    for (const auto& column : m.list_display) {
      std::string text = object.at(column);
      const Field* f = m.field(column);
      if (f && f->type == FieldType::kBool) text = text == "1" ? "yes" : "no";
      cells.emplace_back(std::move(text));
    }
    Map row;
    row.set("id", id);
    row.set("cells", Value(std::move(cells)));
    row.set("url", object_url(s, m, id, "change"));  // a view-only user sees the read-only page
    rows.emplace_back(std::move(row));
  }
  page = std::min(q.page, result.pages);
  auto c = base_context(s, r, &user, "Select " + m.verbose_name + " to change");
  c.set("model_name", m.verbose_name_plural);
  c.set("headers", Value(std::move(headers)));
  c.set("rows", Value(std::move(rows)));
  c.set("total", result.total);
  c.set("q", q.search);
  c.set("o", requested_o);
  c.set("searchable", !m.search_fields.empty());
  c.set("page", static_cast<std::int64_t>(page));
  c.set("pages", static_cast<std::int64_t>(result.pages));
  if (page > 1) c.set("previous_url", list_query(q.search, requested_o, page - 1, filters.params));
  if (page < result.pages)
    c.set("next_url", list_query(q.search, requested_o, page + 1, filters.params));
  if (!filters.sidebar.empty()) c.set("filters", Value(std::move(filters.sidebar)));
  Value::List hidden;  // the search form keeps the filters
  for (const auto& [k, v] : filters.params) {
    Map field;
    field.set("name", k);
    field.set("value", v);
    hidden.emplace_back(std::move(field));
  }
  c.set("filter_fields", Value(std::move(hidden)));
  if (may(s, user, m, "add")) c.set("add_url", model_url(s, m) + "add/");
  if (may(s, user, m, "delete")) c.set("actions", true);
  return render(s, "admin/change_list.html", c);
}

}  // namespace

}  // namespace detail

http::Router admin_urls(const Site& site, db::Pool& pool, const templates::Engine& engine,
                        auth::Authenticator& authenticator, AdminOptions options) {
  using namespace detail;  // NOLINT: the views and their shared state
  auto state =
      std::make_shared<State>(State{site, pool, engine, authenticator, std::move(options)});
  http::Router urls;
  urls.add("login/", [state](Request& r) { return login_page(*state, r); }, "admin_login",
           {"GET", "POST"});
  urls.add("logout/", [state](Request& r) { return logout_view(*state, r); }, "admin_logout",
           {"POST"});
  urls.add("password_change/", guarded(state, password_change), "admin_password_change",
           {"GET", "POST"});
  urls.get("", guarded(state, index), "admin_index");
  urls.add("<slug:app>/<slug:model>/", guarded(state, change_list), "admin_changelist",
           {"GET", "POST"});
  urls.add("<slug:app>/<slug:model>/add/", guarded(state, add_view), "admin_add", {"GET", "POST"});
  urls.add("<slug:app>/<slug:model>/<int:id>/change/", guarded(state, edit_view), "admin_change",
           {"GET", "POST"});
  urls.add("<slug:app>/<slug:model>/<int:id>/password/", guarded(state, set_password_view),
           "admin_password", {"GET", "POST"});
  urls.add("<slug:app>/<slug:model>/<int:id>/delete/", guarded(state, delete_view), "admin_delete",
           {"GET", "POST"});
  urls.get("<slug:app>/<slug:model>/<int:id>/history/", guarded(state, history_view),
           "admin_history");
  return urls;
}

}  // namespace admin