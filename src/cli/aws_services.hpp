// cli: the RDS IAM token password provider the commands hand to the database layer. The db and
// settings layers know nothing of AWS; this is where they meet it.
#pragma once

#include <functional>
#include <string>

#include "settings/settings.hpp"

namespace cli {

// For DB_AUTH=iam: a password provider handing out RDS IAM tokens for DB_HOST:DB_PORT and
// DB_USER in AWS_REGION, signed with aws::process_credentials() (see aws/rds_token_provider.hpp:
// reused at most 10 minutes, new connections rate-limited per process). Throws settings::Error
// when AWS_REGION is empty.
std::function<std::string()> iam_password_provider(const settings::Settings& s);

}  // namespace cli
