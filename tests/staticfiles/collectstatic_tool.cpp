// A stand-alone collectstatic over explicit folders, for the Django differential test and the
// bench (no settings, no database, no full `mysite` binary):
//   collectstatic_tool --root OUT [--static-url /static/] [--dry-run] [--clear] SOURCE_DIR...
//   collectstatic_tool --s3-bucket BUCKET ... SOURCE_DIR...   (S3Storage, key prefix static/;
//     region, endpoint and credentials from the environment: AWS_REGION, AWS_ENDPOINT_URL, ...)
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "staticfiles/collect.hpp"
#include "staticfiles/local_storage.hpp"
#include "staticfiles/s3_storage.hpp"

int main(int argc, char** argv) {
  std::string root;
  std::string bucket;
  staticfiles::CollectOptions options;
  std::vector<std::filesystem::path> sources;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--root" && i + 1 < argc)
      root = argv[++i];
    else if (arg == "--s3-bucket" && i + 1 < argc)
      bucket = argv[++i];
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
  if ((root.empty() && bucket.empty()) || sources.empty()) {
    std::fputs(
        "usage: collectstatic_tool (--root OUT | --s3-bucket BUCKET) [--static-url URL] "
        "[--dry-run] [--clear] SOURCE_DIR...\n",
        stderr);
    return 2;
  }
  try {
    std::unique_ptr<staticfiles::Storage> storage;
    if (bucket.empty())
      storage = std::make_unique<staticfiles::LocalStorage>(root);
    else
      storage = std::make_unique<staticfiles::S3Storage>(
          staticfiles::make_static_s3_client("", nullptr), bucket);
    auto result = staticfiles::collect_static(sources, *storage, options);
    for (const auto& w : result.warnings) std::fprintf(stderr, "%s\n", w.c_str());
    std::puts(staticfiles::summary(result, storage->location()).c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "collectstatic_tool: %s\n", e.what());
    return 1;
  }
}
