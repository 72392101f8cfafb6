// lambda: a client of the Lambda Runtime API (AWS_LAMBDA_RUNTIME_API): next invocation,
// invocation response, invocation error, init error. libcurl, one kept-alive connection.
// Knows nothing of handlers or of the loop that calls it (runtime_loop.hpp).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "lambda/invocation.hpp"

namespace lambda {

// The Runtime API could not be reached or refused a call: the process should exit (Lambda
// starts a new one).
class RuntimeApiError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr const char* kRuntimeApiVersion = "2018-06-01";
inline constexpr std::chrono::milliseconds kPostTimeout{10000};
inline constexpr std::size_t kMaxErrorMessageBytes = 4096;

// {"errorMessage": .., "errorType": .., "stackTrace": []}, the message cut to
// kMaxErrorMessageBytes (on a UTF-8 boundary).
std::string error_document(const std::string& type, const std::string& message);

// The invocation a GET /runtime/invocation/next answer describes: its headers (names in lower
// case) and body. Throws RuntimeApiError when the request id or the deadline is malformed.
Invocation invocation_from(const std::map<std::string, std::string>& headers, std::string body);

class RuntimeApi {
 public:
  // `endpoint`: host:port, as in AWS_LAMBDA_RUNTIME_API.
  explicit RuntimeApi(const std::string& endpoint);
  ~RuntimeApi();
  RuntimeApi(const RuntimeApi&) = delete;
  RuntimeApi& operator=(const RuntimeApi&) = delete;

  // GET /runtime/invocation/next: waits (no timeout) for the next event.
  Invocation next();
  // POST /runtime/invocation/{id}/response.
  void respond(const std::string& request_id, const std::string& body);
  // POST /runtime/invocation/{id}/error, with Lambda-Runtime-Function-Error-Type.
  void report_error(const std::string& request_id, const std::string& type,
                    const std::string& message);
  // POST /runtime/init/error: the function could not start.
  void report_init_error(const std::string& type, const std::string& message);

 private:
  struct Reply;
  Reply send(const std::string& method, const std::string& path, const std::string& body,
             const std::string& error_type);
  void post(const std::string& path, const std::string& body, const std::string& error_type);

  std::string base_url_;
  void* curl_;  // CURL*, kept so the connection stays alive between calls
};

}  // namespace lambda
