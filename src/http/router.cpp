// Matching is a small backtracking matcher over literal and parameter segments instead of
// std::regex: std::regex is slow and allocates, and Django's converters are character classes.
#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

#include "http/http_error.hpp"

namespace http {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Whether `c` may appear in a value of converter `conv`.
bool accepts(Converter conv, char c) {
  switch (conv) {
    case Converter::kStr:
      return c != '/';
    case Converter::kInt:
      return is_digit(c);
    case Converter::kSlug:
      return is_alnum(c) || c == '-' || c == '_';
    case Converter::kUuid:
      return is_digit(c) || (c >= 'a' && c <= 'f') || c == '-';
    case Converter::kPath:
      return true;
  }
  return false;
}

bool is_uuid(std::string_view v) {
  if (v.size() != 36) return false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (v[i] == '-')) return false;
    if (!dash && !accepts(Converter::kUuid, v[i])) return false;
  }
  return true;
}

bool fits(Converter conv, std::string_view value) {
  if (value.empty()) return false;
  if (conv == Converter::kUuid) return is_uuid(value);
  return std::all_of(value.begin(), value.end(), [&](char c) { return accepts(conv, c); });
}

Converter converter_named(std::string_view name, std::string_view pattern) {
  if (name == "str") return Converter::kStr;
  if (name == "int") return Converter::kInt;
  if (name == "slug") return Converter::kSlug;
  if (name == "uuid") return Converter::kUuid;
  if (name == "path") return Converter::kPath;
  throw std::invalid_argument("URL pattern '" + std::string(pattern) + "': unknown converter '" +
                              std::string(name) + "'");
}

}  // namespace

std::vector<Router::Segment> Router::parse(std::string_view pattern) {
  std::vector<Segment> segments;
  std::size_t pos = 0;
  while (pos < pattern.size()) {
    auto open = pattern.find('<', pos);
    if (open != pos) {
      auto end = open == std::string_view::npos ? pattern.size() : open;
      segments.push_back({std::string(pattern.substr(pos, end - pos)), {}, Converter::kStr});
      pos = end;
      continue;
    }
    auto close = pattern.find('>', open);
    if (close == std::string_view::npos)
      throw std::invalid_argument("URL pattern '" + std::string(pattern) + "': unclosed '<'");
    auto inside = pattern.substr(open + 1, close - open - 1);
    auto colon = inside.find(':');
    Segment seg;
    seg.param = std::string(colon == std::string_view::npos ? inside : inside.substr(colon + 1));
    seg.converter = colon == std::string_view::npos
                        ? Converter::kStr
                        : converter_named(inside.substr(0, colon), pattern);
    if (seg.param.empty() || !std::all_of(seg.param.begin(), seg.param.end(),
                                          [](char c) { return is_alnum(c) || c == '_'; }))
      throw std::invalid_argument("URL pattern '" + std::string(pattern) + "': bad parameter name");
    segments.push_back(std::move(seg));
    pos = close + 1;
  }
  return segments;
}

bool Router::match(const std::vector<Segment>& segments, std::size_t index, std::string_view rest,
                   std::map<std::string, std::string, std::less<>>& params) {
  if (index == segments.size()) return rest.empty();
  const Segment& seg = segments[index];
  if (seg.param.empty()) {
    if (rest.substr(0, seg.literal.size()) != seg.literal) return false;
    return match(segments, index + 1, rest.substr(seg.literal.size()), params);
  }
  // Longest run of acceptable characters first, then shorter ones (regex backtracking).
  std::size_t run = 0;
  while (run < rest.size() && accepts(seg.converter, rest[run])) ++run;
  for (std::size_t len = run; len > 0; --len) {
    auto value = rest.substr(0, len);
    if (seg.converter == Converter::kUuid && !is_uuid(value)) continue;
    if (match(segments, index + 1, rest.substr(len), params)) {
      params.insert_or_assign(seg.param, std::string(value));
      return true;
    }
  }
  return false;
}

Router& Router::add(std::string_view pattern, Handler view, std::string name,
                    std::vector<std::string> methods, Runs runs) {
  if (!name.empty() &&
      std::any_of(routes_.begin(), routes_.end(), [&](const Route& r) { return r.name == name; }))
    throw std::invalid_argument("URL name '" + name + "' is registered twice");
  routes_.push_back({std::string(pattern), parse(pattern), std::move(view), std::move(name),
                     std::move(methods), runs});
  return *this;
}

Router& Router::include(std::string_view prefix, const Router& other) {
  for (const auto& r : other.routes_)
    add(std::string(prefix) + r.pattern, r.view, r.name, r.methods, r.runs);
  return *this;
}

bool Router::allows(const Route& route, std::string_view method) const {
  for (const auto& m : route.methods)
    if (m == method || (method == "HEAD" && m == "GET")) return true;
  return false;
}

Response Router::dispatch(Request& request) const {
  std::string_view path = request.path;
  if (path.empty() || path.front() != '/') throw HttpError(404, "path does not start with '/'");
  std::string_view rest = path.substr(1);

  std::vector<std::string> allowed;
  for (const auto& route : routes_) {
    std::map<std::string, std::string, std::less<>> params;
    if (!match(route.segments, 0, rest, params)) continue;
    if (allows(route, request.method)) {
      request.params = std::move(params);
      return route.view(request);
    }
    for (const auto& m : route.methods) {
      if (std::find(allowed.begin(), allowed.end(), m) == allowed.end()) allowed.push_back(m);
      if (m == "GET" && std::find(allowed.begin(), allowed.end(), "HEAD") == allowed.end())
        allowed.push_back("HEAD");
    }
  }
  if (!allowed.empty()) {
    std::string allow;
    for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
    Headers headers;
    headers.set("Allow", allow);
    throw HttpError(405, "method " + request.method + " not allowed for " + request.path,
                    std::move(headers));
  }
  if (append_slash_ && path.back() != '/' && matches(std::string(path) + "/")) {
    // Keep the raw (still percent-encoded) path and the query string.
    auto q = request.target.find('?');
    std::string location = request.target.substr(0, q) + "/";
    if (q != std::string::npos) location += request.target.substr(q);
    // "//evil.example" must not become the scheme-relative "//evil.example/" (Django's
    // CVE-2018-14574): a leading "//" is sent as "/%2F".
    if (location.rfind("//", 0) == 0) location = "/%2F" + location.substr(2);
    return Response::redirect(std::move(location), 301);
  }
  throw HttpError(404, "no route matches " + request.path);
}

bool Router::matches(std::string_view path) const {
  if (path.empty() || path.front() != '/') return false;
  for (const auto& route : routes_) {
    std::map<std::string, std::string, std::less<>> params;
    if (match(route.segments, 0, path.substr(1), params)) return true;
  }
  return false;
}

const Router::Route* Router::find(std::string_view path, std::string_view method) const {
  if (path.empty() || path.front() != '/') return nullptr;
  for (const auto& route : routes_) {
    std::map<std::string, std::string, std::less<>> params;
    if (match(route.segments, 0, path.substr(1), params) && allows(route, method)) return &route;
  }
  return nullptr;
}

bool Router::routes_to_view(std::string_view path, std::string_view method) const {
  return find(path, method) != nullptr;
}

bool Router::runs_on_io_thread(std::string_view path, std::string_view method) const {
  const Route* route = find(path, method);
  return route == nullptr || route->runs == Runs::kOnIoThread;
}

std::optional<std::string> Router::reverse(std::string_view name,
                                           const std::vector<std::string>& args) const {
  for (const auto& route : routes_) {
    if (route.name != name) continue;
    std::string out = "/";
    std::size_t next = 0;
    bool ok = true;
    for (const auto& seg : route.segments) {
      if (seg.param.empty()) {
        out += seg.literal;
      } else if (next < args.size() && fits(seg.converter, args[next])) {
        out += percent_encode(args[next++], "/~:@!$&'()*+,;=");
      } else {
        ok = false;
        break;
      }
    }
    if (ok && next == args.size()) return out;
  }
  return std::nullopt;
}

}  // namespace http
