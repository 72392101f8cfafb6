#include "settings/process_settings.hpp"

#include "aws/client.hpp"
#include "aws/credential_providers.hpp"
#include "aws/error.hpp"
#include "aws/ssm.hpp"

namespace settings {

std::string fetch_task_params(const std::string& name, const aws::Env& env) {
  const std::string where = "TASK_PARAMS: SSM parameter '" + name + "'";
  try {
    aws::SsmClient ssm(
        aws::client_config_from_env(aws::ssm_service(), env, aws::process_credentials()));
    return ssm.get_parameter(name, true).value;
  } catch (const aws::Error& e) {
    if (e.code() == "ParameterNotFound") throw Error(where + " not found");
    throw Error(where + " could not be read: " + e.what());
  }
}

Settings load_process_settings(const aws::Env& env) {
  Sources sources;
  sources.file = env("MYSITE_SETTINGS_FILE");
  sources.getenv = env;
  sources.fetch_task_params = [&env](const std::string& name) {
    return fetch_task_params(name, env);
  };
  return load(sources);
}

}  // namespace settings
