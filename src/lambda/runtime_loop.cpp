#include "lambda/runtime_loop.hpp"

#include <cstdlib>
#include <exception>

namespace lambda {

Outcome invoke_safely(const Handler& handler, const Invocation& invocation) noexcept {
  try {
    return handler(invocation);
  } catch (const std::exception& e) {
    return Outcome::failure("Runtime.UnhandledError", e.what());
  } catch (...) {
    return Outcome::failure("Runtime.UnhandledError", "unknown exception");
  }
}

int run_loop(RuntimeApi& api, const Handler& handler, const Log& log) {
  while (true) {
    Invocation invocation;
    try {
      invocation = api.next();
    } catch (const std::exception& e) {
      log(std::string("runtime API failed, exiting: ") + e.what());
      return 1;
    }
    if (!invocation.trace_id.empty())
      ::setenv("_X_AMZN_TRACE_ID", invocation.trace_id.c_str(), 1);
    else
      ::unsetenv("_X_AMZN_TRACE_ID");

    const Outcome outcome = invoke_safely(handler, invocation);
    try {
      if (outcome.ok) {
        api.respond(invocation.request_id, outcome.body);
      } else {
        log("invocation " + invocation.request_id + " failed: " + outcome.error_type + ": " +
            outcome.error_message);
        api.report_error(invocation.request_id, outcome.error_type, outcome.error_message);
      }
    } catch (const std::exception& e) {
      log(std::string("runtime API failed, exiting: ") + e.what());
      return 1;
    }
  }
}

}  // namespace lambda
