#include "templates/fragment_cache.hpp"

namespace templates::detail {

std::optional<std::string> FragmentCache::get(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  if (it->second.expires && *it->second.expires <= Clock::now()) {
    erase(it);
    return std::nullopt;
  }
  return it->second.value;
}

void FragmentCache::set(const std::string& key, std::string value,
                        std::optional<std::int64_t> seconds) {
  std::lock_guard lock(mutex_);
  if (auto it = entries_.find(key); it != entries_.end()) erase(it);
  if (seconds && *seconds <= 0) return;
  const std::size_t size = key.size() + value.size();
  if (size > max_bytes_) return;
  while (bytes_ + size > max_bytes_ && !order_.empty()) erase(entries_.find(order_.front()));
  order_.push_back(key);
  Entry entry{std::move(value), std::nullopt, std::prev(order_.end())};
  if (seconds) entry.expires = Clock::now() + std::chrono::seconds(*seconds);
  entries_.emplace(key, std::move(entry));
  bytes_ += size;
}

void FragmentCache::erase(std::unordered_map<std::string, Entry>::iterator it) {
  bytes_ -= it->first.size() + it->second.value.size();
  order_.erase(it->second.age);
  entries_.erase(it);
}

}  // namespace templates::detail
