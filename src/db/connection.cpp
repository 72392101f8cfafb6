#include "db/connection.hpp"

namespace db {

Statement Connection::prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    if (it->second.in_use) return Statement(nullptr, nullptr, prepare_uncached(sql));
    it->second.in_use = true;
    return Statement(it->second.impl.get(), &it->second.in_use, nullptr);
  }
  std::unique_ptr<StatementImpl> impl = prepare_uncached(sql);
  if (cache_.size() >= kMaxCachedStatements) evict_idle_statements();
  if (cache_.size() >= kMaxCachedStatements) return Statement(nullptr, nullptr, std::move(impl));
  auto [pos, inserted] = cache_.emplace(std::string(sql), Cached{std::move(impl), true});
  (void)inserted;
  // unordered_map nodes are stable, so the flag's address survives later inserts; only idle
  // entries (in_use == false) are ever erased.
  return Statement(pos->second.impl.get(), &pos->second.in_use, nullptr);
}

void Connection::evict_idle_statements() noexcept {
  for (auto it = cache_.begin(); it != cache_.end();) {
    if (it->second.in_use) {
      ++it;
    } else {
      it = cache_.erase(it);
    }
  }
}

}  // namespace db
