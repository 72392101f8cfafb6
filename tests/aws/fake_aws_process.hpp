// tests/aws: starts tests/tools/fake_aws.py on a free loopback port for one test and stops it.
// Knows nothing of which service a test exercises.
#pragma once

#include <sys/types.h>

#include <nlohmann/json.hpp>
#include <string>

#include "aws/client.hpp"
#include "aws/credentials.hpp"

namespace aws_test {

// The credentials the fake accepts (tests/tools/fake_aws.py verifies signatures with them).
aws::Credentials test_credentials();            // long-term key
aws::Credentials test_session_credentials();    // with a session token
aws::Credentials container_role_credentials();  // what /ecs/* and IMDS hand out
inline constexpr const char* kContainerToken = "container-auth-token-XYZ";
inline constexpr const char* kRegion = "us-east-1";

class FakeAws {
 public:
  // Starts the fake with the default test config merged with `extra` (top-level keys replace).
  explicit FakeAws(const nlohmann::json& extra = nlohmann::json::object());
  ~FakeAws();
  FakeAws(const FakeAws&) = delete;
  FakeAws& operator=(const FakeAws&) = delete;

  const std::string& url() const { return url_; }  // http://127.0.0.1:PORT

  // Next `count` requests to `service` ("s3", "ssm", "secretsmanager", "" for any) fail.
  void fail_next(int count, int status, const std::string& code, const std::string& service = "");
  nlohmann::json stats() const;
  int count(const std::string& name) const;  // a stats entry, 0 when absent
  void reset() const;
  // Merges a config fragment into the running fake (POST /__control/put).
  void put(const nlohmann::json& fragment) const;
  // GET /__control/<name>, parsed: "cloudformation-responses", "objects?bucket=B", ...
  nlohmann::json control(const std::string& name) const;

  // A client config pointed at the fake, with fast retries and the given credentials.
  aws::ClientConfig client_config(const aws::Credentials& credentials) const;

 private:
  std::string url_;
  std::string config_path_;
  pid_t pid_ = -1;
};

}  // namespace aws_test
