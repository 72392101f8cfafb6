// aws: the awsJson1.1 protocol SSM and Secrets Manager speak (POST /, X-Amz-Target, JSON).
// Knows nothing of either service's operations.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "aws/client.hpp"

namespace aws {

// Calls `target` ("AmazonSSM.GetParameter") with `input`; returns the parsed JSON output.
nlohmann::json call_json_operation(const Client& client, std::string_view target,
                                   const nlohmann::json& input);

}  // namespace aws
