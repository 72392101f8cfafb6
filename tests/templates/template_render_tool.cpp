// A stand-alone `mysite render` for the Django differential test, built from
// src/cli/render_command.cpp with MYSITE_RENDER_STANDALONE so it needs no HTTP, settings or
// database. {% url %} resolves against render_routes(), which mirrors the ROOT_URLCONF in
// tests/tools/django_render.py; keep the two in step.
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.hpp"
#include "templates/engine.hpp"
#include "templates/text.hpp"

namespace cli {
// Defined in src/cli/render_command.cpp.
int render_template_to_stdout(const Args& args, templates::EngineOptions options);
}  // namespace cli

namespace {

struct Route {
  std::string_view name;
  std::string_view pattern;  // Django path() syntax, without the leading '/'
};

const std::vector<Route>& render_routes() {
  static const std::vector<Route> kRoutes = {
      {"home", ""},
      {"ping", "ping/"},
      {"fortune", "fortunes/<int:id>/"},
      {"fortune_list", "fortunes/"},
      {"article", "articles/<int:year>/<slug:slug>/"},
      {"search", "search/<str:term>/"},
  };
  return kRoutes;
}

bool matches_converter(std::string_view converter, std::string_view arg) {
  if (arg.empty()) return false;
  for (char c : arg) {
    auto u = static_cast<unsigned char>(c);
    bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (converter == "int" && !(c >= '0' && c <= '9')) return false;
    if (converter == "slug" && !(alnum || c == '_' || c == '-')) return false;
    if (converter == "str" && (c == '/' || u == 0)) return false;
  }
  return true;
}

// django.urls.reverse() for positional arguments.
std::string reverse_url(std::string_view name, const std::vector<std::string>& args) {
  for (const auto& route : render_routes()) {
    if (route.name != name) continue;
    std::string path;
    std::size_t used = 0, i = 0;
    std::string_view p = route.pattern;
    bool ok = true;
    while (i < p.size()) {
      if (p[i] != '<') {
        path += p[i++];
        continue;
      }
      std::size_t close = p.find('>', i);
      std::string_view spec = p.substr(i + 1, close - i - 1);
      std::size_t colon = spec.find(':');
      std::string_view converter = colon == std::string_view::npos ? "str" : spec.substr(0, colon);
      if (used >= args.size() || !matches_converter(converter, args[used])) {
        ok = false;
        break;
      }
      path += args[used++];
      i = close + 1;
    }
    if (ok && used == args.size()) {
      std::string url = "/";
      url += templates::text::url_quote(path, "/~:@!$&'()*+,;=");
      return url;
    }
  }
  throw templates::Error("NoReverseMatch: Reverse for '" + std::string(name) + "' not found.");
}

}  // namespace

int main(int argc, char** argv) {
  templates::EngineOptions options;
  options.reverse_url = reverse_url;
  return cli::render_template_to_stdout(cli::Args(argv + 1, argv + argc), std::move(options));
}
