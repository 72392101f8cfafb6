// origin-group: a CloudFormation custom resource, answered from Lambda: finds the security group
// CloudFront gives the network interfaces of its VPC origins ("CloudFront-VPCOrigins-Service-SG",
// made by CloudFront in the VPC when the first VPC origin deploys, so no template can name it),
// and returns its id (Data.GroupId), so the template can admit that group, and only that group,
// to the load balancer. Traffic through a VPC origin does not come from the VPC's own addresses,
// so a rule for the VPC's CIDR admits nothing CloudFront sends.
//
// Written here rather than as CDK's AwsCustomResource: that runs Node.js in AWS, and everything
// of ours that runs is C++; the event and answer are CloudFormation's documented custom resource
// protocol (a JSON event, a PUT of a JSON answer to the pre-signed ResponseURL).
#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "aws/ec2.hpp"
#include "aws/http_client.hpp"

namespace origin_group {

inline constexpr const char* kDefaultGroupName = "CloudFront-VPCOrigins-Service-SG";

struct Services {
  const aws::Ec2Client* ec2 = nullptr;
  aws::HttpOptions http;                                 // for the PUT to ResponseURL
  std::function<void(std::chrono::milliseconds)> sleep;  // between lookups
  std::function<std::chrono::system_clock::time_point()> now = std::chrono::system_clock::now;
  std::function<void(const std::string&)> log;
};

// What was sent to CloudFormation.
struct Answer {
  bool success = false;
  std::string physical_id;
  std::string group_id;
  std::string reason;  // FAILED: what went wrong, one line
};

// Create/Update: looks the group up (VpcId, GroupName from ResourceProperties), again every
// `retry_every` until it appears or `deadline` is near; Delete: nothing to undo. Then PUTs the
// answer to ResponseURL. Throws std::runtime_error only when the event cannot be answered at all
// (no ResponseURL, or the PUT failed); every other failure is a FAILED answer with its reason.
Answer handle(const nlohmann::json& event, const Services& services,
              std::chrono::system_clock::time_point deadline,
              std::chrono::milliseconds retry_every = std::chrono::seconds(10));

}  // namespace origin_group
