#include "settings/settings.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include <unistd.h>

#include "settings/check.hpp"

namespace {

settings::Sources env(std::map<std::string, std::string> vars) {
  settings::Sources s;
  s.getenv = [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  return s;
}

std::string error_of(settings::Sources sources) {
  try {
    settings::load(sources);
  } catch (const settings::Error& e) {
    return e.what();
  }
  return "";
}

TEST(Settings, EmbeddedDefaultNeedsNothing) {
  auto s = settings::load(env({}));
  EXPECT_FALSE(s.debug);
  EXPECT_EQ(s.host_names, (std::vector<std::string>{"localhost", "127.0.0.1"}));
  EXPECT_EQ(s.db_engine, "sqlite");
  EXPECT_EQ(s.db_name, s.base_dir + "/var/db.sqlite3");
  EXPECT_EQ(s.static_url, "/static/");
  EXPECT_EQ(s.bind, "127.0.0.1:8000");
}

TEST(Settings, EnvironmentOverridesDefaults) {
  auto s = settings::load(env({{"DEBUG_FLAG", "True"},
                               {"HOST_NAMES", " Example.com, .example.org ,"},
                               {"DB_PORT", "3307"},
                               {"DB_ENGINE", "MySQL"}}));
  EXPECT_TRUE(s.debug);
  EXPECT_EQ(s.host_names, (std::vector<std::string>{"example.com", ".example.org"}));
  EXPECT_EQ(s.db_port, 3307);
  EXPECT_EQ(s.db_engine, "mysql");
}

TEST(Settings, MalformedValuesNameTheSetting) {
  EXPECT_EQ(error_of(env({{"DB_PORT", "abc"}})), "DB_PORT: expected a port number 1-65535, got 'abc'");
  EXPECT_EQ(error_of(env({{"DB_PORT", "65536"}})).rfind("DB_PORT:", 0), 0u);
  EXPECT_EQ(error_of(env({{"DB_PORT", "0"}})).rfind("DB_PORT:", 0), 0u);
  EXPECT_EQ(error_of(env({{"DEBUG_FLAG", "maybe"}})).rfind("DEBUG_FLAG:", 0), 0u);
  EXPECT_EQ(error_of(env({{"DB_ENGINE", "postgres"}})).rfind("DB_ENGINE:", 0), 0u);
  EXPECT_EQ(error_of(env({{"DB_AUTH", "kerberos"}})).rfind("DB_AUTH:", 0), 0u);
  EXPECT_EQ(error_of(env({{"STATIC_URL", "/static"}})).rfind("STATIC_URL:", 0), 0u);
  EXPECT_EQ(error_of(env({{"BIND", "8000"}})).rfind("BIND:", 0), 0u);
  EXPECT_EQ(error_of(env({{"THREADS", "-1"}})).rfind("THREADS:", 0), 0u);
}

TEST(Settings, BoundaryValuesAreAccepted) {
  EXPECT_EQ(settings::load(env({{"DB_PORT", "1"}})).db_port, 1);
  EXPECT_EQ(settings::load(env({{"DB_PORT", "65535"}})).db_port, 65535);
}

class SettingsFile : public ::testing::Test {
 protected:
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("mysite-settings-" + std::to_string(::getpid()) + ".json");
  void write(const std::string& text) { std::ofstream(path) << text; }
  void TearDown() override { std::filesystem::remove(path); }
};

TEST_F(SettingsFile, FileThenEnvironment) {
  write(R"({"DEBUG_FLAG": true, "DB_PORT": 3310, "HOST_NAMES": ["a.test", "b.test"], "DB_USER": "file"})");
  auto sources = env({{"DB_USER", "env"}});
  sources.file = path.string();
  auto s = settings::load(sources);
  EXPECT_TRUE(s.debug);
  EXPECT_EQ(s.db_port, 3310);
  EXPECT_EQ(s.host_names, (std::vector<std::string>{"a.test", "b.test"}));
  EXPECT_EQ(s.db_user, "env");
}

TEST_F(SettingsFile, UnknownKeyIsAnError) {
  write(R"({"DB_PASWORD": "x"})");
  auto sources = env({});
  sources.file = path.string();
  EXPECT_EQ(error_of(sources), "DB_PASWORD: unknown setting");
}

TEST_F(SettingsFile, InvalidJsonIsAnError) {
  write("{not json");
  auto sources = env({});
  sources.file = path.string();
  EXPECT_EQ(error_of(sources).rfind("MYSITE_SETTINGS_FILE", 0), 0u);
}

TEST(Settings, DescribeRedactsSecrets) {
  auto s = settings::load(env({{"SECRET_KEY", "super-secret"}, {"DB_PASSWORD", "hunter2"}}));
  for (const auto& [name, value] : s.describe()) {
    EXPECT_EQ(value.find("super-secret"), std::string::npos) << name;
    EXPECT_EQ(value.find("hunter2"), std::string::npos) << name;
  }
}

bool has(const std::vector<settings::Problem>& problems, const std::string& id, bool error) {
  for (const auto& p : problems)
    if (p.id == id && p.error == error) return true;
  return false;
}

TEST(Check, DeployTurnsSecurityWarningsIntoErrors) {
  auto s = settings::load(env({{"DEBUG_FLAG", "on"}, {"SECRET_KEY", "short"}}));
  auto local = settings::check(s, false);
  EXPECT_TRUE(has(local, "security.W009", false));
  EXPECT_FALSE(has(local, "security.W018", true));
  auto deploy = settings::check(s, true);
  EXPECT_TRUE(has(deploy, "security.W009", true));
  EXPECT_TRUE(has(deploy, "security.W018", true));
}

TEST(Check, MysqlNeedsHostAndUser) {
  auto s = settings::load(env({{"DB_ENGINE", "mysql"}}));
  auto problems = settings::check(s, false);
  EXPECT_TRUE(has(problems, "mysite.E010", true));
  EXPECT_TRUE(has(problems, "mysite.E011", true));
}

TEST(Check, IamNeedsTls) {
  auto s = settings::load(env({{"DB_ENGINE", "mysql"}, {"DB_AUTH", "iam"}, {"DB_HOST", "h"},
                               {"DB_USER", "django"}, {"DB_NAME", "main"}}));
  EXPECT_TRUE(has(settings::check(s, false), "mysite.E015", true));
}

TEST(Check, EmptyHostNamesIsAnError) {
  auto s = settings::load(env({{"HOST_NAMES", ""}}));
  EXPECT_TRUE(has(settings::check(s, false), "mysite.E001", true));
}

TEST(Check, GoodSettingsPassDeploy) {
  auto s = settings::load(env({{"SECRET_KEY", std::string(60, 'a') + "bcdef"},
                               {"HOST_NAMES", "www.example.com"}}));
  for (const auto& p : settings::check(s, true)) EXPECT_FALSE(p.error) << p.message;
}

TEST(Check, SecretKeyRequiredWhenDebugOff) {
  auto off = settings::load(env({}));
  EXPECT_TRUE(has(settings::check(off, false), "mysite.E020", true));
  auto with_key = settings::load(env({{"SECRET_KEY", "k"}}));
  EXPECT_FALSE(has(settings::check(with_key, false), "mysite.E020", true));
  auto debug = settings::load(env({{"DEBUG_FLAG", "on"}}));
  EXPECT_FALSE(has(settings::check(debug, false), "mysite.E020", true));
}

TEST(Settings, AuthSettingsDefaultsAndValues) {
  auto d = settings::load(env({}));
  EXPECT_EQ(d.session_cookie_age, 1209600);
  EXPECT_EQ(d.session_idle_timeout, 0);
  EXPECT_TRUE(d.csrf_trusted_origins.empty());
  EXPECT_EQ(d.trusted_proxy_count, 0);
  auto s = settings::load(env({{"SESSION_COOKIE_AGE", "3600"}, {"SESSION_IDLE_TIMEOUT", "900"},
                               {"CSRF_TRUSTED_ORIGINS", "https://Example.com, https://*.example.org:8443"},
                               {"TRUSTED_PROXY_COUNT", "2"}}));
  EXPECT_EQ(s.session_cookie_age, 3600);
  EXPECT_EQ(s.session_idle_timeout, 900);
  EXPECT_EQ(s.csrf_trusted_origins,
            (std::vector<std::string>{"https://example.com", "https://*.example.org:8443"}));
  EXPECT_EQ(s.trusted_proxy_count, 2);
}

TEST(Settings, AuthSettingsLimits) {
  EXPECT_EQ(error_of(env({{"SESSION_COOKIE_AGE", "60"}})), "");
  EXPECT_NE(error_of(env({{"SESSION_COOKIE_AGE", "59"}})).find("SESSION_COOKIE_AGE:"), std::string::npos);
  EXPECT_EQ(error_of(env({{"TRUSTED_PROXY_COUNT", "10"}})), "");
  EXPECT_NE(error_of(env({{"TRUSTED_PROXY_COUNT", "11"}})).find("TRUSTED_PROXY_COUNT:"), std::string::npos);
  EXPECT_NE(error_of(env({{"CSRF_TRUSTED_ORIGINS", "example.com"}})).find("CSRF_TRUSTED_ORIGINS:"),
            std::string::npos);
  EXPECT_NE(error_of(env({{"CSRF_TRUSTED_ORIGINS", "https://example.com/path"}})).find("CSRF_TRUSTED_ORIGINS:"),
            std::string::npos);
}

}  // namespace

namespace {

TEST(Settings, TaskParamsComeLastAndDeriveDefaultsAfter) {
  auto sources = env({{"TASK_PARAMS", "/stack/ecsTaskParams"}, {"DB_USER", "env"}});
  std::string asked;
  sources.fetch_task_params = [&](const std::string& name) {
    asked = name;
    return std::string(R"({"DB_ENGINE": "mysql", "DB_USER": "django", "DB_NAME": "main", "DEBUG_FLAG": "False"})");
  };
  auto s = settings::load(sources);
  EXPECT_EQ(asked, "/stack/ecsTaskParams");
  EXPECT_EQ(s.db_engine, "mysql");
  EXPECT_EQ(s.db_user, "django");
  EXPECT_EQ(s.db_name, "main");
}

TEST(Settings, TaskParamsErrorsNameTheParameter) {
  auto sources = env({{"TASK_PARAMS", "p"}});
  sources.fetch_task_params = [](const std::string&) { return std::string("[1, 2]"); };
  EXPECT_EQ(error_of(sources).rfind("TASK_PARAMS 'p': must hold a JSON object", 0), 0u);
  sources.fetch_task_params = [](const std::string&) { return std::string(R"({"DB_PORT": "x"})"); };
  EXPECT_EQ(error_of(sources).rfind("DB_PORT:", 0), 0u);
}

TEST(Settings, TaskParamsWithoutFetcherIsAnError) {
  EXPECT_EQ(error_of(env({{"TASK_PARAMS", "p"}})).rfind("TASK_PARAMS:", 0), 0u);
}

}  // namespace
