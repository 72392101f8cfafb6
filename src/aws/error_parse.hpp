// aws: turns a failed service response into aws::Error with the service's own error code,
// from JSON bodies (SSM, Secrets Manager) or XML bodies (S3). Knows nothing of transport.
// Only the code and message are kept: S3 echoes the string to sign and the signature
// provided in SignatureDoesNotMatch bodies, and those never reach our messages.
#pragma once

#include "aws/error.hpp"
#include "aws/http_types.hpp"

namespace aws {

enum class ErrorFormat { json, xml };

// Code from "__type"/"code" (JSON, "prefix#Code" trimmed), <Error><Code> (XML), or the
// x-amzn-ErrorType header; else a name for the status ("NotFound" for 404, "HttpError" ...).
// retryable follows retry.hpp's rules.
Error parse_error_response(const HttpResponse& response, ErrorFormat format);

}  // namespace aws
