// Password hashes against Django (Debian python3-django + python3-argon2) as the oracle: every
// hash Django makes verifies here, and every hash made here verifies in Django. Label: oracle.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/password_hashers.hpp"

#ifndef MYSITE_AUTH_ORACLE
#define MYSITE_AUTH_ORACLE "tests/auth/django_hashers_oracle.py"
#endif

namespace {

struct Output {
  int status = -1;
  std::string text;
};

Output run(const std::string& command) {
  Output out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return out;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.text.append(buffer, n);
  int rc = ::pclose(pipe);
  out.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

std::vector<nlohmann::json> lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(nlohmann::json::parse(text.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

std::string oracle() { return std::string("/usr/bin/python3 ") + MYSITE_AUTH_ORACLE; }

TEST(DjangoOracle, EveryDjangoHashVerifies) {
  // GIVEN hashes Django made at several iteration counts, salts and argon2 parameters
  auto made = run(oracle() + " make");
  if (made.status == 77) GTEST_SKIP() << "Django or argon2-cffi not installed";
  ASSERT_EQ(made.status, 0) << made.text;
  auto items = lines(made.text);
  ASSERT_GE(items.size(), 10u);
  for (const auto& item : items) {
    const auto password = item["password"].get<std::string>();
    const auto encoded = item["encoded"].get<std::string>();
    // THEN ours verifies each, and rejects a wrong password
    EXPECT_TRUE(auth::check_password(password, encoded).ok) << encoded;
    EXPECT_FALSE(auth::check_password(password + "x", encoded).ok) << encoded;
    // AND none is at today's defaults (each would be upgraded at the next login)
    EXPECT_TRUE(auth::must_update(encoded)) << encoded;
  }
}

TEST(DjangoOracle, DjangoVerifiesOurHashes) {
  auth::HasherPolicy fast_pbkdf2;
  fast_pbkdf2.pbkdf2_iterations = 1000;
  auth::HasherPolicy argon2;
  argon2.algorithm = auth::HasherPolicy::Algorithm::kArgon2id;
  argon2.argon2_memory_cost = 1024;
  argon2.argon2_parallelism = 2;
  auth::HasherPolicy argon2_default;
  argon2_default.algorithm = auth::HasherPolicy::Algorithm::kArgon2id;

  std::vector<std::pair<std::string, std::string>> ours{
      {"correct horse battery staple", auth::make_password("correct horse battery staple", fast_pbkdf2)},
      {"lètmein", auth::make_password("lètmein", fast_pbkdf2)},
      {"", auth::make_password_with_salt("", "seasalt", fast_pbkdf2)},
      {"default cost", auth::make_password("default cost")},  // 1,000,000 iterations
      {"argon2 pass", auth::make_password("argon2 pass", argon2)},
      {"argon2 default", auth::make_password("argon2 default", argon2_default)},
  };
  ours.push_back({"wrong", ours[0].second});  // Django must say no to this one

  auto input = std::filesystem::temp_directory_path() / ("mysite-auth-oracle-" + std::to_string(::getpid()));
  {
    std::ofstream out(input);
    for (const auto& [password, encoded] : ours)
      out << nlohmann::json{{"password", password}, {"encoded", encoded}}.dump() << "\n";
  }
  auto checked = run(oracle() + " check < " + input.string());
  std::filesystem::remove(input);
  if (checked.status == 77) GTEST_SKIP() << "Django or argon2-cffi not installed";
  ASSERT_EQ(checked.status, 0) << checked.text;
  auto verdicts = lines(checked.text);
  ASSERT_EQ(verdicts.size(), ours.size());
  for (std::size_t i = 0; i + 1 < ours.size(); ++i)
    EXPECT_TRUE(verdicts[i]["ok"].get<bool>()) << ours[i].second;
  EXPECT_FALSE(verdicts.back()["ok"].get<bool>());
  EXPECT_EQ(ours[3].second.rfind("pbkdf2_sha256$1000000$", 0), 0u) << ours[3].second;
  EXPECT_EQ(ours[5].second.rfind("argon2$argon2id$v=19$m=102400,t=2,p=8$", 0), 0u) << ours[5].second;
}

}  // namespace
