// http: maps paths to views with Django's `path()` syntax and names for reverse lookup.
// Knows nothing of templates, settings or the database.
//
//   Router urls;
//   urls.get("", views::home, "home");
//   urls.get("fortunes/<int:id>/", views::fortune, "fortune");
//   urls.reverse("fortune", {"7"});   // "/fortunes/7/"
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/handler.hpp"

namespace http {

// A path converter, as Django's: str, int, slug, uuid, path.
enum class Converter { kStr, kInt, kSlug, kUuid, kPath };

// Where the server runs a view (ServerOptions::runs_on_io_thread).
//  kOnViewThread, the default: the view may block (a query, a password hash) without delaying
//    other connections or the health check.
//  kOnIoThread: the view never waits for anything (no database, no network, no heavy CPU), so it
//    is answered on the I/O thread at once, without a hop to a view thread. /ping/, static files.
enum class Runs { kOnViewThread, kOnIoThread };

class Router {
 public:
  // Registers `view` for `pattern` (no leading slash, as in Django's urls.py). `methods`
  // lists the allowed methods; GET implies HEAD. Throws std::invalid_argument on a bad pattern
  // or a duplicate name.
  Router& add(std::string_view pattern, Handler view, std::string name = {},
              std::vector<std::string> methods = {"GET"}, Runs runs = Runs::kOnViewThread);
  Router& get(std::string_view pattern, Handler view, std::string name = {},
              Runs runs = Runs::kOnViewThread) {
    return add(pattern, std::move(view), std::move(name), {"GET"}, runs);
  }
  // Adds every route of `other` under `prefix` ("admin/").
  Router& include(std::string_view prefix, const Router& other);

  // Calls the matching view. No match: a slash-appended redirect when that would match
  // (Django's APPEND_SLASH), else HttpError 404; a match with the wrong method: HttpError 405
  // with an Allow header.
  Response dispatch(Request& request) const;

  // "/fortunes/7/" for ("fortune", {"7"}); nullopt when the name is unknown or an argument
  // does not fit its converter.
  std::optional<std::string> reverse(std::string_view name,
                                     const std::vector<std::string>& args = {}) const;

  // True when some route matches `path` (percent-decoded, with its leading slash).
  bool matches(std::string_view path) const;
  // True when dispatch() would call a view for `method` on `path` (not a 404, 405 or redirect).
  bool routes_to_view(std::string_view path, std::string_view method) const;
  // False when dispatch() would call a view registered kOnViewThread; true for the others and
  // for what no view answers (404, 405, the append-slash redirect).
  bool runs_on_io_thread(std::string_view path, std::string_view method) const;

  void set_append_slash(bool on) { append_slash_ = on; }

 private:
  struct Segment {
    std::string literal;  // text to match, when param is empty
    std::string param;
    Converter converter = Converter::kStr;
  };
  struct Route {
    std::string pattern;
    std::vector<Segment> segments;
    Handler view;
    std::string name;
    std::vector<std::string> methods;
    Runs runs = Runs::kOnViewThread;
  };

  static std::vector<Segment> parse(std::string_view pattern);
  static bool match(const std::vector<Segment>& segments, std::size_t index, std::string_view rest,
                    std::map<std::string, std::string, std::less<>>& params);
  bool allows(const Route& route, std::string_view method) const;
  const Route* find(std::string_view path, std::string_view method) const;

  std::vector<Route> routes_;
  bool append_slash_ = true;
};

}  // namespace http
