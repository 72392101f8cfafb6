// aws: the EC2 call a deploy needs: DescribeSecurityGroups with filters, over EC2's query
// protocol (a form-encoded POST, an XML answer; every page followed). Knows nothing of why a
// group is looked up.
#pragma once

#include <string>
#include <vector>

#include "aws/client.hpp"

namespace aws {

ServiceInfo ec2_service();

struct SecurityGroup {
  std::string id;  // "sg-0123..."
  std::string name;
  std::string vpc_id;
  std::string description;
};

// One `Filter.N`: a group matches when its `name` attribute equals any of `values`.
struct Ec2Filter {
  std::string name;  // "vpc-id", "group-name", ...
  std::vector<std::string> values;
};

class Ec2Client {
 public:
  explicit Ec2Client(ClientConfig config);

  // Every group matching all filters (none: every group the caller may see). Example:
  //   ec2.describe_security_groups({{"vpc-id", {vpc}}, {"group-name", {"web"}}});
  std::vector<SecurityGroup> describe_security_groups(const std::vector<Ec2Filter>& filters) const;

 private:
  Client client_;
};

}  // namespace aws
