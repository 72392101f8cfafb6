// aws: the RDS IAM authentication token (a presigned "connect" URL for rds-db, valid 900 s),
// byte-identical to botocore's generate_db_auth_token. Knows nothing of MySQL or of where
// credentials come from.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "aws/credentials.hpp"

namespace aws {

inline constexpr std::chrono::seconds kRdsTokenLifetime{900};

// "host:port/?Action=connect&DBUser=user&X-Amz-Algorithm=...&X-Amz-Signature=...": use it as
// the MySQL password (over TLS, cleartext plugin). Example:
//   auto token = aws::generate_rds_auth_token("db.example", 3306, "django", "eu-west-1",
//                                             provider.get(), aws::Clock::now());
std::string generate_rds_auth_token(std::string_view host, int port, std::string_view user,
                                    std::string_view region, const Credentials& credentials,
                                    std::chrono::system_clock::time_point time);

}  // namespace aws
