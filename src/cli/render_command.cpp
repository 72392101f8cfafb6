// cli: `mysite render NAME [--dir DIR...] [--context JSON|@file.json]`
// Renders one template to stdout exactly (no newline added). Errors: one line on stderr, exit 1;
// usage errors exit 2. In the mysite binary {% url %} resolves through the site's routes and
// {% static %} under STATIC_URL (template_options); --dir replaces the app's template folder.
//
// render_template_to_stdout() is the part with no HTTP or settings: tests/templates builds it with
// MYSITE_RENDER_STANDALONE into template_render_tool, which supplies a fixed route table.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.hpp"
#ifndef MYSITE_RENDER_STANDALONE
#include "cli/site.hpp"
#include "cli/template_setup.hpp"
#include "http/router.hpp"
#include "settings/process_settings.hpp"
#include "settings/settings.hpp"
#endif
#include "templates/engine.hpp"

namespace cli {
namespace {

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;
constexpr const char* kUsage =
    "usage: mysite render NAME [--dir DIR...] [--context JSON|@file.json]";

std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

}  // namespace

// Parses NAME, --dir and --context, renders with `options` (whose dirs --dir replaces).
int render_template_to_stdout(const Args& args, templates::EngineOptions options) {
  std::string name;
  std::vector<std::filesystem::path> dirs;
  std::string context_arg = "{}";
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if ((arg == "--dir" || arg == "--context") && i + 1 >= args.size()) {
      std::fprintf(stderr, "mysite render: %s needs a value\n%s\n", arg.c_str(), kUsage);
      return kExitUsage;
    }
    if (arg == "--dir") {
      dirs.emplace_back(args[++i]);
    } else if (arg == "--context") {
      context_arg = args[++i];
    } else if (arg.rfind("--", 0) == 0 || !name.empty()) {
      std::fprintf(stderr, "mysite render: unexpected argument '%s'\n%s\n", arg.c_str(), kUsage);
      return kExitUsage;
    } else {
      name = arg;
    }
  }
  if (!dirs.empty()) options.dirs = std::move(dirs);
  if (name.empty() || options.dirs.empty()) {
    std::fprintf(stderr, "%s\n", kUsage);
    return kExitUsage;
  }
  try {
    std::string json_text = context_arg;
    if (!context_arg.empty() && context_arg[0] == '@') {
      std::ifstream in(context_arg.substr(1), std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "mysite render: cannot read %s\n", context_arg.substr(1).c_str());
        return kExitError;
      }
      json_text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    nlohmann::ordered_json json = nlohmann::ordered_json::parse(json_text);
    if (!json.is_object()) {
      std::fprintf(stderr, "mysite render: --context must be a JSON object\n");
      return kExitUsage;
    }
    templates::Context context = templates::Context::from_map(templates::value_from_json(json));
    templates::Engine engine(std::move(options));
    std::string out = engine.render(name, context);
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
    return 0;
  } catch (const nlohmann::json::exception& e) {
    std::fprintf(stderr, "mysite render: invalid --context JSON: %s\n", one_line(e.what()).c_str());
    return kExitError;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mysite render: %s\n", one_line(e.what()).c_str());
    return kExitError;
  }
}

#ifndef MYSITE_RENDER_STANDALONE
int render_command(const Args& args, const Site& site) {
  auto s = settings::load_process_settings();
  http::Router router;
  templates::EngineOptions options = template_options(s, router, site);
  // Register the site's routes so {% url %} reverses them; no view runs, so no database.
  templates::Engine unused_by_views(options);
  Services services{s, unused_by_views, nullptr, &router};
  if (site.urls) site.urls(router, services);
  return render_template_to_stdout(args, std::move(options));
}
#endif

}  // namespace cli
