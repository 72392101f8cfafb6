#include "master_secret.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

namespace db_init {

namespace {

std::string text_field(const nlohmann::json& doc, const char* name, bool required) {
  const auto it = doc.find(name);
  if (it == doc.end() || it->is_null() ||
      (it->is_string() && it->get_ref<const std::string&>().empty())) {
    if (required) throw SecretFormatError(std::string("secret has no \"") + name + "\"");
    return {};
  }
  if (!it->is_string())
    throw SecretFormatError(std::string("secret field \"") + name + "\" is not a string");
  return it->get<std::string>();
}

std::uint16_t port_field(const nlohmann::json& doc) {
  const auto it = doc.find("port");
  if (it == doc.end() || it->is_null()) return 3306;
  long long port = 0;
  if (it->is_number_integer()) {
    port = it->get<long long>();
  } else if (it->is_string()) {
    const std::string& text = it->get_ref<const std::string&>();
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (ec != std::errc() || end != text.data() + text.size()) port = 0;
  }
  if (port < 1 || port > 65535)
    throw SecretFormatError("secret field \"port\" is not a port number");
  return static_cast<std::uint16_t>(port);
}

}  // namespace

MasterSecret parse_master_secret(std::string_view json_text) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::exception&) {
    // The parser's message may quote the text around the error: the password, perhaps.
    throw SecretFormatError("secret is not valid JSON");
  }
  if (!doc.is_object()) throw SecretFormatError("secret is not a JSON object");
  MasterSecret secret;
  secret.username = text_field(doc, "username", true);
  secret.password = text_field(doc, "password", true);
  secret.host = text_field(doc, "host", true);
  secret.port = port_field(doc);
  secret.dbname = text_field(doc, "dbname", false);
  secret.engine = text_field(doc, "engine", false);
  return secret;
}

}  // namespace db_init
