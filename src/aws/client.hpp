// aws: one service's signed, retried calls: picks credentials, signs each attempt afresh,
// sends with libcurl, backs off on throttling/5xx/network errors, parses service errors.
// Knows nothing of any particular service's operations (see ssm.hpp, s3.hpp, ...).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "aws/aws_time.hpp"
#include "aws/credentials.hpp"
#include "aws/endpoint.hpp"
#include "aws/env.hpp"
#include "aws/error_parse.hpp"
#include "aws/http_client.hpp"
#include "aws/http_types.hpp"
#include "aws/retry.hpp"

namespace aws {

struct ClientConfig {
  std::string region;
  std::shared_ptr<CredentialsProvider> credentials;
  std::optional<std::string> endpoint_url;  // a custom endpoint; nullopt: AWS's own
  HttpOptions http;
  RetryPolicy retry;
  std::function<Clock::time_point()> now = Clock::now;   // the signing clock
  std::function<void(std::chrono::milliseconds)> sleep;  // empty: std::this_thread::sleep_for
};

// Region (resolve_region, ConfigError when none), endpoint (AWS_ENDPOINT_URL[_<SERVICE>]),
// retries (AWS_MAX_ATTEMPTS), CA bundle (AWS_CA_BUNDLE) from `env`; credentials as given, else
// the default chain over `env`. Example:
//   auto creds = aws::default_credentials();
//   aws::SsmClient ssm(aws::client_config_from_env(aws::ssm_service(), aws::system_env(), creds));
ClientConfig client_config_from_env(const ServiceInfo& service, const Env& env = system_env(),
                                    std::shared_ptr<CredentialsProvider> credentials = nullptr);

class Client {
 public:
  Client(ServiceInfo service, ClientConfig config);

  // Signs and sends `request` (its url must start with endpoint()), retrying per the policy.
  // Returns the 2xx response; throws aws::Error with the service's code otherwise.
  HttpResponse send(const HttpRequest& request, ErrorFormat format) const;

  // Custom endpoint, or https://<prefix>.<region>.amazonaws.com; no trailing slash.
  std::string endpoint() const;
  bool has_custom_endpoint() const { return config_.endpoint_url.has_value(); }
  const ClientConfig& config() const { return config_; }
  const ServiceInfo& service() const { return service_; }

 private:
  HttpResponse attempt(const HttpRequest& request, ErrorFormat format) const;

  ServiceInfo service_;
  ClientConfig config_;
};

}  // namespace aws
