#include "handler.hpp"

#include <stdexcept>

#include "aws/error.hpp"

namespace origin_group {

namespace {

// CloudFormation refuses answers over 4096 bytes; a reason never needs more than this.
constexpr std::size_t kMaxReason = 1000;
// Time kept back from the deadline to send the answer.
constexpr std::chrono::seconds kAnswerMargin{20};

std::string text(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

struct Lookup {
  std::string group_id;
  std::string failure;
};

Lookup look_up(const nlohmann::json& properties, const Services& services,
               std::chrono::system_clock::time_point deadline,
               std::chrono::milliseconds retry_every) {
  const std::string vpc = text(properties, "VpcId");
  std::string name = text(properties, "GroupName");
  if (name.empty()) name = kDefaultGroupName;
  if (vpc.empty()) return {{}, "ResourceProperties.VpcId is missing"};
  for (int attempt = 1;; ++attempt) {
    try {
      const auto groups =
          services.ec2->describe_security_groups({{"vpc-id", {vpc}}, {"group-name", {name}}});
      if (groups.size() == 1) return {groups[0].id, {}};
      if (groups.size() > 1)
        return {{}, "more than one security group named " + name + " in " + vpc};
    } catch (const aws::Error& e) {
      if (!e.retryable()) return {{}, std::string("DescribeSecurityGroups failed: ") + e.what()};
      if (services.log) services.log(std::string("origin-group: will retry: ") + e.what());
    }
    if (services.now() + retry_every + kAnswerMargin >= deadline) {
      return {{},
              "no security group named " + name + " in " + vpc + " after " +
                  std::to_string(attempt) +
                  " lookups (CloudFront makes it when the VPC's first VPC origin deploys)"};
    }
    if (services.log)
      services.log("origin-group: " + name + " not in " + vpc + " yet; looking again");
    services.sleep(retry_every);
  }
}

}  // namespace

Answer handle(const nlohmann::json& event, const Services& services,
              std::chrono::system_clock::time_point deadline,
              std::chrono::milliseconds retry_every) {
  if (!event.is_object()) throw std::runtime_error("the event is not a JSON object");
  const std::string response_url = text(event, "ResponseURL");
  if (!response_url.starts_with("https://") && !response_url.starts_with("http://"))
    throw std::runtime_error("the event has no ResponseURL: not a CloudFormation custom resource");

  const std::string type = text(event, "RequestType");
  Answer answer;
  answer.physical_id = text(event, "PhysicalResourceId");
  if (type == "Delete") {
    answer.success = true;  // the group is CloudFront's; nothing of ours to remove
  } else if (type == "Create" || type == "Update") {
    const auto properties = event.value("ResourceProperties", nlohmann::json::object());
    const Lookup found = look_up(properties, services, deadline, retry_every);
    answer.success = found.failure.empty();
    answer.group_id = found.group_id;
    answer.reason = found.failure.substr(0, kMaxReason);
    if (answer.success) answer.physical_id = found.group_id;
  } else {
    answer.reason = "unknown RequestType '" + type.substr(0, 40) + "'";
  }
  // A failed Create has no resource yet; CloudFormation still wants a physical id.
  if (answer.physical_id.empty()) answer.physical_id = text(event, "LogicalResourceId") + "-none";

  nlohmann::json body{{"Status", answer.success ? "SUCCESS" : "FAILED"},
                      {"PhysicalResourceId", answer.physical_id},
                      {"StackId", text(event, "StackId")},
                      {"RequestId", text(event, "RequestId")},
                      {"LogicalResourceId", text(event, "LogicalResourceId")}};
  if (!answer.success) body["Reason"] = answer.reason;
  if (!answer.group_id.empty()) body["Data"] = {{"GroupId", answer.group_id}};

  // The URL is pre-signed for a PUT with no Content-Type: send it exactly as given.
  aws::HttpRequest put;
  put.method = "PUT";
  put.url = response_url;
  put.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const aws::HttpResponse sent = aws::http_send(put, services.http);
  if (sent.status < 200 || sent.status > 299)
    throw std::runtime_error("CloudFormation's ResponseURL refused the answer: HTTP " +
                             std::to_string(sent.status));
  if (services.log)
    services.log("origin-group: " + type + " " + (answer.success ? "SUCCESS " : "FAILED ") +
                 (answer.success ? answer.physical_id : answer.reason));
  return answer;
}

}  // namespace origin_group
