#include "aws/client.hpp"

#include <random>
#include <thread>

#include "aws/credential_providers.hpp"
#include "aws/sigv4.hpp"
#include "aws/strings.hpp"

namespace aws {
namespace {

double jitter() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

}  // namespace

ClientConfig client_config_from_env(const ServiceInfo& service, const Env& env,
                                    std::shared_ptr<CredentialsProvider> credentials) {
  ClientConfig config;
  const auto region = resolve_region(env);
  if (!region) {
    throw Error("ConfigError", "no AWS region: set AWS_REGION (or AWS_DEFAULT_REGION)");
  }
  config.region = *region;
  config.credentials = credentials ? std::move(credentials) : default_credentials(env);
  config.endpoint_url = configured_endpoint(env, service.env_suffix);
  config.retry = retry_policy_from_env(env);
  config.http.ca_file = env("AWS_CA_BUNDLE").value_or("");
  return config;
}

Client::Client(ServiceInfo service, ClientConfig config)
    : service_(std::move(service)), config_(std::move(config)) {
  if (!config_.credentials) config_.credentials = default_credentials();
  if (config_.region.empty()) throw Error("ConfigError", "no AWS region configured");
}

std::string Client::endpoint() const {
  if (config_.endpoint_url) return *config_.endpoint_url;
  return default_endpoint(service_.endpoint_prefix, config_.region);
}

HttpResponse Client::attempt(const HttpRequest& request, ErrorFormat format) const {
  const auto creds = config_.credentials->load();
  if (!creds) {
    throw Error("NoCredentials",
                "no AWS credentials found (environment, shared files, container endpoint, IMDS)");
  }
  HttpRequest signed_request = request;
  sign_request(signed_request, {service_.signing_name, config_.region, *creds, config_.now(),
                                /*sign_payload=*/true});
  HttpResponse response = http_send(signed_request, config_.http);
  if (response.status >= 200 && response.status < 300) return response;
  throw parse_error_response(response, format);
}

HttpResponse Client::send(const HttpRequest& request, ErrorFormat format) const {
  const int max_attempts = std::max(1, config_.retry.max_attempts);
  for (int n = 1;; ++n) {
    try {
      return attempt(request, format);
    } catch (const Error& e) {
      if (!e.retryable() || n >= max_attempts) throw;
      const auto delay = backoff_delay(config_.retry, n, jitter());
      if (config_.sleep)
        config_.sleep(delay);
      else
        std::this_thread::sleep_for(delay);
    }
  }
}

}  // namespace aws
