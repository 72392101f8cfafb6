// admin: generic create/read/update/delete over a registered ModelAdmin, and the typed form
// handling (text in, validated column values out). Every statement is prepared with bound
// values; column names come only from the descriptor. Knows nothing of HTTP or templates.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "admin/model_admin.hpp"
#include "db/connection.hpp"
#include "db/value.hpp"

namespace admin {

inline constexpr std::size_t kListPerPage = 100;
inline constexpr std::size_t kMaxReprBytes = 200;  // Django's object_repr is a CharField(200)

// One object as text: column name -> value ("" for NULL, "1"/"0" for booleans).
using Object = std::map<std::string, std::string, std::less<>>;

// One list filter's condition: `column = value` (booleans: "1"/"0"), or `column >= from AND
// column < to` (datetimes: ISO dates "YYYY-MM-DD", either may be empty).
struct ListFilter {
  std::string column;
  std::string equals;
  std::string from;
  std::string to;
};

struct ListQuery {
  std::string search;  // ?q=
  std::vector<ListFilter> filters;
  std::string ordering;  // ?o=column or -column; ignored unless the column is in list_display
  std::size_t page = 1;  // 1-based
};

struct ListResult {
  std::vector<Object> rows;  // the page's rows (pk and list_display columns)
  std::int64_t total = 0;    // matching rows
  std::size_t pages = 1;
  std::string ordering;  // what was applied ("-id")
};

// The ordering to apply for a requested one: `requested` when it names a list_display column
// (optionally with '-'), else the model's default.
std::string effective_ordering(const ModelAdmin& model, std::string_view requested);
// LIKE pattern "%text%" with %, _ and the escape character '!' escaped (ESCAPE '!').
std::string like_pattern(std::string_view text);

ListResult list_objects(db::Connection& conn, const ModelAdmin& model, const ListQuery& query);
std::optional<Object> get_object(db::Connection& conn, const ModelAdmin& model, std::int64_t id);

// Validated values for the writable fields, or errors by field name ("" for the whole form).
struct FormResult {
  std::vector<std::pair<std::string, db::Value>> values;  // column -> value to bind
  Object submitted;                                       // the text to show again
  std::map<std::string, std::string, std::less<>> errors;
  bool ok() const { return errors.empty(); }
};
// `form(name)` returns the submitted value of a field ("" when absent: an unchecked checkbox).
FormResult clean_form(const ModelAdmin& model,
                      const std::function<std::string(std::string_view)>& form);

// Inserts (auto_now_add fields get now, password-hash fields an unusable password). Returns the id.
std::int64_t insert_object(db::Connection& conn, const ModelAdmin& model, const FormResult& form);
void update_object(db::Connection& conn, const ModelAdmin& model, std::int64_t id,
                   const FormResult& form);
void delete_object(db::Connection& conn, const ModelAdmin& model, std::int64_t id);

// The object's name for the log and pages: the repr_field's value.
std::string object_repr(const ModelAdmin& model, const Object& object);

}  // namespace admin
