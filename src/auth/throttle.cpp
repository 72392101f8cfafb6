#include "auth/throttle.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <iterator>

#include "auth/random.hpp"
#include "base/ascii.hpp"
#include "db/error.hpp"

namespace auth {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr std::int64_t kPruneEveryMs = 60'000;

std::int64_t ms(std::chrono::milliseconds d) { return d.count(); }

// The doubling delay after `count` failures of which `free` cost nothing, the last at `last_ms`.
seconds delay_after(std::int64_t count, int free, std::int64_t last_ms, std::int64_t now) {
  if (count < free) return seconds(0);
  const auto doublings = std::min<std::int64_t>(count - free, 10);
  const seconds delay = std::min<seconds>(seconds(1LL << doublings), LoginThrottle::kMaxDelay);
  const std::int64_t ready = last_ms + ms(delay);
  if (ready <= now) return seconds(0);
  return std::chrono::ceil<seconds>(milliseconds(ready - now));
}

}  // namespace

std::string LoginThrottle::address_key(std::string_view address) {
  const std::string text(address.substr(0, INET6_ADDRSTRLEN));
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) {  // IPv4, or not an address
    const bool printable =
        std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
    return printable ? text : "sha256:" + sha256_hex(address);
  }
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    char v4[INET_ADDRSTRLEN];
    return inet_ntop(AF_INET, &v6.s6_addr[12], v4, sizeof v4) ? v4 : text;
  }
  std::fill(std::begin(v6.s6_addr) + 8, std::end(v6.s6_addr), 0);  // keep the /64
  char out[INET6_ADDRSTRLEN];
  return inet_ntop(AF_INET6, &v6, out, sizeof out) ? std::string(out) + "/64" : text;
}

std::string LoginThrottle::account_key(std::string_view account) {
  return sha256_hex(base::to_lower(account));
}

LoginThrottle::LoginThrottle(std::function<Clock::time_point()> now) : now_(std::move(now)) {}

std::int64_t LoginThrottle::now_ms() const {
  const auto t = now_ ? now_() : Clock::now();
  return std::chrono::duration_cast<milliseconds>(t.time_since_epoch()).count();
}

seconds LoginThrottle::check(db::Connection& conn, std::string_view account,
                             std::string_view address) {
  const std::int64_t now = now_ms();
  const std::int64_t since = now - ms(kWindow);
  const std::string acct = account_key(account);
  const std::string addr = address_key(address);
  const db::Row row = conn.query_row(
      "SELECT"
      " (SELECT COUNT(*) FROM mysite_login_failure WHERE account = ? AND address = ? AND at > ?),"
      " (SELECT COALESCE(MAX(at), 0) FROM mysite_login_failure"
      "   WHERE account = ? AND address = ? AND at > ?),"
      " (SELECT COUNT(*) FROM mysite_login_failure WHERE address = ? AND at > ?),"
      " (SELECT COALESCE(MAX(at), 0) FROM mysite_login_failure WHERE address = ? AND at > ?),"
      " (SELECT COUNT(*) FROM mysite_login_failure WHERE account = ? AND at > ?),"
      " (SELECT COUNT(*) FROM mysite_login_known_address"
      "   WHERE account = ? AND address = ? AND last_success > ?)",
      acct, addr, since, acct, addr, since, addr, since, addr, since, acct, since, acct, addr,
      now - ms(kKnownAddressLifetime));
  seconds wait = std::max(
      delay_after(row.get<std::int64_t>(0), kFreeFailures, row.get<std::int64_t>(1), now),
      delay_after(row.get<std::int64_t>(2), kAddressFreeFailures, row.get<std::int64_t>(3), now));
  const bool known_address = row.get<std::int64_t>(5) > 0;
  if (!known_address && row.get<std::int64_t>(4) >= kMaxAccountFailures) {
    // Refused until fewer than the cap remain in the window: when the cap-th newest ages out.
    const db::Row cap = conn.query_row(
        "SELECT at FROM mysite_login_failure WHERE account = ? AND at > ? ORDER BY at DESC "
        "LIMIT 1 OFFSET " +
            std::to_string(kMaxAccountFailures - 1),
        acct, since);
    const std::int64_t free_at = cap.get<std::int64_t>(0) + ms(kWindow);
    if (free_at > now)
      wait = std::max(wait, std::chrono::ceil<seconds>(milliseconds(free_at - now)));
  }
  return wait;
}

void LoginThrottle::record_failure(db::Connection& conn, std::string_view account,
                                   std::string_view address) {
  const std::int64_t now = now_ms();
  conn.execute("INSERT INTO mysite_login_failure (account, address, at) VALUES (?, ?, ?)",
               account_key(account), address_key(address), now);
  prune(conn, now);
}

void LoginThrottle::record_success(db::Connection& conn, std::string_view account,
                                   std::string_view address) {
  const std::int64_t now = now_ms();
  const std::string acct = account_key(account);
  const std::string addr = address_key(address);
  conn.execute("DELETE FROM mysite_login_failure WHERE account = ? AND address = ?", acct, addr);
  if (conn.execute("UPDATE mysite_login_known_address SET last_success = ? "
                   "WHERE account = ? AND address = ?",
                   now, acct, addr) > 0)
    return;
  try {
    conn.execute(
        "INSERT INTO mysite_login_known_address (account, address, last_success) VALUES (?, ?, ?)",
        acct, addr, now);
  } catch (const db::Error& e) {
    // Another task recorded the same success in between: the address is known either way.
    if (e.kind() != db::Error::Kind::constraint_violation) throw;
  }
}

void LoginThrottle::prune(db::Connection& conn, std::int64_t now) {
  std::int64_t due = next_prune_ms_.load();
  if (now < due || !next_prune_ms_.compare_exchange_strong(due, now + kPruneEveryMs)) return;
  conn.execute("DELETE FROM mysite_login_failure WHERE at <= ?", now - ms(kWindow));
  conn.execute("DELETE FROM mysite_login_known_address WHERE last_success <= ?",
               now - ms(kKnownAddressLifetime));
}

}  // namespace auth
