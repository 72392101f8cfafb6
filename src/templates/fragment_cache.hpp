// templates (internal): the process-memory cache behind {% cache %}: rendered fragments by key,
// each with an optional lifetime, the whole bounded in bytes (the oldest entries go first), as
// Django's local-memory cache backend keeps them. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace templates::detail {

class FragmentCache {
 public:
  using Clock = std::chrono::steady_clock;
  explicit FragmentCache(std::size_t max_bytes = std::size_t{16} << 20) : max_bytes_(max_bytes) {}

  std::optional<std::string> get(const std::string& key);
  // `seconds`: nullopt keeps it until evicted; 0 or less stores nothing (already expired).
  void set(const std::string& key, std::string value, std::optional<std::int64_t> seconds);

 private:
  struct Entry {
    std::string value;
    std::optional<Clock::time_point> expires;
    std::list<std::string>::iterator age;
  };
  void erase(std::unordered_map<std::string, Entry>::iterator it);

  std::mutex mutex_;
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> order_;  // oldest first
};

}  // namespace templates::detail
