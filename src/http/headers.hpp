// http: an ordered list of header fields with case-insensitive lookup.
// Plain data shared by requests and responses; knows nothing of sockets or Beast.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace http {

// True when a and b are equal ignoring ASCII case (header names, tokens).
bool iequals(std::string_view a, std::string_view b) noexcept;

struct Header {
  std::string name;
  std::string value;
};

// Header fields in arrival order. Lookups are linear: requests carry few fields,
// and a vector beats a map at that size.
class Headers {
 public:
  // First value of `name`, or nullopt.
  std::optional<std::string_view> get(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }
  // Replaces every field called `name` with one field.
  void set(std::string_view name, std::string value);
  // Appends a field, keeping existing ones (Set-Cookie, Vary).
  void add(std::string name, std::string value);
  void remove(std::string_view name);

  auto begin() const { return fields_.begin(); }
  auto end() const { return fields_.end(); }
  std::size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<Header> fields_;
};

}  // namespace http
