// tests/aws: reads SigV4 oracle cases (JSON array on stdin) and prints what our signer makes of
// each (JSON array on stdout), for tests/tools/botocore_sigv4_oracle.py to compare with botocore.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "aws/aws_time.hpp"
#include "aws/presign.hpp"
#include "aws/rds_token.hpp"
#include "aws/sigv4.hpp"
#include "aws/uri.hpp"

namespace {

using nlohmann::json;

aws::Credentials credentials_of(const json& c) {
  aws::Credentials creds;
  creds.access_key_id = c.at("access_key").get<std::string>();
  creds.secret_access_key = c.at("secret_key").get<std::string>();
  if (!c.at("token").is_null()) creds.session_token = c.at("token").get<std::string>();
  return creds;
}

aws::Clock::time_point time_of(const json& c) {
  return aws::Clock::time_point{std::chrono::seconds{c.at("epoch").get<long long>()}};
}

aws::HttpRequest request_of(const json& c) {
  aws::HttpRequest r;
  r.method = c.at("method").get<std::string>();
  r.url = c.at("endpoint").get<std::string>() +
          aws::uri_encode(c.at("raw_path").get<std::string>(), /*keep_slash=*/true);
  for (const auto& q : c.at("query")) r.query.emplace_back(q.at(0), q.at(1));
  for (const auto& h : c.at("headers")) r.headers.emplace_back(h.at(0), h.at(1));
  r.body = c.at("body").get<std::string>();
  return r;
}

json run_case(const json& c) {
  const std::string kind = c.at("kind");
  json out{{"id", c.at("id")}};
  if (kind == "rds") {
    out["url"] = aws::generate_rds_auth_token(
        c.at("host").get<std::string>(), c.at("port").get<int>(), c.at("user").get<std::string>(),
        c.at("region").get<std::string>(), credentials_of(c), time_of(c));
    return out;
  }
  const aws::SigningParams params{c.at("service"), c.at("region"), credentials_of(c), time_of(c),
                                  c.at("sign_payload").get<bool>()};
  aws::HttpRequest request = request_of(c);
  aws::SigningStages stages;
  if (kind == "presign") {
    const auto presigned =
        aws::presign_url(request, params, std::chrono::seconds{c.at("expires").get<long>()});
    stages = presigned.stages;
    out["url"] = presigned.url;
  } else {
    stages = aws::sign_request(request, params);
    out["authorization"] = aws::find_header(request.headers, "Authorization").value_or("");
    json headers = json::array();
    for (const auto& [name, value] : request.headers) {
      std::string lname = name;
      for (char& ch : lname) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      headers.push_back({lname, value});
    }
    std::sort(headers.begin(), headers.end());
    out["headers"] = headers;
  }
  out["canonical_request"] = stages.canonical_request;
  out["string_to_sign"] = stages.string_to_sign;
  out["signature"] = stages.signature;
  return out;
}

}  // namespace

int main() {
  try {
    const std::string input{std::istreambuf_iterator<char>(std::cin),
                            std::istreambuf_iterator<char>()};
    const json cases = json::parse(input);
    json results = json::array();
    for (const auto& c : cases) results.push_back(run_case(c));
    std::cout << results.dump(1) << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "sigv4_oracle_tool: " << e.what() << "\n";
    return 1;
  }
}
