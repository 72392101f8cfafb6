#include "http/form.hpp"

#include "base/percent.hpp"
#include "http/http_error.hpp"

namespace http {

namespace {

std::string decode(std::string_view s) { return base::percent_decode_lenient(s, true); }

bool is_urlencoded(const Request& request) {
  auto type = request.header("Content-Type");
  auto media = type.substr(0, type.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  return iequals(media, "application/x-www-form-urlencoded");
}

}  // namespace

FormData parse_urlencoded(std::string_view body, std::size_t max_fields) {
  FormData out;
  std::size_t fields = 0;
  while (!body.empty()) {
    auto amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    if (!pair.empty()) {
      if (++fields > max_fields)
        throw HttpError(400, "The number of form fields exceeded " + std::to_string(max_fields) +
                                 " (Django's DATA_UPLOAD_MAX_NUMBER_FIELDS)");
      auto eq = pair.find('=');
      if (eq == std::string_view::npos)
        out.emplace(decode(pair), "");
      else
        out.emplace(decode(pair.substr(0, eq)), decode(pair.substr(eq + 1)));
    }
    if (amp == std::string_view::npos) break;
    body.remove_prefix(amp + 1);
  }
  return out;
}

namespace {

void parse_body(const Request& request) {
  auto type = request.header("Content-Type");
  if (is_urlencoded(request)) {
    request.parsed_form = std::make_shared<const FormData>(parse_urlencoded(request.body));
    request.parsed_files = std::make_shared<const Files>();
  } else if (auto boundary = multipart_boundary(type)) {
    auto parsed = parse_multipart(request.body, *boundary);
    request.parsed_form = std::make_shared<const FormData>(std::move(parsed.fields));
    request.parsed_files = std::make_shared<const Files>(std::move(parsed.files));
  } else {
    auto media = type.substr(0, type.find(';'));
    while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
    if (iequals(media, "multipart/form-data"))
      throw HttpError(400, "multipart/form-data without a valid boundary");
    request.parsed_form = std::make_shared<const FormData>();
    request.parsed_files = std::make_shared<const Files>();
  }
}

}  // namespace

const FormData& form(const Request& request) {
  if (!request.parsed_form) parse_body(request);
  return *request.parsed_form;
}

const Files& files(const Request& request) {
  if (!request.parsed_files) parse_body(request);
  return *request.parsed_files;
}

std::string form_value(const FormData& form, std::string_view name) {
  auto it = form.find(name);
  return it == form.end() ? std::string() : it->second;
}

}  // namespace http
