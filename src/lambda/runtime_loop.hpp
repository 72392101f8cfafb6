// lambda: the custom runtime's loop: take the next invocation, run the handler, post its result
// or its error, forever. Every exception stops at this boundary and becomes an invocation error,
// so one bad event never ends the process. Knows nothing of what the handler does.
#pragma once

#include <functional>
#include <string>

#include "lambda/invocation.hpp"
#include "lambda/runtime_api.hpp"

namespace lambda {

using Handler = std::function<Outcome(const Invocation&)>;
using Log = std::function<void(const std::string& line)>;

// Runs `handler` on every invocation `api` hands out. Returns (1) only when the Runtime API
// itself fails; Lambda then starts a new process. Sets _X_AMZN_TRACE_ID for each invocation.
int run_loop(RuntimeApi& api, const Handler& handler, const Log& log);

// Runs `handler` once, turning any exception into a failed Outcome ("Runtime.UnhandledError").
Outcome invoke_safely(const Handler& handler, const Invocation& invocation) noexcept;

}  // namespace lambda
