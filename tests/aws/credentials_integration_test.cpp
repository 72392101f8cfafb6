// Integration: the credential sources against the fake's container and IMDS endpoints, and the
// shared files with AWS_PROFILE; each set of credentials then signs a real call.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "aws/credential_providers.hpp"
#include "aws/error.hpp"
#include "aws/ssm.hpp"
#include "fake_aws_process.hpp"

namespace {

using aws_test::FakeAws;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/aws_creds_test_XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string write(const std::string& name, const std::string& text) const {
    const std::string file = path_ + "/" + name;
    std::ofstream(file) << text;
    return file;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void expect_can_call_ssm(const FakeAws& fake, std::shared_ptr<aws::CredentialsProvider> provider) {
  aws::ClientConfig config = fake.client_config(aws_test::test_credentials());
  config.credentials = std::move(provider);
  EXPECT_EQ(aws::SsmClient(config).get_parameter("/mysite/secure").value, "s3cr3t-value");
}

aws::ContainerCredentialsOptions container_options(const FakeAws& fake) {
  aws::ContainerCredentialsOptions options;
  options.relative_uri_host = fake.url();
  return options;
}

TEST(ContainerCredentialsTest, RelativeUriAgainstTheContainerHost) {
  FakeAws fake;
  const auto env = aws::map_env({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/ecs/relative"}});
  const auto creds = aws::container_credentials(env, container_options(fake))->load();
  ASSERT_TRUE(creds.has_value());
  EXPECT_EQ(creds->access_key_id, aws_test::container_role_credentials().access_key_id);
  EXPECT_EQ(creds->session_token, "container-session-token");
  ASSERT_TRUE(creds->expiration.has_value());
  EXPECT_GT(*creds->expiration, aws::Clock::now() + std::chrono::minutes{50});
  expect_can_call_ssm(fake, aws::container_credentials(env, container_options(fake)));
}

TEST(ContainerCredentialsTest, FullUriWithAuthorizationToken) {
  FakeAws fake;
  const auto env = aws::map_env({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", fake.url() + "/ecs/full"},
                                 {"AWS_CONTAINER_AUTHORIZATION_TOKEN", aws_test::kContainerToken}});
  expect_can_call_ssm(fake, aws::container_credentials(env));
  EXPECT_EQ(fake.count("container:/ecs/full"), 1);
}

TEST(ContainerCredentialsTest, FullUriWithTokenFileWhichWinsOverTheVariable) {
  FakeAws fake;
  TempDir dir;
  const std::string file = dir.write("token", std::string(aws_test::kContainerToken) + "\n");
  const auto env = aws::map_env({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", fake.url() + "/ecs/full"},
                                 {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", file},
                                 {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong"}});
  expect_can_call_ssm(fake, aws::container_credentials(env));
}

TEST(ContainerCredentialsTest, WrongTokenIsACredentialsErrorWithoutTheToken) {
  FakeAws fake;
  const auto env = aws::map_env({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", fake.url() + "/ecs/full"},
                                 {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong-token-value"}});
  try {
    aws::container_credentials(env)->load();
    FAIL() << "expected aws::Error";
  } catch (const aws::Error& e) {
    EXPECT_EQ(e.code(), "CredentialsError");
    EXPECT_EQ(std::string(e.what()).find("wrong-token-value"), std::string::npos);
  }
}

TEST(ContainerCredentialsTest, FullUriMustBeHttpsOrLocal) {
  for (const char* uri : {"http://example.com/creds", "http://127.evil.example/creds",
                          "http://169.254.169.254/creds"}) {
    SCOPED_TRACE(uri);
    const auto env = aws::map_env({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", uri}});
    try {
      aws::container_credentials(env)->load();
      FAIL() << "expected aws::Error";
    } catch (const aws::Error& e) {
      EXPECT_EQ(e.code(), "ConfigError");
    }
  }
}

TEST(ContainerCredentialsTest, NotConfiguredWithoutTheVariables) {
  EXPECT_FALSE(aws::container_credentials(aws::map_env({}))->load().has_value());
}

TEST(ImdsCredentialsTest, InstanceRoleThroughIMDSv2) {
  FakeAws fake;
  const auto env = aws::map_env({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", fake.url()}});
  const auto creds = aws::imds_credentials(env)->load();
  ASSERT_TRUE(creds.has_value());
  EXPECT_EQ(creds->source, "imds");
  EXPECT_EQ(fake.count("imds:/latest/api/token"), 1);
  expect_can_call_ssm(fake, aws::imds_credentials(env));
}

TEST(ImdsCredentialsTest, DisabledOrUnreachableIsNotConfigured) {
  EXPECT_FALSE(aws::imds_credentials(aws::map_env({{"AWS_EC2_METADATA_DISABLED", "true"}}))
                   ->load()
                   .has_value());
  EXPECT_FALSE(aws::imds_credentials(
                   aws::map_env({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1"}}))
                   ->load()
                   .has_value());
}

TEST(ProfileCredentialsTest, SharedCredentialsFileWithAwsProfile) {
  FakeAws fake;
  TempDir dir;
  const aws::Credentials good = aws_test::test_session_credentials();
  const std::string file =
      dir.write("credentials",
                "[default]\naws_access_key_id = AKIDDEFAULTNOTKNOWN0\n"
                "aws_secret_access_key = nope\n\n"
                "# the profile we use\n[dev]\naws_access_key_id = " +
                    good.access_key_id + "\naws_secret_access_key=" + good.secret_access_key +
                    "\naws_session_token = " + good.session_token + "\n");
  const auto env = aws::map_env({{"AWS_SHARED_CREDENTIALS_FILE", file},
                                 {"AWS_CONFIG_FILE", dir.path() + "/none"},
                                 {"AWS_PROFILE", "dev"}});
  const auto creds = aws::profile_credentials(env)->load();
  ASSERT_TRUE(creds.has_value());
  EXPECT_EQ(creds->access_key_id, good.access_key_id);
  EXPECT_EQ(creds->source, "profile:dev");
  expect_can_call_ssm(fake, aws::profile_credentials(env));
}

TEST(ProfileCredentialsTest, ConfigFileProfileSectionAndHomeDirectory) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() + "/.aws");
  dir.write(".aws/config",
            "[profile ops]\nregion = eu-west-3\naws_access_key_id = AKIDOPS\n"
            "aws_secret_access_key = opssecret\n");
  const auto env = aws::map_env({{"HOME", dir.path()}, {"AWS_PROFILE", "ops"}});
  const auto creds = aws::profile_credentials(env)->load();
  ASSERT_TRUE(creds.has_value());
  EXPECT_EQ(creds->access_key_id, "AKIDOPS");
  EXPECT_EQ(aws::resolve_region(env), "eu-west-3");
}

TEST(ProfileCredentialsTest, MissingNamedProfileIsAConfigError) {
  TempDir dir;
  const std::string file =
      dir.write("credentials", "[default]\naws_access_key_id=a\naws_secret_access_key=b\n");
  const auto env = aws::map_env({{"AWS_SHARED_CREDENTIALS_FILE", file}, {"AWS_PROFILE", "ghost"}});
  try {
    aws::profile_credentials(env)->load();
    FAIL() << "expected aws::Error";
  } catch (const aws::Error& e) {
    EXPECT_EQ(e.code(), "ConfigError");
  }
}

TEST(DefaultChainTest, EnvironmentThenProfileThenContainer) {
  FakeAws fake;
  TempDir dir;
  const std::string file = dir.write(
      "credentials", "[default]\naws_access_key_id=AKIDPROFILE\naws_secret_access_key=p\n");
  aws::DefaultCredentialsOptions options;
  options.container = container_options(fake);
  options.imds.endpoint = "http://127.0.0.1:1";
  std::map<std::string, std::string> vars{
      {"AWS_ACCESS_KEY_ID", "AKIDENV"},
      {"AWS_SECRET_ACCESS_KEY", "e"},
      {"AWS_SHARED_CREDENTIALS_FILE", file},
      {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/ecs/relative"}};
  EXPECT_EQ(aws::default_credentials(aws::map_env(vars), options)->load()->access_key_id,
            "AKIDENV");
  vars.erase("AWS_ACCESS_KEY_ID");
  vars.erase("AWS_SECRET_ACCESS_KEY");
  EXPECT_EQ(aws::default_credentials(aws::map_env(vars), options)->load()->access_key_id,
            "AKIDPROFILE");
  vars.erase("AWS_SHARED_CREDENTIALS_FILE");
  EXPECT_EQ(aws::default_credentials(aws::map_env(vars), options)->load()->source, "container");
  vars.erase("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  EXPECT_FALSE(aws::default_credentials(aws::map_env(vars), options)->load().has_value());
}

TEST(DefaultChainTest, ClientConfigFromEnvironmentPointsAtTheFake) {
  FakeAws fake;
  const auto env =
      aws::map_env({{"AWS_REGION", aws_test::kRegion},
                    {"AWS_ENDPOINT_URL", fake.url() + "/"},
                    {"AWS_ACCESS_KEY_ID", aws_test::test_credentials().access_key_id},
                    {"AWS_SECRET_ACCESS_KEY", aws_test::test_credentials().secret_access_key},
                    {"AWS_EC2_METADATA_DISABLED", "true"}});
  const aws::SsmClient ssm(aws::client_config_from_env(aws::ssm_service(), env));
  EXPECT_EQ(ssm.get_parameter("/mysite/secure").value, "s3cr3t-value");
}

}  // namespace
