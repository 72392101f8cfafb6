// Fuzz target: JSON that AWS endpoints send: credentials from the ECS container endpoint and
// IMDS (with their RFC 3339 expiry), the master secret from Secrets Manager, and the TASK_PARAMS
// settings from SSM.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "aws/credential_providers.hpp"
#include "aws/error.hpp"
#include "master_secret.hpp"
#include "settings/settings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)aws::parse_credentials_json(text, "fuzz");
  } catch (const aws::Error&) {
  }
  try {
    (void)db_init::parse_master_secret(text);
  } catch (const db_init::SecretFormatError&) {
  }
  try {
    settings::Settings s;
    settings::apply_json(s, text, "fuzz");
  } catch (const settings::Error&) {
  }
  return 0;
}
