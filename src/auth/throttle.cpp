#include "auth/throttle.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <iterator>

namespace auth {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string pair_key(std::string_view account, std::string_view address) {
  return lower(account) + '\n' + LoginThrottle::address_key(address);
}

}  // namespace

std::string LoginThrottle::address_key(std::string_view address) {
  const std::string text(address.substr(0, INET6_ADDRSTRLEN));
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return text;  // IPv4, or not an address
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    char v4[INET_ADDRSTRLEN];
    return inet_ntop(AF_INET, &v6.s6_addr[12], v4, sizeof v4) ? v4 : text;
  }
  std::fill(std::begin(v6.s6_addr) + 8, std::end(v6.s6_addr), 0);  // keep the /64
  char out[INET6_ADDRSTRLEN];
  return inet_ntop(AF_INET6, &v6, out, sizeof out) ? std::string(out) + "/64" : text;
}

LoginThrottle::LoginThrottle(std::function<Clock::time_point()> now) : now_(std::move(now)) {}

LoginThrottle::Clock::time_point LoginThrottle::now() const { return now_ ? now_() : Clock::now(); }

void LoginThrottle::prune(Failures& f, Clock::time_point now) {
  while (!f.times.empty() && f.times.front() + kWindow <= now) f.times.pop_front();
}

std::chrono::seconds LoginThrottle::delay_after(const Failures& f, int free,
                                                Clock::time_point now) {
  const auto count = static_cast<int>(f.times.size());
  if (count < free) return std::chrono::seconds(0);
  const int doublings = std::min(count - free, 10);
  const auto delay =
      std::min<std::chrono::seconds>(std::chrono::seconds(1LL << doublings), kMaxDelay);
  const auto ready = f.times.back() + delay;
  if (ready <= now) return std::chrono::seconds(0);
  return std::chrono::ceil<std::chrono::seconds>(ready - now);
}

std::chrono::seconds LoginThrottle::check(std::string_view account, std::string_view address) {
  std::lock_guard lock(mutex_);
  const auto t = now();
  const std::string key = pair_key(account, address);
  std::chrono::seconds wait(0);
  if (auto it = pairs_.find(key); it != pairs_.end()) {
    prune(it->second, t);
    wait = std::max(wait, delay_after(it->second, kFreeFailures, t));
  }
  if (auto it = addresses_.find(address_key(address)); it != addresses_.end()) {
    prune(it->second, t);
    wait = std::max(wait, delay_after(it->second, kAddressFreeFailures, t));
  }
  auto known = known_.find(key);
  const bool known_address = known != known_.end() && known->second + kKnownAddressLifetime > t;
  if (!known_address) {
    if (auto it = accounts_.find(lower(account)); it != accounts_.end()) {
      prune(it->second, t);
      if (it->second.times.size() >= kMaxAccountFailures)
        wait = std::max(
            wait, std::chrono::ceil<std::chrono::seconds>(it->second.times.front() + kWindow - t));
    }
  }
  return wait;
}

void LoginThrottle::record_failure(std::string_view account, std::string_view address) {
  std::lock_guard lock(mutex_);
  const auto t = now();
  for (auto* entry : {&pairs_[pair_key(account, address)], &addresses_[address_key(address)],
                      &accounts_[lower(account)]}) {
    prune(*entry, t);
    entry->times.push_back(t);
    if (entry->times.size() > kMaxAccountFailures) entry->times.pop_front();
  }
  bound_memory();
}

void LoginThrottle::record_success(std::string_view account, std::string_view address) {
  std::lock_guard lock(mutex_);
  const std::string key = pair_key(account, address);
  pairs_.erase(key);
  known_[key] = now();
  bound_memory();
}

void LoginThrottle::bound_memory() {
  // Under a flood of distinct names or addresses, forget entries with no failure left in the
  // window first, then the oldest, so memory stays bounded.
  const auto t = now();
  for (auto* table : {&pairs_, &addresses_, &accounts_}) {
    if (table->size() <= kMaxTrackedKeys) continue;
    for (auto it = table->begin(); it != table->end();) {
      prune(it->second, t);
      it = it->second.times.empty() ? table->erase(it) : std::next(it);
    }
    while (table->size() > kMaxTrackedKeys) table->erase(table->begin());
  }
  if (known_.size() > kMaxTrackedKeys) {
    for (auto it = known_.begin(); it != known_.end();)
      it = it->second + kKnownAddressLifetime <= t ? known_.erase(it) : std::next(it);
    while (known_.size() > kMaxTrackedKeys) known_.erase(known_.begin());
  }
}

}  // namespace auth
