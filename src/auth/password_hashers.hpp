// auth: password hashes in Django's formats, so users move between Django and this site.
//   pbkdf2_sha256$<iterations>$<salt>$<base64 hash>        (new hashes: 1,000,000 iterations)
//   pbkdf2_sha1$<iterations>$<salt>$<base64 hash>          (verify only)
//   argon2$argon2id$v=19$m=102400,t=2,p=8$<b64 salt>$<b64 hash>   (argon2i/d and v=16 verify)
// Knows nothing of users, HTTP or the database.
//
//   std::string encoded = auth::make_password("s3cret pass");
//   auto checked = auth::check_password("s3cret pass", encoded);
//   if (checked.ok && checked.must_update) store(auth::make_password("s3cret pass"));
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace auth {

// Django's UNUSABLE_PASSWORD_PREFIX: an encoded password starting with it never verifies.
inline constexpr std::string_view kUnusablePasswordPrefix = "!";

// What make_password produces and what check_password upgrades to (Django 5.2's defaults).
struct HasherPolicy {
  enum class Algorithm { kPbkdf2Sha256, kArgon2id };
  Algorithm algorithm = Algorithm::kPbkdf2Sha256;
  std::uint32_t pbkdf2_iterations = 1'000'000;
  std::uint32_t argon2_time_cost = 2;
  std::uint32_t argon2_memory_cost = 102400;  // KiB
  std::uint32_t argon2_parallelism = 8;
};

struct PasswordCheck {
  bool ok = false;           // the password matches
  bool must_update = false;  // matches, but the hash is not what `policy` would make now
};

// A new hash of `password` with a fresh 22-character salt (>= 128 bits, as Django).
std::string make_password(std::string_view password, const HasherPolicy& policy = {});
// With a given salt (tests, oracles). Throws std::invalid_argument on a salt containing '$'.
std::string make_password_with_salt(std::string_view password, std::string_view salt,
                                    const HasherPolicy& policy = {});

// Verifies `password` against `encoded` in constant time. A malformed, unusable or unknown
// hash is simply not ok (never throws for bad input).
PasswordCheck check_password(std::string_view password, std::string_view encoded,
                             const HasherPolicy& policy = {});

// Whether `encoded` differs from what `policy` makes (algorithm, cost, salt entropy).
bool must_update(std::string_view encoded, const HasherPolicy& policy = {});

// "!" + 40 random characters, as Django's set_unusable_password().
std::string make_unusable_password();
bool is_password_usable(std::string_view encoded);

// Spends what checking a real hash would cost, for an unknown user or one whose password is
// unusable (timing must not tell whether a username exists or can log in; Django's
// CVE-2024-39329).
void run_dummy_check(std::string_view password, const HasherPolicy& policy = {});

// How many password hashes (PBKDF2 or Argon2) this process has computed: every login attempt
// that reaches the hasher costs exactly one, whatever the account.
std::uint64_t hashes_computed();

}  // namespace auth
