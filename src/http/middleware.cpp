#include "http/middleware.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <random>

#include "base/utf8.hpp"
#include "http/http_error.hpp"

namespace http {

Handler chain(std::vector<Middleware> layers, Handler endpoint) {
  Handler next = std::move(endpoint);
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
    next = [layer = std::move(*it), inner = std::move(next)](Request& r) {
      return layer(r, inner);
    };
  }
  return next;
}

Middleware health_check(std::string path, std::string body) {
  return [path = std::move(path), body = std::move(body)](Request& r, const Handler& next) {
    if (r.path == path && (r.method == "GET" || r.method == "HEAD"))
      return Response::text(200, body);
    return next(r);
  };
}

namespace {

// RFC 1034 labels plus IPv4 literals; bracketed IPv6 literals. Mirrors Django's host regex.
bool valid_host_syntax(std::string_view host) {
  if (host.empty()) return false;
  if (host.front() == '[') {
    if (host.back() != ']' || host.size() < 3) return false;
    for (char c : host.substr(1, host.size() - 2))
      if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.')) return false;
    return true;
  }
  for (char c : host)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
  return true;
}

// A port, when there is one, is one or more digits (Django's host_validation_re): in
// "127.0.0.1:@evil.example" the host would pass and the rest is no port.
bool valid_port(const Request& r) {
  std::string_view suffix = r.host_suffix();
  if (suffix.empty()) return true;
  if (suffix.size() < 2 || suffix.front() != ':') return false;
  return std::all_of(suffix.begin() + 1, suffix.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool host_allowed(std::string_view host, const std::vector<std::string>& patterns) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);  // "example.com." is the same
  for (const auto& p : patterns) {
    if (p == "*") return true;
    if (!p.empty() && p.front() == '.') {
      std::string_view domain = std::string_view(p).substr(1);
      if (host == domain) return true;
      if (host.size() > p.size() && host.substr(host.size() - p.size()) == p) return true;
    } else if (iequals(host, p)) {
      return true;
    }
  }
  return false;
}

Middleware allowed_hosts(std::vector<std::string> hosts) {
  return [hosts = std::move(hosts)](Request& r, const Handler& next) {
    std::string host = r.host();
    if (!valid_host_syntax(host) || !valid_port(r))
      throw HttpError(400, "invalid Host header '" + std::string(r.header("Host")) + "'");
    if (!host_allowed(host, hosts))
      throw HttpError(400, "Host '" + host + "' is not in HOST_NAMES");
    return next(r);
  };
}

Middleware security_headers() {
  return [](Request& r, const Handler& next) {
    Response response = next(r);
    static constexpr std::array<std::pair<const char*, const char*>, 4> kHeaders{{
        {"X-Frame-Options", "DENY"},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "same-origin"},
        {"Cross-Origin-Opener-Policy", "same-origin"},
    }};
    for (const auto& [name, value] : kHeaders)
      if (!response.headers.contains(name)) response.headers.add(name, value);
    return response;
  };
}

namespace {

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'))
      return false;
  return true;
}

std::string random_hex_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t bits = rng();
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, bits >>= 4) out[static_cast<std::size_t>(i)] = kHex[bits & 0xf];
  return out;
}

// JSON string escaping for the access log. JSON is text: a byte that is not part of
// well-formed UTF-8 (a path with %FF decodes to one) becomes U+FFFD, so every line parses.
void append_json_string(std::string& out, std::string_view text) {
  out.push_back('"');
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      std::size_t bad = 0;
      const std::size_t n = base::utf8_sequence(text, i, bad);
      if (n == 0) {
        out += "\\ufffd";
        i += bad - 1;
      } else {
        out.append(text.substr(i, n));
        i += n - 1;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

}  // namespace

Middleware request_id() {
  return [](Request& r, const Handler& next) {
    auto incoming = r.headers.get("X-Request-ID");
    r.request_id =
        incoming && valid_request_id(*incoming) ? std::string(*incoming) : random_hex_id();
    Response response = next(r);
    response.headers.set("X-Request-ID", r.request_id);
    return response;
  };
}

Middleware access_log(std::function<void(std::string_view line)> sink) {
  return [sink = std::move(sink)](Request& r, const Handler& next) {
    auto start = std::chrono::steady_clock::now();
    Response response = next(r);
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
    auto now = std::chrono::system_clock::now();
    auto secs = std::chrono::time_point_cast<std::chrono::seconds>(now);
    std::time_t t = std::chrono::system_clock::to_time_t(secs);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[96];
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - secs).count();
    std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms));
    std::string line;
    line.reserve(256);
    line += "{\"time\":\"";
    line += stamp;
    line += "\",\"request_id\":";
    append_json_string(line, r.request_id);
    line += ",\"remote\":";
    append_json_string(line, r.remote_address);
    line += ",\"method\":";
    append_json_string(line, r.method);
    line += ",\"path\":";
    append_json_string(line, r.path);
    line += ",\"status\":" + std::to_string(response.status);
    line += ",\"bytes\":" + std::to_string(response.body.size());
    char dur[32];
    std::snprintf(dur, sizeof dur, ",\"ms\":%.3f}\n", static_cast<double>(micros) / 1000.0);
    line += dur;
    sink(line);
    return response;
  };
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#x27;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string error_page(int status, std::string_view detail, std::string_view html_detail) {
  std::string title;
  std::string body;
  switch (status) {
    case 400:
      title = "Bad Request (400)";
      body = "<h1>Bad Request (400)</h1>";
      break;
    case 403:
      title = "403 Forbidden";
      body = "<h1>403 Forbidden</h1>";
      break;
    case 404:
      title = "Not Found";
      body = "<h1>Not Found</h1><p>The requested resource was not found on this server.</p>";
      break;
    case 405:
      title = "Method Not Allowed (405)";
      body = "<h1>Method Not Allowed (405)</h1>";
      break;
    case 500:
      title = "Server Error (500)";
      body = "<h1>Server Error (500)</h1>";
      break;
    default: {
      std::string phrase(reason_phrase(status));
      title = phrase + " (" + std::to_string(status) + ")";
      body = "<h1>" + title + "</h1>";
    }
  }
  if (!detail.empty()) body += "\n  <pre>" + html_escape(detail) + "</pre>";
  if (!html_detail.empty()) {
    body += "\n  ";
    body += html_detail;
  }
  return "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>" + title +
         "</title>\n</head>\n<body>\n  " + body + "\n</body>\n</html>\n";
}

Middleware error_pages(bool debug, std::function<void(std::string_view message)> log_error,
                       std::function<std::string(const std::exception&)> details) {
  return [debug, log_error = std::move(log_error), details = std::move(details)](
             Request& r, const Handler& next) {
    try {
      return next(r);
    } catch (const HttpError& e) {
      Response response = Response::html(e.status(), error_page(e.status(), debug ? e.what() : ""));
      for (const auto& h : e.headers()) response.headers.set(h.name, h.value);
      return response;
    } catch (const std::exception& e) {
      log_error("request " + r.request_id + " " + r.method + " " + r.path + " failed: " + e.what());
      if (!debug) return Response::html(500, error_page(500, ""));
      return Response::html(500, error_page(500, e.what(), details ? details(e) : std::string()));
    } catch (...) {
      log_error("request " + r.request_id + " " + r.method + " " + r.path + " failed");
      return Response::html(500, error_page(500, ""));
    }
  };
}

}  // namespace http
