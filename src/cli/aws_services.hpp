// cli: the process's AWS plumbing for the commands: one cached credential chain shared by every
// caller (SSM at start-up, RDS IAM tokens for days), and the RDS token password provider.
// The db and settings layers know nothing of AWS; this is where they meet it.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "aws/credentials.hpp"
#include "settings/settings.hpp"

namespace cli {

// aws::default_credentials() over the process environment, made once and shared.
std::shared_ptr<aws::CredentialsProvider> process_credentials();

// The JSON text of SSM parameter `name` (GetParameter, decrypted), with the client's standard
// retries. Throws settings::Error naming TASK_PARAMS and the parameter when it cannot.
std::string fetch_task_params(const std::string& name);

// For DB_AUTH=iam: a password provider handing out RDS IAM tokens for DB_HOST:DB_PORT and
// DB_USER in AWS_REGION (see aws/rds_token_provider.hpp: reused at most 10 minutes, new
// connections rate-limited per process). Throws settings::Error when AWS_REGION is empty.
std::function<std::string()> iam_password_provider(const settings::Settings& s);

}  // namespace cli
