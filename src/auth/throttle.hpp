// auth: login throttling, which Django lacks. Kept in the database (mysite_login_failure,
// mysite_login_known_address; auth's migration 0003), so every ECS task enforces one limit and a
// restarted task forgets nothing. Knows nothing of HTTP or users.
//
// The rules, for an attempt on `account` (the username, lower-cased) from `address`:
//  1. Per (account, address) pair: after kFreeFailures failures within the window, each further
//     attempt must wait a delay that doubles per failure, from 1 s up to kMaxDelay.
//  2. Per address (password spraying over many accounts): after kAddressFreeFailures failures in
//     the window, the same doubling delay for every account tried from that address.
//  3. Per account: at most kMaxAccountFailures failures per hour, from all addresses together;
//     beyond that the account refuses attempts until enough failures age out.
//  No lock-out of the real user: rule 3 does not apply to an address that has logged in to that
//  account successfully before (remembered kKnownAddressLifetime), and rules 1-2 only slow the
//  address that fails. An attacker who shares the user's address (same NAT) and has never been
//  seen succeed can at worst impose rule 3's cap on the account, and only while he keeps failing.
//  A success clears the pair's failures.
//  Addresses count by address_key(): an IPv6 client holds a whole /64 (one host, 2^64 addresses),
//  so its /64 is one address here. Accounts are stored as the SHA-256 of the lower-cased name:
//  fixed length, any bytes an attacker sends, and no list of tried names in the table.
//
// Cost: check() is one query (two when an account is at its cap); a failure inserts one row; a
// success deletes the pair's rows and records the address. Rows older than the window are
// deleted at most once a minute per process, after a failure.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "db/connection.hpp"

namespace auth {

class LoginThrottle {
 public:
  // Wall-clock time: the limits are shared by processes on different machines.
  using Clock = std::chrono::system_clock;
  static constexpr int kFreeFailures = 3;
  static constexpr int kAddressFreeFailures = 20;
  static constexpr std::int64_t kMaxAccountFailures = 100;
  static constexpr std::chrono::seconds kWindow{3600};
  static constexpr std::chrono::seconds kMaxDelay{900};
  static constexpr std::chrono::hours kKnownAddressLifetime{24 * 30};

  // `now` is injectable for tests.
  explicit LoginThrottle(std::function<Clock::time_point()> now = {});

  // Zero when an attempt may proceed now; else how long the client must wait (Retry-After).
  std::chrono::seconds check(db::Connection& conn, std::string_view account,
                             std::string_view address);
  void record_failure(db::Connection& conn, std::string_view account, std::string_view address);
  void record_success(db::Connection& conn, std::string_view account, std::string_view address);

  // What an address counts as: an IPv4 address as it is (also when IPv4-mapped IPv6), an IPv6
  // address as its /64 ("2001:db8:1:2::/64"), anything else as its text (at most 46 bytes; as
  // "sha256:<hex>" when that text is not printable ASCII).
  static std::string address_key(std::string_view address);
  // The account as stored: the SHA-256 (hex) of the name, ASCII letters lower-cased.
  static std::string account_key(std::string_view account);

 private:
  std::int64_t now_ms() const;
  void prune(db::Connection& conn, std::int64_t now);

  std::function<Clock::time_point()> now_;
  std::atomic<std::int64_t> next_prune_ms_{0};
};

}  // namespace auth
