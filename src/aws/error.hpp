// aws: the one exception type of the AWS client, carrying the service's own error code.
// Knows nothing of HTTP or services; messages never carry secrets, tokens or signatures.
#pragma once

#include <stdexcept>
#include <string>

namespace aws {

// Thrown by every aws:: call that fails. `code` is the service's code when it sent one
// ("ParameterNotFound", "NoSuchKey", "SignatureDoesNotMatch"), else one of ours
// ("NetworkError", "Timeout", "CredentialsError", "InvalidResponse", "ConfigError").
// Example:
//   try { ssm.get_parameter("x"); }
//   catch (const aws::Error& e) { if (e.code() == "ParameterNotFound") ... }
class Error : public std::runtime_error {
 public:
  Error(std::string code, std::string message, bool retryable = false, int http_status = 0);

  const std::string& code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }
  bool retryable() const noexcept { return retryable_; }
  int http_status() const noexcept { return http_status_; }  // 0 when no response came

 private:
  std::string code_;
  std::string message_;
  bool retryable_;
  int http_status_;
};

}  // namespace aws
