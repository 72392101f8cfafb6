// auth: login throttling, which Django lacks. In memory, per process (each ECS task keeps its
// own counts: N tasks allow at most N times the limits below). Knows nothing of HTTP or users.
//
// The rules, for an attempt on `account` (the username, lower-cased) from `address`:
//  1. Per (account, address) pair: after kFreeFailures failures within the window, each further
//     attempt must wait a delay that doubles per failure, from 1 s up to kMaxDelay.
//  2. Per address (password spraying over many accounts): after kAddressFreeFailures failures in
//     the window, the same doubling delay for every account tried from that address.
//  3. Per account: at most kMaxAccountFailures failures per hour, from all addresses together;
//     beyond that the account refuses attempts until the oldest failure ages out.
//  No lock-out of the real user: rule 3 does not apply to an address that has logged in to that
//  account successfully before (remembered kKnownAddressLifetime), and rules 1-2 only slow the
//  address that fails. An attacker who shares the user's address (same NAT) and has never been
//  seen succeed can at worst impose rule 3's cap on the account, and only while he keeps failing.
//  A success clears the pair's failures.
//  Addresses count by address_key(): an IPv6 client holds a whole /64 (one host, 2^64 addresses),
//  so its /64 is one address here.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace auth {

class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr int kFreeFailures = 3;
  static constexpr int kAddressFreeFailures = 20;
  static constexpr std::size_t kMaxAccountFailures = 100;
  static constexpr std::chrono::seconds kWindow{3600};
  static constexpr std::chrono::seconds kMaxDelay{900};
  static constexpr std::chrono::hours kKnownAddressLifetime{24 * 30};
  static constexpr std::size_t kMaxTrackedKeys = 100000;  // memory bound under a flood

  // `now` is injectable for tests.
  explicit LoginThrottle(std::function<Clock::time_point()> now = {});

  // Zero when an attempt may proceed now; else how long the client must wait (Retry-After).
  std::chrono::seconds check(std::string_view account, std::string_view address);
  void record_failure(std::string_view account, std::string_view address);
  void record_success(std::string_view account, std::string_view address);

  // What an address counts as: an IPv4 address as it is (also when IPv4-mapped IPv6), an IPv6
  // address as its /64 ("2001:db8:1:2::/64"), anything else as its text (at most 46 bytes).
  static std::string address_key(std::string_view address);

 private:
  struct Failures {
    std::deque<Clock::time_point> times;  // within the window, oldest first
  };
  Clock::time_point now() const;
  static void prune(Failures& f, Clock::time_point now);
  static std::chrono::seconds delay_after(const Failures& f, int free, Clock::time_point now);
  void bound_memory();

  std::function<Clock::time_point()> now_;
  std::mutex mutex_;
  std::map<std::string, Failures, std::less<>> pairs_;  // account + '\n' + address
  std::map<std::string, Failures, std::less<>> addresses_;
  std::map<std::string, Failures, std::less<>> accounts_;
  std::map<std::string, Clock::time_point, std::less<>> known_;  // account + '\n' + address
};

}  // namespace auth
