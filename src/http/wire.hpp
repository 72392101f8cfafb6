// http: the byte-level rules of HTTP/1.1 that Beast is lenient about or that we own: scanning a
// request's header section, and writing a response head. No sockets and no Beast, so each rule
// can be tested on plain strings; server.cpp uses them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/response.hpp"

namespace http::wire {

// Finds the end of the header section and enforces what Beast 1.81 lets through: only CRLF line
// endings (no bare CR or LF), no NUL or other control bytes, no whitespace between a field name
// and its colon, no obs-fold continuation lines, and the size limit (431, or 414 while still in
// the request line). Incremental: bytes already scanned are not scanned again.
class HeaderScanner {
 public:
  enum class Result { need_more, complete, error };

  explicit HeaderScanner(std::size_t limit) : limit_(limit) {}
  void reset() { *this = HeaderScanner(limit_); }

  // Scans `data` (everything received for this request so far).
  Result scan(std::string_view data);

  std::size_t start() const { return start_; }  // first byte of the request line
  std::size_t end() const { return pos_; }      // one past the blank line, once complete
  int error_status() const { return error_status_; }
  bool started() const { return pos_ > 0; }

 private:
  enum class State { start, start_cr, request_line, request_line_cr, line_start, name, value,
                     value_cr, final_cr };
  Result fail(int status) {
    error_status_ = status;
    return Result::error;
  }

  std::size_t limit_;
  std::size_t pos_ = 0;
  std::size_t start_ = 0;
  State state_ = State::start;
  int error_status_ = 0;
};

// "Sun, 06 Nov 1994 08:49:37 GMT", formatted at most once per second per thread.
std::string_view http_date();

// Writes the status line and header fields of `response` into `out` (cleared first): Date and
// Content-Length from the server, the handler's fields except those that affect framing or hold
// CR/LF/NUL. Returns false when the connection must close ("Connection: close" from the handler
// or `keep_alive` false).
bool serialize_head(std::string& out, const Response& response, bool keep_alive, int version);

// The plain-text response the server itself sends for a protocol error (400, 413, 431...).
Response error_response(int status);

}  // namespace http::wire
