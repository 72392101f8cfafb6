// templates: the values a template context holds, with Python's semantics for printing,
// truthiness and comparison (so output matches Django byte for byte). Knows nothing of parsing.
//
//   templates::Value v = templates::value_from_json(nlohmann::json::parse(R"({"n": [1, 2.5]})"));
//   v.find("n")->list().size();  // 2
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace templates {

class Value;

// A host object exposed to templates: `{{ obj.key }}` calls lookup("key").
class Object {
 public:
  virtual ~Object();
  // The attribute or item named key, or nullopt when it does not exist.
  virtual std::optional<Value> lookup(std::string_view key) const = 0;
  // What `{{ obj }}` prints (before escaping).
  virtual std::string str() const;
  // For objects a {% for a, b in ... %} may unpack (a named tuple): its items; else nullptr.
  virtual const std::vector<Value>* unpack() const { return nullptr; }
};

// A point in time, always UTC (Django renders with USE_TZ=True, TIME_ZONE='UTC').
struct DateTime {
  std::int64_t epoch_seconds = 0;
  std::int32_t microseconds = 0;
  friend bool operator==(const DateTime&, const DateTime&) = default;
};

// Insertion-ordered string-keyed map (Python dict).
class Map {
 public:
  using Entry = std::pair<std::string, Value>;
  Map() = default;
  const Value* find(std::string_view key) const;
  void set(std::string key, Value value);  // inserts, or replaces keeping the position
  std::size_t size() const;                // defined below Value, which Entry needs complete
  bool empty() const;
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  static constexpr std::size_t kIndexThreshold = 8;  // linear search below this size
  std::vector<Entry> entries_;
  std::unordered_map<std::string, std::size_t, Hash, std::equal_to<>> index_;
};

class Value {
 public:
  enum class Kind : std::uint8_t {
    kNull,
    kBool,
    kInt,
    kDouble,
    kString,
    kSafeString,
    kList,
    kMap,
    kObject,
    kDateTime
  };
  using List = std::vector<Value>;

  Value() = default;
  Value(std::nullptr_t) {}
  Value(bool b) : data_(b) {}
  template <typename T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool>) Value(T i)
      : data_(static_cast<std::int64_t>(i)) {}
  Value(double d) : data_(d) {}
  Value(std::string s) : data_(std::move(s)) {}
  Value(std::string_view s) : data_(std::string(s)) {}
  Value(const char* s) : data_(std::string(s)) {}
  Value(List list) : data_(std::make_shared<const List>(std::move(list))) {}
  Value(Map map) : data_(std::make_shared<const Map>(std::move(map))) {}
  Value(std::shared_ptr<const List> list) : data_(std::move(list)) {}
  Value(std::shared_ptr<const Map> map) : data_(std::move(map)) {}
  Value(std::shared_ptr<const Object> object) : data_(std::move(object)) {}
  Value(DateTime dt) : data_(dt) {}

  static Value safe(std::string s) {
    Value v(std::move(s));
    v.safe_ = true;
    return v;
  }

  Kind kind() const;
  bool is_null() const { return data_.index() == 0; }
  bool is_bool() const { return data_.index() == 1; }
  bool is_int() const { return data_.index() == 2; }
  bool is_double() const { return data_.index() == 3; }
  bool is_number() const { return is_bool() || is_int() || is_double(); }
  bool is_string() const { return data_.index() == 4; }
  bool is_safe() const { return safe_ && is_string(); }
  bool is_list() const { return data_.index() == 5; }
  bool is_map() const { return data_.index() == 6; }
  bool is_object() const { return data_.index() == 7; }
  bool is_datetime() const { return data_.index() == 8; }

  bool as_bool() const { return std::get<bool>(data_); }
  std::int64_t as_int() const { return std::get<std::int64_t>(data_); }
  double as_double() const { return std::get<double>(data_); }
  const std::string& str() const { return std::get<std::string>(data_); }
  const List& list() const { return *std::get<std::shared_ptr<const List>>(data_); }
  const Map& map() const { return *std::get<std::shared_ptr<const Map>>(data_); }
  const Object& object() const { return *std::get<std::shared_ptr<const Object>>(data_); }
  const DateTime& datetime() const { return std::get<DateTime>(data_); }

  // Python's bool(value).
  bool truthy() const;
  // Map member or list index, for callers outside the engine (nullptr when absent).
  const Value* find(std::string_view key) const;

 private:
  std::variant<std::monostate, bool, std::int64_t, double, std::string, std::shared_ptr<const List>,
               std::shared_ptr<const Map>, std::shared_ptr<const Object>, DateTime>
      data_;
  bool safe_ = false;
};

// Marks a string as safe HTML: it is never escaped on output.
Value mark_safe(std::string s);
// An object that prints as `text` ({{ x }}) and has `attributes` ({{ x.tags }}), as a Django
// message or model instance does in a template.
Value text_object(std::string text, Map attributes);

// JSON to Value. Objects become maps; {"$datetime": "2024-03-05T14:07:09Z"} becomes a UTC
// datetime; {"$safe": "<b>x</b>"} becomes a safe string. nlohmann::json sorts object keys; parse
// with nlohmann::ordered_json to keep the document's order (as Python's json module does).
Value value_from_json(const nlohmann::json& json);
Value value_from_json(const nlohmann::ordered_json& json);

// Python's str(value): "True", "None", "1.0", "['a', 1]". Datetimes print as str(datetime).
std::string to_python_str(const Value& value);
void append_python_str(const Value& value, std::string& out);
// Python's repr(value) (used for values inside lists and maps).
void append_python_repr(const Value& value, std::string& out);
// Python's repr(float): shortest round-trip digits, "1.0", "1e+16", "inf".
std::string python_float_repr(double d);

// Python's ==, and <, which is nullopt where Python raises TypeError.
bool python_equal(const Value& a, const Value& b);
std::optional<bool> python_less(const Value& a, const Value& b);
// Python's `needle in haystack`; nullopt where Python raises TypeError.
std::optional<bool> python_contains(const Value& haystack, const Value& needle);

inline std::size_t Map::size() const { return entries_.size(); }
inline bool Map::empty() const { return entries_.empty(); }

}  // namespace templates
