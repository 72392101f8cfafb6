#include "admin/crud.hpp"

#include <algorithm>
#include <charconv>
#include <variant>

#include "auth/password_hashers.hpp"
#include "auth/user.hpp"
#include "db/statement.hpp"

namespace admin {

namespace {

std::string value_text(const db::Value& v) {
  if (std::holds_alternative<std::int64_t>(v)) return std::to_string(std::get<std::int64_t>(v));
  if (std::holds_alternative<double>(v)) return std::to_string(std::get<double>(v));
  if (std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
  return "";
}

void bind_value(db::Statement& st, int index, const db::Value& v) {
  std::visit([&](const auto& x) { st.bind(index, x); }, v);
}

Object row_object(const db::Row& row, const std::vector<std::string>& columns,
                  const ModelAdmin& model) {
  Object o;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    std::string text = value_text(row.value(i));
    const Field* f = model.field(columns[i]);
    if (f && f->type == FieldType::kBool) text.assign(1, (text.empty() || text == "0") ? '0' : '1');
    o[columns[i]] = std::move(text);
  }
  return o;
}

std::string join_columns(const std::vector<std::string>& columns) {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : ", ") + c;
  return out;
}

std::string order_clause(const ModelAdmin& model, const std::string& ordering) {
  const bool desc = ordering.front() == '-';
  const std::string column = desc ? ordering.substr(1) : ordering;
  std::string clause = " ORDER BY " + column + (desc ? " DESC" : " ASC");
  if (column != model.primary_key) clause += ", " + model.primary_key + (desc ? " DESC" : " ASC");
  return clause;
}

bool valid_datetime(std::string_view v) {
  // YYYY-MM-DD HH:MM[:SS[.ffffff]]
  auto digits = [&](std::size_t pos, std::size_t n) {
    if (pos + n > v.size()) return false;
    for (std::size_t i = pos; i < pos + n; ++i)
      if (v[i] < '0' || v[i] > '9') return false;
    return true;
  };
  if (v.size() < 16 || !digits(0, 4) || v[4] != '-' || !digits(5, 2) || v[7] != '-' ||
      !digits(8, 2) || (v[10] != ' ' && v[10] != 'T') || !digits(11, 2) || v[13] != ':' ||
      !digits(14, 2))
    return false;
  if (v.size() == 16) return true;
  if (v[16] != ':' || !digits(17, 2)) return false;
  if (v.size() == 19) return true;
  return v[19] == '.' && v.size() > 20 && v.size() <= 26 && digits(20, v.size() - 20);
}

bool valid_email(std::string_view v) {
  const auto at = v.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == v.size()) return false;
  if (v.find_first_of(" \t\r\n<>\"") != std::string_view::npos) return false;
  return v.substr(at + 1).find('.') != std::string_view::npos;
}

}  // namespace

std::string effective_ordering(const ModelAdmin& model, std::string_view requested) {
  const std::string_view column =
      (!requested.empty() && requested.front() == '-') ? requested.substr(1) : requested;
  if (!column.empty() && std::find(model.list_display.begin(), model.list_display.end(), column) !=
                             model.list_display.end())
    return std::string(requested);
  return model.ordering;
}

std::string like_pattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '!') out += '!';
    out += c;
  }
  return out + "%";
}

ListResult list_objects(db::Connection& conn, const ModelAdmin& model, const ListQuery& query) {
  ListResult result;
  result.ordering = effective_ordering(model, query.ordering);
  std::vector<std::string> columns{model.primary_key};
  for (const auto& c : model.list_display)
    if (c != model.primary_key) columns.push_back(c);
  if (std::find(columns.begin(), columns.end(), model.repr_field) == columns.end())
    columns.push_back(model.repr_field);

  std::string where;
  const bool searching = !query.search.empty() && !model.search_fields.empty();
  if (searching) {
    std::string any;
    for (const auto& c : model.search_fields)
      any += (any.empty() ? "" : " OR ") + ("LOWER(" + c + ") LIKE LOWER(?) ESCAPE '!'");
    where = " WHERE (" + any + ")";
  }
  // Filters only on the model's list_filter columns (the names go into the SQL; values are bound:
  // booleans as integers, dates as text, which compares with the stored datetimes on both
  // databases).
  std::vector<db::Value> filter_values;
  for (const auto& f : query.filters) {
    if (std::find(model.list_filter.begin(), model.list_filter.end(), f.column) ==
        model.list_filter.end())
      continue;
    const auto add = [&](const std::string& condition, db::Value value) {
      where += (where.empty() ? " WHERE " : " AND ") + (f.column + condition);
      filter_values.push_back(std::move(value));
    };
    if (!f.equals.empty()) add(" = ?", db::Value(static_cast<std::int64_t>(f.equals == "1")));
    if (!f.from.empty()) add(" >= ?", f.from);
    if (!f.to.empty()) add(" < ?", f.to);
  }
  const std::string pattern = like_pattern(query.search);
  auto bind_search = [&](db::Statement& st) {
    int n = 1;
    if (searching)
      for (std::size_t i = 0; i < model.search_fields.size(); ++i) st.bind(n++, pattern);
    for (const auto& value : filter_values)
      std::visit([&](const auto& v) { st.bind(n++, v); }, value);
  };
  {
    auto st = conn.prepare("SELECT COUNT(*) FROM " + model.table + where);
    bind_search(st);
    result.total = st.query_row().get<std::int64_t>(0);
  }
  result.pages = std::max<std::size_t>(
      1, (static_cast<std::size_t>(result.total) + kListPerPage - 1) / kListPerPage);
  const std::size_t page = std::clamp<std::size_t>(query.page, 1, result.pages);
  auto st =
      conn.prepare("SELECT " + join_columns(columns) + " FROM " + model.table + where +
                   order_clause(model, result.ordering) + " LIMIT " + std::to_string(kListPerPage) +
                   " OFFSET " + std::to_string((page - 1) * kListPerPage));
  bind_search(st);
  for (const db::Row& row : st.query()) result.rows.push_back(row_object(row, columns, model));
  return result;
}

std::optional<Object> get_object(db::Connection& conn, const ModelAdmin& model, std::int64_t id) {
  std::vector<std::string> columns{model.primary_key};
  for (const auto& f : model.fields) columns.push_back(f.name);
  auto row = conn.query_optional("SELECT " + join_columns(columns) + " FROM " + model.table +
                                     " WHERE " + model.primary_key + " = ?",
                                 id);
  if (!row) return std::nullopt;
  return row_object(*row, columns, model);
}

FormResult clean_form(const ModelAdmin& model,
                      const std::function<std::string(std::string_view)>& form) {
  FormResult r;
  for (const auto& f : model.fields) {
    if (f.readonly) continue;
    std::string text = form(f.name);
    if (f.type != FieldType::kText) {
      // Surrounding blanks never matter in a number, a date or an address.
      const auto b = text.find_first_not_of(" \t\r\n");
      const auto e = text.find_last_not_of(" \t\r\n");
      text = b == std::string::npos ? "" : text.substr(b, e - b + 1);
    }
    r.submitted[f.name] = text;
    if (f.type == FieldType::kBool) {
      r.values.emplace_back(f.name,
                            std::int64_t{text.empty() || text == "0" || text == "off" ? 0 : 1});
      r.submitted[f.name] = text.empty() || text == "0" || text == "off" ? "0" : "1";
      continue;
    }
    if (text.empty()) {
      if (f.required) {
        r.errors[f.name] = "This field is required.";
      } else if (f.null) {
        r.values.emplace_back(f.name, nullptr);
      } else if (f.type == FieldType::kText || f.type == FieldType::kEmail) {
        r.values.emplace_back(f.name, std::string());
      } else {
        r.errors[f.name] = "This field is required.";
      }
      continue;
    }
    std::string error;
    db::Value value = text;
    switch (f.type) {
      case FieldType::kInt: {
        std::int64_t n = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (ec != std::errc() || end != text.data() + text.size()) error = "Enter a whole number.";
        value = n;
        break;
      }
      case FieldType::kDateTime:
        if (!valid_datetime(text)) error = "Enter a valid date/time (YYYY-MM-DD HH:MM:SS).";
        if (text.size() > 10 && text[10] == 'T') text[10] = ' ';
        value = text;
        break;
      case FieldType::kEmail:
        if (!valid_email(text)) error = "Enter a valid email address.";
        value = auth::normalize_email(text);
        break;
      default:
        break;
    }
    if (error.empty() && f.max_length > 0 && text.size() > f.max_length)
      error = "Ensure this value has at most " + std::to_string(f.max_length) +
              " characters (it has " + std::to_string(text.size()) + ").";
    if (error.empty() && f.validator) error = f.validator(text);
    if (!error.empty()) {
      r.errors[f.name] = error;
      continue;
    }
    r.values.emplace_back(f.name, std::move(value));
  }
  return r;
}

std::int64_t insert_object(db::Connection& conn, const ModelAdmin& model, const FormResult& form) {
  std::vector<std::string> columns;
  std::vector<db::Value> values;
  for (const auto& [c, v] : form.values) {
    columns.push_back(c);
    values.push_back(v);
  }
  for (const auto& f : model.fields) {
    if (f.auto_now_add) {
      columns.push_back(f.name);
      values.emplace_back(auth::now_text());
    } else if (f.type == FieldType::kPasswordHash) {
      columns.push_back(f.name);
      values.emplace_back(auth::make_unusable_password());
    }
  }
  std::string marks;
  for (std::size_t i = 0; i < columns.size(); ++i) marks += i ? ", ?" : "?";
  auto st = conn.prepare("INSERT INTO " + model.table + " (" + join_columns(columns) +
                         ") VALUES (" + marks + ")");
  for (std::size_t i = 0; i < values.size(); ++i)
    bind_value(st, static_cast<int>(i + 1), values[i]);
  st.execute();
  return conn.last_insert_id();
}

void update_object(db::Connection& conn, const ModelAdmin& model, std::int64_t id,
                   const FormResult& form) {
  if (form.values.empty()) return;
  std::string sets;
  for (const auto& [c, v] : form.values) sets += (sets.empty() ? "" : ", ") + c + " = ?";
  auto st = conn.prepare("UPDATE " + model.table + " SET " + sets + " WHERE " + model.primary_key +
                         " = ?");
  int index = 0;
  for (const auto& [c, v] : form.values) bind_value(st, ++index, v);
  st.bind(++index, id);
  st.execute();
}

void delete_object(db::Connection& conn, const ModelAdmin& model, std::int64_t id) {
  if (model.delete_object) {
    model.delete_object(conn, id);
    return;
  }
  conn.execute("DELETE FROM " + model.table + " WHERE " + model.primary_key + " = ?", id);
}

std::string object_repr(const ModelAdmin& model, const Object& object) {
  auto it = object.find(model.repr_field);
  std::string repr = it == object.end() ? "" : it->second;
  if (repr.size() > kMaxReprBytes) {
    std::size_t cut = kMaxReprBytes;
    while (cut > 0 && (static_cast<unsigned char>(repr[cut]) & 0xC0) == 0x80)
      --cut;  // whole UTF-8 characters
    repr.resize(cut);
  }
  return repr;
}

}  // namespace admin
