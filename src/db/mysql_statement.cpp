#include "db/mysql_statement.hpp"

#include <mysql.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "db/mysql_connection.hpp"
#include "db/mysql_error.hpp"

namespace db {

namespace {

// Text columns are first fetched into a buffer this big; longer values are fetched again at their
// full length (mysql_stmt_fetch_column), so any size works and small rows stay cheap.
constexpr std::size_t kInitialTextBuffer = 1024;

enum class Read { integer, real, decimal, bytes };

Read read_for(enum_field_types type) noexcept {
  switch (type) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR:
      return Read::integer;
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE:
      return Read::real;
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL:
      return Read::decimal;
    default:
      return Read::bytes;
  }
}

// DECIMAL arrives as text: an integer when it has no fraction digits (SUM(int) is a DECIMAL on
// MySQL), a double otherwise (precision beyond a double's is lost; read such columns as CHAR).
Value decimal_value(const std::string& text, unsigned int decimals) {
  if (decimals == 0) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc() && end == text.data() + text.size()) return value;
  }
  return std::strtod(text.c_str(), nullptr);
}

}  // namespace

struct MysqlStatement::Param {
  enum class Type { null, int64, real, text } type = Type::null;
  std::int64_t int_value = 0;
  double real_value = 0;
  std::string text;
};

struct MysqlStatement::Column {
  std::string name;
  Read read = Read::bytes;
  bool is_unsigned = false;
  unsigned int decimals = 0;
  std::int64_t int_value = 0;
  double real_value = 0;
  std::vector<char> buffer;
  unsigned long length = 0;
  my_bool is_null = 0;
  my_bool error = 0;
};

MysqlStatement::MysqlStatement(MysqlConnection& owner, MYSQL_STMT* stmt, std::string sql)
    : owner_(owner), stmt_(stmt), sql_(std::move(sql)) {
  params_.resize(mysql_stmt_param_count(stmt_));
  MYSQL_RES* metadata = mysql_stmt_result_metadata(stmt_);
  if (metadata == nullptr) return;  // no result set (INSERT, DDL...)
  const unsigned int count = mysql_num_fields(metadata);
  const MYSQL_FIELD* fields = mysql_fetch_fields(metadata);
  columns_.resize(count);
  for (unsigned int i = 0; i < count; ++i) {
    Column& c = columns_[i];
    c.name.assign(fields[i].name, fields[i].name_length);
    c.read = read_for(fields[i].type);
    c.is_unsigned = (fields[i].flags & UNSIGNED_FLAG) != 0;
    c.decimals = fields[i].decimals;
    if (c.read == Read::bytes || c.read == Read::decimal) c.buffer.resize(kInitialTextBuffer);
  }
  mysql_free_result(metadata);
}

MysqlStatement::~MysqlStatement() { mysql_stmt_close(stmt_); }

int MysqlStatement::parameter_count() const { return static_cast<int>(params_.size()); }

MysqlStatement::Param& MysqlStatement::param(int index) {
  if (index < 1 || static_cast<std::size_t>(index) > params_.size()) {
    throw Error(Error::Kind::other,
                "mysql bind: parameter " + std::to_string(index) + " out of range (statement has " +
                    std::to_string(params_.size()) + ") in: " + sql_.substr(0, 200));
  }
  return params_[static_cast<std::size_t>(index) - 1];
}

void MysqlStatement::bind_null(int index) { param(index).type = Param::Type::null; }

void MysqlStatement::bind_int64(int index, std::int64_t value) {
  Param& p = param(index);
  p.type = Param::Type::int64;
  p.int_value = value;
}

void MysqlStatement::bind_double(int index, double value) {
  Param& p = param(index);
  p.type = Param::Type::real;
  p.real_value = value;
}

void MysqlStatement::bind_text(int index, std::string_view value) {
  Param& p = param(index);
  p.type = Param::Type::text;
  p.text.assign(value);
}

void MysqlStatement::fail(const char* what) {
  Error error = mysql_detail::make_error(mysql_stmt_errno(stmt_), mysql_stmt_error(stmt_),
                                         mysql_stmt_sqlstate(stmt_), what, sql_);
  // Never retried: a statement cut off by a lost connection may or may not have committed.
  if (error.kind() == Error::Kind::connection_lost) owner_.mark_broken();
  throw error;
}

void MysqlStatement::bind_result_columns() {
  std::vector<MYSQL_BIND> binds(columns_.size());
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    Column& c = columns_[i];
    MYSQL_BIND& b = binds[i];
    b.is_null = &c.is_null;
    b.length = &c.length;
    b.error = &c.error;
    switch (c.read) {
      case Read::integer:
        b.buffer_type = MYSQL_TYPE_LONGLONG;
        b.buffer = &c.int_value;
        b.is_unsigned = c.is_unsigned ? 1 : 0;
        break;
      case Read::real:
        b.buffer_type = MYSQL_TYPE_DOUBLE;
        b.buffer = &c.real_value;
        break;
      case Read::decimal:
      case Read::bytes:
        b.buffer_type = MYSQL_TYPE_STRING;
        b.buffer = c.buffer.data();
        b.buffer_length = c.buffer.size();
        break;
    }
  }
  // The binds are copied into the statement; the buffers they point to live in columns_.
  if (mysql_stmt_bind_result(stmt_, binds.data()) != 0) fail("bind result");
  results_bound_ = true;
}

void MysqlStatement::execute_now() {
  std::vector<MYSQL_BIND> binds(params_.size());
  for (std::size_t i = 0; i < params_.size(); ++i) {
    Param& p = params_[i];
    MYSQL_BIND& b = binds[i];
    switch (p.type) {
      case Param::Type::null:
        b.buffer_type = MYSQL_TYPE_NULL;
        break;
      case Param::Type::int64:
        b.buffer_type = MYSQL_TYPE_LONGLONG;
        b.buffer = &p.int_value;
        break;
      case Param::Type::real:
        b.buffer_type = MYSQL_TYPE_DOUBLE;
        b.buffer = &p.real_value;
        break;
      case Param::Type::text:
        b.buffer_type = MYSQL_TYPE_STRING;
        b.buffer = p.text.data();
        b.buffer_length = p.text.size();
        break;
    }
  }
  if (!binds.empty() && mysql_stmt_bind_param(stmt_, binds.data()) != 0) fail("bind");
  if (mysql_stmt_execute(stmt_) != 0) fail("execute");
  has_result_ = mysql_stmt_field_count(stmt_) > 0;
  if (has_result_) {
    if (columns_.size() != mysql_stmt_field_count(stmt_)) {
      throw Error(
          Error::Kind::other,
          "mysql execute: the result's columns changed since prepare in: " + sql_.substr(0, 200));
    }
    if (!results_bound_) bind_result_columns();
    if (mysql_stmt_store_result(stmt_) != 0) fail("store result");
    changes_ = 0;
  } else {
    const my_ulonglong affected = mysql_stmt_affected_rows(stmt_);
    changes_ = affected == static_cast<my_ulonglong>(-1) ? 0 : static_cast<std::int64_t>(affected);
  }
  owner_.note_execution(changes_, static_cast<std::int64_t>(mysql_stmt_insert_id(stmt_)));
}

bool MysqlStatement::step() {
  if (owner_.broken()) {
    // Connector/C has already detached its statements from the lost session: never touch them.
    throw Error(Error::Kind::connection_lost,
                "mysql execute: the connection was lost earlier, in: " + sql_.substr(0, 200));
  }
  if (!executed_) {
    executed_ = true;
    execute_now();
  }
  if (!has_result_) return false;
  const int rc = mysql_stmt_fetch(stmt_);
  if (rc == MYSQL_NO_DATA) return false;
  if (rc == 1) fail("fetch");
  read_row(rc == MYSQL_DATA_TRUNCATED);
  return true;
}

void MysqlStatement::read_row(bool truncated) {
  current_.clear();
  current_.reserve(columns_.size());
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    Column& c = columns_[i];
    if (c.is_null != 0) {
      current_.emplace_back(nullptr);
      continue;
    }
    if (c.read == Read::integer) {
      if (c.is_unsigned &&
          static_cast<std::uint64_t>(c.int_value) > static_cast<std::uint64_t>(INT64_MAX)) {
        current_.emplace_back(std::to_string(static_cast<std::uint64_t>(c.int_value)));
      } else {
        current_.emplace_back(c.int_value);
      }
      continue;
    }
    if (c.read == Read::real) {
      current_.emplace_back(c.real_value);
      continue;
    }
    std::string bytes;
    if (truncated && c.error != 0 && c.length > c.buffer.size()) {
      // Longer than the buffer: fetch this column again at its full length.
      bytes.resize(c.length);
      MYSQL_BIND b{};
      unsigned long length = 0;
      b.buffer_type = MYSQL_TYPE_STRING;
      b.buffer = bytes.data();
      b.buffer_length = bytes.size();
      b.length = &length;
      if (mysql_stmt_fetch_column(stmt_, &b, static_cast<unsigned int>(i), 0) != 0)
        fail("fetch column");
      bytes.resize(std::min<std::size_t>(length, bytes.size()));
    } else {
      bytes.assign(c.buffer.data(), std::min<std::size_t>(c.length, c.buffer.size()));
    }
    if (c.read == Read::decimal) {
      current_.push_back(decimal_value(bytes, c.decimals));
    } else {
      current_.emplace_back(std::move(bytes));
    }
  }
}

int MysqlStatement::column_count() const { return static_cast<int>(columns_.size()); }

std::string MysqlStatement::column_name(int column) const {
  if (column < 0 || static_cast<std::size_t>(column) >= columns_.size()) return std::string();
  return columns_[static_cast<std::size_t>(column)].name;
}

Value MysqlStatement::column(int column) const {
  if (column < 0 || static_cast<std::size_t>(column) >= current_.size()) {
    throw Error(Error::Kind::other, "mysql column: index " + std::to_string(column) +
                                        " out of range or no current row");
  }
  return current_[static_cast<std::size_t>(column)];
}

std::int64_t MysqlStatement::changes() const { return changes_; }

void MysqlStatement::rewind() noexcept {
  // The result is buffered on the client, so freeing it is local (no round trip).
  if (executed_ && has_result_) mysql_stmt_free_result(stmt_);
  executed_ = false;
  has_result_ = false;
  current_.clear();
}

void MysqlStatement::reset() noexcept {
  rewind();
  for (Param& p : params_) {
    p.type = Param::Type::null;
    if (p.text.capacity() > kInitialTextBuffer) {
      std::string().swap(p.text);  // a cached statement does not keep a large value alive
    } else {
      p.text.clear();
    }
  }
}

}  // namespace db
