#include "lambda/runtime_api.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>

namespace lambda {

namespace {

CURL* handle_of(void* curl) { return static_cast<CURL*>(curl); }

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  const std::string_view line(data, size * count);
  const std::size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
      value.remove_suffix(1);
    (*static_cast<std::map<std::string, std::string>*>(user))[name] = std::string(value);
  }
  return size * count;
}

// Cuts `text` to at most `limit` bytes without splitting a UTF-8 sequence.
std::string cut_utf8(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "...";
}

// Request ids go into URL paths and error types into a header: letters, digits, - _ . : only.
bool is_safe_token(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':';
  });
}

}  // namespace

struct RuntimeApi::Reply {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

std::string error_document(const std::string& type, const std::string& message) {
  nlohmann::json doc{{"errorMessage", cut_utf8(message, kMaxErrorMessageBytes)},
                     {"errorType", type},
                     {"stackTrace", nlohmann::json::array()}};
  // Replace invalid UTF-8 rather than throw: an error report must always go out.
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

RuntimeApi::RuntimeApi(const std::string& endpoint)
    : base_url_("http://" + endpoint + "/" + kRuntimeApiVersion), curl_(nullptr) {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!initialised) throw RuntimeApiError("curl_global_init failed");
  curl_ = curl_easy_init();
  if (curl_ == nullptr) throw RuntimeApiError("curl_easy_init failed");
}

RuntimeApi::~RuntimeApi() { curl_easy_cleanup(handle_of(curl_)); }

RuntimeApi::Reply RuntimeApi::send(const std::string& method, const std::string& path,
                                   const std::string& body, const std::string& error_type) {
  CURL* curl = handle_of(curl_);
  curl_easy_reset(curl);  // keeps the open connection
  Reply reply;
  const std::string url = base_url_ + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.headers);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_slist* headers = nullptr;
  if (method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(kPostTimeout.count()));
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
    if (!error_type.empty() && is_safe_token(error_type))
      headers =
          curl_slist_append(headers, ("Lambda-Runtime-Function-Error-Type: " + error_type).c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  }
  // GET /next has no timeout: Lambda holds it until an event arrives (or freezes the process).
  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  if (code != CURLE_OK)
    throw RuntimeApiError(method + " " + path + ": " + curl_easy_strerror(code));
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

void RuntimeApi::post(const std::string& path, const std::string& body,
                      const std::string& error_type) {
  const Reply reply = send("POST", path, body, error_type);
  if (reply.status < 200 || reply.status > 299)
    throw RuntimeApiError("POST " + path + ": HTTP " + std::to_string(reply.status));
}

Invocation invocation_from(const std::map<std::string, std::string>& headers, std::string body) {
  auto header = [&headers](const char* name) {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  };
  Invocation invocation;
  invocation.request_id = header("lambda-runtime-aws-request-id");
  if (invocation.request_id.empty() || !is_safe_token(invocation.request_id))
    throw RuntimeApiError("missing or malformed Lambda-Runtime-Aws-Request-Id");
  const std::string deadline = header("lambda-runtime-deadline-ms");
  long long deadline_ms = 0;
  const auto [end, ec] =
      std::from_chars(deadline.data(), deadline.data() + deadline.size(), deadline_ms);
  // The latest deadline a system_clock time point can hold (nanoseconds since 1970 overflow in
  // 2262); found by the fuzzer, which gave 33,333,333,333,333 ms.
  constexpr long long kLatestDeadlineMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                                              std::chrono::system_clock::duration::max())
                                              .count() -
                                          1;
  if (deadline.empty() || ec != std::errc() || end != deadline.data() + deadline.size() ||
      deadline_ms < 0 || deadline_ms > kLatestDeadlineMs)
    throw RuntimeApiError("bad Lambda-Runtime-Deadline-Ms header");
  invocation.deadline =
      std::chrono::system_clock::time_point(std::chrono::milliseconds(deadline_ms));
  invocation.function_arn = header("lambda-runtime-invoked-function-arn");
  invocation.trace_id = header("lambda-runtime-trace-id");
  invocation.payload = std::move(body);
  return invocation;
}

Invocation RuntimeApi::next() {
  const std::string path = "/runtime/invocation/next";
  Reply reply = send("GET", path, {}, {});
  if (reply.status != 200)
    throw RuntimeApiError("GET " + path + ": HTTP " + std::to_string(reply.status));
  try {
    return invocation_from(reply.headers, std::move(reply.body));
  } catch (const RuntimeApiError& e) {
    throw RuntimeApiError("GET " + path + ": " + e.what());
  }
}

void RuntimeApi::respond(const std::string& request_id, const std::string& body) {
  post("/runtime/invocation/" + request_id + "/response", body, {});
}

void RuntimeApi::report_error(const std::string& request_id, const std::string& type,
                              const std::string& message) {
  post("/runtime/invocation/" + request_id + "/error", error_document(type, message), type);
}

void RuntimeApi::report_init_error(const std::string& type, const std::string& message) {
  post("/runtime/init/error", error_document(type, message), type);
}

}  // namespace lambda
