#include "db/row.hpp"

#include "db/error.hpp"

namespace db {

Row::Row(std::vector<Value> values, Names names) : values_(std::move(values)), names_(std::move(names)) {}

const Value& Row::value(std::size_t index) const {
  if (index >= values_.size()) {
    throw Error(Error::Kind::other, "row: column index " + std::to_string(index) + " out of range (row has " +
                                        std::to_string(values_.size()) + " columns)");
  }
  return values_[index];
}

bool Row::is_null(std::size_t index) const { return std::holds_alternative<std::nullptr_t>(value(index)); }

const std::string& Row::column_name(std::size_t index) const {
  static const std::string kNone;
  value(index);  // bounds check
  if (!names_ || index >= names_->size()) return kNone;
  return (*names_)[index];
}

std::size_t Row::column_index(std::string_view name) const {
  if (names_) {
    for (std::size_t i = 0; i < names_->size(); ++i) {
      if ((*names_)[i] == name) return i;
    }
  }
  throw Error(Error::Kind::not_found, "row: no column named '" + std::string(name) + "'");
}

void Row::throw_type_error(std::size_t index, std::string_view wanted) const {
  const Value& v = value(index);
  std::string_view held = std::holds_alternative<std::nullptr_t>(v)  ? "NULL"
                          : std::holds_alternative<std::int64_t>(v) ? "integer"
                          : std::holds_alternative<double>(v)       ? "real"
                                                                    : "text";
  std::string column = column_name(index);
  throw Error(Error::Kind::other, "row: column " + std::to_string(index) +
                                      (column.empty() ? std::string() : " (" + column + ")") + " holds " +
                                      std::string(held) + ", read as " + std::string(wanted));
}

std::int64_t Row::get_int64(std::size_t index) const {
  const Value& v = value(index);
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  throw_type_error(index, "integer");
}

double Row::get_double(std::size_t index) const {
  const Value& v = value(index);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  throw_type_error(index, "real");
}

const std::string& Row::get_text(std::size_t index) const {
  const Value& v = value(index);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  throw_type_error(index, "text");
}

}  // namespace db
