// aws: the ECS/EKS container credential source (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or
// _FULL_URI, with an authorization token or token file).
#include <arpa/inet.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "aws/credential_providers.hpp"
#include "aws/error.hpp"
#include "aws/strings.hpp"
#include "aws/uri.hpp"

namespace aws {
namespace {

// Hosts a full URI may name over plain http: loopback and the ECS/EKS agents.
bool allowed_http_host(const std::string& host) {
  in_addr v4{};
  const bool loopback_v4 =
      inet_pton(AF_INET, host.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
  return host == "localhost" || loopback_v4 || host == "[::1]" || host == "169.254.170.2" ||
         host == "169.254.170.23" || host == "[fd00:ec2::23]";
}

std::string read_token_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error("CredentialsError",
                cat({"cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ", path}));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return std::string(trim(buffer.str()));
}

class ContainerProvider : public CredentialsProvider {
 public:
  ContainerProvider(Env env, ContainerCredentialsOptions options)
      : env_(std::move(env)), options_(std::move(options)) {}

  std::optional<Credentials> load() override {
    HttpRequest request;
    if (const auto relative = env_("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
      request.url = cat({options_.relative_uri_host, *relative});
    } else if (const auto full = env_("AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
      const Url url = parse_url(*full);
      if (url.scheme != "https" &&
          !(url.scheme == "http" && allowed_http_host(to_lower(url.host)))) {
        throw Error("ConfigError",
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI must use https or a loopback/ECS/EKS host");
      }
      request.url = *full;
      std::optional<std::string> token;
      if (const auto file = env_("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
        token = read_token_file(*file);
      } else {
        token = env_("AWS_CONTAINER_AUTHORIZATION_TOKEN");
      }
      if (token) {
        if (token->find_first_of("\r\n") != std::string::npos) {
          throw Error("ConfigError", "container authorization token contains a line break");
        }
        request.headers.emplace_back("Authorization", *token);
      }
    } else {
      return std::nullopt;
    }
    request.headers.emplace_back("Accept", "application/json");
    return fetch(request);
  }

 private:
  Credentials fetch(const HttpRequest& request) const {
    for (int attempt = 1;; ++attempt) {
      try {
        const HttpResponse response = http_send(request, options_.http);
        if (response.status == 200) return parse_credentials_json(response.body, "container");
        const bool retryable = response.status >= 500;
        if (!retryable || attempt >= options_.attempts) {
          throw Error("CredentialsError",
                      cat({"container credentials endpoint answered HTTP ",
                           std::to_string(response.status)}),
                      retryable, response.status);
        }
      } catch (const Error& e) {
        if (!e.retryable() || attempt >= options_.attempts) {
          if (e.code() == "CredentialsError") throw;
          throw Error("CredentialsError", cat({"container credentials: ", e.message()}),
                      e.retryable());
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds{100} * attempt);
    }
  }

  Env env_;
  ContainerCredentialsOptions options_;
};

}  // namespace

std::shared_ptr<CredentialsProvider> container_credentials(Env env,
                                                           ContainerCredentialsOptions options) {
  return std::make_shared<ContainerProvider>(std::move(env), std::move(options));
}

}  // namespace aws
