#include "aws/presign.hpp"

#include "aws/aws_time.hpp"
#include "aws/crypto.hpp"
#include "aws/strings.hpp"

namespace aws {

PresignedUrl presign_url(const HttpRequest& request, const SigningParams& params,
                         std::chrono::seconds expires) {
  const bool s3 = uses_s3_rules(params.service);
  const Credentials& creds = params.credentials;
  HttpRequest signed_request = request;
  signed_request.body.clear();
  if (find_header(signed_request.headers, "content-type") ==
      "application/x-www-form-urlencoded; charset=utf-8") {
    remove_header(signed_request.headers, "content-type");
  }
  const std::string scope = credential_scope(params.time, params.region, params.service);
  QueryParams& query = signed_request.query;
  query.emplace_back("X-Amz-Algorithm", std::string(kSigV4Algorithm));
  query.emplace_back("X-Amz-Credential", cat({creds.access_key_id, "/", scope}));
  query.emplace_back("X-Amz-Date", format_amz_date(params.time));
  query.emplace_back("X-Amz-Expires", std::to_string(expires.count()));
  query.emplace_back("X-Amz-SignedHeaders", signed_headers(headers_to_sign(signed_request)));
  if (!creds.session_token.empty()) query.emplace_back("X-Amz-Security-Token", creds.session_token);

  PresignedUrl out;
  // S3 presigns with "UNSIGNED-PAYLOAD"; other services (rds-db) hash the empty body.
  const std::string payload_hash = s3 ? std::string(kUnsignedPayload) : sha256_hex("");
  out.stages.canonical_request = canonical_request(signed_request, payload_hash, s3);
  out.stages.string_to_sign = string_to_sign(params.time, scope, out.stages.canonical_request);
  out.stages.signature =
      signature(signing_key(creds.secret_access_key, format_date_stamp(params.time), params.region,
                            params.service),
                out.stages.string_to_sign);
  out.url = cat({full_url(signed_request), "&X-Amz-Signature=", out.stages.signature});
  return out;
}

}  // namespace aws
