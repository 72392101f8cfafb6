#include "http/pipeline.hpp"

namespace http {

Handler default_pipeline(PipelineOptions options, Handler endpoint) {
  std::vector<Middleware> layers;
  // Outermost, so that every response, the health check's and error pages included, carries
  // the security headers.
  layers.push_back(security_headers());
  // The load balancer's health check: answered before host validation because the ALB sends
  // the task's private IP as Host, and before logging so that it costs next to nothing.
  layers.push_back(health_check(options.health_path, "pong"));
  // An id for the request before anything can log about it.
  layers.push_back(request_id());
  // Outside error_pages so that the status logged is the one the client gets.
  if (options.access_log) layers.push_back(access_log(options.log_sink));
  // Everything below may throw; this turns exceptions into pages that reveal nothing unless
  // DEBUG_FLAG is on.
  layers.push_back(error_pages(options.debug, options.error_sink, options.debug_details));
  // Django's ALLOWED_HOSTS: a request for another host never reaches a view.
  layers.push_back(allowed_hosts(options.host_names));
  // Sessions, CSRF and authentication, in the order the site gives them.
  for (auto& layer : options.site_layers) layers.push_back(std::move(layer));
  return chain(std::move(layers), std::move(endpoint));
}

}  // namespace http
