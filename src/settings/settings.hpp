// settings: the site's configuration, layered as DESIGN.md says: built-in defaults, then an
// optional JSON file, then the environment, then the TASK_PARAMS SSM parameter (fetched by a
// function the caller plugs in: programs use settings/process_settings.hpp).
// Knows nothing of HTTP, templates, the database or AWS; it only names and validates values.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace settings {

// A bad setting. what() is one line that starts with the setting's name:
// "DB_PORT: expected a port number 1-65535, got 'abc'".
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Settings {
  bool debug = false;                                             // DEBUG_FLAG
  std::vector<std::string> host_names{"localhost", "127.0.0.1"};  // HOST_NAMES
  std::string secret_key;                                         // SECRET_KEY
  std::string bind = "127.0.0.1:8000";                            // BIND (host:port for serve)
  int threads = 0;                                                // THREADS (0: one per core)
  bool access_log = true;                                         // ACCESS_LOG
  std::string base_dir;                                           // BASE_DIR (app/, var/ live here)
  std::string db_engine = "sqlite";                               // DB_ENGINE: sqlite | mysql
  std::string db_name;                                            // DB_NAME (sqlite: file path)
  std::string db_host;                                            // DB_HOST
  std::uint16_t db_port = 3306;                                   // DB_PORT
  std::string db_user;                                            // DB_USER
  std::string db_password;                                        // DB_PASSWORD (secret)
  std::string db_auth = "password";                               // DB_AUTH: password | iam
  std::string db_ssl_ca;                                          // DB_SSL_CA
  int db_timeout = 2;  // DB_TIMEOUT: seconds `serve` waits for MySQL (connect, read, write, pool)
  std::string aws_region;               // AWS_REGION
  std::string static_bucket_name;       // STATIC_BUCKET_NAME
  std::string static_url = "/static/";  // STATIC_URL
  std::string static_root;              // STATIC_ROOT
  std::string task_params;              // TASK_PARAMS (SSM name)
  // Sessions, CSRF and login (src/auth).
  long session_cookie_age = 1209600;              // SESSION_COOKIE_AGE: seconds (2 weeks), absolute
  long session_idle_timeout = 0;                  // SESSION_IDLE_TIMEOUT: seconds, 0 = none
  std::vector<std::string> csrf_trusted_origins;  // CSRF_TRUSTED_ORIGINS: scheme://host[:port]
  int trusted_proxy_count = 0;  // TRUSTED_PROXY_COUNT: proxies appending X-Forwarded-For

  std::string app_dir() const { return base_dir + "/app"; }
  // Where `name` points: one line per setting, secrets redacted, for `mysite settings`.
  std::vector<std::pair<std::string, std::string>> describe() const;
};

// Every setting's name, in the order `mysite settings` prints them.
const std::vector<std::string>& setting_names();
// Whether `name` holds a secret that must never be printed or logged.
bool is_secret(std::string_view name);

// Where values come from, highest last. `getenv` is injectable for tests.
struct Sources {
  std::optional<std::string> file;  // JSON object of settings; MYSITE_SETTINGS_FILE by default
  std::function<std::optional<std::string>(const std::string&)> getenv;
  // Fetches the JSON text of the SSM parameter TASK_PARAMS names (the cli layer plugs in the AWS
  // client here, so settings knows nothing of AWS). Called only when TASK_PARAMS is set.
  std::function<std::string(const std::string& parameter_name)> fetch_task_params;
};

// Defaults, then the file, then the environment, then the TASK_PARAMS parameter. Throws Error on an
// unknown key in the file, a malformed value, or an unreadable file.
Settings load(const Sources& sources);

// Applies one textual value (as found in the environment or a file) to `s`.
// Throws Error naming the setting when the value is malformed or the name unknown.
void apply(Settings& s, const std::string& name, const std::string& value);

// Applies every key of a JSON object (a settings file, or the TASK_PARAMS SSM parameter) to `s`.
// Strings, numbers, booleans and lists of strings are accepted. `origin` names the source in
// errors ("MYSITE_SETTINGS_FILE", "TASK_PARAMS"). Throws Error naming the key or the origin.
void apply_json(Settings& s, const std::string& json_text, const std::string& origin);

// The compiled-in project directory (the checkout), the default BASE_DIR.
std::string default_base_dir();

}  // namespace settings
