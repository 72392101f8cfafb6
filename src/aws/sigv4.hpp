// aws: Signature Version 4, header form, one public function per stage so tests can check each
// against botocore. Knows nothing of HTTP transport, retries or where credentials come from.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "aws/credentials.hpp"
#include "aws/http_types.hpp"

namespace aws {

inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kSigV4Algorithm = "AWS4-HMAC-SHA256";

struct SigningParams {
  std::string service;  // signing name: "s3", "ssm", "secretsmanager", "rds-db"
  std::string region;
  Credentials credentials;
  std::chrono::system_clock::time_point time;
  bool sign_payload = true;  // false: the payload hash is "UNSIGNED-PAYLOAD"
};

// The intermediate stages of one signature, returned for tests and debugging (never log them
// in production: the string to sign is harmless, but keep signatures out of logs).
struct SigningStages {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;
};

// S3's rules (path neither normalised nor encoded again, x-amz-content-sha256 always sent)
// apply to the "s3" signing name; every other service gets the general rules.
bool uses_s3_rules(std::string_view service);

// Stage 1 pieces.
// Canonical URI from the wire path: S3 keeps it as is; others remove dot segments and
// empty segments and percent-encode it again ("double encoding").
std::string canonical_uri(std::string_view encoded_path, bool s3_rules);
// Pairs encoded, sorted by name then value, joined with '&'.
std::string canonical_query_string(const QueryParams& query);
// The headers that are signed: names lowercased, minus expect/user-agent/x-amzn-trace-id,
// plus host (from the URL) when absent.
Headers headers_to_sign(const HttpRequest& request);
// "name:value\n" per name, sorted; values trimmed, inner whitespace runs collapsed, repeats
// joined with ','.
std::string canonical_headers(const Headers& headers_to_sign);
std::string signed_headers(const Headers& headers_to_sign);
std::string canonical_request(const HttpRequest& request, std::string_view payload_hash,
                              bool s3_rules);

// Stage 2.
std::string credential_scope(std::chrono::system_clock::time_point time, std::string_view region,
                             std::string_view service);
std::string string_to_sign(std::chrono::system_clock::time_point time, std::string_view scope,
                           std::string_view canonical_request);

// Stage 3.
std::string signing_key(std::string_view secret_access_key, std::string_view date_stamp,
                        std::string_view region, std::string_view service);            // raw bytes
std::string signature(std::string_view signing_key, std::string_view string_to_sign);  // hex

// Signs `request` in place as botocore does: removes any Authorization, sets X-Amz-Date,
// X-Amz-Security-Token (with a session token) and X-Amz-Content-SHA256 (S3, or when the
// payload is unsigned), then adds Authorization. Example:
//   aws::HttpRequest r{"POST", "https://ssm.eu-west-1.amazonaws.com/", {}, headers, body};
//   aws::sign_request(r, {"ssm", "eu-west-1", creds, aws::Clock::now()});
SigningStages sign_request(HttpRequest& request, const SigningParams& params);

}  // namespace aws
