// Integration: every service call against tests/tools/fake_aws.py, which verifies each SigV4
// signature with botocore and answers like AWS.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "aws/error.hpp"
#include "aws/s3.hpp"
#include "aws/secrets_manager.hpp"
#include "aws/ssm.hpp"
#include "fake_aws_process.hpp"

namespace {

using aws_test::FakeAws;

std::string body_of(const std::string& key) {
  std::string body = "body of ";
  body += key;
  return body;
}

class ServicesTest : public ::testing::Test {
 protected:
  FakeAws fake_;
};

TEST_F(ServicesTest, SsmGetParameterReturnsTheValue) {
  const aws::SsmClient ssm(fake_.client_config(aws_test::test_credentials()));
  const aws::Parameter p = ssm.get_parameter("ecsTaskParams");
  EXPECT_EQ(p.name, "ecsTaskParams");
  EXPECT_EQ(p.type, "String");
  EXPECT_EQ(nlohmann::json::parse(p.value)["DB_HOST"], "db.example");
  EXPECT_EQ(p.version, 1);
}

TEST_F(ServicesTest, SsmGetParameterWithSessionTokenAndPathName) {
  const aws::SsmClient ssm(fake_.client_config(aws_test::test_session_credentials()));
  EXPECT_EQ(ssm.get_parameter("/mysite/secure").value, "s3cr3t-value");
}

TEST_F(ServicesTest, SsmMissingParameterIsParameterNotFound) {
  const aws::SsmClient ssm(fake_.client_config(aws_test::test_credentials()));
  try {
    ssm.get_parameter("nope");
    FAIL() << "expected aws::Error";
  } catch (const aws::Error& e) {
    EXPECT_EQ(e.code(), "ParameterNotFound");
    EXPECT_FALSE(e.retryable());
    EXPECT_EQ(e.http_status(), 400);
  }
  EXPECT_EQ(fake_.count("ssm:attempts"), 1);  // not retried
}

TEST_F(ServicesTest, SecretsManagerGetSecretValueStringAndBinary) {
  const aws::SecretsManagerClient sm(fake_.client_config(aws_test::test_credentials()));
  const aws::SecretValue s = sm.get_secret_value("db-master");
  ASSERT_TRUE(s.secret_string.has_value());
  EXPECT_EQ(nlohmann::json::parse(*s.secret_string)["username"], "admin");
  EXPECT_EQ(s.name, "db-master");
  EXPECT_FALSE(s.arn.empty());
  const aws::SecretValue b = sm.get_secret_value("binary-secret");
  ASSERT_TRUE(b.secret_binary.has_value());
  EXPECT_EQ(*b.secret_binary, std::string("\x00\x01\x02\x03\x04", 5));
}

TEST_F(ServicesTest, SecretsManagerMissingSecretIsResourceNotFound) {
  const aws::SecretsManagerClient sm(fake_.client_config(aws_test::test_credentials()));
  try {
    sm.get_secret_value("nope");
    FAIL() << "expected aws::Error";
  } catch (const aws::Error& e) {
    EXPECT_EQ(e.code(), "ResourceNotFoundException");
  }
}

TEST_F(ServicesTest, S3PutHeadGetRoundTripWithAwkwardKeys) {
  const aws::S3Client s3(fake_.client_config(aws_test::test_session_credentials()));
  for (const std::string key : {"static/css/base.css", "with space/ünïcødé 日本.txt",
                                "reserved/!*'();:@&=+$,[]~.txt", "a/./b/../c//d"}) {
    SCOPED_TRACE(key);
    aws::PutObjectOptions options;
    options.content_type = "text/css";
    options.cache_control = "public, max-age=31536000, immutable";
    options.metadata = {{"source-hash", "abc123"}};
    const std::string etag = s3.put_object("static-bucket", key, body_of(key), options);
    EXPECT_FALSE(etag.empty());
    const auto info = s3.head_object("static-bucket", key);
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->content_length, (body_of(key)).size());
    EXPECT_EQ(info->etag, etag);
    EXPECT_EQ(info->content_type, "text/css");
    EXPECT_EQ(info->cache_control, "public, max-age=31536000, immutable");
    ASSERT_EQ(info->metadata.size(), 1U);
    EXPECT_EQ(info->metadata[0].second, "abc123");
    const aws::GetObjectResult got = s3.get_object("static-bucket", key);
    EXPECT_EQ(got.body, body_of(key));
    EXPECT_EQ(got.info.etag, etag);
  }
}

TEST_F(ServicesTest, S3BinaryAndEmptyBodies) {
  const aws::S3Client s3(fake_.client_config(aws_test::test_credentials()));
  std::string binary;
  for (int i = 0; i < 70000; ++i) binary.push_back(static_cast<char>(i % 256));
  s3.put_object("static-bucket", "bin", binary);
  s3.put_object("static-bucket", "empty", "");
  EXPECT_EQ(s3.get_object("static-bucket", "bin").body, binary);
  EXPECT_EQ(s3.get_object("static-bucket", "empty").body, "");
  EXPECT_EQ(s3.head_object("static-bucket", "empty")->content_length, 0U);
}

TEST_F(ServicesTest, S3MissingObjectHeadIsNulloptAndGetIsNoSuchKey) {
  const aws::S3Client s3(fake_.client_config(aws_test::test_credentials()));
  EXPECT_FALSE(s3.head_object("static-bucket", "missing").has_value());
  try {
    s3.get_object("static-bucket", "missing");
    FAIL() << "expected aws::Error";
  } catch (const aws::Error& e) {
    EXPECT_EQ(e.code(), "NoSuchKey");
    EXPECT_EQ(e.http_status(), 404);
  }
}

TEST_F(ServicesTest, S3MissingBucketIsNoSuchBucket) {
  const aws::S3Client s3(fake_.client_config(aws_test::test_credentials()));
  try {
    s3.put_object("no-such-bucket", "k", "v");
    FAIL() << "expected aws::Error";
  } catch (const aws::Error& e) {
    EXPECT_EQ(e.code(), "NoSuchBucket");
  }
}

TEST_F(ServicesTest, S3ListObjectsV2PagesAndPrefixes) {
  const aws::S3Client s3(fake_.client_config(aws_test::test_credentials()));
  for (const std::string key :
       {"static/a.css", "static/b.css", "static/img/c.png", "static/d e.js", "media/x.png"}) {
    s3.put_object("other.bucket", key, key);
  }
  aws::ListObjectsOptions options;
  options.prefix = "static/";
  options.max_keys = 2;
  const aws::ListObjectsPage first = s3.list_objects_v2("other.bucket", options);
  ASSERT_EQ(first.objects.size(), 2U);
  EXPECT_TRUE(first.is_truncated);
  EXPECT_EQ(first.objects[0].key, "static/a.css");
  EXPECT_EQ(first.objects[0].size, std::string("static/a.css").size());
  EXPECT_FALSE(first.objects[0].etag.empty());
  options.continuation_token = first.next_continuation_token;
  const aws::ListObjectsPage second = s3.list_objects_v2("other.bucket", options);
  ASSERT_EQ(second.objects.size(), 2U);
  EXPECT_EQ(second.objects[0].key, "static/d e.js");
  EXPECT_EQ(second.objects[1].key, "static/img/c.png");

  const auto all = s3.list_all_objects("other.bucket", "static/");
  EXPECT_EQ(all.size(), 4U);

  aws::ListObjectsOptions delimited;
  delimited.prefix = "static/";
  delimited.delimiter = "/";
  const aws::ListObjectsPage folders = s3.list_objects_v2("other.bucket", delimited);
  EXPECT_EQ(folders.objects.size(), 3U);
  ASSERT_EQ(folders.common_prefixes.size(), 1U);
  EXPECT_EQ(folders.common_prefixes[0], "static/img/");
}

TEST_F(ServicesTest, S3DeleteObjectsRemovesThemAll) {
  const aws::S3Client s3(fake_.client_config(aws_test::test_credentials()));
  const std::vector<std::string> keys = {"old/1.css", "old/2 & <3>.css", "old/ü.js"};
  for (const auto& key : keys) s3.put_object("static-bucket", key, "x");
  const aws::DeleteObjectsResult result = s3.delete_objects("static-bucket", keys);
  EXPECT_EQ(result.deleted.size(), 3U);
  EXPECT_TRUE(result.errors.empty());
  EXPECT_NE(std::find(result.deleted.begin(), result.deleted.end(), "old/2 & <3>.css"),
            result.deleted.end());
  for (const auto& key : keys) EXPECT_FALSE(s3.head_object("static-bucket", key).has_value());
  EXPECT_TRUE(s3.list_all_objects("static-bucket", "old/").empty());
}

TEST_F(ServicesTest, S3DeleteObjectsBatchesAboveOneThousand) {
  const aws::S3Client s3(fake_.client_config(aws_test::test_credentials()));
  std::vector<std::string> keys;
  for (int i = 0; i < 1001; ++i) keys.push_back(std::string(1, 'k').append(std::to_string(i)));
  const aws::DeleteObjectsResult result = s3.delete_objects("static-bucket", keys);
  EXPECT_EQ(result.deleted.size(), 1001U);
  EXPECT_EQ(fake_.count("s3:DeleteObjects"), 2);
}

TEST_F(ServicesTest, AddressingIsPathStyleForCustomEndpoints) {
  const aws::S3Client s3(fake_.client_config(aws_test::test_credentials()));
  EXPECT_EQ(s3.object_url("static-bucket", "a b/c"), fake_.url() + "/static-bucket/a%20b/c");
}

}  // namespace
