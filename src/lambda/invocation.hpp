// lambda: what a handler receives (one invocation) and what it returns (a result or an error).
// Plain structs: a handler is a plain function of them, testable with no runtime at all.
// Knows nothing of HTTP or of what any handler does.
#pragma once

#include <chrono>
#include <string>
#include <utility>

namespace lambda {

struct Invocation {
  std::string request_id;                          // Lambda-Runtime-Aws-Request-Id
  std::chrono::system_clock::time_point deadline;  // Lambda-Runtime-Deadline-Ms: stop before it
  std::string function_arn;                        // Lambda-Runtime-Invoked-Function-Arn
  std::string trace_id;                            // Lambda-Runtime-Trace-Id
  std::string payload;                             // the event, as sent (JSON text)

  std::chrono::milliseconds remaining(
      std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
  }
};

// Either a JSON body for /response, or an error for /error (errorType, errorMessage).
struct Outcome {
  bool ok = true;
  std::string body;           // ok: the JSON response
  std::string error_type;     // failed: short and stable ("Database.connection_lost")
  std::string error_message;  // failed: one line saying what happened; no secrets

  static Outcome success(std::string json) { return {true, std::move(json), {}, {}}; }
  static Outcome failure(std::string type, std::string message) {
    return {false, {}, std::move(type), std::move(message)};
  }
};

}  // namespace lambda
