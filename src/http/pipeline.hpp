// http: the one place that orders the middleware of a site. Read pipeline.cpp top to bottom
// to know what happens to a request before a view sees it.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/middleware.hpp"

namespace http {

struct PipelineOptions {
  bool debug = false;                   // DEBUG_FLAG: error pages show details
  std::vector<std::string> host_names;  // HOST_NAMES
  bool access_log = true;               // ACCESS_LOG
  std::string health_path = "/ping/";
  std::function<void(std::string_view line)> log_sink;   // access-log lines
  std::function<void(std::string_view msg)> error_sink;  // unexpected errors
  // DEBUG only: HTML about an exception for the 500 page (the template source of a template
  // error); "" for none.
  std::function<std::string(const std::exception&)> debug_details;
  // Site middleware that runs after host validation, outermost first (sessions, CSRF, auth).
  std::vector<Middleware> site_layers;
};

Handler default_pipeline(PipelineOptions options, Handler endpoint);

}  // namespace http
