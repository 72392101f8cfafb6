// db: one result row with typed access by column index (0-based).
// Knows nothing of statements or backends; owns copies of the values it holds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "db/value.hpp"

namespace db {

// A row returned by Statement::query / Connection::query. Example:
//   for (const db::Row& r : conn.query("SELECT id, message FROM fortune"))
//     out.push_back({r.get<std::int64_t>(0), r.get<std::string>(1)});
// get<T> supports std::int64_t, int, double, bool, std::string, std::string_view (valid while the
// row lives) and std::optional<any of those> (nullopt for NULL). A NULL read as a non-optional T, or
// a value of the wrong type, throws db::Error (kind other) naming the column.
class Row {
 public:
  using Names = std::shared_ptr<const std::vector<std::string>>;

  Row(std::vector<Value> values, Names names);

  std::size_t size() const noexcept { return values_.size(); }
  bool is_null(std::size_t index) const;
  const Value& value(std::size_t index) const;
  const std::string& column_name(std::size_t index) const;
  // Index of the column called `name`; throws db::Error (not_found) if there is none.
  std::size_t column_index(std::string_view name) const;

  template <class T>
  T get(std::size_t index) const;

 private:
  [[noreturn]] void throw_type_error(std::size_t index, std::string_view wanted) const;
  std::int64_t get_int64(std::size_t index) const;
  double get_double(std::size_t index) const;
  const std::string& get_text(std::size_t index) const;

  std::vector<Value> values_;
  Names names_;
};

namespace detail {
template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};
}  // namespace detail

template <class T>
T Row::get(std::size_t index) const {
  if constexpr (detail::IsOptional<T>::value) {
    if (is_null(index)) return std::nullopt;
    return get<typename T::value_type>(index);
  } else if constexpr (std::is_same_v<T, std::int64_t>) {
    return get_int64(index);
  } else if constexpr (std::is_same_v<T, bool>) {
    return get_int64(index) != 0;
  } else if constexpr (std::is_same_v<T, int>) {
    const std::int64_t v = get_int64(index);
    if (v < INT32_MIN || v > INT32_MAX) throw_type_error(index, "int (value out of range)");
    return static_cast<int>(v);
  } else if constexpr (std::is_same_v<T, double>) {
    return get_double(index);
  } else if constexpr (std::is_same_v<T, std::string>) {
    return get_text(index);
  } else if constexpr (std::is_same_v<T, std::string_view>) {
    return std::string_view(get_text(index));
  } else {
    static_assert(sizeof(T) == 0, "Row::get<T>: unsupported type");
  }
}

}  // namespace db
