#include "aws/error_parse.hpp"

#include <nlohmann/json.hpp>

#include "aws/retry.hpp"
#include "aws/strings.hpp"
#include "aws/xml.hpp"

namespace aws {
namespace {

constexpr std::size_t kMaxMessage = 500;

std::string status_code_name(int status) {
  switch (status) {
    case 400:
      return "BadRequest";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 429:
      return "TooManyRequests";
    case 500:
      return "InternalError";
    case 503:
      return "ServiceUnavailable";
    default:
      return cat({"Http", std::to_string(status)});
  }
}

// "com.amazon.coral.service#ThrottlingException" -> "ThrottlingException";
// "ThrottlingException:http://internal.amazon.com/" -> "ThrottlingException".
std::string clean_code(std::string code) {
  if (const std::size_t hash = code.rfind('#'); hash != std::string::npos) code.erase(0, hash + 1);
  if (const std::size_t colon = code.find(':'); colon != std::string::npos) code.erase(colon);
  return std::string(trim(code));
}

void parse_json_body(const std::string& body, std::string& code, std::string& message) {
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return;
  for (const char* key : {"__type", "code", "Code"}) {
    if (json.contains(key) && json[key].is_string()) {
      code = clean_code(json[key].get<std::string>());
      break;
    }
  }
  for (const char* key : {"message", "Message", "errorMessage"}) {
    if (json.contains(key) && json[key].is_string()) {
      message = json[key].get<std::string>();
      break;
    }
  }
}

void parse_xml_body(const std::string& body, std::string& code, std::string& message) {
  try {
    const XmlElement root = parse_xml(body);
    const XmlElement* error = root.name == "Error" ? &root : nullptr;
    if (error == nullptr && root.child("Errors") != nullptr)
      error = root.child("Errors")->child("Error");
    if (error == nullptr) error = root.child("Error");
    if (error == nullptr) return;
    code = clean_code(error->child_text("Code"));
    message = error->child_text("Message");
  } catch (const Error&) {
    // Not XML (a proxy's HTML page, say): fall back to the status.
  }
}

}  // namespace

Error parse_error_response(const HttpResponse& response, ErrorFormat format) {
  std::string code;
  std::string message;
  if (!response.body.empty()) {
    if (format == ErrorFormat::json)
      parse_json_body(response.body, code, message);
    else
      parse_xml_body(response.body, code, message);
  }
  if (code.empty()) {
    if (const auto header = response.header("x-amzn-errortype")) code = clean_code(*header);
  }
  if (code.empty()) code = status_code_name(response.status);
  if (message.empty()) message = cat({"HTTP ", std::to_string(response.status)});
  if (message.size() > kMaxMessage) message.resize(kMaxMessage);
  const bool retryable = is_retryable_response(response.status, code);
  return Error(code, message, retryable, response.status);
}

}  // namespace aws
