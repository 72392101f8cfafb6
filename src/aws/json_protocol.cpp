#include "aws/json_protocol.hpp"

#include "aws/strings.hpp"

namespace aws {

nlohmann::json call_json_operation(const Client& client, std::string_view target,
                                   const nlohmann::json& input) {
  HttpRequest request;
  request.method = "POST";
  request.url = cat({client.endpoint(), "/"});
  request.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                     {"X-Amz-Target", std::string(target)}};
  request.body = input.dump();
  const HttpResponse response = client.send(request, ErrorFormat::json);
  if (response.body.empty()) return nlohmann::json::object();
  auto output = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (output.is_discarded()) {
    throw Error("InvalidResponse", cat({std::string(target), ": response is not JSON"}));
  }
  return output;
}

}  // namespace aws
