#include "aws/sigv4.hpp"

#include <algorithm>
#include <array>

#include "aws/aws_time.hpp"
#include "aws/crypto.hpp"
#include "aws/strings.hpp"
#include "aws/uri.hpp"

namespace aws {
namespace {

constexpr std::array<std::string_view, 3> kUnsignedHeaderNames = {"expect", "user-agent",
                                                                  "x-amzn-trace-id"};

std::string lower(std::string_view text) { return to_lower(text); }

// Python's str.split() whitespace, restricted to ASCII.
bool is_space(unsigned char c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

std::string trim_all(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (unsigned char c : value) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(static_cast<char>(c));
  }
  return out;
}

std::vector<std::string> sorted_names(const Headers& headers) {
  std::vector<std::string> names;
  for (const auto& [name, value] : headers) names.push_back(lower(name));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace

bool uses_s3_rules(std::string_view service) { return service == "s3"; }

std::string canonical_uri(std::string_view encoded_path, bool s3_rules) {
  if (s3_rules) return encoded_path.empty() ? "/" : std::string(encoded_path);
  return uri_encode(normalize_path(encoded_path), /*keep_slash=*/true);
}

std::string canonical_query_string(const QueryParams& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) encoded.emplace_back(uri_encode(name), uri_encode(value));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out.push_back('&');
    out += cat({name, "=", value});
  }
  return out;
}

Headers headers_to_sign(const HttpRequest& request) {
  Headers out;
  bool has_host = false;
  for (const auto& [name, value] : request.headers) {
    std::string lname = lower(name);
    if (std::find(kUnsignedHeaderNames.begin(), kUnsignedHeaderNames.end(), lname) !=
        kUnsignedHeaderNames.end()) {
      continue;
    }
    has_host = has_host || lname == "host";
    out.emplace_back(std::move(lname), value);
  }
  if (!has_host) out.emplace_back("host", host_header(parse_url(request.url)));
  return out;
}

std::string canonical_headers(const Headers& to_sign) {
  std::string out;
  for (const std::string& name : sorted_names(to_sign)) {
    std::string joined;
    bool first = true;
    for (const auto& [n, v] : to_sign) {
      if (lower(n) != name) continue;
      if (!first) joined.push_back(',');
      joined += trim_all(v);
      first = false;
    }
    out += cat({name, ":", joined, "\n"});
  }
  return out;
}

std::string signed_headers(const Headers& to_sign) {
  std::string out;
  for (const std::string& name : sorted_names(to_sign)) {
    if (!out.empty()) out.push_back(';');
    out += name;
  }
  return out;
}

std::string canonical_request(const HttpRequest& request, std::string_view payload_hash,
                              bool s3_rules) {
  const Headers to_sign = headers_to_sign(request);
  return cat({to_upper(request.method), "\n", canonical_uri(parse_url(request.url).path, s3_rules),
              "\n", canonical_query_string(request.query), "\n", canonical_headers(to_sign), "\n",
              signed_headers(to_sign), "\n", payload_hash});
}

std::string credential_scope(std::chrono::system_clock::time_point time, std::string_view region,
                             std::string_view service) {
  return cat({format_date_stamp(time), "/", region, "/", service, "/aws4_request"});
}

std::string string_to_sign(std::chrono::system_clock::time_point time, std::string_view scope,
                           std::string_view canonical_request) {
  return cat({kSigV4Algorithm, "\n", format_amz_date(time), "\n", scope, "\n",
              sha256_hex(canonical_request)});
}

std::string signing_key(std::string_view secret_access_key, std::string_view date_stamp,
                        std::string_view region, std::string_view service) {
  const std::string k_date = hmac_sha256(cat({"AWS4", secret_access_key}), date_stamp);
  const std::string k_region = hmac_sha256(k_date, region);
  const std::string k_service = hmac_sha256(k_region, service);
  return hmac_sha256(k_service, "aws4_request");
}

std::string signature(std::string_view key, std::string_view to_sign) {
  return hex_encode(hmac_sha256(key, to_sign));
}

SigningStages sign_request(HttpRequest& request, const SigningParams& params) {
  const bool s3 = uses_s3_rules(params.service);
  const Credentials& creds = params.credentials;
  remove_header(request.headers, "Authorization");
  remove_header(request.headers, "X-Amz-Date");
  request.headers.emplace_back("X-Amz-Date", format_amz_date(params.time));
  if (!creds.session_token.empty()) {
    remove_header(request.headers, "X-Amz-Security-Token");
    request.headers.emplace_back("X-Amz-Security-Token", creds.session_token);
  }
  const std::string payload_hash =
      params.sign_payload ? sha256_hex(request.body) : std::string(kUnsignedPayload);
  if (s3 || !params.sign_payload) {
    remove_header(request.headers, "X-Amz-Content-SHA256");
    request.headers.emplace_back("X-Amz-Content-SHA256", payload_hash);
  }
  // As botocore: an X-Amz-Content-SHA256 header, when present, is the payload hash.
  const std::string signed_hash =
      find_header(request.headers, "X-Amz-Content-SHA256").value_or(payload_hash);
  SigningStages stages;
  stages.canonical_request = canonical_request(request, signed_hash, s3);
  const std::string scope = credential_scope(params.time, params.region, params.service);
  stages.string_to_sign = string_to_sign(params.time, scope, stages.canonical_request);
  stages.signature = signature(signing_key(creds.secret_access_key, format_date_stamp(params.time),
                                           params.region, params.service),
                               stages.string_to_sign);
  request.headers.emplace_back(
      "Authorization", cat({kSigV4Algorithm, " Credential=", creds.access_key_id, "/", scope,
                            ", SignedHeaders=", signed_headers(headers_to_sign(request)),
                            ", Signature=", stages.signature}));
  return stages;
}

}  // namespace aws
