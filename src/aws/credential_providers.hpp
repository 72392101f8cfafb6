// aws: the credential sources of the SDKs' default chain and the chain itself:
// environment, shared files (AWS_PROFILE), ECS container endpoint, EC2 IMDSv2.
// Knows nothing of signing or services; never puts a secret or token in an error message.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials.hpp"
#include "aws/credentials_cache.hpp"
#include "aws/env.hpp"
#include "aws/http_client.hpp"

namespace aws {

// AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN).
std::shared_ptr<CredentialsProvider> environment_credentials(Env env);

// aws_access_key_id/aws_secret_access_key/aws_session_token of profile AWS_PROFILE (else
// "default") in AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials), then in AWS_CONFIG_FILE
// (~/.aws/config). Throws ConfigError when AWS_PROFILE names a profile neither file has.
std::shared_ptr<CredentialsProvider> profile_credentials(Env env);

struct ContainerCredentialsOptions {
  // Base for AWS_CONTAINER_CREDENTIALS_RELATIVE_URI; tests point it at a local fake.
  std::string relative_uri_host = "http://169.254.170.2";
  HttpOptions http{std::chrono::milliseconds{2000}, std::chrono::milliseconds{5000}, {}};
  int attempts = 3;
};

// ECS/EKS container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI against the container
// host, else AWS_CONTAINER_CREDENTIALS_FULL_URI (https, or a loopback/ECS/EKS address) with
// the token of AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (re-read each time) or
// AWS_CONTAINER_AUTHORIZATION_TOKEN in the Authorization header.
std::shared_ptr<CredentialsProvider> container_credentials(
    Env env, ContainerCredentialsOptions options = {});

struct ImdsCredentialsOptions {
  std::string endpoint = "http://169.254.169.254";  // AWS_EC2_METADATA_SERVICE_ENDPOINT wins
  HttpOptions http{std::chrono::milliseconds{1000}, std::chrono::milliseconds{2000}, {}};
};

// EC2 instance role through IMDSv2 (session token first). Not configured (nullopt) when
// AWS_EC2_METADATA_DISABLED is true or the endpoint does not answer.
std::shared_ptr<CredentialsProvider> imds_credentials(Env env, ImdsCredentialsOptions options = {});

// Always the given credentials.
std::shared_ptr<CredentialsProvider> static_credentials(Credentials credentials);

// The first provider that is configured wins; an error from a configured provider stops the
// chain (a broken container endpoint must not silently fall through to another identity).
std::shared_ptr<CredentialsProvider> chain_credentials(
    std::vector<std::shared_ptr<CredentialsProvider>> providers);

struct DefaultCredentialsOptions {
  ContainerCredentialsOptions container;
  ImdsCredentialsOptions imds;
  CredentialsCacheOptions cache;
};

// The SDKs' default chain, cached: environment, shared files, container, IMDSv2.
std::shared_ptr<CredentialsProvider> default_credentials(
    const Env& env = system_env(), const DefaultCredentialsOptions& options = {});

// default_credentials() over the process environment, made once and shared by every caller of
// the process (SSM at start-up, S3, RDS IAM tokens for days), so one cache serves them all.
std::shared_ptr<CredentialsProvider> process_credentials();

// Parses the container/IMDS JSON document (AccessKeyId, SecretAccessKey, Token, Expiration).
// Throws CredentialsError naming the missing field, never quoting the body.
Credentials parse_credentials_json(std::string_view body, std::string source);

}  // namespace aws
