// auth: cryptographic randomness (OpenSSL RAND_bytes) for salts, session keys and CSRF secrets.
// Knows nothing of HTTP or the database.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace auth {

// Django's RANDOM_STRING_CHARS: a-z, A-Z, 0-9.
inline constexpr std::string_view kRandomStringChars =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

// `length` characters drawn uniformly from `alphabet` (rejection sampling, no modulo bias).
// Throws std::runtime_error if the system's random generator fails.
std::string random_string(std::size_t length, std::string_view alphabet = kRandomStringChars);

// `count` random bytes as lower-case hex (2*count characters).
std::string random_hex(std::size_t count);

// SHA-256 of `data`, lower-case hex.
std::string sha256_hex(std::string_view data);

// HMAC-SHA256(key, data), lower-case hex.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// Compares in time independent of where a and b differ (CRYPTO_memcmp); lengths may leak.
bool constant_time_equals(std::string_view a, std::string_view b) noexcept;

}  // namespace auth
