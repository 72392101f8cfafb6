// db: a prepared statement handle with typed binds (`?` placeholders, 1-based) and row reading.
// Knows nothing of which backend runs it; values are always bound, never spliced into SQL.
#pragma once

#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "db/error.hpp"
#include "db/row.hpp"
#include "db/statement_impl.hpp"

namespace db {

// Obtained from Connection::prepare; must not outlive its connection. Example:
//   auto st = conn.prepare("SELECT id FROM fortune WHERE message = ?");
//   st.bind(1, "hello");
//   for (const db::Row& r : st.query()) ...
// bind(index, value) accepts: std::nullptr_t, bool, any integer (unsigned values above INT64_MAX
// throw), float/double, std::string_view, std::string, const char*, and std::optional<any of
// those> (nullopt binds NULL). When the handle is destroyed the statement is reset and its bindings
// cleared, so a cached statement never leaks values into the next use.
class Statement {
 public:
  // Used by Connection: `cached_in_use` is the cache's busy flag to clear on release (or null when
  // the statement is owned by this handle).
  Statement(StatementImpl* borrowed, bool* cached_in_use, std::unique_ptr<StatementImpl> owned);
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  template <class T>
  Statement& bind(int index, const T& value);

  // Binds args to parameters 1..N, in order.
  template <class... Args>
  Statement& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  // Runs to completion (discarding any rows); returns the number of rows changed.
  std::int64_t execute();
  // Runs and returns every row.
  std::vector<Row> query();
  // The first row, or nullopt when there is none.
  std::optional<Row> query_optional();
  // The first row; throws db::Error (not_found) when there is none.
  Row query_row();

  // Streaming: step() advances to the next row (false when done), row() copies the current one.
  bool step();
  Row row();

  int parameter_count() const { return impl_->parameter_count(); }
  std::string_view sql() const noexcept { return impl_->sql(); }

 private:
  void rewind() noexcept;
  Row::Names names();

  StatementImpl* impl_;
  bool* cached_in_use_;
  std::unique_ptr<StatementImpl> owned_;
  Row::Names names_;
  bool started_ = false;  // stepped since the last reset
};

namespace detail {
template <class T>
struct IsOptionalParam : std::false_type {};
template <class T>
struct IsOptionalParam<std::optional<T>> : std::true_type {};
[[noreturn]] void throw_unsigned_out_of_range(int index);
}  // namespace detail

template <class T>
Statement& Statement::bind(int index, const T& value) {
  if (started_) rewind();  // binding after a run starts a new execution
  static_assert(!std::is_same_v<T, char> && !std::is_same_v<T, signed char> && !std::is_same_v<T, unsigned char>,
                "Statement::bind: a single char would bind as an integer; pass std::string_view");
  if constexpr (std::is_same_v<T, std::nullptr_t>) {
    impl_->bind_null(index);
  } else if constexpr (detail::IsOptionalParam<T>::value) {
    if (value) {
      bind(index, *value);
    } else {
      impl_->bind_null(index);
    }
  } else if constexpr (std::is_same_v<T, bool>) {
    impl_->bind_int64(index, value ? 1 : 0);
  } else if constexpr (std::is_integral_v<T>) {
    if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(std::int64_t)) {
      if (value > static_cast<T>(INT64_MAX)) detail::throw_unsigned_out_of_range(index);
    }
    impl_->bind_int64(index, static_cast<std::int64_t>(value));
  } else if constexpr (std::is_floating_point_v<T>) {
    impl_->bind_double(index, static_cast<double>(value));
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    impl_->bind_text(index, std::string_view(value));
  } else {
    static_assert(sizeof(T) == 0, "Statement::bind: unsupported parameter type");
  }
  return *this;
}

}  // namespace db
