// http: turns the bytes of a connection into Requests, one at a time, with every framing rule of
// wire::HeaderScanner and Beast's parser for fields and bodies (plus the rules Beast is lenient
// about: Content-Length, Transfer-Encoding, Host, Expect). No socket: the server feeds it what it
// read; tests and the fuzz target feed it anything. Beast stays inside request_reader.cpp.
//
//   RequestReader reader(kMaxHeaderBytes, kMaxBodyBytes);
//   reader.start(request);
//   std::size_t used = 0;
//   switch (reader.read(buffered, used)) { ... }   // drop `used` bytes from the buffer
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "http/request.hpp"

namespace http {

class RequestReader {
 public:
  enum class Result { need_more, complete, error };

  RequestReader(std::size_t max_header_bytes, std::size_t max_body_bytes);
  ~RequestReader();
  RequestReader(const RequestReader&) = delete;
  RequestReader& operator=(const RequestReader&) = delete;

  // Begins the next request, written into `request` (which must outlive the reading).
  void start(Request& request);

  // Reads from `input`, everything received and not yet consumed (the current request starts at
  // its first byte). Sets `consumed` to the bytes that belong to this request so far: the caller
  // drops them and passes the rest again with more. Bytes after a complete request (pipelining)
  // are not consumed. After Result::error, error_status() is the status to answer with.
  Result read(std::string_view input, std::size_t& consumed);

  bool started() const;           // a byte of the request line has arrived
  bool header_complete() const;   // the header section has been read
  bool expects_continue() const;  // "Expect: 100-continue"
  bool keep_alive() const;        // after complete: what the request asked of the connection
  int error_status() const;
  // The body's Content-Length once the header has been read (never over max_body_bytes: a larger
  // one is an error); 0 before, without one, or for a chunked body.
  std::size_t declared_body_bytes() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace http
