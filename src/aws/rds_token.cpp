#include "aws/rds_token.hpp"

#include "aws/presign.hpp"
#include "aws/strings.hpp"

namespace aws {

std::string generate_rds_auth_token(std::string_view host, int port, std::string_view user,
                                    std::string_view region, const Credentials& credentials,
                                    std::chrono::system_clock::time_point time) {
  // botocore adds "https://" so URL parsing finds the host, then strips it from the result.
  const std::string scheme = "https://";
  HttpRequest request;
  request.method = "GET";
  request.url = cat({scheme, host, ":", std::to_string(port), "/"});
  request.query = {{"Action", "connect"}, {"DBUser", std::string(user)}};
  const SigningParams params{"rds-db", std::string(region), credentials, time, true};
  return presign_url(request, params, kRdsTokenLifetime).url.substr(scheme.size());
}

}  // namespace aws
