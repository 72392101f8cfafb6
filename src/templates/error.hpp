// templates: the one error type of the template layer. Syntax errors, missing templates and
// render failures (NoReverseMatch, bad include) all throw templates::Error.
//
//   try { engine.check("home.html"); }
//   catch (const templates::Error& e) { e.what(); /* "home.html:12: Invalid block tag 'endfor'" */
//   }
#pragma once

#include <stdexcept>
#include <string>

namespace templates {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message), message_(message) {}
  Error(const std::string& message, std::string file, int line)
      : std::runtime_error(format(message, file, line)),
        message_(message),
        file_(std::move(file)),
        line_(line) {}

  const std::string& message() const { return message_; }  // without "file:line: "
  const std::string& file() const { return file_; }        // empty when unknown
  int line() const { return line_; }                       // 0 when unknown
  bool located() const { return line_ > 0; }
  // The tag or variable that failed to parse, as written ("{% endfor %}"); empty when unknown.
  const std::string& token() const { return token_; }
  Error with_token(std::string token) const {
    Error e = *this;
    e.token_ = std::move(token);
    return e;
  }

 private:
  static std::string format(const std::string& message, const std::string& file, int line) {
    return (file.empty() ? std::string("<string>") : file) + ":" + std::to_string(line) + ": " +
           message;
  }
  std::string message_;
  std::string file_;
  int line_ = 0;
  std::string token_;
};

// A filter argument that names a missing variable (Django's VariableDoesNotExist): the page
// fails, except inside {% if %}, where the condition is then false.
class VariableDoesNotExist : public Error {
 public:
  using Error::Error;
};

}  // namespace templates
