// aws: SigV4 in query form (presigned URLs), as botocore's SigV4QueryAuth/S3SigV4QueryAuth.
// Knows nothing of HTTP transport or where credentials come from.
#pragma once

#include <chrono>
#include <string>

#include "aws/sigv4.hpp"

namespace aws {

struct PresignedUrl {
  std::string url;  // full URL with X-Amz-* parameters and X-Amz-Signature last
  SigningStages stages;
};

// Presigns `request` (method, url, query, headers; the body is ignored: S3 signs the payload as
// "UNSIGNED-PAYLOAD", other services as the hash of an empty body, as botocore does). The
// operation's query parameters come first in their order, then X-Amz-Algorithm, -Credential, -Date,
// -Expires, -SignedHeaders, [-Security-Token], -Signature. Example: presign_url({"GET",
// "https://b.s3.us-east-1.amazonaws.com/k"}, params, 3600s).
PresignedUrl presign_url(const HttpRequest& request, const SigningParams& params,
                         std::chrono::seconds expires);

}  // namespace aws
