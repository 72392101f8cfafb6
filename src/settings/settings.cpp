#include "settings/settings.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#ifndef MYSITE_SOURCE_DIR
#define MYSITE_SOURCE_DIR "."
#endif

namespace settings {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

[[noreturn]] void bad(const std::string& name, const std::string& what, const std::string& value) {
  throw Error(name + ": " + what + ", got '" + value + "'");
}

bool parse_bool(const std::string& name, const std::string& value) {
  auto v = lower(trim(value));
  if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "0" || v == "no" || v == "off" || v.empty()) return false;
  bad(name, "expected true or false", value);
}

long parse_int(const std::string& name, const std::string& value, long min, long max,
               const char* what) {
  auto v = trim(value);
  long out = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || out < min || out > max)
    bad(name, what, value);
  return out;
}

std::vector<std::string> parse_list(const std::string& value) {
  std::vector<std::string> out;
  std::stringstream in(value);
  std::string item;
  while (std::getline(in, item, ',')) {
    item = lower(trim(item));
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string one_of(const std::string& name, const std::string& value,
                   std::initializer_list<const char*> allowed) {
  auto v = lower(trim(value));
  for (const char* a : allowed)
    if (v == a) return v;
  std::string list;
  for (const char* a : allowed) list += (list.empty() ? "" : " or ") + std::string(a);
  bad(name, "expected " + list, value);
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

}  // namespace

const std::vector<std::string>& setting_names() {
  static const std::vector<std::string> kNames{"DEBUG_FLAG",
                                               "HOST_NAMES",
                                               "SECRET_KEY",
                                               "BIND",
                                               "THREADS",
                                               "ACCESS_LOG",
                                               "BASE_DIR",
                                               "DB_ENGINE",
                                               "DB_NAME",
                                               "DB_HOST",
                                               "DB_PORT",
                                               "DB_USER",
                                               "DB_PASSWORD",
                                               "DB_AUTH",
                                               "DB_SSL_CA",
                                               "DB_TIMEOUT",
                                               "AWS_REGION",
                                               "STATIC_BUCKET_NAME",
                                               "STATIC_URL",
                                               "STATIC_ROOT",
                                               "TASK_PARAMS",
                                               "SESSION_COOKIE_AGE",
                                               "SESSION_IDLE_TIMEOUT",
                                               "CSRF_TRUSTED_ORIGINS",
                                               "TRUSTED_PROXY_COUNT"};
  return kNames;
}

bool is_secret(std::string_view name) { return name == "SECRET_KEY" || name == "DB_PASSWORD"; }

std::string default_base_dir() { return MYSITE_SOURCE_DIR; }

void apply(Settings& s, const std::string& name, const std::string& value) {
  if (name == "DEBUG_FLAG")
    s.debug = parse_bool(name, value);
  else if (name == "HOST_NAMES")
    s.host_names = parse_list(value);
  else if (name == "SECRET_KEY")
    s.secret_key = value;
  else if (name == "BIND") {
    auto colon = value.rfind(':');
    if (colon == std::string::npos || colon == 0) bad(name, "expected HOST:PORT", value);
    parse_int(name, value.substr(colon + 1), 0, 65535, "expected HOST:PORT with a port 0-65535");
    s.bind = trim(value);
  } else if (name == "THREADS")
    s.threads =
        static_cast<int>(parse_int(name, value, 0, 1024, "expected a number of threads 0-1024"));
  else if (name == "ACCESS_LOG")
    s.access_log = parse_bool(name, value);
  else if (name == "BASE_DIR") {
    if (trim(value).empty()) bad(name, "expected a directory", value);
    s.base_dir = trim(value);
  } else if (name == "DB_ENGINE")
    s.db_engine = one_of(name, value, {"sqlite", "mysql"});
  else if (name == "DB_NAME")
    s.db_name = trim(value);
  else if (name == "DB_HOST")
    s.db_host = trim(value);
  else if (name == "DB_PORT")
    s.db_port = static_cast<std::uint16_t>(
        parse_int(name, value, 1, 65535, "expected a port number 1-65535"));
  else if (name == "DB_USER")
    s.db_user = trim(value);
  else if (name == "DB_PASSWORD")
    s.db_password = value;
  else if (name == "DB_AUTH")
    s.db_auth = one_of(name, value, {"password", "iam"});
  else if (name == "DB_SSL_CA")
    s.db_ssl_ca = trim(value);
  else if (name == "DB_TIMEOUT")
    s.db_timeout = static_cast<int>(parse_int(name, value, 1, 3600, "expected seconds 1-3600"));
  else if (name == "AWS_REGION")
    s.aws_region = trim(value);
  else if (name == "STATIC_BUCKET_NAME")
    s.static_bucket_name = trim(value);
  else if (name == "STATIC_URL") {
    auto v = trim(value);
    if (v.empty() || v.back() != '/') bad(name, "expected a URL ending in '/'", value);
    s.static_url = v;
  } else if (name == "STATIC_ROOT")
    s.static_root = trim(value);
  else if (name == "TASK_PARAMS")
    s.task_params = trim(value);
  else if (name == "SESSION_COOKIE_AGE")
    s.session_cookie_age = parse_int(name, value, 60, 31536000, "expected seconds 60-31536000");
  else if (name == "SESSION_IDLE_TIMEOUT")
    s.session_idle_timeout =
        parse_int(name, value, 0, 31536000, "expected seconds 0-31536000 (0: no idle timeout)");
  else if (name == "CSRF_TRUSTED_ORIGINS") {
    auto origins = parse_list(value);
    for (const auto& o : origins) {
      auto sep = o.find("://");
      if (sep == std::string::npos || sep == 0 || sep + 3 >= o.size() ||
          o.find('/', sep + 3) != std::string::npos)
        bad(name, "expected origins as scheme://host[:port] (Django 4 format), comma-separated",
            value);
    }
    s.csrf_trusted_origins = std::move(origins);
  } else if (name == "TRUSTED_PROXY_COUNT")
    s.trusted_proxy_count =
        static_cast<int>(parse_int(name, value, 0, 10, "expected a number of proxies 0-10"));
  else
    throw Error(name + ": unknown setting");
}

std::vector<std::pair<std::string, std::string>> Settings::describe() const {
  auto secret = [](const std::string& v) {
    return v.empty() ? std::string() : std::string("********");
  };
  return {
      {"DEBUG_FLAG", debug ? "true" : "false"},
      {"HOST_NAMES", join(host_names)},
      {"SECRET_KEY", secret(secret_key)},
      {"BIND", bind},
      {"THREADS", std::to_string(threads)},
      {"ACCESS_LOG", access_log ? "true" : "false"},
      {"BASE_DIR", base_dir},
      {"DB_ENGINE", db_engine},
      {"DB_NAME", db_name},
      {"DB_HOST", db_host},
      {"DB_PORT", std::to_string(db_port)},
      {"DB_USER", db_user},
      {"DB_PASSWORD", secret(db_password)},
      {"DB_AUTH", db_auth},
      {"DB_SSL_CA", db_ssl_ca},
      {"DB_TIMEOUT", std::to_string(db_timeout)},
      {"AWS_REGION", aws_region},
      {"STATIC_BUCKET_NAME", static_bucket_name},
      {"STATIC_URL", static_url},
      {"STATIC_ROOT", static_root},
      {"TASK_PARAMS", task_params},
      {"SESSION_COOKIE_AGE", std::to_string(session_cookie_age)},
      {"SESSION_IDLE_TIMEOUT", std::to_string(session_idle_timeout)},
      {"CSRF_TRUSTED_ORIGINS", join(csrf_trusted_origins)},
      {"TRUSTED_PROXY_COUNT", std::to_string(trusted_proxy_count)},
  };
}

void apply_json(Settings& s, const std::string& json_text, const std::string& origin) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::exception&) {
    throw Error(origin + ": not valid JSON");
  }
  if (!doc.is_object()) throw Error(origin + ": must hold a JSON object");
  for (const auto& [key, value] : doc.items()) {
    std::string text;
    if (value.is_string())
      text = value.get<std::string>();
    else if (value.is_boolean())
      text = value.get<bool>() ? "true" : "false";
    else if (value.is_number_integer())
      text = std::to_string(value.get<long long>());
    else if (value.is_array()) {
      for (const auto& item : value) {
        if (!item.is_string()) throw Error(key + ": expected a list of strings");
        if (!text.empty()) text += ',';
        text += item.get<std::string>();
      }
    } else
      throw Error(key + ": expected a string, number, boolean or list");
    apply(s, key, text);
  }
}

Settings load(const Sources& sources) {
  Settings s;
  s.base_dir = default_base_dir();
  if (sources.file) {
    std::ifstream in(*sources.file);
    if (!in) throw Error("MYSITE_SETTINGS_FILE: cannot read '" + *sources.file + "'");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    apply_json(s, text, "MYSITE_SETTINGS_FILE '" + *sources.file + "'");
  }
  if (sources.getenv) {
    for (const auto& name : setting_names())
      if (auto value = sources.getenv(name)) apply(s, name, *value);
  }
  if (!s.task_params.empty()) {
    if (!sources.fetch_task_params)
      throw Error("TASK_PARAMS: set, but this program cannot read SSM parameters");
    const std::string name = s.task_params;
    const std::string bind = s.bind;
    apply_json(s, sources.fetch_task_params(name), "TASK_PARAMS '" + name + "'");
    // The container health check finds the server by BIND without calling SSM (see
    // healthcheck_command.cpp), so the parameter must not move it.
    if (s.bind != bind)
      throw Error("BIND: set it in the container's environment, not in TASK_PARAMS '" + name +
                  "' (the health check reads it without calling SSM)");
  }
  if (s.db_name.empty() && s.db_engine == "sqlite") s.db_name = s.base_dir + "/var/db.sqlite3";
  if (s.static_root.empty()) s.static_root = s.base_dir + "/var/staticfiles";
  return s;
}

}  // namespace settings
