#include "admin/model_admin.hpp"

#include <algorithm>
#include <stdexcept>

#include "auth/user.hpp"

namespace admin {

namespace {

bool is_column(const ModelAdmin& m, std::string_view name) {
  return name == m.primary_key || m.field(name) != nullptr;
}

void require(bool ok, const ModelAdmin& m, const std::string& what) {
  if (!ok) throw std::invalid_argument("admin: " + m.app_label + "." + m.model_name + ": " + what);
}

}  // namespace

const Field* ModelAdmin::field(std::string_view name) const {
  for (const auto& f : fields)
    if (f.name == name) return &f;
  return nullptr;
}

bool is_identifier(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

Site& Site::register_model(ModelAdmin m) {
  require(is_identifier(m.app_label) && is_identifier(m.model_name), m,
          "app_label and model_name must be identifiers");
  require(is_identifier(m.table), m, "table '" + m.table + "' is not an identifier");
  require(is_identifier(m.primary_key), m, "primary key is not an identifier");
  require(!m.fields.empty(), m, "no fields");
  for (auto& f : m.fields) {
    require(is_identifier(f.name) && f.name != m.primary_key, m, "bad field name '" + f.name + "'");
    if (f.label.empty()) f.label = f.name;
    if (f.type == FieldType::kPasswordHash) f.readonly = true;
    if (f.auto_now_add) f.readonly = true;
  }
  for (std::size_t i = 0; i < m.fields.size(); ++i)
    for (std::size_t j = i + 1; j < m.fields.size(); ++j)
      require(m.fields[i].name != m.fields[j].name, m,
              "duplicate field '" + m.fields[i].name + "'");
  if (m.list_display.empty()) m.list_display = {m.primary_key};
  for (const auto& c : m.list_display)
    require(is_column(m, c), m, "list_display names unknown column '" + c + "'");
  for (const auto& c : m.search_fields)
    require(is_column(m, c), m, "search_fields names unknown column '" + c + "'");
  for (const auto& c : m.list_filter) {
    const Field* f = m.field(c);
    require(f && (f->type == FieldType::kBool || f->type == FieldType::kDateTime), m,
            "list_filter names '" + c + "', which is not a boolean or datetime field");
  }
  if (m.ordering.empty()) m.ordering = "-" + m.primary_key;
  const std::string order_column = m.ordering.front() == '-' ? m.ordering.substr(1) : m.ordering;
  require(is_column(m, order_column), m, "ordering names unknown column '" + order_column + "'");
  if (m.repr_field.empty()) m.repr_field = m.fields.front().name;
  require(is_column(m, m.repr_field), m, "repr_field names unknown column '" + m.repr_field + "'");
  if (m.verbose_name.empty()) m.verbose_name = m.model_name;
  if (m.verbose_name_plural.empty()) m.verbose_name_plural = m.verbose_name + "s";
  require(find(m.app_label, m.model_name) == nullptr, m, "registered twice");
  models_.push_back(std::move(m));
  return *this;
}

const ModelAdmin* Site::find(std::string_view app_label, std::string_view model_name) const {
  for (const auto& m : models_)
    if (m.app_label == app_label && m.model_name == model_name) return &m;
  return nullptr;
}

ModelAdmin user_model_admin() {
  ModelAdmin m;
  m.app_label = "auth";
  m.model_name = "user";
  m.table = "auth_user";
  m.verbose_name = "user";
  m.fields = {
      {.name = "username",
       .label = "Username",
       .max_length = auth::kMaxUsernameLength,
       .validator =
           [](std::string_view v) {
             return auth::is_valid_username(v)
                        ? std::string()
                        : std::string(
                              "Enter a valid username. This value may contain only letters, "
                              "numbers, and @/./+/-/_ characters.");
           }},
      {.name = "password", .label = "Password", .type = FieldType::kPasswordHash},
      {.name = "first_name", .label = "First name", .required = false, .max_length = 150},
      {.name = "last_name", .label = "Last name", .required = false, .max_length = 150},
      {.name = "email",
       .label = "Email address",
       .type = FieldType::kEmail,
       .required = false,
       .max_length = 254},
      {.name = "is_active",
       .label = "Active",
       .type = FieldType::kBool,
       .required = false,
       .initial = "1"},
      {.name = "is_staff", .label = "Staff status", .type = FieldType::kBool, .required = false},
      {.name = "is_superuser",
       .label = "Superuser status",
       .type = FieldType::kBool,
       .required = false},
      {.name = "last_login",
       .label = "Last login",
       .type = FieldType::kDateTime,
       .required = false,
       .null = true,
       .readonly = true},
      {.name = "date_joined",
       .label = "Date joined",
       .type = FieldType::kDateTime,
       .auto_now_add = true},
  };
  m.list_display = {"username", "email", "first_name", "last_name", "is_staff"};
  m.search_fields = {"username", "first_name", "last_name", "email"};
  m.list_filter = {"is_staff", "is_superuser", "is_active", "date_joined"};
  m.ordering = "username";
  m.repr_field = "username";
  m.delete_object = [](db::Connection& conn, std::int64_t id) { auth::delete_user(conn, id); };
  return m;
}

}  // namespace admin
