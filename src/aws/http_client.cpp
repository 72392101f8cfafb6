#include "aws/http_client.hpp"

#include <curl/curl.h>

#include <memory>
#include <mutex>

#include "aws/error.hpp"
#include "aws/strings.hpp"
#include "aws/uri.hpp"

namespace aws {
namespace {

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// One handle per thread, reset before each request: its connection cache keeps connections
// to the same endpoint alive across calls (collectstatic uploads many files).
CURL* thread_handle() {
  struct Holder {
    CURL* handle = nullptr;
    ~Holder() {
      if (handle != nullptr) curl_easy_cleanup(handle);
    }
  };
  thread_local Holder holder;
  if (holder.handle == nullptr)
    holder.handle = curl_easy_init();
  else
    curl_easy_reset(holder.handle);
  return holder.handle;
}
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<HttpResponse*>(user)->body.append(data, size * count);
  return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  const std::string_view line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    response->headers.clear();  // a new response (after 100-continue or a redirect)
  } else if (const std::size_t colon = line.find(':'); colon != std::string_view::npos) {
    response->headers.emplace_back(to_lower(trim(line.substr(0, colon))),
                                   std::string(trim(line.substr(colon + 1))));
  }
  return size * count;
}

// Only the scheme and host go into transport errors: paths and queries may carry signed values.
std::string where(const HttpRequest& request) {
  try {
    const Url url = parse_url(request.url);
    return cat({url.scheme, "://", host_header(url)});
  } catch (const Error&) {
    return "(bad URL)";
  }
}

}  // namespace

HttpResponse http_send(const HttpRequest& request, const HttpOptions& options) {
  init_curl_once();
  CURL* h = thread_handle();
  if (h == nullptr) throw Error("NetworkError", "cannot create a libcurl handle", true);
  HttpResponse response;
  const std::string url = full_url(request);

  std::unique_ptr<curl_slist, SlistDeleter> headers;
  bool has_content_type = false;
  for (const auto& [name, value] : request.headers) {
    if (name.find_first_of("\r\n:") != std::string::npos ||
        value.find_first_of("\r\n") != std::string::npos) {
      throw Error("ConfigError", cat({"header ", name.substr(0, name.find_first_of("\r\n")),
                                      " contains a line break or bad name"}));
    }
    has_content_type = has_content_type || to_lower(name) == "content-type";
    headers.reset(curl_slist_append(headers.release(), cat({name, ": ", value}).c_str()));
  }
  // No headers of curl's own that nobody signed: no Expect, no default Accept/Content-Type.
  for (const char* blank : {"Expect:", "Accept:"}) {
    headers.reset(curl_slist_append(headers.release(), blank));
  }
  if (!has_content_type) headers.reset(curl_slist_append(headers.release(), "Content-Type:"));

  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  if (!options.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options.ca_file.c_str());
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options.total_timeout.count()));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &response);

  const std::string method = to_upper(request.method);
  if (method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (method == "GET" && request.body.empty()) {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (!request.body.empty() || method == "POST" || method == "PUT") {
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    }
  }

  const CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    const bool timeout = rc == CURLE_OPERATION_TIMEDOUT;
    throw Error(timeout ? "Timeout" : "NetworkError",
                cat({method, " ", where(request), ": ", curl_easy_strerror(rc)}), true);
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace aws
