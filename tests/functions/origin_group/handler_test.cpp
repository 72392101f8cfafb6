// functions/origin-group against tests/tools/fake_aws.py: real signed EC2 calls checked against
// the function's policy, real PUTs of the answer checked as CloudFormation's pre-signed URL
// checks them. What the fake kept is what CloudFormation would have read.
#include "handler.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "aws/ec2.hpp"
#include "tests/aws/fake_aws_process.hpp"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kVpc = "vpc-0a1b2c3d";
constexpr const char* kServiceGroup = "sg-0cf0001";

// The function's role in the template: ec2:DescribeSecurityGroups, nothing else.
aws::Credentials credentials(const char* key, const char* secret) {
  aws::Credentials c;
  c.access_key_id = key;
  c.secret_access_key = secret;
  return c;
}
aws::Credentials function_role() { return credentials("AKIDORIGINGROUP", "origin-group-secret"); }
aws::Credentials role_without_ec2() { return credentials("AKIDNOEC2", "no-ec2-secret"); }

json groups_config() {
  return json::array({
      {{"GroupId", "sg-other-vpc"},
       {"GroupName", origin_group::kDefaultGroupName},
       {"VpcId", "vpc-someone-else"}},
      {{"GroupId", "sg-alb"}, {"GroupName", "mysite-alb"}, {"VpcId", kVpc}},
  });
}

json credentials_config() {
  const auto entry = [](const aws::Credentials& c, const json& statements) {
    return json{{"access_key", c.access_key_id},
                {"secret_key", c.secret_access_key},
                {"token", nullptr},
                {"statements", statements}};
  };
  return json::array({entry(function_role(), json::array({{{"Effect", "Allow"},
                                                           {"Action", "ec2:DescribeSecurityGroups"},
                                                           {"Resource", "*"}}})),
                      entry(role_without_ec2(), json::array({{{"Effect", "Allow"},
                                                              {"Action", "ssm:GetParameter"},
                                                              {"Resource", "*"}}}))});
}

class OriginGroupTest : public ::testing::Test {
 protected:
  OriginGroupTest()
      : fake_(json{{"security_groups", groups_config()}, {"credentials", credentials_config()}}),
        ec2_(fake_.client_config(function_role())) {
    services_.ec2 = &ec2_;
    // Time passes only when the handler sleeps.
    services_.now = [this] { return start_ + slept_; };
    services_.sleep = [this](std::chrono::milliseconds d) {
      ++sleeps_;
      slept_ += d;
      if (on_sleep_) on_sleep_();
    };
  }

  json event(const std::string& type, const std::string& request_id) const {
    json e{{"RequestType", type},
           {"ResponseURL", fake_.url() + "/cloudformation-response/" + request_id +
                               "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc123"},
           {"StackId", "arn:aws:cloudformation:us-east-1:123456789012:stack/mysite/guid"},
           {"RequestId", request_id},
           {"LogicalResourceId", "OriginGroup"},
           {"ResourceType", "Custom::VpcOriginSecurityGroup"},
           {"ResourceProperties", {{"ServiceToken", "arn:aws:lambda:fn"}, {"VpcId", kVpc}}}};
    if (type != "Create") e["PhysicalResourceId"] = kServiceGroup;
    return e;
  }

  // What CloudFormation received for `request_id`.
  json received(const std::string& request_id) const {
    return fake_.control("cloudformation-responses").value(request_id, json());
  }

  void add_service_group(const std::string& id = kServiceGroup) const {
    fake_.put({{"security_groups", json::array({{{"GroupId", id},
                                                 {"GroupName", origin_group::kDefaultGroupName},
                                                 {"VpcId", kVpc}}})}});
  }

  std::chrono::system_clock::time_point in(std::chrono::seconds s) const { return start_ + s; }

  aws_test::FakeAws fake_;
  aws::Ec2Client ec2_;
  origin_group::Services services_;
  std::chrono::system_clock::time_point start_ = std::chrono::system_clock::now();
  std::chrono::milliseconds slept_{0};
  int sleeps_ = 0;
  std::function<void()> on_sleep_;
};

TEST_F(OriginGroupTest, CreateAnswersTheGroupOfThisVpcOnly) {
  add_service_group();
  const auto answer = origin_group::handle(event("Create", "req-1"), services_, in(600s));
  EXPECT_TRUE(answer.success);
  EXPECT_EQ(answer.group_id, kServiceGroup);
  const json sent = received("req-1");
  EXPECT_EQ(sent["Status"], "SUCCESS");
  EXPECT_EQ(sent["PhysicalResourceId"], kServiceGroup);
  EXPECT_EQ(sent["Data"]["GroupId"], kServiceGroup);
  EXPECT_EQ(sent["LogicalResourceId"], "OriginGroup");
  EXPECT_EQ(sent["StackId"], "arn:aws:cloudformation:us-east-1:123456789012:stack/mysite/guid");
  EXPECT_FALSE(sent.contains("Reason"));
  EXPECT_EQ(fake_.count("ec2:DescribeSecurityGroups"), 1);
  EXPECT_EQ(sleeps_, 0);
}

TEST_F(OriginGroupTest, WaitsForCloudFrontToMakeTheGroup) {
  int looked = 0;
  on_sleep_ = [&] {
    if (++looked == 2) add_service_group();
  };
  const auto answer = origin_group::handle(event("Create", "req-2"), services_, in(600s), 1ms);
  EXPECT_TRUE(answer.success);
  EXPECT_EQ(received("req-2")["Data"]["GroupId"], kServiceGroup);
  EXPECT_EQ(fake_.count("ec2:DescribeSecurityGroups"), 3);
  EXPECT_EQ(sleeps_, 2);
}

TEST_F(OriginGroupTest, FailsWithAReasonWhenTheGroupNeverAppears) {
  // Ten minutes, a look every ten seconds, twenty kept back to answer: looks at 0 s, 10 s, ... 570
  // s.
  const auto answer = origin_group::handle(event("Create", "req-3"), services_, in(600s), 10s);
  EXPECT_FALSE(answer.success);
  EXPECT_EQ(fake_.count("ec2:DescribeSecurityGroups"), 58);
  EXPECT_EQ(sleeps_, 57);
  const json sent = received("req-3");
  EXPECT_EQ(sent["Status"], "FAILED");
  EXPECT_NE(sent["Reason"].get<std::string>().find("CloudFront-VPCOrigins-Service-SG"),
            std::string::npos);
  EXPECT_NE(sent["Reason"].get<std::string>().find(kVpc), std::string::npos);
  EXPECT_EQ(sent["PhysicalResourceId"], "OriginGroup-none");
  EXPECT_FALSE(sent.contains("Data"));
}

TEST_F(OriginGroupTest, FollowsEveryPageAndRefusesTwoCandidates) {
  add_service_group("sg-first");
  add_service_group("sg-second");  // the fake answers one group per page
  const auto answer = origin_group::handle(event("Update", "req-4"), services_, in(600s));
  EXPECT_FALSE(answer.success);
  EXPECT_NE(answer.reason.find("more than one"), std::string::npos);
  EXPECT_EQ(fake_.count("ec2:DescribeSecurityGroups"), 2);
  EXPECT_EQ(received("req-4")["Status"], "FAILED");
}

TEST_F(OriginGroupTest, DeleteSucceedsWithoutCallingEc2) {
  const auto answer = origin_group::handle(event("Delete", "req-5"), services_, in(600s));
  EXPECT_TRUE(answer.success);
  const json sent = received("req-5");
  EXPECT_EQ(sent["Status"], "SUCCESS");
  EXPECT_EQ(sent["PhysicalResourceId"], kServiceGroup);  // unchanged, so nothing is replaced
  EXPECT_EQ(fake_.count("ec2:DescribeSecurityGroups"), 0);
}

TEST_F(OriginGroupTest, ARoleWithoutThePermissionFailsAtOnceWithAwsWords) {
  add_service_group();
  aws::Ec2Client denied(fake_.client_config(role_without_ec2()));
  services_.ec2 = &denied;
  const auto answer = origin_group::handle(event("Create", "req-6"), services_, in(600s));
  EXPECT_FALSE(answer.success);
  EXPECT_NE(answer.reason.find("UnauthorizedOperation"), std::string::npos) << answer.reason;
  EXPECT_EQ(sleeps_, 0);
  EXPECT_EQ(received("req-6")["Status"], "FAILED");
}

TEST_F(OriginGroupTest, AnUnknownRequestTypeIsAFailedAnswer) {
  const auto answer = origin_group::handle(event("Rename", "req-7"), services_, in(600s));
  EXPECT_FALSE(answer.success);
  EXPECT_EQ(received("req-7")["Reason"], "unknown RequestType 'Rename'");
}

TEST_F(OriginGroupTest, AnEventWithoutAResponseUrlIsRefused) {
  json e = event("Create", "req-8");
  e.erase("ResponseURL");
  EXPECT_THROW(origin_group::handle(e, services_, in(600s)), std::runtime_error);
  EXPECT_THROW(origin_group::handle(json::array(), services_, in(600s)), std::runtime_error);
}

TEST_F(OriginGroupTest, ARefusedAnswerIsAnError) {
  add_service_group();
  json e = event("Create", "req-9");
  e["ResponseURL"] = fake_.url() + "/cloudformation-response/req-9";  // not pre-signed
  EXPECT_THROW(origin_group::handle(e, services_, in(600s)), std::runtime_error);
}

}  // namespace
