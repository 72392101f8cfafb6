#include "settings/check.hpp"

#include <filesystem>
#include <set>

namespace settings {

std::vector<Problem> check(const Settings& s, bool deploy) {
  std::vector<Problem> out;
  auto add = [&](std::string id, bool error, std::string message) {
    out.push_back({std::move(id), error, std::move(message)});
  };
  namespace fs = std::filesystem;

  if (s.host_names.empty())
    add("mysite.E001", true, "HOST_NAMES: empty, so every request would be refused with 400");
  if (!fs::is_directory(s.app_dir() + "/templates"))
    add("mysite.E002", true, "BASE_DIR: no templates folder at " + s.app_dir() + "/templates");
  if (s.db_engine == "mysql") {
    if (s.db_host.empty()) add("mysite.E010", true, "DB_HOST: required when DB_ENGINE is mysql");
    if (s.db_user.empty()) add("mysite.E011", true, "DB_USER: required when DB_ENGINE is mysql");
    if (s.db_name.empty()) add("mysite.E012", true, "DB_NAME: required when DB_ENGINE is mysql");
    if (s.db_auth == "password" && s.db_password.empty())
      add("mysite.W013", false, "DB_PASSWORD: empty while DB_AUTH is password");
  }
  if (s.db_auth == "iam") {
    if (s.db_engine != "mysql") add("mysite.E014", true, "DB_AUTH: iam needs DB_ENGINE mysql");
    if (s.db_ssl_ca.empty())
      add("mysite.E015", true, "DB_SSL_CA: required when DB_AUTH is iam (tokens travel only over TLS)");
    if (s.aws_region.empty()) add("mysite.E016", true, "AWS_REGION: required when DB_AUTH is iam");
  }
  if (!s.db_ssl_ca.empty() && !fs::is_regular_file(s.db_ssl_ca))
    add("mysite.E017", true, "DB_SSL_CA: no file at " + s.db_ssl_ca);

  // Sessions and CSRF tokens are signed with SECRET_KEY; every task must share one (the original
  // made a random one per process, which broke logins across workers).
  if (!s.debug && s.secret_key.empty())
    add("mysite.E020", true,
        "SECRET_KEY: required when DEBUG_FLAG is off (the same long random value in every task)");
  // Django's security checks: warnings locally, errors with --deploy.
  std::set<char> distinct(s.secret_key.begin(), s.secret_key.end());
  if (s.secret_key.size() < 50 || distinct.size() < 5)
    add("security.W009", deploy,
        "SECRET_KEY: shorter than 50 characters or fewer than 5 distinct ones; "
        "generate a long random value and keep it in Secrets Manager");
  if (deploy) {
    if (s.debug)
      add("security.W018", true, "DEBUG_FLAG: on; error pages would show internal details");
    for (const auto& h : s.host_names)
      if (h == "*") add("security.W020", true, "HOST_NAMES: '*' accepts any Host header");
    if (s.db_engine == "sqlite")
      add("mysite.W020", false, "DB_ENGINE: sqlite keeps data in the task; use mysql on AWS");
  }
  return out;
}

}  // namespace settings
