// staticfiles: `collectstatic` without the command line: finds the files of the source folders,
// hashes them and rewrites CSS (post_process.hpp), then stores each file under its own name and
// its hashed name, and the manifest last. Files the storage already holds with the same bytes
// are not written again. Everything is read and processed before anything is written, so a bad
// source file leaves the destination (and its manifest) as it was.
//   LocalStorage storage(s.static_root);
//   auto result = collect_static({s.app_dir() + "/static"}, storage, {.static_url = s.static_url});
//   std::puts(summary(result, storage.location()).c_str());
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "staticfiles/manifest.hpp"
#include "staticfiles/storage.hpp"

namespace staticfiles {

struct CollectOptions {
  std::string static_url = "/static/";  // STATIC_URL: absolute CSS references under it are ours
  bool dry_run = false;                 // work out and report, write nothing
  bool clear = false;                   // empty the destination first (after reading every source)
};

struct CollectResult {
  std::size_t copied = 0;          // source files whose plain or hashed copy was written
  std::size_t unmodified = 0;      // source files whose copies were all there already
  std::size_t skipped = 0;         // files shadowed by a file of the same name in an earlier folder
  std::size_t post_processed = 0;  // hashed copies written
  bool manifest_written = false;
  std::vector<std::string> written;   // stored names in the order written, manifest last
  std::vector<std::string> warnings;  // one line each (shadowed files)
  Manifest manifest;
};

// Throws Error naming the file for an unreadable source, a broken CSS reference, or a failed
// write; the previous manifest then stays in place.
CollectResult collect_static(const std::vector<std::filesystem::path>& source_dirs,
                             Storage& storage, const CollectOptions& options);

// Django's closing line: "3 static files copied to '/srv/static', 2 unmodified, 3 post-processed."
// (with ", N skipped" before post-processed when files were shadowed).
std::string summary(const CollectResult& result, std::string_view location);

}  // namespace staticfiles
