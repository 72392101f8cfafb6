// aws: the EC2 instance metadata (IMDSv2) credential source, last in the default chain.
#include "aws/credential_providers.hpp"
#include "aws/error.hpp"
#include "aws/strings.hpp"

namespace aws {
namespace {

constexpr const char* kTokenPath = "/latest/api/token";
constexpr const char* kRolePath = "/latest/meta-data/iam/security-credentials/";

class ImdsProvider : public CredentialsProvider {
 public:
  ImdsProvider(Env env, ImdsCredentialsOptions options)
      : env_(std::move(env)), options_(std::move(options)) {}

  std::optional<Credentials> load() override {
    if (env_flag(env_, "AWS_EC2_METADATA_DISABLED")) return std::nullopt;
    std::string base = env_("AWS_EC2_METADATA_SERVICE_ENDPOINT").value_or(options_.endpoint);
    while (!base.empty() && base.back() == '/') base.pop_back();

    HttpResponse token;
    try {
      token = http_send({"PUT",
                         cat({base, kTokenPath}),
                         {},
                         {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}},
                         ""},
                        options_.http);
    } catch (const Error&) {
      return std::nullopt;  // no metadata service here: not on EC2
    }
    if (token.status != 200) return std::nullopt;
    const Headers auth{{"X-aws-ec2-metadata-token", token.body}};
    const HttpResponse role = get(cat({base, kRolePath}), auth);
    const std::string role_name(trim(role.body.substr(0, role.body.find('\n'))));
    if (role_name.empty()) throw Error("CredentialsError", "IMDS: the instance has no IAM role");
    return parse_credentials_json(get(cat({base, kRolePath, role_name}), auth).body, "imds");
  }

 private:
  HttpResponse get(const std::string& url, const Headers& headers) const {
    HttpResponse response = http_send({"GET", url, {}, headers, ""}, options_.http);
    if (response.status != 200) {
      throw Error("CredentialsError", cat({"IMDS answered HTTP ", std::to_string(response.status)}),
                  response.status >= 500, response.status);
    }
    return response;
  }

  Env env_;
  ImdsCredentialsOptions options_;
};

}  // namespace

std::shared_ptr<CredentialsProvider> imds_credentials(Env env, ImdsCredentialsOptions options) {
  return std::make_shared<ImdsProvider>(std::move(env), std::move(options));
}

}  // namespace aws
