#include "fake_aws_process.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "aws/credential_providers.hpp"
#include "aws/http_client.hpp"

extern char** environ;

namespace aws_test {

aws::Credentials test_credentials() {
  return {"AKIDFAKETESTKEY00001", "fake/secret+key=abcdefghijklmnopqrstu", "", std::nullopt,
          "static"};
}

aws::Credentials test_session_credentials() {
  return {"ASIA_FAKE_SESSION_02", "session/secret+key=zyxwvutsrqponmlkji",
          "session-token/with+chars==", std::nullopt, "static"};
}

aws::Credentials container_role_credentials() {
  return {"ASIA_FAKE_CONTAINER3", "container/secret=key0123456789abcdef", "container-session-token",
          std::nullopt, "container"};
}

FakeAws::FakeAws(const nlohmann::json& extra) {
  const auto creds_json = [](const aws::Credentials& c) {
    return nlohmann::json{
        {"access_key", c.access_key_id},
        {"secret_key", c.secret_access_key},
        {"token", c.session_token.empty() ? nlohmann::json() : nlohmann::json(c.session_token)}};
  };
  const aws::Credentials role = container_role_credentials();
  nlohmann::json config{
      {"region", kRegion},
      {"credentials", {creds_json(test_credentials()), creds_json(test_session_credentials())}},
      {"parameters",
       {{"ecsTaskParams",
         {{"Value", R"({"DB_HOST":"db.example","DB_PORT":"3306"})"}, {"Type", "String"}}},
        {"/mysite/secure", {{"Value", "s3cr3t-value"}, {"Type", "SecureString"}}}}},
      {"secrets",
       {{"db-master", {{"SecretString", R"({"username":"admin","password":"pw"})"}}},
        {"binary-secret", {{"SecretBinary", "AAECAwQ="}}}}},
      {"buckets", {"static-bucket", "other.bucket"}},
      {"container",
       {{"credentials",
         {{"AccessKeyId", role.access_key_id},
          {"SecretAccessKey", role.secret_access_key},
          {"Token", role.session_token}}},
        {"token", kContainerToken}}}};
  config.update(extra);

  char path_template[] = "/tmp/fake_aws_config_XXXXXX";
  const int fd = mkstemp(path_template);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  close(fd);
  config_path_ = path_template;
  std::ofstream(config_path_) << config.dump();

  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  std::string python = "/usr/bin/python3";
  std::string script = MYSITE_FAKE_AWS_SCRIPT;
  std::string flag = "--config";
  char* argv[] = {python.data(), script.data(), flag.data(), config_path_.data(), nullptr};
  const int rc = posix_spawn(&pid_, python.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (rc != 0) {
    close(out[0]);
    throw std::runtime_error("cannot start fake_aws.py");
  }
  FILE* stream = fdopen(out[0], "r");
  char line[128] = {};
  const bool ok = std::fgets(line, sizeof line, stream) != nullptr;
  std::fclose(stream);
  int port = 0;
  if (!ok || std::sscanf(line, "PORT %d", &port) != 1) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    throw std::runtime_error("fake_aws.py did not report its port");
  }
  url_ = "http://127.0.0.1:" + std::to_string(port);
}

FakeAws::~FakeAws() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  if (!config_path_.empty()) std::remove(config_path_.c_str());
}

void FakeAws::fail_next(int count, int status, const std::string& code,
                        const std::string& service) {
  nlohmann::json body{{"count", count}, {"status", status}, {"code", code}};
  body["service"] = service.empty() ? nlohmann::json() : nlohmann::json(service);
  aws::http_send({"POST", url_ + "/__control/fail", {}, {}, body.dump()}, {});
}

nlohmann::json FakeAws::stats() const {
  return nlohmann::json::parse(
      aws::http_send({"GET", url_ + "/__control/stats", {}, {}, ""}, {}).body);
}

int FakeAws::count(const std::string& name) const { return stats().value(name, 0); }

void FakeAws::reset() const { aws::http_send({"POST", url_ + "/__control/reset", {}, {}, ""}, {}); }

void FakeAws::put(const nlohmann::json& fragment) const {
  aws::http_send({"POST", url_ + "/__control/put", {}, {}, fragment.dump()}, {});
}

nlohmann::json FakeAws::control(const std::string& name) const {
  return nlohmann::json::parse(
      aws::http_send({"GET", url_ + "/__control/" + name, {}, {}, ""}, {}).body);
}

aws::ClientConfig FakeAws::client_config(const aws::Credentials& credentials) const {
  aws::ClientConfig config;
  config.region = kRegion;
  config.credentials = aws::static_credentials(credentials);
  config.endpoint_url = url_;
  config.retry.base_delay = std::chrono::milliseconds{5};
  config.http.total_timeout = std::chrono::milliseconds{10000};
  return config;
}

}  // namespace aws_test
