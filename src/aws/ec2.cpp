#include "aws/ec2.hpp"

#include <string_view>

#include "aws/strings.hpp"
#include "aws/xml.hpp"

namespace aws {

namespace {

constexpr std::string_view kApiVersion = "2016-11-15";
constexpr int kMaxPages = 100;  // a service answering next-page tokens forever stops here

}  // namespace

ServiceInfo ec2_service() { return {"ec2", "ec2", "EC2"}; }

Ec2Client::Ec2Client(ClientConfig config) : client_(ec2_service(), std::move(config)) {}

std::vector<SecurityGroup> Ec2Client::describe_security_groups(
    const std::vector<Ec2Filter>& filters) const {
  QueryParams form{{"Action", "DescribeSecurityGroups"}, {"Version", std::string(kApiVersion)}};
  for (std::size_t f = 0; f < filters.size(); ++f) {
    const std::string prefix = cat({"Filter.", std::to_string(f + 1), "."});
    form.emplace_back(cat({prefix, "Name"}), filters[f].name);
    for (std::size_t v = 0; v < filters[f].values.size(); ++v)
      form.emplace_back(cat({prefix, "Value.", std::to_string(v + 1)}), filters[f].values[v]);
  }
  std::vector<SecurityGroup> groups;
  std::string next_token;
  for (int page = 0; page < kMaxPages; ++page) {
    HttpRequest request;
    request.method = "POST";
    request.url = cat({client_.endpoint(), "/"});
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
    QueryParams this_page = form;
    if (!next_token.empty()) this_page.emplace_back("NextToken", next_token);
    request.body = encode_query(this_page);
    const HttpResponse response = client_.send(request, ErrorFormat::xml);
    const XmlElement root = parse_xml(response.body);
    if (root.name != "DescribeSecurityGroupsResponse")
      throw Error("InvalidResponse", cat({"DescribeSecurityGroups: unexpected <", root.name, ">"}));
    if (const XmlElement* info = root.child("securityGroupInfo")) {
      for (const XmlElement* item : info->children_named("item")) {
        SecurityGroup group{item->child_text("groupId"), item->child_text("groupName"),
                            item->child_text("vpcId"), item->child_text("groupDescription")};
        if (group.id.empty())
          throw Error("InvalidResponse", "DescribeSecurityGroups: a group without groupId");
        groups.push_back(std::move(group));
      }
    }
    next_token = root.child_text("nextToken");
    if (next_token.empty()) return groups;
  }
  throw Error("InvalidResponse", "DescribeSecurityGroups: more than 100 pages");
}

}  // namespace aws
