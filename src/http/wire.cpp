#include "http/wire.hpp"

#include <charconv>
#include <cstdio>
#include <ctime>

#include "http/headers.hpp"

namespace http::wire {

namespace {

bool is_tchar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}
bool is_ctl(unsigned char c) { return c < 0x20 || c == 0x7f; }

void append_number(std::string& out, std::uint64_t n) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  out.append(digits, end);
}

// A plain loop: find_first_of with a character set calls memchr once per byte of `text`, which
// showed up as the top user-space cost of `/ping/` under wrk.
bool is_safe_field(std::string_view text) {
  for (char c : text)
    if (c == '\r' || c == '\n' || c == '\0') return false;
  return true;
}

}  // namespace

HeaderScanner::Result HeaderScanner::scan(std::string_view data) {
  for (; pos_ < data.size(); ++pos_) {
    if (pos_ >= limit_) return fail(state_ <= State::request_line_cr ? 414 : 431);
    auto c = static_cast<unsigned char>(data[pos_]);
    switch (state_) {
      case State::start:  // RFC 9112 2.2: ignore empty lines before the request line
        if (c == '\r') state_ = State::start_cr;
        else if (is_ctl(c)) return fail(400);
        else { start_ = pos_; state_ = State::request_line; }
        break;
      case State::start_cr:
        if (c != '\n') return fail(400);
        state_ = State::start;
        break;
      case State::request_line:
        if (c == '\r') state_ = State::request_line_cr;
        else if (is_ctl(c)) return fail(400);
        break;
      case State::request_line_cr:
      case State::value_cr:
        if (c != '\n') return fail(400);  // bare CR
        state_ = State::line_start;
        break;
      case State::line_start:
        if (c == '\r') state_ = State::final_cr;
        else if (is_tchar(c)) state_ = State::name;
        else return fail(400);  // obs-fold (SP/HTAB), empty name, bare LF, ...
        break;
      case State::name:
        if (c == ':') state_ = State::value;
        else if (!is_tchar(c)) return fail(400);  // whitespace before colon, no colon, ...
        break;
      case State::value:
        if (c == '\r') state_ = State::value_cr;
        else if (is_ctl(c) && c != '\t') return fail(400);  // NUL, bare LF, ...
        break;
      case State::final_cr:
        if (c != '\n') return fail(400);
        ++pos_;
        if (pos_ > limit_) return fail(431);
        return Result::complete;
    }
  }
  return Result::need_more;
}

std::string_view http_date() {
  thread_local std::time_t cached_second = -1;
  thread_local char text[32];
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::tm t{};
    gmtime_r(&now, &t);
    std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[t.tm_wday],
                  t.tm_mday, kMonths[t.tm_mon], t.tm_year + 1900, t.tm_hour, t.tm_min, t.tm_sec);
    cached_second = now;
  }
  return {text, 29};
}

bool serialize_head(std::string& out, const Response& response, bool keep_alive, int version) {
  out.clear();
  out.append("HTTP/1.1 ");
  append_number(out, static_cast<std::uint64_t>(response.status));
  out.push_back(' ');
  out.append(reason_phrase(response.status));
  out.append("\r\nDate: ");
  out.append(http_date());
  out.append("\r\n");
  bool no_body = response.status < 200 || response.status == 204 || response.status == 304;
  if (!no_body) {
    out.append("Content-Length: ");
    append_number(out, response.body.size());
    out.append("\r\n");
  }
  for (const auto& h : response.headers) {
    if (iequals(h.name, "Connection")) {
      if (iequals(h.value, "close")) keep_alive = false;
      continue;
    }
    // The server owns framing; a CR or LF from a handler must never split a header.
    if (iequals(h.name, "Content-Length") || iequals(h.name, "Transfer-Encoding") ||
        iequals(h.name, "Date") || h.name.empty() || !is_safe_field(h.name) ||
        !is_safe_field(h.value))
      continue;
    out.append(h.name);
    out.append(": ");
    out.append(h.value);
    out.append("\r\n");
  }
  if (!keep_alive) out.append("Connection: close\r\n");
  else if (version == 10) out.append("Connection: keep-alive\r\n");
  out.append("\r\n");
  return keep_alive;
}

Response error_response(int status) {
  std::string body(reason_phrase(status));
  body.push_back('\n');
  return Response::text(status, std::move(body));
}

}  // namespace http::wire
