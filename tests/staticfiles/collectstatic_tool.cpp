// A stand-alone collectstatic over explicit folders, for the Django differential test and the
// bench (no settings, no database, no full `mysite` binary):
//   collectstatic_tool --root OUT [--static-url /static/] [--dry-run] [--clear] SOURCE_DIR...
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "staticfiles/collect.hpp"
#include "staticfiles/local_storage.hpp"

int main(int argc, char** argv) {
  std::string root;
  staticfiles::CollectOptions options;
  std::vector<std::filesystem::path> sources;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--root" && i + 1 < argc)
      root = argv[++i];
    else if (arg == "--static-url" && i + 1 < argc)
      options.static_url = argv[++i];
    else if (arg == "--dry-run")
      options.dry_run = true;
    else if (arg == "--clear")
      options.clear = true;
    else if (arg.rfind("--", 0) == 0) {
      std::fprintf(stderr, "collectstatic_tool: unknown option %s\n", arg.c_str());
      return 2;
    } else {
      sources.emplace_back(arg);
    }
  }
  if (root.empty() || sources.empty()) {
    std::fputs(
        "usage: collectstatic_tool --root OUT [--static-url URL] [--dry-run] [--clear] "
        "SOURCE_DIR...\n",
        stderr);
    return 2;
  }
  try {
    staticfiles::LocalStorage storage(root);
    auto result = staticfiles::collect_static(sources, storage, options);
    for (const auto& w : result.warnings) std::fprintf(stderr, "%s\n", w.c_str());
    std::puts(staticfiles::summary(result, storage.location()).c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "collectstatic_tool: %s\n", e.what());
    return 1;
  }
}
