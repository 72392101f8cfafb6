#include "http/request_reader.hpp"

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <optional>

#include "http/headers.hpp"
#include "http/wire.hpp"

namespace http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using error_code = boost::system::error_code;

std::string_view sv(beast::string_view s) { return {s.data(), s.size()}; }

// RequestParser: Beast's parser writing straight into an http::Request (no beast::http::fields,
// no copy). Adds the framing rules Beast is lenient about.

class RequestParser final : public bhttp::basic_parser<true> {
 public:
  RequestParser(Request& request, std::size_t max_header_bytes, std::size_t max_body_bytes)
      : request_(request) {
    header_limit(static_cast<std::uint32_t>(max_header_bytes + 64));  // the scanner enforces it
    body_limit(max_body_bytes);
    eager(true);
  }

  int error_status() const { return error_status_; }
  bool expects_continue() const { return expect_continue_; }

 private:
  void reject(error_code& ec, int status) {
    error_status_ = status;
    ec = bhttp::error::bad_value;
  }

  void on_request_impl(bhttp::verb, beast::string_view method, beast::string_view target,
                       int version, error_code& ec) override {
    request_.method.assign(method.data(), method.size());
    request_.version = version;
    if (!set_target(request_, sv(target))) return reject(ec, 400);
  }

  void on_response_impl(int, beast::string_view, int, error_code&) override {}

  void on_field_impl(bhttp::field field, beast::string_view name, beast::string_view value,
                     error_code& ec) override {
    if (header_done_) return;  // chunked trailer fields are dropped
    std::string_view v = sv(value);
    if (field == bhttp::field::content_length) {
      // Exactly 1*DIGIT, once: no "+5", "5 5", "0x5", "", "5, 5", no repeated field.
      bool digits = !v.empty() && v.size() <= 18 &&
                    std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!digits || has_content_length_) return reject(ec, 400);
      has_content_length_ = true;
    } else if (field == bhttp::field::transfer_encoding) {
      // Only "chunked", only once, only in HTTP/1.1: anything else is a smuggling vector.
      if (!iequals(v, "chunked") || has_transfer_encoding_ || request_.version != 11)
        return reject(ec, 400);
      has_transfer_encoding_ = true;
    } else if (field == bhttp::field::host) {
      // RFC 9112 3.2: more than one Host is a 400 (two hosts are two answers to "which site").
      if (has_host_) return reject(ec, 400);
      has_host_ = true;
    } else if (field == bhttp::field::expect) {
      if (!iequals(v, "100-continue")) return reject(ec, 417);
      expect_continue_ = true;
    }
    if (has_content_length_ && has_transfer_encoding_) return reject(ec, 400);
    request_.headers.add(std::string(sv(name)), std::string(v));
  }

  void on_header_impl(error_code& ec) override {
    header_done_ = true;
    // RFC 9112 3.2: an HTTP/1.1 request without Host is a 400.
    if (request_.version == 11 && !has_host_) reject(ec, 400);
  }

  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override {
    if (length) request_.body.reserve(static_cast<std::size_t>(*length));
  }

  std::size_t on_body_impl(beast::string_view body, error_code&) override {
    request_.body.append(body.data(), body.size());
    return body.size();
  }

  void on_chunk_header_impl(std::uint64_t, beast::string_view, error_code&) override {}

  std::size_t on_chunk_body_impl(std::uint64_t, beast::string_view body, error_code&) override {
    request_.body.append(body.data(), body.size());
    return body.size();
  }

  void on_finish_impl(error_code&) override {}

  Request& request_;
  int error_status_ = 0;
  bool header_done_ = false;
  bool has_content_length_ = false;
  bool has_transfer_encoding_ = false;
  bool has_host_ = false;
  bool expect_continue_ = false;
};

// Status for a parse error of the request starting at `data`.
int status_for(const error_code& ec, const RequestParser& parser, std::string_view data) {
  if (parser.error_status() != 0) return parser.error_status();
  if (ec == bhttp::error::body_limit) return 413;
  if (ec == bhttp::error::header_limit) return 431;
  if (ec == bhttp::error::bad_version) {
    // Beast rejects every version but 1.0 and 1.1 alike; "HTTP/2.0" deserves a 505.
    auto line = data.substr(0, data.find("\r\n"));
    if (line.size() >= 8) {
      auto version = line.substr(line.size() - 8);
      if (version.starts_with("HTTP/") && version[5] >= '2' && version[5] <= '9' &&
          version[6] == '.' && version[7] >= '0' && version[7] <= '9')
        return 505;
    }
  }
  return 400;
}

}  // namespace

struct RequestReader::State {
  State(std::size_t max_header, std::size_t max_body)
      : max_header_bytes(max_header), max_body_bytes(max_body), scanner(max_header) {}
  std::size_t max_header_bytes;
  std::size_t max_body_bytes;
  wire::HeaderScanner scanner;
  std::optional<RequestParser> parser;
  bool header_complete = false;
  int error_status = 0;
};

RequestReader::RequestReader(std::size_t max_header_bytes, std::size_t max_body_bytes)
    : state_(std::make_unique<State>(max_header_bytes, max_body_bytes)) {}

RequestReader::~RequestReader() = default;

void RequestReader::start(Request& request) {
  state_->parser.emplace(request, state_->max_header_bytes, state_->max_body_bytes);
  state_->scanner.reset();
  state_->header_complete = false;
  state_->error_status = 0;
}

RequestReader::Result RequestReader::read(std::string_view input, std::size_t& consumed) {
  State& s = *state_;
  consumed = 0;
  if (!s.header_complete) {
    switch (s.scanner.scan(input)) {
      case wire::HeaderScanner::Result::need_more:
        return Result::need_more;
      case wire::HeaderScanner::Result::error:
        s.error_status = s.scanner.error_status();
        return Result::error;
      case wire::HeaderScanner::Result::complete:
        s.header_complete = true;
        consumed = s.scanner.start();  // blank lines before the request line
        input.remove_prefix(consumed);
    }
  }
  if (!input.empty()) {
    error_code ec;
    const std::size_t used = s.parser->put(boost::asio::buffer(input.data(), input.size()), ec);
    if (ec && ec != bhttp::error::need_more) {
      s.error_status = status_for(ec, *s.parser, input);
      return Result::error;
    }
    consumed += used;
  }
  return s.parser->is_done() ? Result::complete : Result::need_more;
}

bool RequestReader::started() const { return state_->scanner.started(); }
bool RequestReader::header_complete() const { return state_->header_complete; }
bool RequestReader::expects_continue() const {
  return state_->parser && state_->parser->expects_continue();
}
bool RequestReader::keep_alive() const { return state_->parser && state_->parser->keep_alive(); }
int RequestReader::error_status() const { return state_->error_status; }
std::size_t RequestReader::declared_body_bytes() const {
  if (!state_->parser || !state_->parser->is_header_done()) return 0;
  auto length = state_->parser->content_length();
  return length ? static_cast<std::size_t>(*length) : 0;
}

}  // namespace http
