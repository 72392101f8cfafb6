#include "db/statement.hpp"

namespace db {

namespace detail {
void throw_unsigned_out_of_range(int index) {
  throw Error(Error::Kind::other, "bind: parameter " + std::to_string(index) + " does not fit in a signed 64-bit integer");
}
}  // namespace detail

Statement::Statement(StatementImpl* borrowed, bool* cached_in_use, std::unique_ptr<StatementImpl> owned)
    : impl_(owned ? owned.get() : borrowed), cached_in_use_(cached_in_use), owned_(std::move(owned)) {}

Statement::Statement(Statement&& other) noexcept
    : impl_(other.impl_),
      cached_in_use_(other.cached_in_use_),
      owned_(std::move(other.owned_)),
      names_(std::move(other.names_)),
      started_(other.started_) {
  other.impl_ = nullptr;
  other.cached_in_use_ = nullptr;
}

Statement::~Statement() {
  if (impl_ == nullptr) return;
  impl_->reset();
  if (cached_in_use_ != nullptr) *cached_in_use_ = false;
}

void Statement::rewind() noexcept {
  // Bindings survive a rewind, so `bind(1, x); execute(); execute();` runs twice with x.
  impl_->rewind();
  started_ = false;
}

Row::Names Statement::names() {
  if (!names_) {
    auto names = std::make_shared<std::vector<std::string>>();
    const int n = impl_->column_count();
    names->reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) names->push_back(impl_->column_name(i));
    names_ = std::move(names);
  }
  return names_;
}

bool Statement::step() {
  started_ = true;
  return impl_->step();
}

Row Statement::row() {
  const int n = impl_->column_count();
  std::vector<Value> values;
  values.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) values.push_back(impl_->column(i));
  return Row(std::move(values), names());
}

std::int64_t Statement::execute() {
  if (started_) rewind();
  while (step()) {
  }
  const std::int64_t changed = impl_->changes();
  started_ = true;
  return changed;
}

std::vector<Row> Statement::query() {
  if (started_) rewind();
  std::vector<Row> rows;
  while (step()) rows.push_back(row());
  return rows;
}

std::optional<Row> Statement::query_optional() {
  if (started_) rewind();
  if (!step()) return std::nullopt;
  return row();
}

Row Statement::query_row() {
  std::optional<Row> r = query_optional();
  if (!r) throw Error(Error::Kind::not_found, "query returned no row: " + std::string(impl_->sql().substr(0, 200)));
  return std::move(*r);
}

}  // namespace db
