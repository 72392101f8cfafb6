// aws: the hashing and encoding primitives SigV4 and S3 need (OpenSSL EVP underneath).
// Knows nothing of requests or credentials.
#pragma once

#include <string>
#include <string_view>

namespace aws {

// SHA-256 of `data`, as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

// HMAC-SHA256 of `data` under `key`, as 32 raw bytes.
std::string hmac_sha256(std::string_view key, std::string_view data);

// Lowercase hex of raw bytes.
std::string hex_encode(std::string_view bytes);

// Standard base64 with padding, and its inverse (throws aws::Error on bad input).
std::string base64_encode(std::string_view bytes);
std::string base64_decode(std::string_view text);

// base64(MD5(data)): S3's Content-MD5 header.
std::string md5_base64(std::string_view data);

}  // namespace aws
