#include "aws/ssm.hpp"

#include "aws/json_protocol.hpp"

namespace aws {

SsmClient::SsmClient(ClientConfig config) : client_(ssm_service(), std::move(config)) {}

Parameter SsmClient::get_parameter(const std::string& name, bool with_decryption) const {
  const auto output = call_json_operation(client_, "AmazonSSM.GetParameter",
                                          {{"Name", name}, {"WithDecryption", with_decryption}});
  const auto& p = output.value("Parameter", nlohmann::json::object());
  if (!p.is_object() || !p.contains("Value") || !p["Value"].is_string()) {
    throw Error("InvalidResponse", "GetParameter: response has no Parameter.Value");
  }
  Parameter parameter;
  parameter.name = p.value("Name", name);
  parameter.type = p.value("Type", "");
  parameter.value = p["Value"].get<std::string>();
  parameter.version = p.value("Version", 0LL);
  return parameter;
}

}  // namespace aws
